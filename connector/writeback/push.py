"""The push: write the journeys that changed, and only those, into SuiteCRM.

For every changed journey (``plan``), its CJ_Journeys record and those of its
selected touchpoints whose content changed are written, and the touchpoint
records it should no longer have are deleted; then the CJ records of customers
that are gone are deleted. Every save costs a real SuiteCRM 120-180 ms, so:

* **little is written**: one journey record per changed customer, and
  per-touchpoint records only as ``touchpoint_records`` asks (``selection``);
* **several requests are in flight** (``concurrency``, each worker with a
  writer of its own, ``pool``);
* **every journey is a checkpoint**: as soon as a journey's requests are done,
  the state database records what was written, in its own transaction, so a
  kill (even SIGKILL) loses at most the journeys in flight (one per worker), and
  the next run, with its deterministic ids, neither duplicates nor misses
  anything. (The batch writers checkpoint per request-sized group of journeys.)

A stop (``should_stop``: SIGTERM, Ctrl-C) lets the journeys in flight finish,
records them and returns a report that says so (``stopped``). Source records
(calls, cases, …) are never touched, so our writes never come back to us as
changes. ``dry_run`` (no writer) computes the same plan and writes nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connector.store.database import Connection, StateDB
from connector.store.meta import read_meta, write_meta
from connector.store.writeback import (
    anything_written,
    bury,
    changed_after,
    count_changed,
    mark_journeys_written,
    save_written,
)
from connector.writeback.payload import JOURNEYS, TOUCHPOINTS
from connector.writeback.plan import (
    KIND,
    gone_units,
    plan_units,
)
from connector.writeback.pool import Unit, WriterPool
from connector.writeback.repair import rewrite_older_payloads
from connector.writeback.selection import DEFAULT_TOUCHPOINT_RECORDS
from connector.writeback.writers import WriteOutcome, Writer

log = logging.getLogger(__name__)

BATCH_JOURNEYS = 50
# The touchpoint_records setting the CJ records were last brought to (state_meta).
SETTING_META = "writeback.touchpoint_records"


@dataclass
class PushReport:
    journeys: int = 0  # changed journeys handled (written, or found up to date)
    written_journeys: int = 0  # of those, journeys that needed a write or a delete
    total: int = 0  # changed journeys found when the push started
    created: dict[str, int] = field(default_factory=lambda: {JOURNEYS: 0, TOUCHPOINTS: 0})
    updated: dict[str, int] = field(default_factory=lambda: {JOURNEYS: 0, TOUCHPOINTS: 0})
    deleted: dict[str, int] = field(default_factory=lambda: {JOURNEYS: 0, TOUCHPOINTS: 0})
    unchanged: int = 0  # changed journeys whose CJ records were already right
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    operations: int = 0
    dry_run: bool = False
    touchpoint_records: str = DEFAULT_TOUCHPOINT_RECORDS
    full_pass: bool = False  # every journey checked: touchpoint_records changed
    stopped: bool = False

    @property
    def written(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.journeys)

    def as_dict(self) -> dict[str, Any]:
        return {
            "journeys": self.journeys,
            "written_journeys": self.written_journeys,
            "unchanged": self.unchanged,
            "total": self.total,
            "remaining": self.remaining,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "dry_run": self.dry_run,
            "stopped": self.stopped,
            "touchpoint_records": self.touchpoint_records,
            "full_pass": self.full_pass,
            "operations": self.operations,
            "failed": [{"module": m, "id": i, "message": msg} for m, i, msg in self.failed],
        }


Progress = Callable[[PushReport], None]


def record_unit(
    conn: Connection, unit: Unit, outcome: WriteOutcome, now: datetime, report: PushReport
) -> None:
    """Remember what one unit wrote and deleted (one executemany per kind of change)."""
    updates: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    for record in outcome.written:
        values = {
            "k_kind": KIND[record.module],
            "k_key": record.key,
            "crm_id": record.id,
            "customer_key": record.customer_key,
            "content_hash": record.hash,
            "written_at": now,
        }
        (updates if (values["k_kind"], record.key) in unit.stored else inserts).append(values)
        bucket = report.updated if record.id in unit.known else report.created
        bucket[record.module] += 1
    save_written(conn, updates, inserts)
    gone = set(outcome.deleted)
    buried = [
        (KIND[module], key) for module, key, record_id, _ in unit.deletes if record_id in gone
    ]
    for module, _, record_id, _ in unit.deletes:
        if record_id in gone:
            report.deleted[module] += 1
    bury(conn, buried, now)  # a tombstone keeps the deleted id from being used again
    report.failed += outcome.failed
    failed_ids = {record_id for _, record_id, _ in outcome.failed}
    failed = {r.customer_key for r in unit.writes if r.id in failed_ids}
    failed |= {c for _, _, record_id, c in unit.deletes if record_id in failed_ids}
    done = {
        customer: digest
        for customer, digest in unit.journeys.items()
        if digest is not None and customer not in failed
    }  # failed ones are tried again next time
    mark_journeys_written(conn, done)
    _count_journeys(unit, report)


def _count_journeys(unit: Unit, report: PushReport) -> None:
    acted = {r.customer_key for r in unit.writes} | {c for _, _, _, c in unit.deletes}
    for customer, digest in unit.journeys.items():
        if digest is None:
            continue
        report.journeys += 1
        if customer in acted:
            report.written_journeys += 1
        else:
            report.unchanged += 1


def push(
    db: StateDB,
    writer: Writer | None,
    namespace: uuid.UUID,
    clock: Callable[[], datetime],
    *,
    touchpoint_records: str = DEFAULT_TOUCHPOINT_RECORDS,
    concurrency: int = 1,
    connect: Callable[[], Writer] | None = None,
    batch: int = BATCH_JOURNEYS,
    should_stop: Callable[[], bool] | None = None,
    progress: Progress | None = None,
    heartbeat: Callable[[], None] | None = None,
    customers: Sequence[str] | None = None,
) -> PushReport:
    """Write changed journeys with ``writer`` (and, with ``concurrency`` > 1, more
    writers from ``connect``); ``writer=None`` is a dry run. ``customers`` limits the
    push to those journeys (``serve`` refreshing a few)."""
    report = PushReport(dry_run=writer is None, touchpoint_records=touchpoint_records)
    with db.read() as conn:
        stored = read_meta(conn, SETTING_META)
        anything = anything_written(conn)
    if stored is None and not anything and writer is not None:
        with db.begin() as conn:  # nothing written yet: this setting is the state's
            write_meta(conn, SETTING_META, touchpoint_records)
        stored = touchpoint_records
    # Written before the setting existed: one record per touchpoint.
    before = stored or ("all" if anything else touchpoint_records)
    report.full_pass = before != touchpoint_records
    with db.read() as conn:
        report.total = count_changed(conn, report.full_pass, customers)
    per_unit = int(getattr(writer, "batch_size", 0)) if writer is not None else 0
    stop = should_stop or (lambda: False)

    def units() -> Iterator[Unit]:
        for rows in _batches(db, batch, report.full_pass, customers):
            synced_at = clock().strftime("%Y-%m-%d %H:%M:%S")
            with db.read() as conn:
                planned = plan_units(conn, rows, namespace, touchpoint_records, per_unit, synced_at)
            yield from planned
        after = ""
        while True:
            with db.read() as conn:
                gone = gone_units(conn, after, batch, clock().strftime("%Y-%m-%d %H:%M:%S"))
            if not gone:
                return
            yield from gone
            after = next(iter(gone[-1].journeys))

    if writer is None:
        for unit in units():
            _dry_count(unit, report)
        return report
    with db.begin() as conn:  # journeys written in an older stored form, once
        rewrite_older_payloads(conn)
    pool = WriterPool(writer, connect, concurrency)
    try:
        for unit, outcome in pool.run(units(), stop):
            with db.begin() as conn:
                record_unit(conn, unit, outcome, clock(), report)
            if progress:
                progress(report)
            if heartbeat:
                heartbeat()
        report.stopped = pool.interrupted
    finally:
        report.operations = pool.operations
        pool.close_extra()
    if not report.stopped and stored != touchpoint_records:
        with db.begin() as conn:
            write_meta(conn, SETTING_META, touchpoint_records)
    log.info(
        "push: %d of %d changed journeys, %d records written, %d deleted, %d failed%s",
        report.journeys,
        report.total,
        report.written,
        sum(report.deleted.values()),
        len(report.failed),
        ", stopped" if report.stopped else "",
    )
    return report


def _dry_count(unit: Unit, report: PushReport) -> None:
    for record in unit.writes:
        bucket = report.updated if record.id in unit.known else report.created
        bucket[record.module] += 1
    for module, _, _, _ in unit.deletes:
        report.deleted[module] += 1
    _count_journeys(unit, report)


def _batches(
    db: StateDB, batch: int, everything: bool, customers: Sequence[str] | None = None
) -> Iterator[list[tuple[str, str, str]]]:
    """Changed journeys in key order, one batch per read (never one long transaction)."""
    after = ""
    while True:
        with db.read() as conn:
            rows = changed_after(conn, after, batch, everything, customers)
        if not rows:
            return
        yield rows
        after = rows[-1][0]
