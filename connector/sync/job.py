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
from connector.errors import ConfigurationError, TransientError
from connector.store.database import StateDB
from connector.sync.classify import ClassifyReport, classify_customers, stage_counts
from connector.sync.pull import Progress, PullOptions
from connector.sync.runner import DEFAULT_LEASE, Lease, PullReport, run_pull
from connector.writeback.payload import instance_namespace
from connector.writeback.push import PushReport, push


@dataclass(frozen=True)
class SyncReport:
    pull: PullReport
    classified: ClassifyReport
    customers: dict[str, dict[str, int]]
    pushed: PushReport | None

    @property
    def exit_code(self) -> int:
        if self.pushed is not None and self.pushed.failed:
            return 1
        return self.pull.exit_code


def utc_now() -> datetime:
    return datetime.now(UTC)


LEGACY_LABEL = "REST v4_1"


def open_deletions(settings: Settings, flavour: str) -> tuple[CrmClient | None, str | None]:
    """Beside V8, a REST v4_1 client for deletions when a user is set, and why there is
    none when v4_1 refuses the login or does not answer: the sync goes on without it
    (deletions found by the id reconciliation) and lists the problem."""
    if flavour != "v8":
        return None, None
    try:
        return connect_legacy(settings), None
    except (ConfigurationError, TransientError) as exc:
        return None, legacy_problem(exc)


def legacy_problem(exc: ConfigurationError | TransientError) -> str:
    return (
        f"{exc.message.rstrip('.')}. Syncs go on without REST v4_1: deletions are found by "
        "the daily id reconciliation until it works."
    )


def pull_configured(
    settings: Settings,
    db: StateDB,
    *,
    full: bool = False,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> PullReport:
    """One pull run of the configured instance into ``db`` (clients opened and closed here)."""
    client = connect_client(settings)
    try:
        deletions, problem = open_deletions(settings, client.flavour)
    except BaseException:
        client.close()
        raise

    def connect() -> tuple[CrmClient, CrmClient | None]:
        # More readers for parallel pulls; v4_1 only if the first login worked.
        reader = connect_client(settings)
        return reader, connect_legacy(settings) if deletions is not None else None

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
            connect=connect,
            problems=((LEGACY_LABEL, problem),) if problem else (),
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
            pushed = run_push(settings, db, should_stop=should_stop)
    finally:
        db.close()
    return SyncReport(pull=pulled, classified=classified, customers=customers, pushed=pushed)


def run_push(
    settings: Settings,
    db: StateDB,
    *,
    dry_run: bool = False,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> PushReport:
    """Write the changed journeys with the configured writer, holding the instance lock."""
    assert settings.url is not None
    namespace = instance_namespace(settings.url)
    if dry_run:
        return push(db, None, namespace, utc_now, progress=progress)
    holder = Lease(db, utc_now, DEFAULT_LEASE)
    holder.acquire()
    writer = build_writer(settings)
    try:
        return push(db, writer, namespace, utc_now, should_stop=should_stop, progress=progress)
    finally:
        writer.close()
        holder.release()
