"""Fault injection for the sandbox: latency, 500s, 429s, HTML error pages, cut answers.

Every random choice comes from one ``random.Random`` seeded at start, so the
same seed and the same sequence of requests give the same faults. Tests can
also queue exact faults for the next requests. The rate limit is a token
bucket on the sandbox clock. Sleeping for latency is injectable. This module
decides; the server carries out a dropped connection.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from connector.sandbox.clock import SandboxClock
from connector.sandbox.wire import Response, html_response, json_response

FAULT_KINDS = ("500", "502", "503", "429", "html", "drop")


@dataclass(frozen=True)
class FaultSettings:
    """What goes wrong, and how often.

    ``fail_rate`` is the fraction of requests answered 500 (an HTML page when
    ``html_errors``); ``rate_limit`` is requests per second beyond which the
    answer is 429 with Retry-After; ``drop_rate`` is the fraction of answers cut
    off mid-body.
    """

    latency_ms: float = 0.0
    fail_rate: float = 0.0
    rate_limit: float | None = None
    html_errors: bool = False
    drop_rate: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FaultDecision:
    response: Response | None = None
    drop: bool = False


def server_error(html: bool, status: int = 500) -> Response:
    if html:
        titles = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
        return html_response(
            status,
            titles.get(status, "Error"),
            "The server encountered an internal error and was unable to complete your request.",
        )
    return json_response(status, {"error": "unknown_error", "message": "Internal Server Error"})


def too_many_requests(retry_after: int) -> Response:
    response = json_response(429, {"message": "Too Many Requests"})
    response.headers["Retry-After"] = str(retry_after)
    return response


class FaultInjector:
    """Decides, per request, whether and how it fails."""

    def __init__(
        self,
        settings: FaultSettings,
        seed: int,
        clock: SandboxClock,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.sleep = sleep
        self._random = random.Random(f"faults:{seed}")
        self._queue: deque[str] = deque()
        self._lock = threading.Lock()
        self._tokens = float(self._capacity())
        self._refilled_at = clock.timestamp()

    def _capacity(self) -> float:
        rate = self.settings.rate_limit
        return max(1.0, rate) if rate else 0.0

    def update(self, **changes: Any) -> FaultSettings:
        with self._lock:
            self.settings = replace(self.settings, **changes)
            self._tokens = float(self._capacity())
            self._refilled_at = self.clock.timestamp()
            return self.settings

    def queue(self, kind: str, count: int = 1) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {', '.join(FAULT_KINDS)}")
        with self._lock:
            self._queue.extend([kind] * count)

    def decide(self) -> FaultDecision:
        with self._lock:
            settings = self.settings
            limited = self._over_limit(settings)
            queued = self._queue.popleft() if self._queue else None
            failing = settings.fail_rate > 0 and self._random.random() < settings.fail_rate
            dropping = settings.drop_rate > 0 and self._random.random() < settings.drop_rate
        if settings.latency_ms > 0:
            self.sleep(settings.latency_ms / 1000.0)
        if limited is not None:
            return FaultDecision(too_many_requests(limited))
        if queued is not None:
            return self._queued(queued, settings)
        if failing:
            return FaultDecision(server_error(settings.html_errors))
        return FaultDecision(drop=dropping)

    @staticmethod
    def _queued(kind: str, settings: FaultSettings) -> FaultDecision:
        if kind == "drop":
            return FaultDecision(drop=True)
        if kind == "429":
            return FaultDecision(too_many_requests(1))
        if kind == "html":
            return FaultDecision(server_error(True))
        return FaultDecision(server_error(settings.html_errors, int(kind)))

    def _over_limit(self, settings: FaultSettings) -> int | None:
        """Seconds to wait when the bucket is empty, else None (takes a token)."""
        rate = settings.rate_limit
        if not rate:
            return None
        now = self.clock.timestamp()
        self._tokens = min(self._capacity(), self._tokens + (now - self._refilled_at) * rate)
        self._refilled_at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - self._tokens) / rate))
