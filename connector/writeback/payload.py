"""What is written into SuiteCRM for one journey: the CJ records, their ids, their hashes.

Pure functions of a built journey (``journey_to_dict``'s shape):

* one ``CJ_Journeys`` record per customer (account, or contact without account),
  with ``timeline_json``, the compact form the panel draws;
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
fits a SuiteCRM longtext and draws fast.

No I/O here.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

TIMELINE_VERSION = 1
TIMELINE_LIMIT = 500
SUBJECT_LIMIT = 120
NAME_LIMIT = 255
STAGES = ("awareness", "evaluation", "decision", "purchase", "loyalty")
JOURNEYS = "CJ_Journeys"
TOUCHPOINTS = "CJ_Touchpoints"
WRITTEN_KINDS = ("account", "contact")
# Set at each write; not part of the content (it would make every journey "changed").
VOLATILE = frozenset({"date_synced", "sync_hash"})


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


def db_datetime(iso: str | None) -> str:
    """``2024-01-03T10:00:00Z`` → ``2024-01-03 10:00:00`` (SuiteCRM's DB format, UTC)."""
    if not iso:
        return ""
    parsed = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return parsed.strftime("%Y-%m-%d %H:%M:%S")


def timeline(journey: Mapping[str, Any], limit: int = TIMELINE_LIMIT) -> dict[str, Any]:
    """The compact timeline the panel draws (see the module docstring)."""
    touchpoints: Sequence[Mapping[str, Any]] = journey["touchpoints"]
    counts = dict.fromkeys(STAGES, 0)
    for tp in touchpoints:
        counts[tp["stage"]] = counts.get(tp["stage"], 0) + 1
    shown = touchpoints[-limit:] if limit else []
    module, _, source_id = str(journey["customer_key"]).partition(":")
    return {
        "v": TIMELINE_VERSION,
        "customer": {"module": module, "id": source_id, "name": journey["customer_name"]},
        "stage": journey["current_stage"],
        "status": journey["status"],
        "health": journey["health"]["score"],
        "entered": {s: journey["stages"][s]["entered_at"] for s in STAGES},
        "days_in_stage": round(float(journey["days_in_stage"])),
        "counts": counts,
        "total": len(touchpoints),
        "shown": len(shown),
        "tp": [
            [
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
                tp.get("corrected_from", ""),  # the rules' stage, when a person corrected it
            ]
            for tp in shown
        ],
    }


def journey_record(journey: Mapping[str, Any], namespace: uuid.UUID) -> CjRecord:
    key = str(journey["customer_key"])
    module, _, source_id = key.partition(":")
    stages = journey["stages"]
    attributes: dict[str, Any] = {
        "name": str(journey["customer_name"])[:NAME_LIMIT],
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
        "timeline_json": json.dumps(timeline(journey), ensure_ascii=False, separators=(",", ":")),
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
            "name": str(tp["subject"])[:NAME_LIMIT] or tp["key"],
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
            "rule_id": tp["rule_id"],
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
