"""The body of a change notification: which SuiteCRM records changed, and how.

One change is ``{"module": "Calls", "id": "<uuid>", "event": "after_save",
"time": "2026-12-03 10:15:02"}``. A body is one change, or ``{"events": [...]}``
with up to ``MAX_EVENTS`` of them (the logic hook sends one request per SuiteCRM
request, holding every record that request saved, and resends queued ones the
same way), and a random ``nonce``: two genuine notifications of the same change
within one second then differ, and only a replay repeats a signature.
``parse_body`` validates all of it and raises ``MalformedNotification`` with a
one-line reason; it never trusts a field's type or length. Pure.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_BODY = 64 * 1024
MAX_EVENTS = 100
EVENTS = frozenset({"after_save", "after_delete", "after_relationship_add"})
_MODULE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
# SuiteCRM ids are UUIDs; demo data and imports also use short numeric or custom ids.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,35}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


class MalformedNotification(Exception):
    """The body is not a valid notification."""


@dataclass(frozen=True)
class Change:
    """One record that changed in SuiteCRM."""

    module: str
    record_id: str
    event: str
    time: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.module, self.record_id)


def parse_body(body: bytes) -> list[Change]:
    """The changes of a notification body, or ``MalformedNotification``."""
    if len(body) > MAX_BODY:
        raise MalformedNotification(f"the body is larger than {MAX_BODY} bytes")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise MalformedNotification("the body is not JSON") from None
    if isinstance(data, Mapping) and "events" in data:
        items = data["events"]
        if not isinstance(items, list) or not items:
            raise MalformedNotification("'events' must be a non-empty list")
        if len(items) > MAX_EVENTS:
            raise MalformedNotification(f"more than {MAX_EVENTS} events in one notification")
        return [parse_change(item, f"events[{n}]") for n, item in enumerate(items)]
    return [parse_change(data, "the body")]


def parse_change(item: Any, where: str) -> Change:
    if not isinstance(item, Mapping):
        raise MalformedNotification(f"{where} is not an object")
    module, record_id, event, when = (item.get(k) for k in ("module", "id", "event", "time"))
    if not isinstance(module, str) or not _MODULE.match(module):
        raise MalformedNotification(f"{where}: 'module' is missing or not a module name")
    if not isinstance(record_id, str) or not _ID.match(record_id):
        raise MalformedNotification(f"{where}: 'id' is missing or not a record id")
    if event not in EVENTS:
        raise MalformedNotification(f"{where}: 'event' must be one of {', '.join(sorted(EVENTS))}")
    if not isinstance(when, str) or not _TIME.match(when):
        raise MalformedNotification(f"{where}: 'time' is missing or not a date and time")
    return Change(module, record_id, str(event), when)


def encode_changes(changes: list[Change], nonce: str | None = None) -> bytes:
    """A body for ``changes`` (the tests' and the benchmarks' side of the wire)."""
    events = [
        {"module": c.module, "id": c.record_id, "event": c.event, "time": c.time} for c in changes
    ]
    body = {"events": events, "nonce": nonce or secrets.token_hex(8)}
    return json.dumps(body, separators=(",", ":")).encode("utf-8")
