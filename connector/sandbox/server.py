"""The sandbox's HTTP server: wiring, request dispatch, and the background runner.

Binds 127.0.0.1 only. Dispatches ``/Api/...`` to the V8 API, ``/service/v4_1/
rest.php`` to REST v4_1 and ``/sandbox/admin/...`` to the test controls; applies
faults and records every API request in the log. HTTP/1.1 keep-alive, so a
client's pooled connection is reused. ``start`` runs it in a daemon thread;
``serve`` blocks (the CLI).
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from connector.sandbox.auth import OAuthClient, OAuthServer
from connector.sandbox.catalog import build_catalog
from connector.sandbox.clock import SandboxClock
from connector.sandbox.control import ADMIN_PREFIX, AdminApi, SandboxControl
from connector.sandbox.credentials import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_PASSWORD_CLIENT_ID,
    SANDBOX_PASSWORD_CLIENT_SECRET,
    SANDBOX_USERNAME,
)
from connector.sandbox.faults import FaultInjector, FaultSettings
from connector.sandbox.generator import GeneratorConfig, generate
from connector.sandbox.legacy import LegacyApi
from connector.sandbox.records import Records
from connector.sandbox.render import Renderer
from connector.sandbox.requestlog import LoggedRequest, RequestLog
from connector.sandbox.savecost import DEFAULT_SLOTS, SaveCost
from connector.sandbox.services import REAL_LIST_MAX_ENTRIES, Services
from connector.sandbox.store import Store
from connector.sandbox.v8 import V8Api
from connector.sandbox.wire import Request, Response, json_response

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
LEGACY_PATH = "/service/v4_1/rest.php"
MODULE_IN_PATH = re.compile(r"^/Api/V8/(?:module|meta/fields)/([^/]+)")


@dataclass
class SandboxConfig:
    """Everything a sandbox is started with."""

    port: int = 0
    accounts: int = 50
    seed: int = 1
    db: str | None = None
    latency_ms: float = 0.0
    fail_rate: float = 0.0
    rate_limit: float | None = None
    token_ttl: float = 3600.0
    html_errors: bool = False
    drop_rate: float = 0.0
    save_latency_ms: float = 0.0
    concurrent_saves: int = DEFAULT_SLOTS
    now: str | datetime | None = None
    activities: bool = True
    unpaged_limit: int | None = REAL_LIST_MAX_ENTRIES
    generator: dict[str, Any] = field(default_factory=dict)
    webhook_url: str | None = None
    webhook_secret: str = ""


def build_services(config: SandboxConfig) -> Services:
    """Open (or create and fill) the database and assemble the shared services."""
    catalog = build_catalog()
    clock = SandboxClock(config.now)
    store = Store(catalog, config.db)
    if config.db and store.has_data():
        log.info("serving the existing sandbox data in %s", config.db)
    else:
        store.create_schema()
        generate(
            store,
            GeneratorConfig(
                accounts=config.accounts,
                seed=config.seed,
                activities=config.activities,
                **config.generator,
            ),
        )
    clients = {
        SANDBOX_CLIENT_ID: OAuthClient(
            SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, "client_credentials"
        ),
        SANDBOX_PASSWORD_CLIENT_ID: OAuthClient(
            SANDBOX_PASSWORD_CLIENT_ID, SANDBOX_PASSWORD_CLIENT_SECRET, "password"
        ),
    }
    oauth = OAuthServer(clock, clients, {SANDBOX_USERNAME: SANDBOX_PASSWORD}, config.token_ttl)
    return Services(
        catalog,
        store,
        Renderer(store),
        Records(store, clock),
        oauth,
        clock,
        config.unpaged_limit,
        SaveCost(config.save_latency_ms, config.concurrent_saves),
    )


class SandboxApp:
    """Routes one request to the right front end, with faults and logging."""

    def __init__(self, services: Services, faults: FaultInjector) -> None:
        self.services = services
        self.faults = faults
        self.log = RequestLog()
        self.v8 = V8Api(services)
        self.legacy = LegacyApi(services, {SANDBOX_USERNAME: SANDBOX_PASSWORD})
        self.control = SandboxControl(services, faults, self.log)
        self.admin = AdminApi(self.control)

    def handle(self, request: Request) -> Response:
        path = request.path
        if path.startswith(ADMIN_PREFIX + "/"):
            return self.admin.handle(request, path[len(ADMIN_PREFIX) :])
        started = time.perf_counter()
        if path.startswith("/Api/"):
            endpoint, call = self.v8.route(request, path[len("/Api") :])
            method, _, route = endpoint.partition(" ")
            endpoint = f"{method} /Api{route}" if route else endpoint
        elif path == LEGACY_PATH:
            endpoint, call = self.legacy.route(request)
        else:
            endpoint = "404"

            def call() -> Response:
                return json_response(404, {"message": "Not found"})

        decision = self.faults.decide()
        fault = None
        if decision.response is not None:
            response, fault = decision.response, str(decision.response.status)
        else:
            response = call()
            if decision.drop:
                response.drop, fault = True, "drop"
        module = MODULE_IN_PATH.match(path)
        self.log.record(
            LoggedRequest(
                request.method,
                path,
                endpoint,
                module[1] if module else None,
                response.status,
                (time.perf_counter() - started) * 1000.0,
                fault,
            )
        )
        return response


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this, Nagle's algorithm
    # and delayed ACKs add ~40 ms to small keep-alive answers.
    disable_nagle_algorithm = True
    server_version = "Apache/2.4.62"
    sys_version = ""
    app: SandboxApp

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = Request(
            self.command,
            parts.path,
            parse_qsl(parts.query, keep_blank_values=True),
            {k: v for k, v in self.headers.items()},
            body,
        )
        try:
            response = self.app.handle(request)
        except Exception:
            log.exception("sandbox failed on %s %s", self.command, parts.path)
            response = json_response(500, {"error": "unknown_error", "message": "sandbox bug"})
        self._write(response)

    def _write(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.drop:
            self.send_header("Connection", "close")
        self.end_headers()
        if response.drop:
            self.wfile.write(response.body[: len(response.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(response.body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def make_server(config: SandboxConfig) -> tuple[_Server, SandboxApp]:
    services = build_services(config)
    faults = FaultInjector(
        FaultSettings(
            config.latency_ms,
            config.fail_rate,
            config.rate_limit,
            config.html_errors,
            config.drop_rate,
        ),
        config.seed,
        services.clock,
    )
    app = SandboxApp(services, faults)
    if config.webhook_url:
        app.control.set_webhook(config.webhook_url, config.webhook_secret)
    handler = type("SandboxHandler", (_Handler,), {"app": app})
    server = _Server((HOST, config.port), handler)
    return server, app


class RunningSandbox:
    """A sandbox serving in a background thread; ``stop()`` or use it as a context manager."""

    def __init__(self, server: _Server, app: SandboxApp) -> None:
        self._server = server
        self.app = app
        self.port = int(server.server_address[1])
        self.url = f"http://{HOST}:{self.port}"
        self.control = app.control
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"sandbox-{self.port}", daemon=True
        )
        self._thread.start()
        self._stopped = False

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self.control.set_webhook(None)
        self.app.services.store.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start(config: SandboxConfig) -> RunningSandbox:
    server, app = make_server(config)
    log.info("sandbox serving on http://%s:%d", HOST, server.server_address[1])
    return RunningSandbox(server, app)
