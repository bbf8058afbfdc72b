"""Test controls of a running sandbox, for Python callers and for the admin endpoint.

Change data while the server runs (add, modify, soft-delete, relate), move the
clock, change faults and the cost of a save, expire tokens, and read or reset
the request log. Writes go through ``Records``, so they look exactly like writes
made through the APIs (date_modified bumped from the sandbox clock); they cost
no save latency. ``AdminApi`` exposes the same
operations over HTTP under ``/sandbox/admin`` so tests in another process can
drive them; real SuiteCRM has no such endpoint.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from connector.sandbox.faults import FaultInjector, FaultSettings
from connector.sandbox.records import RecordError, UnknownFieldError
from connector.sandbox.requestlog import RequestLog, RequestLogSnapshot
from connector.sandbox.schema import ModuleSpec
from connector.sandbox.services import Services
from connector.sandbox.webhook import WebhookNotifier
from connector.sandbox.wire import Request, Response, json_response

ADMIN_PREFIX = "/sandbox/admin"


class ControlError(Exception):
    """A control request that cannot be carried out (unknown module, record, field)."""


class SandboxControl:
    """The Python test-control API of one running sandbox."""

    def __init__(self, services: Services, faults: FaultInjector, log: RequestLog) -> None:
        self.services = services
        self.faults = faults
        self.log = log

    def _spec(self, module: str) -> ModuleSpec:
        spec = self.services.catalog.get(module)
        if spec is None:
            raise ControlError(f"unknown module {module!r}")
        return spec

    # -- data ----------------------------------------------------------------------

    def add_record(
        self, module: str, attributes: Mapping[str, Any], record_id: str | None = None
    ) -> str:
        try:
            return self.services.records.create(self._spec(module), attributes, record_id)
        except UnknownFieldError as exc:
            raise ControlError(f"{module} has no field {exc.field!r}") from None
        except RecordError as exc:
            raise ControlError(f"cannot add {module} record: {type(exc).__name__} {exc}") from None

    def update_record(self, module: str, record_id: str, attributes: Mapping[str, Any]) -> None:
        try:
            self.services.records.update(self._spec(module), record_id, attributes)
        except UnknownFieldError as exc:
            raise ControlError(f"{module} has no field {exc.field!r}") from None
        except RecordError:
            raise ControlError(f"no live {module} record {record_id}") from None

    def delete_record(self, module: str, record_id: str) -> None:
        try:
            self.services.records.mark_deleted(self._spec(module), record_id)
        except RecordError:
            raise ControlError(f"no live {module} record {record_id}") from None

    def get_record(self, module: str, record_id: str) -> dict[str, Any] | None:
        """The stored row (DB values, deleted rows included), or None."""
        return self.services.store.get(self._spec(module), record_id, include_deleted=True)

    def count(self, module: str, *, include_deleted: bool = False) -> int:
        return self.services.store.count(self._spec(module), include_deleted=include_deleted)

    def ids(self, module: str, *, limit: int | None = None) -> list[str]:
        rows = self.services.store.select(self._spec(module), limit=limit)
        return [r["id"] for r in rows]

    def relate(
        self, module: str, record_id: str, link: str, related_id: str, *, remove: bool = False
    ) -> None:
        spec = self._spec(module)
        link_spec = spec.links.get(link)
        if link_spec is None:
            raise ControlError(f"{module} has no link {link!r}")
        now = self.services.clock.db_now()
        if remove:
            self.services.store.unrelate(link_spec, record_id, related_id, now)
        else:
            self.services.records.relate(link_spec, record_id, related_id)

    def set_webhook(self, url: str | None, secret: str = "") -> WebhookNotifier | None:
        """Post signed change notifications to ``url`` on every save (None: stop)."""
        records = self.services.records
        previous = getattr(records.notify, "__self__", None)
        if isinstance(previous, WebhookNotifier):
            previous.close()
        notifier = WebhookNotifier(url, secret) if url else None
        records.notify = notifier.changed if notifier else None
        return notifier

    # -- clock, faults, tokens, log ------------------------------------------------

    def now(self) -> datetime:
        return self.services.clock.now()

    def set_clock(self, instant: str | datetime) -> datetime:
        return self.services.clock.set(instant)

    def advance_clock(self, seconds: float) -> datetime:
        return self.services.clock.advance(seconds)

    def set_faults(self, **changes: Any) -> FaultSettings:
        unknown = set(changes) - set(FaultSettings().as_dict())
        if unknown:
            raise ControlError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        return self.faults.update(**changes)

    def set_save_cost(
        self, latency_ms: float | None = None, slots: int | None = None
    ) -> dict[str, float]:
        """The server time a save costs, and how many saves run at once."""
        return self.services.saves.update(latency_ms, slots)

    def queue_fault(self, kind: str, count: int = 1) -> None:
        try:
            self.faults.queue(kind, count)
        except ValueError as exc:
            raise ControlError(str(exc)) from None

    def expire_tokens(self) -> int:
        return self.services.oauth.expire_all()

    def requests(self) -> RequestLogSnapshot:
        return self.log.snapshot()

    def reset_requests(self) -> None:
        self.log.reset()


class AdminApi:
    """``/sandbox/admin/...``: the controls over HTTP, JSON in and out."""

    def __init__(self, control: SandboxControl) -> None:
        self.c = control
        seg = r"([^/]+)"
        self.routes: list[
            tuple[str, re.Pattern[str], Callable[[dict[str, Any], list[str]], Any]]
        ] = [
            ("GET", re.compile(r"^/requests$"), lambda b, a: self.c.requests().as_dict()),
            ("DELETE", re.compile(r"^/requests$"), lambda b, a: self._reset()),
            ("POST", re.compile(rf"^/records/{seg}$"), self._add),
            ("GET", re.compile(rf"^/records/{seg}/{seg}$"), self._get),
            ("PATCH", re.compile(rf"^/records/{seg}/{seg}$"), self._update),
            ("DELETE", re.compile(rf"^/records/{seg}/{seg}$"), self._delete),
            ("GET", re.compile(r"^/clock$"), lambda b, a: self._clock()),
            ("POST", re.compile(r"^/clock$"), self._move_clock),
            ("GET", re.compile(r"^/faults$"), lambda b, a: self.c.faults.settings.as_dict()),
            ("PATCH", re.compile(r"^/faults$"), lambda b, a: self.c.set_faults(**b).as_dict()),
            ("POST", re.compile(r"^/faults/queue$"), self._queue),
            ("GET", re.compile(r"^/saves$"), lambda b, a: self.c.services.saves.as_dict()),
            ("PATCH", re.compile(r"^/saves$"), lambda b, a: self.c.set_save_cost(**b)),
            (
                "POST",
                re.compile(r"^/tokens/expire$"),
                lambda b, a: {"expired": self.c.expire_tokens()},
            ),
        ]

    def handle(self, request: Request, path: str) -> Response:
        body = request.json() if request.body else {}
        if not isinstance(body, dict):
            return json_response(400, {"error": "the body must be a JSON object"})
        for method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match and method == request.method:
                try:
                    return json_response(200, handler(body, list(match.groups())))
                except (ControlError, ValueError, TypeError) as exc:
                    return json_response(400, {"error": str(exc)})
        return json_response(404, {"error": f"no admin route {request.method} {path}"})

    def _reset(self) -> dict[str, Any]:
        self.c.reset_requests()
        return {"total": 0}

    def _clock(self) -> dict[str, Any]:
        return {"now": self.c.services.clock.db_now()}

    def _move_clock(self, body: dict[str, Any], args: list[str]) -> dict[str, Any]:
        if "set" in body:
            self.c.set_clock(str(body["set"]))
        if "advance" in body:
            self.c.advance_clock(float(body["advance"]))
        return self._clock()

    def _add(self, body: dict[str, Any], args: list[str]) -> dict[str, Any]:
        record_id = self.c.add_record(args[0], body.get("attributes") or {}, body.get("id"))
        return {"id": record_id, "record": self.c.get_record(args[0], record_id)}

    def _get(self, body: dict[str, Any], args: list[str]) -> dict[str, Any]:
        record = self.c.get_record(args[0], args[1])
        if record is None:
            raise ControlError(f"no {args[0]} record {args[1]}")
        return {"id": args[1], "record": record}

    def _update(self, body: dict[str, Any], args: list[str]) -> dict[str, Any]:
        self.c.update_record(args[0], args[1], body.get("attributes") or {})
        return {"id": args[1], "record": self.c.get_record(args[0], args[1])}

    def _delete(self, body: dict[str, Any], args: list[str]) -> dict[str, Any]:
        self.c.delete_record(args[0], args[1])
        return {"id": args[1], "record": self.c.get_record(args[0], args[1])}

    def _queue(self, body: dict[str, Any], args: list[str]) -> dict[str, Any]:
        self.c.queue_fault(str(body.get("kind", "")), int(body.get("count", 1)))
        return {"queued": json.loads(json.dumps(body))}
