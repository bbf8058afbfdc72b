"""What a push must write and delete, journey by journey, from the state database.

``writeback_state`` holds one row per CJ record ever written: its id in
SuiteCRM, the customer that owns it and the hash of its content. A journey is
*changed* when its content hash differs from the one it was last written at
(``source_hash``), or, after the ``touchpoint_records`` setting changed, until
one full pass has brought every journey to the new setting. For a changed
journey, ``plan_units`` compares the records it should have (its CJ_Journeys
record and the selected touchpoints, ``selection``) with the state: records
new or different are written, touchpoint records it no longer should have are
deleted.

**Ids are deterministic, and never reused after a delete.** SuiteCRM keeps a
deleted record's id (soft delete): a create with it is refused, an update finds
nothing. So the state keeps a *tombstone* for every record the connector
deleted (``content_hash`` = ``TOMBSTONE``), and a record needed again (a
touchpoint back in the selection, a customer restored) is created under the
next *generation* of its id: ``uuid5(instance, "touchpoint:<key>#<n>")``.

Reads only; recording what was written is ``push``'s job.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from typing import Any

from connector.store.database import Connection
from connector.store.writeback import (
    StateRow,
    current_owners,
    live_touchpoint_records,
    load_state,
    orphan_journeys,
)
from connector.writeback.payload import (
    JOURNEYS,
    TOUCHPOINTS,
    CjRecord,
    is_written,
    journey_record,
    record_id,
    touchpoint_records,
)
from connector.writeback.pool import Unit
from connector.writeback.selection import selected

MAX_GENERATIONS = 1000
KIND = {JOURNEYS: "journey", TOUCHPOINTS: "touchpoint"}
WRITTEN_OWNERS = ("Accounts:", "Contacts:")


def generation_id(namespace: uuid.UUID, kind: str, key: str, generation: int) -> str:
    return record_id(namespace, kind, key if generation == 0 else f"{key}#{generation}")


def identity(row: StateRow | None, namespace: uuid.UUID, kind: str, key: str) -> str:
    """The id a record is written under: its current one, or after a delete the next."""
    if row is None:
        return generation_id(namespace, kind, key, 0)
    if row.live:
        return row.crm_id
    for generation in range(MAX_GENERATIONS):
        if generation_id(namespace, kind, key, generation) == row.crm_id:
            return generation_id(namespace, kind, key, generation + 1)
    return generation_id(namespace, kind, key, 0)  # written under another instance's ids


def plan_journey(
    customer: str,
    journey: dict[str, Any],
    state: dict[tuple[str, str], StateRow],
    namespace: uuid.UUID,
    policy: str,
) -> tuple[list[CjRecord], set[str], set[tuple[str, str]], list[str]]:
    """(records to write, ids of those SuiteCRM holds, (kind, key) with a state row,
    touchpoint keys the journey should have)."""
    base = journey_record(journey, namespace)
    jid = identity(state.get(("journey", customer)), namespace, "journey", customer)
    records = [replace(base, id=jid)]
    for tp in touchpoint_records(selected(journey, policy), jid, namespace):
        row = state.get(("touchpoint", tp.key))
        records.append(replace(tp, id=identity(row, namespace, "touchpoint", tp.key)))
    writes: list[CjRecord] = []
    known: set[str] = set()
    stored: set[tuple[str, str]] = set()
    for r in records:
        row = state.get((KIND[r.module], r.key))
        if row is not None:
            stored.add((KIND[r.module], r.key))
            if row.live:
                known.add(r.id)
        if (
            row is None
            or not row.live
            or row.content_hash != r.hash
            or row.customer_key != customer
        ):
            writes.append(r)
    return writes, known, stored, [r.key for r in records[1:]]


def plan_units(
    conn: Connection,
    rows: list[tuple[str, str, str]],
    namespace: uuid.UUID,
    policy: str,
    per_unit: int,
    synced_at: str,
) -> list[Unit]:
    """The units of a batch of changed journeys: one per journey, or, with
    ``per_unit`` > 0, journeys together until a unit holds that many records."""
    journeys = [(key, digest, json.loads(data)) for key, digest, data in rows]
    every_tp = [str(tp["key"]) for _, _, j in journeys for tp in j.get("touchpoints") or []]
    state = load_state(conn, [key for key, _, _ in journeys], every_tp)
    owners = current_owners(conn, [k for (kind, k), r in state.items() if kind == "touchpoint"])
    units: list[Unit] = []
    unit = Unit(synced_at=synced_at)
    for customer, digest, journey in journeys:
        unit.journeys[customer] = digest
        if is_written(journey):
            writes, known, stored, keep = plan_journey(customer, journey, state, namespace, policy)
            unit.writes += writes
            unit.known |= known
            unit.stored |= stored
            mine = {str(tp["key"]) for tp in journey.get("touchpoints") or []}
            unit.deletes += [
                (TOUCHPOINTS, key, row.crm_id, customer)
                for (kind, key), row in state.items()
                if kind == "touchpoint"
                and row.live
                and key not in keep
                and _responsible(customer, row, key in mine, owners.get(key, ""))
            ]
        if len(unit.writes) + len(unit.deletes) >= per_unit:
            units.append(unit)
            unit = Unit(synced_at=synced_at)
    if unit.journeys:
        units.append(unit)
    return units


def _responsible(customer: str, row: StateRow, in_journey: bool, owner: str) -> bool:
    """Whether ``customer``'s push deletes this touchpoint record it should not have:
    when the touchpoint is in its journey (and left the selection), or when the record
    is its own and the touchpoint is not with another written customer (that one's
    push keeps or deletes it)."""
    if in_journey:
        return True
    if row.customer_key != customer:
        return False
    return not (owner.startswith(WRITTEN_OWNERS) and owner != customer)


def gone_units(conn: Connection, after: str, batch: int, synced_at: str) -> list[Unit]:
    """Units deleting the CJ records of customers that no longer have a journey, one
    customer per unit, after ``after`` in key order."""
    units = []
    for key, crm_id in orphan_journeys(conn, after, batch):
        tps = live_touchpoint_records(conn, key)
        owners = current_owners(conn, [t.key for t in tps])
        unit = Unit(journeys={key: None}, synced_at=synced_at)
        unit.deletes = [
            (TOUCHPOINTS, t.key, t.crm_id, key)
            for t in tps
            if _responsible(key, t, False, owners.get(t.key, ""))
        ]
        unit.deletes.append((JOURNEYS, key, crm_id, key))
        units.append(unit)
    return units
