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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, func, or_, select

from connector.store.models import JourneyRow, TouchpointRow, WritebackRow
from connector.store.queries import chunks
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

J = cast(Table, JourneyRow.__table__)
W = cast(Table, WritebackRow.__table__)
T = cast(Table, TouchpointRow.__table__)
TOMBSTONE = ""
MAX_GENERATIONS = 1000
KIND = {JOURNEYS: "journey", TOUCHPOINTS: "touchpoint"}
WRITTEN_OWNERS = ("Accounts:", "Contacts:")


@dataclass(frozen=True)
class StateRow:
    kind: str
    key: str
    crm_id: str
    customer_key: str
    content_hash: str

    @property
    def live(self) -> bool:
        return self.content_hash != TOMBSTONE


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


def _changed(everything: bool) -> Any:
    """Journeys written under another hash (or never), or all with ``everything``;
    prospects (unconverted leads) are never written."""
    joined = J.outerjoin(W, and_(W.c.kind == "journey", W.c.key == J.c.customer_key))
    where: list[Any] = [~J.c.customer_key.like("Leads:%")]
    if not everything:
        where.append(
            or_(W.c.id.is_(None), W.c.source_hash.is_(None), W.c.source_hash != J.c.content_hash)
        )
    return joined, where


def count_changed(
    conn: Connection, everything: bool, customers: Sequence[str] | None = None
) -> int:
    joined, where = _changed(everything)
    if customers is not None:
        where = [*where, J.c.customer_key.in_(list(customers))]
    return int(conn.execute(select(func.count()).select_from(joined).where(*where)).scalar_one())


def changed_after(
    conn: Connection,
    after: str,
    batch: int,
    everything: bool = False,
    customers: Sequence[str] | None = None,
) -> list[tuple[str, str, str]]:
    """(customer_key, content_hash, data_json) of changed journeys after ``after``, in key
    order (among ``customers`` when given)."""
    joined, where = _changed(everything)
    if customers is not None:
        where = [*where, J.c.customer_key.in_(list(customers))]
    rows = conn.execute(
        select(J.c.customer_key, J.c.content_hash, J.c.data_json)
        .select_from(joined)
        .where(J.c.customer_key > after, *where)
        .order_by(J.c.customer_key)
        .limit(batch)
    ).all()
    return [(r.customer_key, r.content_hash, r.data_json) for r in rows]


def _state_rows(conn: Connection, clause: Any) -> Iterator[StateRow]:
    query = select(W.c.kind, W.c.key, W.c.crm_id, W.c.customer_key, W.c.content_hash)
    for r in conn.execute(query.where(clause)):
        yield StateRow(r.kind, r.key, r.crm_id, r.customer_key, r.content_hash)


def load_state(
    conn: Connection, customers: Sequence[str], touchpoint_keys: Sequence[str]
) -> dict[tuple[str, str], StateRow]:
    """State rows owned by ``customers`` and those of ``touchpoint_keys`` (whoever owns them)."""
    state: dict[tuple[str, str], StateRow] = {}
    for part in chunks(customers):
        for row in _state_rows(conn, W.c.customer_key.in_(part)):
            state[(row.kind, row.key)] = row
    for part in chunks(touchpoint_keys):
        for row in _state_rows(conn, and_(W.c.kind == "touchpoint", W.c.key.in_(part))):
            state[(row.kind, row.key)] = row
    return state


def current_owners(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The customer each touchpoint now belongs to ("" when none)."""
    owners: dict[str, str] = {}
    for part in chunks(keys):
        for r in conn.execute(select(T.c.key, T.c.customer_key).where(T.c.key.in_(part))):
            owners[r.key] = r.customer_key or ""
    return owners


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
    orphans = conn.execute(
        select(W.c.key, W.c.crm_id)
        .select_from(W.outerjoin(J, J.c.customer_key == W.c.key))
        .where(
            W.c.kind == "journey",
            W.c.content_hash != TOMBSTONE,
            J.c.customer_key.is_(None),
            W.c.key > after,
        )
        .order_by(W.c.key)
        .limit(batch)
    ).all()
    units = []
    for orphan in orphans:
        tps = list(
            _state_rows(
                conn,
                and_(
                    W.c.kind == "touchpoint",
                    W.c.customer_key == orphan.key,
                    W.c.content_hash != TOMBSTONE,
                ),
            )
        )
        owners = current_owners(conn, [t.key for t in tps])
        unit = Unit(journeys={orphan.key: None}, synced_at=synced_at)
        unit.deletes = [
            (TOUCHPOINTS, t.key, t.crm_id, orphan.key)
            for t in tps
            if _responsible(orphan.key, t, False, owners.get(t.key, ""))
        ]
        unit.deletes.append((JOURNEYS, orphan.key, orphan.crm_id, orphan.key))
        units.append(unit)
    return units
