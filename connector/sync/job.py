"""The sync job: pull, then classify, then push, for one configured instance.

This is what ``suitejourney sync`` runs once and ``suitejourney schedule`` runs on
its schedule. It is given what ``connector.app`` built (the instance's client and
writer openers, the state database, the rules and the clock), opens the clients
it needs, runs each step, closes them, and returns a report whose exit code
follows DESIGN.md (0 done, 1 done with failures, 130 stopped on request).

Each run is one row of ``sync_runs`` (kind ``sync``, or ``scheduled``), noted
phase by phase: the pull's per-module counts, then the classification's and the
push's counts, then where a stop happened. A stop (Ctrl-C, SIGTERM) ends the
current phase at its next checkpoint and skips the phases after it. Standalone
``classify`` and ``push`` record their own runs through ``record_classify`` and
``record_push``.
Between the pull and the classification it reads back the corrections people made
in SuiteCRM (``connector.sync.corrections``), so they count in the journeys it builds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connector.crm.client import CrmClient
from connector.errors import (
    ConfigurationError,
    ConnectorError,
    InterruptedRunError,
    TransientError,
    UnknownModuleError,
)
from connector.journey import Mapping
from connector.progress import Progress as PhaseProgress
from connector.store.corrections import Correction
from connector.store.database import StateDB
from connector.store.journeys import stage_counts
from connector.sync.classify import ClassifyReport, classify_customers
from connector.sync.corrections import CorrectionsReport, read_corrections
from connector.sync.exchange import ImportReport, import_corrections
from connector.sync.instance import Instance
from connector.sync.pull import Progress, PullOptions
from connector.sync.runlog import RunLog
from connector.sync.runner import DEFAULT_LEASE, Lease, PullReport, run_pull
from connector.writeback.push import Progress as PushProgress
from connector.writeback.push import PushReport, push

Meter = Callable[[str], PhaseProgress]
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class SyncReport:
    pull: PullReport
    classified: ClassifyReport | None
    customers: dict[str, dict[str, int]]
    pushed: PushReport | None
    stopped: str = ""  # where a stop was asked for and what was done by then
    run_id: int = 0
    corrections: CorrectionsReport | None = None

    @property
    def exit_code(self) -> int:
        if self.stopped:
            return 130
        if self.pushed is not None and self.pushed.stopped:
            return EXIT_INTERRUPTED
        if self.pushed is not None and self.pushed.failed:
            return 1
        return self.pull.exit_code


EXIT_INTERRUPTED = InterruptedRunError.exit_code


LEGACY_LABEL = "REST v4_1"


def open_deletions(instance: Instance, flavour: str) -> tuple[CrmClient | None, str | None]:
    """Beside V8, a REST v4_1 client for deletions when a user is set, and why there is
    none when v4_1 refuses the login or does not answer: the sync goes on without it
    (deletions found by the id reconciliation) and lists the problem."""
    if flavour != "v8":
        return None, None
    try:
        return instance.connect_deletions(), None
    except (ConfigurationError, TransientError) as exc:
        return None, legacy_problem(exc)


def legacy_problem(exc: ConfigurationError | TransientError) -> str:
    return (
        f"{exc.message.rstrip('.')}. Syncs go on without REST v4_1: deletions are found by "
        "the daily id reconciliation until it works."
    )


def pull_instance(
    instance: Instance,
    db: StateDB,
    clock: Clock,
    *,
    full: bool = False,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    run: RunLog | None = None,
) -> PullReport:
    """One pull run of the instance into ``db`` (clients opened and closed here)."""
    client = instance.open_reader()
    try:
        deletions, problem = open_deletions(instance, client.flavour)
    except BaseException:
        client.close()
        raise

    def connect() -> tuple[CrmClient, CrmClient | None]:
        # More readers for parallel pulls; v4_1 only if the first login worked.
        reader = instance.open_reader()
        return reader, instance.connect_deletions() if deletions is not None else None

    try:
        return run_pull(
            client,
            db,
            instance.modules,
            clock=clock,
            options=PullOptions(
                page_size=instance.page_size, full=full, readers=instance.readers
            ),
            deletions=deletions,
            progress=progress,
            should_stop=should_stop,
            concurrency=instance.concurrency,
            connect=connect,
            run=run,
            problems=((LEGACY_LABEL, problem),) if problem else (),
        )
    except UnknownModuleError as exc:
        raise UnknownModuleError(instance.explain_unknown_module(exc.module), exc.module) from None
    finally:
        client.close()
        if deletions is not None:
            deletions.close()


def classify_summary(report: ClassifyReport) -> dict[str, Any]:
    return dict(report.__dict__)


def push_summary(report: PushReport) -> dict[str, Any]:
    data = report.as_dict()
    data["failed"] = len(report.failed)
    data["written"] = report.written
    return data


def classify_step(
    db: StateDB,
    rules: Mapping,
    clock: Clock,
    *,
    everything: bool = False,
    should_stop: Callable[[], bool] | None = None,
    meter: Meter | None = None,
) -> ClassifyReport:
    """Rebuild the journeys that need it, with progress on a terminal."""
    bar = meter("classify") if meter is not None else None

    def start(total: int) -> None:
        if bar is not None:
            bar.total = total

    try:
        return classify_customers(
            db,
            rules,
            clock(),
            everything=everything,
            should_stop=should_stop,
            progress=bar.advance if bar is not None else None,
            on_start=start,
        )
    finally:
        if bar is not None:
            bar.done()


def record_classify(
    db: StateDB,
    rules: Mapping,
    clock: Clock,
    *,
    everything: bool = False,
    should_stop: Callable[[], bool] | None = None,
    meter: Meter | None = None,
) -> tuple[int, ClassifyReport]:
    """``suitejourney classify``: one recorded classify run; returns (run id, report)."""
    run = RunLog(db, "classify", clock)
    with run.closed_on_failure():
        report = classify_step(
            db, rules, clock, everything=everything, should_stop=should_stop, meter=meter
        )
    run.note("classify", classify_summary(report))
    if report.stopped:
        stop = stop_message("classify", report)
        run.note("stopped", stop)
        run.finish("interrupted", stop)
    else:
        run.finish("ok")
    return run.id, report


def stop_message(phase: str, report: ClassifyReport | PushReport | PullReport) -> str:
    """Where a stop happened and what was done by then, in one sentence."""
    if isinstance(report, PullReport):
        return report.stopped
    if isinstance(report, ClassifyReport):
        return (
            f"stopped on request during classify after rebuilding {report.rebuilt:,} "
            f"journeys; {report.remaining:,} customers are left for the next run."
        )
    return (
        f"stopped on request during the push after {report.journeys:,} journeys "
        f"({report.written:,} records written); the next push writes the rest."
    )


def run_sync(
    instance: Instance,
    db: StateDB,
    rules: Mapping,
    clock: Clock,
    *,
    full: bool = False,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    kind: str = "sync",
    meter: Meter | None = None,
    push_progress: PushProgress | None = None,
) -> SyncReport:
    """Pull, classify, push; one recorded run of ``kind`` (``sync`` or ``scheduled``)."""
    run: RunLog | None = None
    try:
        run = RunLog(db, kind, clock)
        pulled = pull_instance(
            instance, db, clock, full=full, progress=progress, should_stop=should_stop, run=run
        )
        run.note("pull", {"skipped": pulled.skipped, "status": pulled.status})
        classified: ClassifyReport | None = None
        pushed: PushReport | None = None
        stopped = pulled.stopped
        corrections: CorrectionsReport | None = None
        if not stopped and not (should_stop and should_stop()):
            corrections = read_corrections_of(instance, db, clock, full=full)
            run.note("corrections", corrections.as_dict())
        if not stopped:
            # Under the instance lock, as serve's rebuilds are: the two never build one
            # customer's journey at once.
            holder = Lease(db, clock, DEFAULT_LEASE)
            holder.acquire()
            try:
                classified = classify_step(db, rules, clock, should_stop=should_stop, meter=meter)
            finally:
                holder.release()
            run.note("classify", classify_summary(classified))
            if classified.stopped:
                stopped = stop_message("classify", classified)
        if not stopped and should_stop is not None and should_stop():
            stopped = "stopped on request after classify, before the push; the next sync pushes."
        if not stopped:
            try:
                pushed = run_push(
                    instance,
                    db,
                    clock,
                    should_stop=should_stop,
                    meter=meter,
                    progress=push_progress,
                )
            except InterruptedRunError as exc:
                stopped = exc.message
            if pushed is not None:
                run.note("push", push_summary(pushed))
                run.errors(pushed.failed)
                if should_stop is not None and should_stop():
                    stopped = stop_message("push", pushed)
        with db.read() as conn:
            customers = stage_counts(conn)
        if stopped:
            run.note("stopped", stopped)
            run.finish("interrupted", stopped)
        else:
            failed = pulled.status != "ok" or (pushed is not None and bool(pushed.failed))
            run.finish("partial" if failed else "ok")
        return SyncReport(
            pulled, classified, customers, pushed, stopped, run.id, corrections=corrections
        )
    except ConnectorError as exc:
        if run is not None:
            run.finish("interrupted" if exc.kind == "interrupted" else "failed", exc.message)
        raise
    except BaseException:
        if run is not None:
            run.finish("failed", "interrupted")
        raise


def read_corrections_of(
    instance: Instance, db: StateDB, clock: Clock, *, full: bool = False
) -> CorrectionsReport:
    """Read back the corrections made in SuiteCRM, holding the instance lock."""
    holder = Lease(db, clock, DEFAULT_LEASE)
    holder.acquire()
    try:
        client = instance.connect()
        try:
            return read_corrections(
                client, db, instance.namespace, clock, full=full, page_size=instance.page_size
            )
        finally:
            client.close()
    finally:
        holder.release()


def import_corrections_locked(
    instance: Instance,
    db: StateDB,
    clock: Clock,
    corrections: Sequence[Correction],
    *,
    dry_run: bool = False,
) -> ImportReport:
    """``corrections import``: write ``corrections`` into SuiteCRM, holding the lock."""
    holder = Lease(db, clock, DEFAULT_LEASE)
    holder.acquire()
    try:
        client = instance.connect()
        try:
            return import_corrections(
                client,
                db,
                corrections,
                instance.namespace,
                clock,
                dry_run=dry_run,
                page_size=instance.page_size,
            )
        finally:
            client.close()
    finally:
        holder.release()


def run_push(
    instance: Instance,
    db: StateDB,
    clock: Clock,
    *,
    dry_run: bool = False,
    should_stop: Callable[[], bool] | None = None,
    progress: PushProgress | None = None,
    meter: Meter | None = None,
) -> PushReport:
    """Write the changed journeys with the instance's writer, holding the instance lock;
    ``write_concurrency`` writers, each connected on its own, send requests at once."""
    if progress is None and meter is not None:
        progress = _metered(meter("push"))
    if dry_run:
        return push(
            db,
            None,
            instance.namespace,
            clock,
            touchpoint_records=instance.touchpoint_records,
            progress=progress,
        )
    holder = Lease(db, clock, DEFAULT_LEASE)
    holder.acquire()
    try:
        writer = instance.open_writer()
        try:
            return push(
                db,
                writer,
                instance.namespace,
                clock,
                touchpoint_records=instance.touchpoint_records,
                concurrency=instance.write_concurrency,
                connect=instance.open_writer,
                should_stop=should_stop,
                progress=progress,
                heartbeat=holder.heartbeat,
            )
        finally:
            writer.close()
    finally:
        holder.release()


def _metered(bar: PhaseProgress) -> PushProgress:
    """A phase progress bar fed by the push's report after each journey."""
    seen = [0]

    def advance(report: PushReport) -> None:
        bar.advance(report.journeys - seen[0])
        seen[0] = report.journeys

    return advance


def record_push(
    instance: Instance,
    db: StateDB,
    clock: Clock,
    *,
    dry_run: bool = False,
    should_stop: Callable[[], bool] | None = None,
    meter: Meter | None = None,
    progress: PushProgress | None = None,
) -> tuple[int, PushReport, str]:
    """``suitejourney push``: one recorded push run; returns (run id, report, stop message).
    A dry run writes nothing and is not recorded (run id 0)."""
    if dry_run:
        return 0, run_push(instance, db, clock, dry_run=True, meter=meter, progress=progress), ""
    run = RunLog(db, "push", clock)
    with run.closed_on_failure():
        report = run_push(
            instance, db, clock, should_stop=should_stop, meter=meter, progress=progress
        )
    run.note("push", push_summary(report))
    run.errors(report.failed)
    stopped = ""
    if should_stop is not None and should_stop():
        stopped = stop_message("push", report)
        run.note("stopped", stopped)
        run.finish("interrupted", stopped)
    else:
        run.finish("partial" if report.failed else "ok")
    return run.id, report, stopped
