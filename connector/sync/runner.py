"""One run of the pull, as the CLI and the scheduler start it.

``run_pull`` takes the instance lock (a lease row in the state database, so no
two processes or machines sync one SuiteCRM at once), records the run and its
per-module counts, pulls, and closes the run as ``ok``, ``partial`` (some records
or modules failed, or a configured API could not be used; listed in run_errors)
or ``failed`` (the run stopped), then releases the lock. Warnings (a module whose
deletions SuiteCRM cannot list, read another way) are recorded and shown but
leave the run ``ok``. The lease is renewed as pages are stored; a holder that dies
stops renewing and its lease expires.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from connector.crm.client import CrmClient
from connector.errors import ConnectorError, TransientError
from connector.store.database import StateDB
from connector.store.runs import (
    ModuleStats,
    abandon_runs,
    acquire_lock,
    add_error,
    finish_run,
    holder_is_dead,
    lock_holder,
    owner_name,
    release_lock,
    renew_lock,
    save_module_stats,
    start_run,
    steal_lock,
)
from connector.sync.pull import Progress, Puller, PullOptions, pull_modules

log = logging.getLogger(__name__)

LOCK_NAME = "sync"
DEFAULT_LEASE = timedelta(minutes=10)


class SyncLockedError(TransientError):
    """Another process holds this instance's sync lock."""


@dataclass(frozen=True)
class PullReport:
    run_id: int
    status: str
    modules: tuple[ModuleStats, ...]
    failures: tuple[tuple[str, str], ...]
    warnings: tuple[tuple[str, str], ...] = ()

    @property
    def exit_code(self) -> int:
        return 0 if self.status == "ok" else 1


class Lease:
    """Holds the instance lock and renews it now and then."""

    def __init__(self, db: StateDB, clock: Callable[[], datetime], lease: timedelta) -> None:
        self.db = db
        self.clock = clock
        self.lease = lease
        self.owner = owner_name()
        self.renewed_at = clock()

    def acquire(self) -> None:
        if acquire_lock(self.db.engine, LOCK_NAME, self.owner, self.clock(), self.lease):
            self.renewed_at = self.clock()
            return
        with self.db.read() as conn:
            holder = lock_holder(conn, LOCK_NAME) or {}
        previous = str(holder.get("owner", ""))
        if previous and holder_is_dead(previous):
            # The holder died on this machine (killed, crashed): no need to wait out its lease.
            log.warning("taking the sync lock from %s, which no longer runs", previous)
            if steal_lock(
                self.db.engine, LOCK_NAME, self.owner, previous, self.clock(), self.lease
            ):
                self.renewed_at = self.clock()
                with self.db.begin() as conn:
                    abandon_runs(conn, previous, self.clock())
                return
        raise SyncLockedError(
            f"another sync of this instance is running ({holder.get('owner', 'unknown')}, "
            f"lease until {holder.get('expires_at')}); try again later."
        )

    def heartbeat(self) -> None:
        now = self.clock()
        if now - self.renewed_at >= self.lease / 3:
            if not renew_lock(self.db.engine, LOCK_NAME, self.owner, now, self.lease):
                raise SyncLockedError("this sync lost its lock (lease expired); stopping.")
            self.renewed_at = now

    def release(self) -> None:
        release_lock(self.db.engine, LOCK_NAME, self.owner)


def run_pull(
    client: CrmClient,
    db: StateDB,
    modules: Sequence[str],
    *,
    clock: Callable[[], datetime],
    options: PullOptions | None = None,
    deletions: CrmClient | None = None,
    progress: Progress | None = None,
    lease: timedelta = DEFAULT_LEASE,
    should_stop: Callable[[], bool] | None = None,
    concurrency: int = 1,
    connect: Callable[[], tuple[CrmClient, CrmClient | None]] | None = None,
    problems: Sequence[tuple[str, str]] = (),
) -> PullReport:
    """One pull run. With ``concurrency`` > 1 and ``connect`` (which opens a client
    and an optional deletions client), that many modules are read at once.
    ``problems`` (what, message) are failures met before the run, such as REST
    v4_1 refusing its login: listed with the run's failures, the run goes on."""
    holder = Lease(db, clock, lease)
    holder.acquire()
    opened: list[CrmClient] = []
    lock = threading.Lock()
    try:
        with db.begin() as conn:
            run_id = start_run(conn, "pull", clock())
        run_start = clock()
        parallel = concurrency > 1 and connect is not None
        first = [True]

        def make_puller() -> Puller:
            reader, deleted = client, deletions
            with lock:
                fresh = not first[0]
                first[0] = False
            if parallel and fresh and connect is not None:
                reader, deleted = connect()
                opened.extend(c for c in (reader, deleted) if c is not None)
            return Puller(
                reader,
                db,
                clock=clock,
                run_id=run_id,
                options=options,
                deletions=deleted,
                progress=progress,
                heartbeat=holder.heartbeat,
                should_stop=should_stop,
                write_lock=write_lock if parallel else None,
                run_start=run_start,
            )

        write_lock = threading.Lock()

        def record(stats: ModuleStats) -> None:
            with db.begin() as conn:
                save_module_stats(conn, run_id, stats)

        try:
            result = pull_modules(make_puller, modules, record, concurrency if parallel else 1)
        except ConnectorError as exc:
            status = "interrupted" if exc.kind == "interrupted" else "failed"
            with db.begin() as conn:
                add_error(conn, run_id, clock(), exc.message, kind=exc.kind)
                finish_run(conn, run_id, status, clock(), exc.message)
            raise
        except BaseException:
            with db.begin() as conn:
                finish_run(conn, run_id, "failed", clock(), "interrupted")
            raise
        failures = (*problems, *((module, exc.message) for module, exc in result.failed))
        skipped = sum(m.skipped for m in result.modules)
        status = "partial" if failures or skipped else "ok"
        with db.begin() as conn:
            for module, message in failures:
                add_error(conn, run_id, clock(), message, module=module, kind="module")
            for module, message in result.warnings:
                add_error(conn, run_id, clock(), message, module=module, kind="warning")
            finish_run(conn, run_id, status, clock())
        return PullReport(
            run_id, status, tuple(result.modules), failures, tuple(result.warnings)
        )
    finally:
        for extra in opened:
            extra.close()
        holder.release()
