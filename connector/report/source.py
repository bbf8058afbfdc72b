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

Read-only, through SQLAlchemy Core on a connection from ``StateDB.read()``; no
figures are computed here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, func, select

from connector.journey.summary import journey_summary
from connector.report.inputs import JourneyInput
from connector.store.database import StateDB
from connector.store.models import JourneyRow, JourneySummaryRow, TouchpointRow

J = cast(Table, JourneyRow.__table__)
S = cast(Table, JourneySummaryRow.__table__)
T = cast(Table, TouchpointRow.__table__)
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
    for row in conn.execute(select(T.c.key, T.c.raw_json).where(T.c.key.in_(keys))):
        fields = _fields(row.raw_json)
        profiles[row.key] = {
            name: fields[name]
            for name in ("industry", "account_type", "lead_source")
            if name in fields
        }
    missing = [k for k in keys if "lead_source" not in profiles.get(k, {})]
    if not missing:
        return profiles
    found: dict[str, tuple[int, datetime | None, str]] = {}
    linked = conn.execute(
        select(T.c.customer_key, T.c.module, T.c.occurred_at, T.c.raw_json).where(
            T.c.customer_key.in_(missing), T.c.module.in_(PROFILE_MODULES)
        )
    )
    for record in linked:
        source = _fields(record.raw_json).get("lead_source")
        if not source:
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


def _batch(conn: Connection, after: str | None, size: int) -> list[tuple[str, str]]:
    query = select(J.c.customer_key, J.c.data_json).order_by(J.c.customer_key).limit(size)
    if after is not None:
        query = query.where(J.c.customer_key > after)
    return [(row.customer_key, row.data_json) for row in conn.execute(query)]


def iter_journey_inputs(db: StateDB, *, batch: int = BATCH) -> Iterator[JourneyInput]:
    """Every stored journey with its customer's segment fields, in customer-key order."""
    after: str | None = None
    while True:
        with db.read() as conn:
            rows = _batch(conn, after, batch)
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
    joined = J.outerjoin(S, S.c.customer_key == J.c.customer_key)
    while True:
        query = (
            select(J.c.customer_key, S.c.summary_json)
            .select_from(joined)
            .order_by(J.c.customer_key)
            .limit(batch)
        )
        if after is not None:
            query = query.where(J.c.customer_key > after)
        with db.read() as conn:
            rows = [(row.customer_key, row.summary_json) for row in conn.execute(query).all()]
            missing = [key for key, summary in rows if not summary]
            whole: dict[str, str] = {}
            if missing:
                found = conn.execute(
                    select(J.c.customer_key, J.c.data_json).where(J.c.customer_key.in_(missing))
                )
                whole = {row.customer_key: row.data_json for row in found}
        if not rows:
            return
        for key, summary in rows:
            yield json.loads(summary) if summary else journey_summary(json.loads(whole[key]))
        after = rows[-1][0]


def count_journeys(db: StateDB) -> int:
    """How many journeys the state database holds."""
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(J)).scalar_one())
