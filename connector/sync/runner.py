"""One run of the pull, as the CLI and the scheduler start it.

``run_pull`` takes the instance lock (a lease row in the state database, so no
two processes or machines sync one SuiteCRM at once), records the run and its
per-module counts, pulls, and closes the run as ``ok``, ``partial`` (some records
were skipped into the quarantine, or modules failed, or a configured API could not
be used; listed), ``interrupted`` (a stop was asked for: the report says where) or
``failed`` (the run broke off), then releases the lock. Warnings (a module whose
deletions SuiteCRM cannot list, read another way) are recorded and shown but leave
the run ``ok``. Within a sync the run row is the sync's, and the sync
closes it. The lease is renewed as pages are stored; a holder that dies
stops renewing and its lease expires.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from connector.crm.client import CrmClient
from connector.errors import ConnectorError, TransientError
from connector.store.database import StateDB
from connector.store.quarantine import Quarantined, list_quarantine
from connector.store.runs import (
    ModuleStats,
    abandon_runs,
    acquire_lock,
    holder_is_dead,
    lock_holder,
    owner_name,
    release_lock,
    renew_lock,
    save_module_stats,
    steal_lock,
)
from connector.sync.pull import Progress, Puller, PullOptions, PullStopped, pull_modules
from connector.sync.runlog import RunLog

log = logging.getLogger(__name__)

LOCK_NAME = "sync"
DEFAULT_LEASE = timedelta(minutes=10)
# ``serve`` takes the same lock for a few seconds per batch, with this short lease;
# a sync that finds such a holder waits for it (polling every SHORT_WAIT seconds).
SHORT_LEASE = timedelta(minutes=1)
SHORT_WAIT = 0.2


class SyncLockedError(TransientError):
    """Another process holds this instance's sync lock."""


QUARANTINE_SHOWN = 50


@dataclass(frozen=True)
class PullReport:
    run_id: int
    status: str
    modules: tuple[ModuleStats, ...]
    failures: tuple[tuple[str, str], ...]
    quarantined: tuple[Quarantined, ...] = ()
    stopped: str = ""
    warnings: tuple[tuple[str, str], ...] = ()

    @property
    def skipped(self) -> int:
        return sum(m.skipped for m in self.modules)

    @property
    def exit_code(self) -> int:
        if self.stopped:
            return 130
        return 0 if self.status == "ok" else 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "status": self.status,
            "modules": [m.__dict__ for m in self.modules],
            "skipped": self.skipped,
            "quarantined": [q.as_dict() for q in self.quarantined],
            "failures": [{"module": m, "message": msg} for m, msg in self.failures],
            "warnings": [{"module": m, "message": msg} for m, msg in self.warnings],
            "stopped": self.stopped or None,
        }


class Lease:
    """Holds the instance lock and renews it now and then."""

    def __init__(
        self,
        db: StateDB,
        clock: Callable[[], datetime],
        lease: timedelta,
        *,
        sleep: Callable[[float], None] = time.sleep,
        owner: str | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.lease = lease
        self.sleep = sleep
        self.owner = owner or owner_name()
        self.renewed_at = clock()

    def acquire(self) -> None:
        """Take the lock. A short holder (``serve`` refreshing a few records, whose
        lease is at most ``SHORT_LEASE``) is waited for, up to its lease; any other
        holder means another sync runs, and ``SyncLockedError`` says so at once."""
        for _ in range(int(SHORT_LEASE.total_seconds() / SHORT_WAIT) + 1):
            holder = self._try_acquire()
            if holder is None:
                return
            if not holder:
                continue  # released between our insert and our look: try again
            held_for = holder.get("expires_at"), holder.get("acquired_at")
            if not all(isinstance(t, datetime) for t in held_for):
                break
            expires, acquired = cast(tuple[datetime, datetime], held_for)
            if expires - acquired > SHORT_LEASE:
                break
            self.sleep(SHORT_WAIT)
        holder = holder or {}
        raise SyncLockedError(
            f"another sync of this instance is running ({holder.get('owner', 'unknown')}, "
            f"lease until {holder.get('expires_at')}); try again later."
        )

    def _try_acquire(self) -> dict[str, Any] | None:
        """None when the lock is ours now; else who holds it."""
        if acquire_lock(self.db.engine, LOCK_NAME, self.owner, self.clock(), self.lease):
            self.renewed_at = self.clock()
            return None
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
                return None
        return holder

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
    run: RunLog | None = None,
    problems: Sequence[tuple[str, str]] = (),
) -> PullReport:
    """One pull run. With ``concurrency`` > 1 and ``connect`` (which opens a client
    and an optional deletions client), that many modules are read at once. With
    ``run`` (a sync's run), the counts go to that run and the caller closes it.
    ``problems`` (what, message) are failures met before the run, such as REST
    v4_1 refusing its login: listed with the run's failures, the run goes on."""
    holder = Lease(db, clock, lease)
    holder.acquire()
    opened: list[CrmClient] = []
    lock = threading.Lock()
    own = run is None
    try:
        log_run = run if run is not None else RunLog(db, "pull", clock)
        run_id = log_run.id
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
        done: list[ModuleStats] = []

        def record(stats: ModuleStats) -> None:
            with db.begin() as conn:
                save_module_stats(conn, run_id, stats)
            done.append(stats)

        try:
            result = pull_modules(make_puller, modules, record, concurrency if parallel else 1)
        except PullStopped as exc:
            record(exc.stats)
            report = _report(db, run_id, "interrupted", done, (), exc.message)
            if own:
                log_run.note("stopped", exc.message)
                log_run.finish("interrupted", exc.message)
            return report
        except ConnectorError as exc:
            status = "interrupted" if exc.kind == "interrupted" else "failed"
            log_run.errors([("", "", exc.message)], kind=exc.kind)
            if own:
                log_run.finish(status, exc.message)
            raise
        except BaseException:
            if own:
                log_run.finish("failed", "interrupted")
            raise
        failures = (*problems, *((module, exc.message) for module, exc in result.failed))
        status = "partial" if failures or any(m.skipped for m in done) else "ok"
        log_run.errors(((module, "", message) for module, message in failures), kind="module")
        log_run.errors(((module, "", message) for module, message in result.warnings),
                       kind="warning")
        if own:
            log_run.finish(status)
        return _report(db, run_id, status, done, failures, "", tuple(result.warnings))
    finally:
        for extra in opened:
            extra.close()
        holder.release()


def _report(
    db: StateDB,
    run_id: int,
    status: str,
    modules: list[ModuleStats],
    failures: tuple[tuple[str, str], ...],
    stopped: str,
    warnings: tuple[tuple[str, str], ...] = (),
) -> PullReport:
    """The pull's report, with the quarantined records this run met (the first few)."""
    with db.read() as conn:
        held = list_quarantine(conn, limit=QUARANTINE_SHOWN, run_id=run_id)
    return PullReport(run_id, status, tuple(modules), failures, tuple(held), stopped, warnings)
