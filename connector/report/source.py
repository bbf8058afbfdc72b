"""Reads the journeys and their customers' profiles from the state database.

``iter_journey_inputs`` walks the ``journeys`` table in batches ordered by
customer key (keyset paging: each batch starts after the last key of the one
before), so memory holds one batch at a time however many customers there are.
For each batch it reads the customers' own records from ``touchpoints`` for the
segment fields:

- industry and account type: from the account's record (empty for contacts
  without account and for prospects);
- lead source: from the customer's own record (contacts and leads carry one);
  for an account, from the earliest converted lead, else the earliest contact,
  that belongs to it and has one.

``iter_journey_summaries`` walks the same keys for the persona figures, reading
only each journey's small summary (``journey_summaries``).

Read-only, through ``connector.store`` on a connection from ``StateDB.read()``; no
figures are computed here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from connector.journey.summary import journey_summary
from connector.report.inputs import JourneyInput
from connector.store.customers import raw_records, records_of
from connector.store.database import Connection, StateDB
from connector.store.journeys import count_journeys as count_stored_journeys
from connector.store.journeys import journey_page, summary_page

BATCH = 500
SUMMARY_BATCH = 2_000
PROFILE_MODULES = ("Leads", "Contacts")  # records that carry a lead source for an account


def _fields(raw_json: str | None) -> dict[str, str]:
    try:
        raw = json.loads(raw_json or "{}")
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(k): v.strip() for k, v in raw.items() if isinstance(v, str) and v.strip()}


def _profiles(conn: Connection, keys: Sequence[str]) -> dict[str, dict[str, str]]:
    """Segment fields per customer key, from the customers' and their leads' records."""
    profiles: dict[str, dict[str, str]] = {}
    for key, raw_json in raw_records(conn, keys).items():
        fields = _fields(raw_json)
        profiles[key] = {
            name: fields[name]
            for name in ("industry", "account_type", "lead_source")
            if name in fields
        }
    missing = [k for k in keys if "lead_source" not in profiles.get(k, {})]
    if not missing:
        return profiles
    found: dict[str, tuple[int, datetime | None, str]] = {}
    for record in records_of(conn, missing, PROFILE_MODULES):
        source = _fields(record.raw_json).get("lead_source")
        if not source or record.customer_key is None:
            continue
        rank = (PROFILE_MODULES.index(record.module), record.occurred_at, source)
        best = found.get(record.customer_key)
        if best is None or _earlier(rank, best):
            found[record.customer_key] = rank
    for key, (_, _, source) in found.items():
        profiles.setdefault(key, {})["lead_source"] = source
    return profiles


def _earlier(a: tuple[int, datetime | None, str], b: tuple[int, datetime | None, str]) -> bool:
    if a[0] != b[0]:
        return a[0] < b[0]
    if a[1] is None or b[1] is None:
        return b[1] is None and a[1] is not None
    return a[1] < b[1]


def iter_journey_inputs(db: StateDB, *, batch: int = BATCH) -> Iterator[JourneyInput]:
    """Every stored journey with its customer's segment fields, in customer-key order."""
    after: str | None = None
    while True:
        with db.read() as conn:
            rows = journey_page(conn, after, batch)
            if not rows:
                return
            profiles = _profiles(conn, [key for key, _ in rows])
        for key, data_json in rows:
            journey: Mapping[str, Any] = json.loads(data_json)
            yield JourneyInput(journey, profiles.get(key, {}))
        after = rows[-1][0]


def iter_journey_summaries(
    db: StateDB, *, batch: int = SUMMARY_BATCH
) -> Iterator[Mapping[str, Any]]:
    """Every stored journey's summary (``journey_summary``), in customer-key order; a
    journey stored before summaries existed is summarised from its whole record."""
    after: str | None = None
    while True:
        with db.read() as conn:
            rows = summary_page(conn, after, batch)
        if not rows:
            return
        for _, summary, whole in rows:
            yield json.loads(summary) if summary else journey_summary(json.loads(whole))
        after = rows[-1][0]


def count_journeys(db: StateDB) -> int:
    """How many journeys the state database holds."""
    with db.read() as conn:
        return count_stored_journeys(conn)
