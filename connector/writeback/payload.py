"""What is written into SuiteCRM for one journey: the CJ records, their ids, their hashes.

Pure functions of a built journey (``journey_to_dict``'s shape):

* one ``CJ_Journeys`` record per customer (account, or contact without account),
  with ``timeline_json``, the compact form the panel draws, and ``cost_to_serve``
  (the total; the timeline carries its split and currency for the panel's header);
* one ``CJ_Touchpoints`` record per classified touchpoint, linked to the journey
  (``journey_id``) and the account, and one per touchpoint a person marked "not a
  touchpoint" (stage ``not_a_touchpoint``). Each says what it shows and why:
  ``stage`` is ``corrected_stage`` when a correction applies, else ``rule_stage``
  (the rules' stage), so a ``stage`` that differs from those was changed by a
  person (``connector.sync.corrections`` reads that back); ``review`` is why the
  classification is doubtful, if it is (SuiteCRM's list view filters on it).

Ids are deterministic: a UUID derived from the SuiteCRM instance, the record kind
and the source key, so a re-run or a crash never creates a second record, and a
record is found by id, never by name. Each record carries the hash of its content
(``sync_hash``): unchanged content means nothing to write.

``timeline_json`` is bounded: the most recent ``TIMELINE_LIMIT`` touchpoints
(each a fixed-order array, subjects cut at ``SUBJECT_LIMIT`` characters) plus
per-stage counts over all of them, so a customer with 20,000 touchpoints still
fits a SuiteCRM longtext and draws fast. Upcoming touchpoints (planned calls and
meetings dated after the journey was built) travel apart, under ``up`` (the
nearest ``UPCOMING_LIMIT``, same array shape, ``up_total`` all of them): a panel
that does not know ``up`` draws exactly what it drew before.

What is stored must be what was sent, whichever writer sends it: SuiteCRM cleans
every text field on save (HTMLPurifier on any text holding ``<``, ``>`` or a
control character), which broke a JSON timeline holding the subject
"<john@example.com>". So ``timeline_json`` is stored as ``TIMELINE_PREFIX`` +
base64 of the JSON (letters, digits, ``+/=``: nothing to clean, nothing to
escape), and other text has ``<``/``>`` replaced by the look-alikes U+2039/U+203A
and control characters by spaces (``storable``). ``PAYLOAD_VERSION`` names this
form; records written in an older form are rewritten (``writeback.repair``).

No I/O here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connector.journey.model import STAGES

TIMELINE_VERSION = 2
# The stored form of the records: bump it when it changes, and every journey written
# in an older form is written again by the next push.
PAYLOAD_VERSION = 2
TIMELINE_PREFIX = "v2.b64:"
TIMELINE_LIMIT = 500
UPCOMING_LIMIT = 50
SUBJECT_LIMIT = 120
NAME_LIMIT = 255
JOURNEYS = "CJ_Journeys"
TOUCHPOINTS = "CJ_Touchpoints"
WRITTEN_KINDS = ("account", "contact")
# Set at each write; not part of the content (it would make every journey "changed").
VOLATILE = frozenset({"date_synced", "sync_hash"})
# What SuiteCRM's save would purify (the characters outside its "simple" set),
# turned into characters it leaves alone.
_STORABLE = str.maketrans(
    {
        "<": "\u2039",
        ">": "\u203a",
        **{chr(c): " " for c in (*range(0x20), 0x7F) if chr(c) not in "\r\n"},
    }
)


@dataclass(frozen=True)
class CjRecord:
    """One CJ record to write: module, deterministic id, source key, attributes, hash."""

    module: str
    id: str
    key: str
    customer_key: str
    attributes: Mapping[str, Any]
    hash: str


def instance_namespace(url: str) -> uuid.UUID:
    """The namespace of one SuiteCRM instance's ids (the site URL, normalised)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, url.rstrip("/").lower())


def record_id(namespace: uuid.UUID, kind: str, key: str) -> str:
    return str(uuid.uuid5(namespace, f"{kind}:{key}"))


