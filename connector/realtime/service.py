"""``serve`` assembled: the queue, the worker, the WSGI application and the server.

``RealtimeService`` takes what the composition root built (the secret, the
modules the connector reads, a refresh function) and runs it: ``start`` opens the
port and the worker, ``stop`` closes the port first (no new notifications), then
lets the worker finish and refresh what is still waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from connector.realtime.app import NOTIFY_PATH, NotificationApp
from connector.realtime.counters import Counters
from connector.realtime.queue import ChangeQueue
from connector.realtime.server import HttpServer
from connector.realtime.worker import Refresh, Worker
from connector.secrets import Secret

MIN_SECRET = 16


@dataclass(frozen=True)
class ServeOptions:
    secret: Secret
    modules: tuple[str, ...]
    host: str = "127.0.0.1"
    port: int = 8765
    debounce: float = 1.0
    capacity: int = 10_000
    batch: int = 200


class RealtimeService:
    def __init__(
        self,
        options: ServeOptions,
        refresh: Refresh,
        *,
        now: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.options = options
        self.counters = Counters()
        self.queue = ChangeQueue(options.capacity, options.debounce, monotonic)
        self.worker = Worker(self.queue, refresh, self.counters, batch=options.batch, clock=now)
        self.app = NotificationApp(
            options.secret,
            self.queue,
            self.counters,
            options.modules,
            worker_alive=lambda: self.worker.alive,
            worker_state=self.worker_report,
            now=now,
        )
        self.http = HttpServer(self.app, options.host, options.port)

    def worker_report(self) -> dict[str, Any]:
        """What /healthz tells of the worker: batches done, the last one, the last error."""
        state = self.worker.state
        last = state.last_batch_at
        return {
            "batches": state.batches,
            "last_batch_at": None
            if last is None
            else datetime.fromtimestamp(last, UTC).isoformat(timespec="seconds"),
            "last_error": state.last_error,
        }

    @property
    def url(self) -> str:
        return self.http.url

    @property
    def notify_url(self) -> str:
        return self.http.url + NOTIFY_PATH

    def start(self) -> RealtimeService:
        self.worker.start()
        self.http.start()
        return self

    def stop(self) -> int:
        """Stop; the number of changed records left unrefreshed."""
        self.http.stop()
        return self.worker.stop(drain=True)

    def __enter__(self) -> RealtimeService:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def modules_served(modules: Iterable[str]) -> tuple[str, ...]:
    """The modules whose notifications are acted on: those the connector reads."""
    return tuple(dict.fromkeys(modules))
