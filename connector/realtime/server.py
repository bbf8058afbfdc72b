"""``serve``'s HTTP server: waitress, on one address, stoppable from another thread.

waitress is a production WSGI server in pure Python with no dependencies (a
thread pool of fixed size, a cap on open connections, a cap on body size, HTTP
parsing hardened against malformed requests), which is what a small service
facing a CRM's web servers needs; ``http.server`` is documented as not for
production. Its event loop runs here in slices, so ``stop`` (from any thread)
ends it cleanly in its own thread.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from waitress import wasyncore
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server

from connector.realtime.notification import MAX_BODY

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

log = logging.getLogger(__name__)

THREADS = 4
CONNECTION_LIMIT = 100
LOOP_SLICE = 0.2


class HttpServer:
    """waitress serving ``app`` on ``host:port`` (port 0: a free one) in a thread."""

    def __init__(self, app: WSGIApplication, host: str, port: int) -> None:
        self._map: dict[int, Any] = {}
        self._server = create_server(
            app,
            map=self._map,
            host=host,
            port=port,
            threads=THREADS,
            connection_limit=CONNECTION_LIMIT,
            max_request_body_size=MAX_BODY,
            max_request_header_size=16 * 1024,
            channel_timeout=10,
            cleanup_interval=10,
            ident="suitejourney",
            expose_tracebacks=False,
        )
        self.host, self.port = self._address()
        self.url = f"http://{self.host if ':' not in self.host else f'[{self.host}]'}:{self.port}"
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def _address(self) -> tuple[str, int]:
        server = self._server
        if isinstance(server, MultiSocketServer):
            listen = server.effective_listen[0]
            return str(listen[0]), int(listen[1])
        assert isinstance(server, BaseWSGIServer)
        name = server.getsockname()
        return str(name[0]), int(name[1])

    def start(self) -> HttpServer:
        self._thread = threading.Thread(target=self._loop, name="serve-http", daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=LOOP_SLICE, map=self._map, use_poll=True, count=1)
        finally:
            self._server.task_dispatcher.shutdown()
            wasyncore.close_all(self._map)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> HttpServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