def content_hash(attributes: Mapping[str, Any]) -> str:
    stable = {k: v for k, v in attributes.items() if k not in VOLATILE}
    text = json.dumps(stable, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def storable(text: str) -> str:
    """``text`` in a form SuiteCRM's save-time cleaning leaves as it is."""
    return text.translate(_STORABLE)


def encode_timeline(data: Mapping[str, Any]) -> str:
    """The stored form of a timeline: the marker, then base64 of its UTF-8 JSON."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return TIMELINE_PREFIX + base64.b64encode(text.encode("utf-8")).decode("ascii")


def decode_timeline(stored: str) -> dict[str, Any] | None:
    """The timeline in a stored ``timeline_json`` (this form or the plain JSON of
    version 1), or None when it cannot be read."""
    try:
        if stored.startswith(TIMELINE_PREFIX):
            stored = base64.b64decode(stored[len(TIMELINE_PREFIX) :], validate=True).decode()
        data = json.loads(stored)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def db_datetime(iso: str | None) -> str:
    """``2024-01-03T10:00:00Z`` → ``2024-01-03 10:00:00`` (SuiteCRM's DB format, UTC)."""
    if not iso:
        return ""
    parsed = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return parsed.strftime("%Y-%m-%d %H:%M:%S")


def timeline_cost(cost: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The cost to serve the panel's header shows (None for a journey built without one)."""
    if not cost:
        return None
    return {k: cost[k] for k in ("total", "acquisition", "service", "currency")}


def cost_to_serve(journey: Mapping[str, Any]) -> str:
    """The CJ_Journeys ``cost_to_serve`` value: the total with two decimals, "" when unknown."""
    cost = journey.get("cost")
    return f"{float(cost['total']):.2f}" if cost else ""


def timeline(journey: Mapping[str, Any], limit: int = TIMELINE_LIMIT) -> dict[str, Any]:
    """The compact timeline the panel draws (see the module docstring)."""
    touchpoints: Sequence[Mapping[str, Any]] = journey["touchpoints"]
    counts = dict.fromkeys(STAGES, 0)
    for tp in touchpoints:
        counts[tp["stage"]] = counts.get(tp["stage"], 0) + 1
    shown = touchpoints[-limit:] if limit else []
    upcoming: Sequence[Mapping[str, Any]] = journey.get("upcoming") or ()
    module, _, source_id = str(journey["customer_key"]).partition(":")
    compact: dict[str, Any] = {
        "v": TIMELINE_VERSION,
        "customer": {"module": module, "id": source_id, "name": journey["customer_name"]},
        "stage": journey["current_stage"],
        "status": journey["status"],
        "health": journey["health"]["score"],
        "entered": {s: journey["stages"][s]["entered_at"] for s in STAGES},
        "days_in_stage": round(float(journey["days_in_stage"])),
        "cost": timeline_cost(journey.get("cost")),
        "counts": counts,
        "total": len(touchpoints),
        "shown": len(shown),
        "tp": [_row(tp) for tp in shown],
    }
    if upcoming:
        compact["up"] = [_row(tp) for tp in upcoming[:UPCOMING_LIMIT]]
        compact["up_total"] = len(upcoming)
    return compact


def _row(tp: Mapping[str, Any]) -> list[Any]:
    """One touchpoint as the panel's fixed-order array; an eleventh element, the
    rules' stage, only when a person corrected it in SuiteCRM."""
    row = [
        tp["occurred_at"],
        tp["stage"],
        tp["channel"],
        str(tp["subject"])[:SUBJECT_LIMIT],
        tp["module"],
        tp["source_id"],
        tp["mode"],
        tp["managed_by"],
        tp["direction"],
        tp["rule_id"],
    ]
    if tp.get("corrected_from"):
        row.append(tp["corrected_from"])
    return row


def journey_record(journey: Mapping[str, Any], namespace: uuid.UUID) -> CjRecord:
    key = str(journey["customer_key"])
    module, _, source_id = key.partition(":")
    stages = journey["stages"]
    attributes: dict[str, Any] = {
        "name": storable(str(journey["customer_name"])[:NAME_LIMIT]),
        "account_id": source_id if module == "Accounts" else "",
        "contact_id": source_id if module == "Contacts" else "",
        "current_stage": journey["current_stage"] or "",
        "status": journey["status"],
        "health_score": int(journey["health"]["score"]),
        "touchpoint_count": int(journey["touchpoint_count"]),
        "first_touch_date": db_datetime(journey["first_touch"]),
        "last_touch_date": db_datetime(journey["last_touch"]),
        "last_channel": journey["last_channel"] or "",
        "days_in_stage": round(float(journey["days_in_stage"])),
        "cost_to_serve": cost_to_serve(journey),
        "timeline_json": encode_timeline(timeline(journey)),
    }
    for stage in STAGES:
        attributes[f"{stage}_date"] = db_datetime(stages[stage]["entered_at"])
    digest = content_hash(attributes)
    attributes["sync_hash"] = digest
    return CjRecord(JOURNEYS, record_id(namespace, "journey", key), key, key, attributes, digest)


def touchpoint_records(
    journey: Mapping[str, Any], journey_id: str, namespace: uuid.UUID
) -> list[CjRecord]:
    key = str(journey["customer_key"])
    module, _, source_id = key.partition(":")
    account_id = source_id if module == "Accounts" else ""
    records = []
    for tp in [*journey["touchpoints"], *journey.get("excluded", ())]:
        corrected_from = tp.get("corrected_from", "")
        attributes: dict[str, Any] = {
            "name": storable(str(tp["subject"])[:NAME_LIMIT] or tp["key"]),
            "journey_id": journey_id,
            "account_id": account_id,
            "stage": tp["stage"],
            "phase": str(tp["phase"]).replace("-", "_"),
            "channel": tp["channel"],
            "mode": tp["mode"],
            "managed_by": tp["managed_by"],
            "direction": tp["direction"],
            "occurred_at": db_datetime(tp["occurred_at"]),
            "source_module": tp["module"],
            "source_id": tp["source_id"],
            "rule_id": storable(tp["rule_id"]) if isinstance(tp["rule_id"], str) else tp["rule_id"],
            "external_key": tp["key"],
            "rule_stage": corrected_from or tp["stage"],
            "corrected_stage": tp["stage"] if corrected_from else "",
            "review": tp.get("review", ""),
        }
        digest = content_hash(attributes)
        attributes["sync_hash"] = digest
        records.append(
            CjRecord(
                TOUCHPOINTS,
                record_id(namespace, "touchpoint", tp["key"]),
                tp["key"],
                key,
                attributes,
                digest,
            )
        )
    return records


def is_written(journey: Mapping[str, Any]) -> bool:
    """Accounts and B2C contacts get CJ records; prospects (unconverted leads) do not."""
    return journey.get("customer_kind") in WRITTEN_KINDS
