"""The HTTP face of ``serve``: a small WSGI application.

* ``POST /notify`` — a signed change notification (see ``signature`` and
  ``notification``). Verified (HMAC, timestamp within five minutes, not seen
  before), parsed, queued, and answered at once with 202; the work happens
  later, in the worker. Every refusal is a 4xx with a one-line JSON reason and is
  counted: 401 unsigned, badly signed or stale; 409 a replay; 400 malformed;
  413 too large; 429 the queue is full (with Retry-After). Records of modules
  the connector does not read are accepted and ignored.
* ``GET /healthz`` — 200 while the worker runs (503 when it does not), with the
  queue's size and the counters; no secrets, no record ids.

Nothing a request carries can raise out of here: an unexpected error is logged
and answered 500, and the server goes on.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from connector.realtime.counters import Counters
from connector.realtime.notification import MAX_BODY, MalformedNotification, parse_body
from connector.realtime.queue import ChangeQueue, QueueFull
from connector.realtime.signature import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    ReplayGuard,
    SignatureError,
    verify,
)
from connector.secrets import Secret

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

NOTIFY_PATH = "/notify"
HEALTH_PATH = "/healthz"
RETRY_AFTER = 30
REASONS = {
    200: "OK",
    202: "Accepted",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    411: "Length Required",
    413: "Content Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def header_key(name: str) -> str:
    return "HTTP_" + name.upper().replace("-", "_")


class Refused(Exception):
    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message


class NotificationApp:
    def __init__(
        self,
        secret: Secret,
        queue: ChangeQueue,
        counters: Counters,
        modules: Iterable[str],
        *,
        worker_alive: Callable[[], bool] = lambda: True,
        worker_state: Callable[[], dict[str, Any]] = dict,
        now: Callable[[], float] = time.time,
        replay: ReplayGuard | None = None,
    ) -> None:
        self._secret = secret
        self.queue = queue
        self.counters = counters
        self.modules = frozenset(modules)
        self.worker_alive = worker_alive
        self.worker_state = worker_state
        self.now = now
        self.replay = replay or ReplayGuard()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            status, body, headers = self.route(environ)
        except Exception:
            self.counters.add("internal_errors")
            log.exception("serve failed on a request")
            status, body, headers = 500, {"error": "internal", "message": "internal error"}, []
        payload = json.dumps(body, separators=(",", ":")).encode("utf-8")
        start_response(
            f"{status} {REASONS.get(status, 'Error')}",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(payload))),
                ("Cache-Control", "no-store"),
                *headers,
            ],
        )
        return [payload]

    def route(self, environ: WSGIEnvironment) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        path = str(environ.get("PATH_INFO") or "/")
        method = str(environ.get("REQUEST_METHOD") or "GET").upper()
        if path == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                return self._refuse(Refused(405, "method", "use GET"), [("Allow", "GET")])
            return self.health()
        if path != NOTIFY_PATH:
            return self._refuse(Refused(404, "not_found", f"no such path (try {NOTIFY_PATH})"))
        if method != "POST":
            return self._refuse(Refused(405, "method", "use POST"), [("Allow", "POST")])
        try:
            return self.notify(environ)
        except Refused as refused:
            extra = [("Retry-After", str(RETRY_AFTER))] if refused.status == 429 else []
            return self._refuse(refused, extra)

    def _refuse(
        self, refused: Refused, headers: list[tuple[str, str]] | None = None
    ) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        self.counters.add(f"refused_{refused.reason}")
        log.info(
            "refused a notification (%d %s): %s", refused.status, refused.reason, refused.message
        )
        return refused.status, {"error": refused.reason, "message": refused.message}, headers or []

    def notify(self, environ: WSGIEnvironment) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        body = read_body(environ)
        try:
            sent = verify(
                self._secret.reveal().encode("utf-8"),
                environ.get(header_key(TIMESTAMP_HEADER)),
                environ.get(header_key(SIGNATURE_HEADER)),
                body,
                self.now(),
            )
        except SignatureError as exc:
            raise Refused(401, exc.reason, exc.message) from None
        signature = str(environ.get(header_key(SIGNATURE_HEADER))).strip().lower()
        if not self.replay.first_time(signature, sent, self.now()):
            raise Refused(409, "replayed", "this notification was received before")
        try:
            changes = parse_body(body)
        except MalformedNotification as exc:
            raise Refused(400, "malformed", str(exc)) from None
        wanted = [c for c in changes if c.module in self.modules]
        ignored = len(changes) - len(wanted)
        try:
            queued = self.queue.offer(wanted) if wanted else 0
        except QueueFull as exc:
            raise Refused(429, "queue_full", f"{exc}; try again later") from None
        self.counters.add("notifications_accepted")
        self.counters.add("changes_queued", queued)
        self.counters.add("changes_merged", len(wanted) - queued)
        self.counters.add("changes_ignored", ignored)
        return 202, {"status": "accepted", "queued": queued, "ignored": ignored}, []

    def health(self) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
        stats = self.queue.stats()
        alive = self.worker_alive()
        body = {
            "status": "ok" if alive else "worker stopped",
            "queue": {"size": stats.size, "capacity": stats.capacity, "peak": stats.peak},
            "worker": self.worker_state(),
            "counts": self.counters.snapshot(),
        }
        return (200 if alive else 503), body, []


def read_body(environ: WSGIEnvironment) -> bytes:
    raw = environ.get("CONTENT_LENGTH")
    if raw in (None, ""):
        raise Refused(411, "malformed", "Content-Length is required")
    try:
        length = int(str(raw))
    except ValueError:
        raise Refused(400, "malformed", "Content-Length is not a number") from None
    if length < 0:
        raise Refused(400, "malformed", "Content-Length is negative")
    if length > MAX_BODY:
        raise Refused(413, "too_large", f"the body is larger than {MAX_BODY} bytes")
    stream = environ["wsgi.input"]
    body: bytes = stream.read(length) if length else b""
    if len(body) != length:
        raise Refused(400, "malformed", "the body is shorter than its Content-Length")
    return body
