"""The write-back state's SQL: which journeys changed since they were written, what
each CJ record was last written as, and recording writes and deletes.

``writeback_state`` holds one row per CJ record the connector wrote: its kind
(journey or touchpoint), the source key, the SuiteCRM id, the owning customer and
the content hash written. A deleted record keeps its row as a *tombstone* (an
empty hash), so its id is never used again. Planning and writing live in
``connector.writeback``; this module only reads and writes the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, bindparam, func, or_, select, update

from connector.store.models import JourneyRow, TouchpointRow, WritebackRow
from connector.store.queries import chunks

journeys = cast(Table, JourneyRow.__table__)
written = cast(Table, WritebackRow.__table__)
touchpoints = cast(Table, TouchpointRow.__table__)
TOMBSTONE = ""


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


def _changed(everything: bool, customers: Sequence[str] | None) -> tuple[Any, list[Any]]:
    """Journeys written under another hash (or never), or all with ``everything``;
    prospects (unconverted leads) are never written."""
    joined = journeys.outerjoin(
        written, and_(written.c.kind == "journey", written.c.key == journeys.c.customer_key)
    )
    where: list[Any] = [~journeys.c.customer_key.like("Leads:%")]
    if not everything:
        where.append(
            or_(
                written.c.id.is_(None),
                written.c.source_hash.is_(None),
                written.c.source_hash != journeys.c.content_hash,
            )
        )
    if customers is not None:
        where.append(journeys.c.customer_key.in_(list(customers)))
    return joined, where


def count_changed(
    conn: Connection, everything: bool, customers: Sequence[str] | None = None
) -> int:
    joined, where = _changed(everything, customers)
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
    joined, where = _changed(everything, customers)
    rows = conn.execute(
        select(journeys.c.customer_key, journeys.c.content_hash, journeys.c.data_json)
        .select_from(joined)
        .where(journeys.c.customer_key > after, *where)
        .order_by(journeys.c.customer_key)
        .limit(batch)
    ).all()
    return [(r.customer_key, r.content_hash, r.data_json) for r in rows]


def _state_rows(conn: Connection, clause: Any) -> Iterator[StateRow]:
    query = select(
        written.c.kind,
        written.c.key,
        written.c.crm_id,
        written.c.customer_key,
        written.c.content_hash,
    )
    for r in conn.execute(query.where(clause)):
        yield StateRow(r.kind, r.key, r.crm_id, r.customer_key, r.content_hash)


def load_state(
    conn: Connection, customers: Sequence[str], touchpoint_keys: Sequence[str]
) -> dict[tuple[str, str], StateRow]:
    """State rows owned by ``customers`` and those of ``touchpoint_keys`` (whoever owns them)."""
    state: dict[tuple[str, str], StateRow] = {}
    for part in chunks(customers):
        for row in _state_rows(conn, written.c.customer_key.in_(part)):
            state[(row.kind, row.key)] = row
    for part in chunks(touchpoint_keys):
        clause = and_(written.c.kind == "touchpoint", written.c.key.in_(part))
        for row in _state_rows(conn, clause):
            state[(row.kind, row.key)] = row
    return state


def current_owners(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The customer each touchpoint now belongs to ("" when none)."""
    owners: dict[str, str] = {}
    for part in chunks(keys):
        query = select(touchpoints.c.key, touchpoints.c.customer_key)
        for r in conn.execute(query.where(touchpoints.c.key.in_(part))):
            owners[r.key] = r.customer_key or ""
    return owners


def orphan_journeys(conn: Connection, after: str, batch: int) -> list[tuple[str, str]]:
    """(customer key, CJ id) of written journeys whose customer has no journey any more."""
    rows = conn.execute(
        select(written.c.key, written.c.crm_id)
        .select_from(written.outerjoin(journeys, journeys.c.customer_key == written.c.key))
        .where(
            written.c.kind == "journey",
            written.c.content_hash != TOMBSTONE,
            journeys.c.customer_key.is_(None),
            written.c.key > after,
        )
        .order_by(written.c.key)
        .limit(batch)
    ).all()
    return [(r.key, r.crm_id) for r in rows]


def live_touchpoint_records(conn: Connection, customer: str) -> list[StateRow]:
    """The touchpoint records written for ``customer`` and not deleted."""
    clause = and_(
        written.c.kind == "touchpoint",
        written.c.customer_key == customer,
        written.c.content_hash != TOMBSTONE,
    )
    return list(_state_rows(conn, clause))


def mark_every_journey_changed(conn: Connection) -> int:
    """Make the next push plan every written journey (an empty source hash never equals
    a journey's hash); the number of journeys marked."""
    marked = conn.execute(update(written).where(written.c.kind == "journey").values(source_hash=""))
    return int(marked.rowcount or 0)


def save_written(
    conn: Connection, updates: list[dict[str, Any]], inserts: list[dict[str, Any]]
) -> None:
    """Rows of records written: ``updates`` for keys with a state row, ``inserts`` for
    the others; each a dict of k_kind, k_key, crm_id, customer_key, content_hash,
    written_at (one executemany per kind of change)."""
    if updates:
        conn.execute(
            update(written)
            .where(written.c.kind == bindparam("k_kind"), written.c.key == bindparam("k_key"))
            .values(
                crm_id=bindparam("crm_id"),
                customer_key=bindparam("customer_key"),
                content_hash=bindparam("content_hash"),
                written_at=bindparam("written_at"),
            ),
            updates,
        )
    if inserts:
        conn.execute(
            written.insert(),
            [
                {
                    "kind": v["k_kind"],
                    "key": v["k_key"],
                    "crm_id": v["crm_id"],
                    "customer_key": v["customer_key"],
                    "content_hash": v["content_hash"],
                    "written_at": v["written_at"],
                }
                for v in inserts
            ],
        )


def bury(conn: Connection, deleted: list[tuple[str, str]], now: datetime) -> None:
    """Tombstones for the (kind, key) records deleted: their ids are never used again."""
    if deleted:
        conn.execute(
            update(written)
            .where(written.c.kind == bindparam("k_kind"), written.c.key == bindparam("k_key"))
            .values(content_hash=TOMBSTONE, source_hash=None, written_at=bindparam("written_at")),
            [{"k_kind": kind, "k_key": key, "written_at": now} for kind, key in deleted],
        )


def mark_journeys_written(conn: Connection, done: dict[str, str]) -> None:
    """Remember the journey hash each customer's records were written at."""
    if done:
        conn.execute(
            update(written)
            .where(written.c.kind == "journey", written.c.key == bindparam("k_key"))
            .values(source_hash=bindparam("source_hash")),
            [{"k_key": customer, "source_hash": digest} for customer, digest in done.items()],
        )


def anything_written(conn: Connection) -> bool:
    """Whether the connector ever wrote a CJ record to this instance."""
    return conn.execute(select(written.c.id).limit(1)).first() is not None
