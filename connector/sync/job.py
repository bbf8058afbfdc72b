"""The sync job: pull, then classify, then push, for one configured instance.

This is what ``suitejourney sync`` runs once and ``suitejourney schedule`` runs on
its schedule. It builds its clients and opens the state database from the
settings, runs each step, closes everything, and returns a report whose exit
code follows DESIGN.md (0 done, 1 done with failures).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from connector.app import build_writer, connect_client, connect_legacy, load_rules, open_state
from connector.config import Settings
from connector.crm.client import CrmClient
from connector.errors import InterruptedRunError
from connector.store.database import StateDB
from connector.sync.classify import ClassifyReport, classify_customers, stage_counts
from connector.sync.pull import Progress, PullOptions
from connector.sync.runner import DEFAULT_LEASE, Lease, PullReport, run_pull
from connector.writeback.payload import instance_namespace
from connector.writeback.push import Progress as PushProgress
from connector.writeback.push import PushReport, push


@dataclass(frozen=True)
class SyncReport:
    pull: PullReport
    classified: ClassifyReport
    customers: dict[str, dict[str, int]]
    pushed: PushReport | None

    @property
    def exit_code(self) -> int:
        if self.pushed is not None and self.pushed.stopped:
            return EXIT_INTERRUPTED
        if self.pushed is not None and self.pushed.failed:
            return 1
        return self.pull.exit_code


EXIT_INTERRUPTED = InterruptedRunError.exit_code


def utc_now() -> datetime:
    return datetime.now(UTC)


def open_clients(settings: Settings) -> tuple[CrmClient, CrmClient | None]:
    """A reading client and, with V8 and a user set, a REST v4_1 client for deletions."""
    client = connect_client(settings)
    return client, connect_legacy(settings) if client.flavour == "v8" else None


def pull_configured(
    settings: Settings,
    db: StateDB,
    *,
    full: bool = False,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PullReport:
    """One pull run of the configured instance into ``db`` (clients opened and closed here)."""
    client, deletions = open_clients(settings)
    try:
        return run_pull(
            client,
            db,
            settings.modules,
            clock=utc_now,
            options=PullOptions(page_size=settings.page_size, full=full),
            deletions=deletions,
            progress=progress,
            should_stop=should_stop,
            concurrency=settings.concurrency,
            connect=lambda: open_clients(settings),
        )
    finally:
        client.close()
        if deletions is not None:
            deletions.close()


def run_sync(
    settings: Settings,
    *,
    full: bool = False,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    push_progress: PushProgress | None = None,
) -> SyncReport:
    rules = load_rules(settings)  # a broken mapping stops the run before any request
    db = open_state(settings)
    try:
        pulled = pull_configured(
            settings, db, full=full, progress=progress, should_stop=should_stop
        )
        classified = classify_customers(db, rules, utc_now(), should_stop=should_stop)
        with db.read() as conn:
            customers = stage_counts(conn)
        pushed = None
        if not (should_stop and should_stop()):
            pushed = run_push(settings, db, should_stop=should_stop, progress=push_progress)
    finally:
        db.close()
    return SyncReport(pull=pulled, classified=classified, customers=customers, pushed=pushed)


def run_push(
    settings: Settings,
    db: StateDB,
    *,
    dry_run: bool = False,
    should_stop: Callable[[], bool] | None = None,
    progress: PushProgress | None = None,
) -> PushReport:
    """Write the changed journeys with the configured writer, holding the instance lock;
    ``write_concurrency`` writers, each connected on its own, send requests at once."""
    assert settings.url is not None
    namespace = instance_namespace(settings.url)
    if dry_run:
        return push(
            db,
            None,
            namespace,
            utc_now,
            touchpoint_records=settings.touchpoint_records,
            progress=progress,
        )
    holder = Lease(db, utc_now, DEFAULT_LEASE)
    holder.acquire()
    try:
        writer = build_writer(settings)
        try:
            return push(
                db,
                writer,
                namespace,
                utc_now,
                touchpoint_records=settings.touchpoint_records,
                concurrency=settings.write_concurrency,
                connect=lambda: build_writer(settings),
                should_stop=should_stop,
                progress=progress,
                heartbeat=holder.heartbeat,
            )
        finally:
            writer.close()
    finally:
        holder.release()
