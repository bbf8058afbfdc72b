"""The WSGI application: every answer it gives, called directly (no server)."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest

from connector.realtime.app import NotificationApp
from connector.realtime.counters import Counters
from connector.realtime.notification import Change, encode_changes
from connector.realtime.queue import ChangeQueue
from connector.realtime.signature import signed_headers
from connector.secrets import Secret

SECRET = "unit-test-secret-0123456789"
NOW = 1_800_000_000.0


def make_app(capacity: int = 10, **kw: Any) -> NotificationApp:
    queue = ChangeQueue(capacity=capacity, debounce=1.0, clock=lambda: 0.0)
    return NotificationApp(
        Secret(SECRET), queue, Counters(), ("Calls", "Accounts"), now=lambda: NOW, **kw
    )


def call(
    app: NotificationApp,
    method: str = "POST",
    path: str = "/notify",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    length: str | None = None,
) -> tuple[int, dict[str, Any], dict[str, str]]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)) if length is None else length,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        seen["status"] = int(status.split()[0])
        seen["headers"] = dict(response_headers)

    payload = b"".join(app(environ, start_response))
    return seen["status"], json.loads(payload), seen["headers"]


def signed(changes: list[Change], at: float = NOW) -> tuple[bytes, dict[str, str]]:
    body = encode_changes(changes)
    return body, signed_headers(SECRET.encode(), int(at), body)


def calls(*ids: str, module: str = "Calls") -> list[Change]:
    return [Change(module, i, "after_save", "2026-12-03 10:00:00") for i in ids]


def test_a_signed_notification_is_queued_at_once() -> None:
    app = make_app()
    body, headers = signed(calls("a", "b") + calls("x", module="Bugs"))
    status, answer, _ = call(app, body=body, headers=headers)
    assert (status, answer) == (202, {"status": "accepted", "queued": 2, "ignored": 1})
    assert len(app.queue) == 2
    assert app.counters.snapshot() == {
        "changes_ignored": 1,
        "changes_merged": 0,
        "changes_queued": 2,
        "notifications_accepted": 1,
    }


@pytest.mark.parametrize(
    ("request_kw", "status", "reason"),
    [
        ({"method": "GET"}, 405, "method"),
        ({"path": "/"}, 404, "not_found"),
        ({"path": "/healthz", "method": "POST"}, 405, "method"),
        ({"length": ""}, 411, "malformed"),
        ({"length": "12x"}, 400, "malformed"),
        ({"length": "999999"}, 413, "too_large"),
        ({"body": b"{}"}, 401, "unsigned"),
    ],
)
def test_refusals(request_kw: dict[str, Any], status: int, reason: str) -> None:
    app = make_app()
    got, answer, _headers = call(app, **request_kw)
    assert (got, answer["error"]) == (status, reason)
    assert app.counters.get(f"refused_{reason}") == 1
    assert len(app.queue) == 0


def test_forged_stale_replayed_and_malformed() -> None:
    app = make_app()
    body, headers = signed(calls("a"))
    forged = dict(headers, **{"X-Journey-Signature": "sha256=" + "0" * 64})
    assert call(app, body=body, headers=forged)[0] == 401
    old_body, old = signed(calls("a"), at=NOW - 301)
    assert call(app, body=old_body, headers=old)[1]["error"] == "stale"
    assert call(app, body=body, headers=headers)[0] == 202
    assert call(app, body=body, headers=headers)[:2] == (
        409,
        {"error": "replayed", "message": "this notification was received before"},
    )
    junk = b'{"module": "Calls"}'
    assert call(app, body=junk, headers=signed_headers(SECRET.encode(), int(NOW), junk))[0] == 400
    assert len(app.queue) == 1


def test_a_full_queue_answers_429_with_retry_after() -> None:
    app = make_app(capacity=2)
    body, headers = signed(calls("a", "b", "c"))
    status, answer, response_headers = call(app, body=body, headers=headers)
    assert (status, answer["error"]) == (429, "queue_full")
    assert response_headers["Retry-After"] == "30"
    assert len(app.queue) == 0


def test_health_reports_the_queue_and_a_stopped_worker() -> None:
    app = make_app(worker_alive=lambda: False)
    status, answer, _ = call(app, method="GET", path="/healthz")
    assert status == 503
    assert answer["queue"] == {"size": 0, "capacity": 10, "peak": 0}
    assert SECRET not in json.dumps(answer)


def test_an_internal_error_is_a_500_not_a_crash() -> None:
    app = make_app()

    def broken(changes: object) -> int:
        raise RuntimeError("bug")

    app.queue.offer = broken  # type: ignore[method-assign]
    body, headers = signed(calls("a"))
    status, answer, _ = call(app, body=body, headers=headers)
    assert (status, answer["error"]) == (500, "internal")
    assert app.counters.get("internal_errors") == 1
    assert call(app, method="GET", path="/healthz")[0] == 200


def test_signature_time_comes_from_the_injected_clock() -> None:
    app = make_app()
    body, headers = signed(calls("a"), at=time.time())  # the real clock is far from NOW
    assert call(app, body=body, headers=headers)[1]["error"] == "stale"
