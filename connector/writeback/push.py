"""The push: write the journeys that changed, and only those, into SuiteCRM.

For every journey whose content changed since it was last written (its hash is
kept in ``writeback_state``), the journey's CJ_Journeys record and those of its
CJ_Touchpoints whose content changed are written, in batches; after each batch
the state records what was written, so a crash (even SIGKILL) costs at most a
batch, and the next run, with its deterministic ids, neither duplicates nor
misses anything. CJ records whose source touchpoints were deleted (or whose
customers are gone) are deleted. Source records (calls, cases, …) are never
touched, so our writes never come back to us as changes.

``dry_run`` computes the same plan and writes nothing.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, bindparam, delete, or_, select, update

from connector.store.database import StateDB
from connector.store.models import JourneyRow, TouchpointRow, WritebackRow
from connector.store.queries import chunks
from connector.writeback.payload import (
    JOURNEYS,
    TOUCHPOINTS,
    CjRecord,
    is_written,
    journey_record,
    touchpoint_records,
)
from connector.writeback.repair import rewrite_older_payloads
from connector.writeback.writers import WriteOutcome, Writer

log = logging.getLogger(__name__)

J = cast(Table, JourneyRow.__table__)
W = cast(Table, WritebackRow.__table__)
T = cast(Table, TouchpointRow.__table__)
BATCH_JOURNEYS = 50


@dataclass
class PushReport:
    journeys: int = 0
    created: dict[str, int] = field(default_factory=lambda: {JOURNEYS: 0, TOUCHPOINTS: 0})
    updated: dict[str, int] = field(default_factory=lambda: {JOURNEYS: 0, TOUCHPOINTS: 0})
    deleted: dict[str, int] = field(default_factory=lambda: {JOURNEYS: 0, TOUCHPOINTS: 0})
    unchanged: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    operations: int = 0
    dry_run: bool = False

    @property
    def written(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "journeys": self.journeys,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "operations": self.operations,
            "failed": [{"module": m, "id": i, "message": msg} for m, i, msg in self.failed],
        }


@dataclass
class Plan:
    """What one batch of journeys needs written and deleted."""

    writes: list[CjRecord] = field(default_factory=list)
    known: set[str] = field(default_factory=set)  # ids written before (an update)
    deletes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # module → (key, id)
    journey_hashes: dict[str, str] = field(default_factory=dict)  # customer → journey hash


def changed_after(
    conn: Connection, after: str, batch: int, customers: Sequence[str] | None = None
) -> list[tuple[str, str, str]]:
    """(customer_key, content_hash, data_json) of journeys not written at their current
    hash, after ``after`` in key order (among ``customers`` when given). Prospects
    (unconverted leads) are never written."""
    joined = J.outerjoin(W, and_(W.c.kind == "journey", W.c.key == J.c.customer_key))
    query = (
        select(J.c.customer_key, J.c.content_hash, J.c.data_json)
        .select_from(joined)
        .where(
            J.c.customer_key > after,
            ~J.c.customer_key.like("Leads:%"),
            or_(W.c.id.is_(None), W.c.source_hash != J.c.content_hash),
        )
        .order_by(J.c.customer_key)
        .limit(batch)
    )
    if customers is not None:
        query = query.where(J.c.customer_key.in_(list(customers)))
    rows = conn.execute(query).all()
    return [(r.customer_key, r.content_hash, r.data_json) for r in rows]


def plan_batch(conn: Connection, rows: list[tuple[str, str, str]], namespace: uuid.UUID) -> Plan:
    plan = Plan()
    customers = [key for key, _, _ in rows]
    state: dict[tuple[str, str], tuple[str, str, str]] = {}
    for part in chunks(customers):
        for row in conn.execute(
            select(W.c.kind, W.c.key, W.c.crm_id, W.c.content_hash, W.c.customer_key).where(
                W.c.customer_key.in_(part)
            )
        ):
            state[(row.kind, row.key)] = (row.crm_id, row.content_hash, row.customer_key)
    for key, journey_hash, data_json in rows:
        journey = json.loads(data_json)
        plan.journey_hashes[key] = journey_hash
        if not is_written(journey):
            continue
        record = journey_record(journey, namespace)
        records = [record, *touchpoint_records(journey, record.id, namespace)]
        current = {r.key for r in records[1:]}
        for r in records:
            kind = "journey" if r.module == JOURNEYS else "touchpoint"
            before = state.get((kind, r.key))
            if before is not None:
                plan.known.add(r.id)
            if before is None or before[1] != r.hash or before[2] != key:
                plan.writes.append(r)
        for (kind, tp_key), (crm_id, _, owner) in state.items():
            if kind == "touchpoint" and owner == key and tp_key not in current:
                plan.deletes.setdefault(TOUCHPOINTS, []).append((tp_key, crm_id))
    return plan


def moved_elsewhere(conn: Connection, keys: list[str]) -> set[str]:
    """Touchpoints still alive with another written customer: not to be deleted (the
    other journey's write moves the same deterministic record)."""
    alive: set[str] = set()
    for part in chunks(keys):
        for r in conn.execute(select(T.c.key, T.c.customer_key).where(T.c.key.in_(part))):
            owner = r.customer_key or ""
            if owner.startswith(("Accounts:", "Contacts:")):
                alive.add(r.key)
    return alive


def record_written(
    conn: Connection, outcome: WriteOutcome, plan: Plan, now: datetime, report: PushReport
) -> None:
    """Remember what was written (one executemany per kind of change, not per record)."""
    updates: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    for record in outcome.written:
        values = {
            "k_kind": "journey" if record.module == JOURNEYS else "touchpoint",
            "k_key": record.key,
            "crm_id": record.id,
            "customer_key": record.customer_key,
            "content_hash": record.hash,
            "written_at": now,
        }
        if record.id in plan.known:
            updates.append(values)
            report.updated[record.module] += 1
        else:
            inserts.append(values)
            report.created[record.module] += 1
    if updates:
        conn.execute(
            update(W)
            .where(W.c.kind == bindparam("k_kind"), W.c.key == bindparam("k_key"))
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
            W.insert(),
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
    failed_customers = {
        r.customer_key for r in plan.writes if r.id in {i for _, i, _ in outcome.failed}
    }
    done = [
        {"k_key": customer, "source_hash": journey_hash}
        for customer, journey_hash in plan.journey_hashes.items()
        if customer not in failed_customers
    ]  # failed ones are tried again next time
    if done:
        conn.execute(
            update(W)
            .where(W.c.kind == "journey", W.c.key == bindparam("k_key"))
            .values(source_hash=bindparam("source_hash")),
            done,
        )


def forget(conn: Connection, kind: str, keys: list[str], deleted_ids: list[str]) -> None:
    """Drop the state rows of records deleted in SuiteCRM, by key (the unique index;
    ``crm_id`` has none, and a scan per batch made large pushes quadratic)."""
    if not deleted_ids:
        return
    gone = set(deleted_ids)
    rows = conn.execute(select(W.c.key, W.c.crm_id).where(W.c.kind == kind, W.c.key.in_(keys)))
    doomed = [r.key for r in rows if r.crm_id in gone]
    for part in chunks(doomed):
        conn.execute(delete(W).where(W.c.kind == kind, W.c.key.in_(part)))


def remove_gone_journeys(conn: Connection, writer: Writer | None, report: PushReport) -> None:
    """CJ records of customers that no longer have a written journey."""
    orphans = conn.execute(
        select(W.c.key, W.c.crm_id)
        .select_from(W.outerjoin(J, J.c.customer_key == W.c.key))
        .where(W.c.kind == "journey", J.c.customer_key.is_(None))
    ).all()
    for part in chunks(orphans, 100):
        customers = [r.key for r in part]
        tps = conn.execute(
            select(W.c.key, W.c.crm_id).where(
                W.c.kind == "touchpoint", W.c.customer_key.in_(customers)
            )
        ).all()
        keep = moved_elsewhere(conn, [t.key for t in tps])
        tp_ids = [t.crm_id for t in tps if t.key not in keep]
        if writer is not None:
            outcome = writer.delete(TOUCHPOINTS, tp_ids)
            gone = writer.delete(JOURNEYS, [r.crm_id for r in part])
            report.failed += outcome.failed + gone.failed
            forget(conn, "touchpoint", [t.key for t in tps], outcome.deleted)
            forget(conn, "journey", [r.key for r in part], gone.deleted)
            report.deleted[TOUCHPOINTS] += len(outcome.deleted)
            report.deleted[JOURNEYS] += len(gone.deleted)
        else:
            report.deleted[TOUCHPOINTS] += len(tp_ids)
            report.deleted[JOURNEYS] += len(part)


def push(
    db: StateDB,
    writer: Writer | None,
    namespace: uuid.UUID,
    clock: Callable[[], datetime],
    *,
    batch: int = BATCH_JOURNEYS,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[int], None] | None = None,
    customers: Sequence[str] | None = None,
) -> PushReport:
    """Write changed journeys with ``writer``; ``writer=None`` is a dry run.
    ``customers`` limits the push to those journeys (``serve`` refreshing a few)."""
    report = PushReport(dry_run=writer is None)
    before = writer.operations if writer else 0
    if writer is not None:
        with db.begin() as conn:
            rewrite_older_payloads(conn)
    for rows in _batches(db, batch, customers):
        with db.begin() as conn:
            plan = plan_batch(conn, rows, namespace)
            report.journeys += sum(1 for _ in plan.journey_hashes)
            deletes = plan.deletes.get(TOUCHPOINTS, [])
            keep = moved_elsewhere(conn, [k for k, _ in deletes])
            doomed = [(k, i) for k, i in deletes if k not in keep]
            if writer is None:
                for record in plan.writes:
                    bucket = report.updated if record.id in plan.known else report.created
                    bucket[record.module] += 1
                report.deleted[TOUCHPOINTS] += len(doomed)
                continue
            now = clock()
            synced = now.strftime("%Y-%m-%d %H:%M:%S")
            journeys_first = sorted(plan.writes, key=lambda r: r.module != JOURNEYS)
            outcome = writer.upsert(journeys_first, synced, plan.known)
            removed = writer.delete(TOUCHPOINTS, [i for _, i in doomed])
            report.failed += outcome.failed + removed.failed
            record_written(conn, outcome, plan, now, report)
            forget(conn, "touchpoint", [k for k, _ in doomed], removed.deleted)
            report.deleted[TOUCHPOINTS] += len(removed.deleted)
        if progress:
            progress(len(rows))
        if should_stop and should_stop():
            break
    with db.begin() as conn:
        remove_gone_journeys(conn, writer, report)
    report.operations = (writer.operations - before) if writer else 0
    log.info(
        "push: %d journeys, %d records written, %d deleted, %d failed",
        report.journeys,
        report.written,
        sum(report.deleted.values()),
        len(report.failed),
    )
    return report


def _batches(
    db: StateDB, batch: int, customers: Sequence[str] | None = None
) -> Iterator[list[tuple[str, str, str]]]:
    """Changed journeys in key order, one batch per read (never one long transaction)."""
    after = ""
    while True:
        with db.read() as conn:
            rows = changed_after(conn, after, batch, customers)
        if not rows:
            return
        yield rows
        after = rows[-1][0]
