"""The incremental pull: SuiteCRM modules → touchpoints in the state database.

Per module and stream (a module read by one datetime field), ``Puller`` puts the
pieces together:

* ``cursor``: where each lane's keyset walk starts and how its cursor moves (pure);
* ``reader``: lanes (disjoint id ranges, ``PullOptions.readers`` of them) walk the
  stream at once, a thread each, and feed a bounded queue, so several list
  requests are in flight inside one module and reading overlaps storing;
* ``pagewriter``: one writer stores each page with its lane's cursor in one
  transaction (every page a checkpoint; no request while a transaction is open);
* ``reconcile``: deletions, the id reconciliation and quarantine retries.

Deletions: with REST v4_1 as the main API they arrive in the same stream
(``deleted=1``); with V8 and v4_1 credentials a second stream per module asks v4_1
for rows deleted since its own cursor; with V8 alone, a periodic reconciliation
lists every id and removes what SuiteCRM no longer has. A module whose deleted
listing SuiteCRM cannot answer (v4_1 on Emails dies with "Database failure") falls
back to that reconciliation, with a warning, and the run goes on.

The pull speaks to SuiteCRM only through ``CrmClient`` and to the database only
through ``connector.store``; it knows no journey rules.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from connector.crm.client import CrmClient
from connector.errors import (
    ConnectorError,
    DatabaseFailureError,
    InterruptedRunError,
    TransientError,
)
from connector.store.cursors import Cursor, load_cursor, save_cursor
from connector.store.database import StateDB
from connector.store.runs import ModuleStats
from connector.sync.cursor import Lane, Rules, Walk, at_position, folded, resume, with_lanes
from connector.sync.normalise import RELATED_LINKS
from connector.sync.pagewriter import ModuleOutcome, PageWriter, Progress, PullStopped
from connector.sync.reader import Split, Stream, iter_batches
from connector.sync.reconcile import DELETED_SUFFIX, Reconciler

__all__ = [
    "DEFAULT_STREAMS",
    "DELETED_SUFFIX",
    "MODULE_ORDER",
    "STREAMS",
    "ModuleOutcome",
    "Progress",
    "PullOptions",
    "PullResult",
    "PullStopped",
    "Puller",
    "no_deleted_listing",
    "ordered",
    "pull_modules",
]

log = logging.getLogger(__name__)

# Entities first, so activities find their customer as soon as they are stored.
MODULE_ORDER = (
    "Accounts",
    "Contacts",
    "Leads",
    "Opportunities",
    "Cases",
    "AOS_Quotes",
    "AOS_Invoices",
    "AOS_Contracts",
    "Campaigns",
    "CampaignLog",
    "Calls",
    "Meetings",
    "Tasks",
    "Notes",
    "Emails",
    "Documents",
)
# Which datetime fields a module is read by: CampaignLog's opens and clicks are
# written by raw SQL with date_modified NULL and only activity_date set, and its
# web-to-lead rows the other way round, so it is read by both (each with a cursor).
DEFAULT_STREAMS: tuple[tuple[str, bool], ...] = (("date_modified", False),)
STREAMS: dict[str, tuple[tuple[str, bool], ...]] = {
    "CampaignLog": (("activity_date", True), ("date_modified", True)),
}

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class PullOptions:
    page_size: int = 200
    lag: timedelta = timedelta(minutes=2)
    full: bool = False
    reconcile_every: timedelta = timedelta(hours=24)
    readers: int = 2  # list requests in flight inside one module (its lanes)


def no_deleted_listing(module: str) -> str:
    """The warning for a module whose deleted records SuiteCRM cannot list."""
    return (
        f'SuiteCRM cannot list deleted {module} through REST v4_1 (HTTP 500 "Database '
        f'failure", a SuiteCRM bug); deletions of {module} are found by the daily id '
        "reconciliation instead."
    )


def ordered(modules: Sequence[str]) -> list[str]:
    rank = {m: i for i, m in enumerate(MODULE_ORDER)}
    return sorted(dict.fromkeys(modules), key=lambda m: (rank.get(m, len(rank)), m))


class Puller:
    """Pulls modules for one run; the caller holds the instance lock."""

    def __init__(
        self,
        client: CrmClient,
        db: StateDB,
        *,
        clock: Clock,
        run_id: int,
        options: PullOptions | None = None,
        deletions: CrmClient | None = None,
        progress: Progress | None = None,
        heartbeat: Callable[[], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        write_lock: threading.Lock | None = None,
        run_start: datetime | None = None,
    ) -> None:
        self.client = client
        self.db = db
        self.clock = clock
        self.run_id = run_id
        self.options = options or PullOptions()
        self.deletions = deletions
        self.run_start = run_start or clock()
        self.writer = PageWriter(
            db,
            clock=clock,
            run_id=run_id,
            run_start=self.run_start,
            progress=progress,
            heartbeat=heartbeat,
            should_stop=should_stop,
            write_lock=write_lock,
        )
        self.reconciler = Reconciler(
            client,
            self.writer,
            clock=clock,
            run_start=self.run_start,
            page_size=self.options.page_size,
            lag=self.options.lag,
            deletions=deletions,
            heartbeat=heartbeat,
        )

    # -- one module ---------------------------------------------------------------

    def pull_module(self, module: str) -> ModuleOutcome:
        started = time.perf_counter()
        requests_before = self._requests()
        outcome = ModuleOutcome(ModuleStats(module))
        held = self.writer.load_held(module)
        first_read = False
        in_stream = self.client.supports_deleted  # deletions arrive with the changes
        for by, floor in STREAMS.get(module, DEFAULT_STREAMS):
            key = module if by == "date_modified" else f"{module}@{by}"
            try:
                first_read |= self._read_changes(module, key, by, outcome, floor, in_stream)
            except DatabaseFailureError:
                if not in_stream:
                    raise
                outcome.warnings.append(no_deleted_listing(module))
                in_stream = False
                first_read |= self._read_changes(module, key, by, outcome, floor, in_stream)
        if held:
            self.reconciler.retry_quarantined(module, self.run_id, outcome)
        if first_read and not self.options.full:
            self.reconciler.mark_reconciled(module)  # a first read saw every record there is
        if in_stream:
            return self._finish(outcome, started, requests_before)  # deletions were in it
        if self.deletions is not None:
            try:
                self.reconciler.read_deletions(module, outcome, self.options.full)
                return self._finish(outcome, started, requests_before)
            except DatabaseFailureError:
                outcome.warnings.append(no_deleted_listing(module))
        if self.options.full or self.reconciler.reconcile_due(module, self.options.reconcile_every):
            self.reconciler.reconcile(module, outcome)
        return self._finish(outcome, started, requests_before)

    def _finish(
        self, outcome: ModuleOutcome, started: float, requests_before: int
    ) -> ModuleOutcome:
        outcome.stats.requests = self._requests() - requests_before
        outcome.stats.seconds = time.perf_counter() - started
        log.info(
            "%s: read %d, created %d, updated %d, deleted %d, orphans %d, %d requests",
            outcome.stats.module,
            outcome.stats.read,
            outcome.stats.created,
            outcome.stats.updated,
            outcome.stats.deleted,
            outcome.stats.orphans,
            outcome.stats.requests,
        )
        if outcome.stats.skipped:
            log.warning(
                "%s: %d records skipped (bad dates or text); they are kept in quarantine and "
                "read again at every pull: `suitejourney status` lists them",
                outcome.stats.module,
                outcome.stats.skipped,
            )
        return outcome

    def _requests(self) -> int:
        total = self.client.requests_made
        if self.deletions is not None and self.deletions is not self.client:
            total += self.deletions.requests_made
        return total

    def _read_changes(
        self,
        module: str,
        key: str,
        field: str,
        outcome: ModuleOutcome,
        floor: bool,
        include_deleted: bool,
    ) -> bool:
        """Read one stream from its cursor, lanes at once, storing each page with the
        cursor after it; True when this was the stream's first read."""
        cursor = Cursor(key) if self.options.full else self._load(key)
        rules = Rules(self.run_start, self.options.lag, self.client.modified_resolution)
        positions = resume(cursor)
        first_read = all(p.at is None for p in positions.values())
        walks = [
            Walk.begin(field, lane, start, rules, self.options.page_size, floor=floor)
            for lane, start in positions.items()
        ]
        links = RELATED_LINKS.get(module, ()) if field == "date_modified" else ()
        # Beside V8, REST v4_1 reads a page's related ids in one request (V8: one per record).
        related = self.deletions if links and not self.client.supports_deleted else None
        stream = Stream(module, self.client, include_deleted, tuple(links), related)
        for item in iter_batches(stream, walks, readers=self.options.readers):
            if isinstance(item, Split):
                start = positions.pop(Lane())
                positions.update(dict.fromkeys(item.lanes, start))
                continue
            if item.position is not None:
                positions[item.lane] = item.position
                cursor = with_lanes(cursor, positions)
            self.writer.store(
                module, item.records, outcome, cursor if item.position is not None else None
            )
        if len(positions) > 1:
            # Every lane walked to the end: one position again, for the next run.
            cursor = at_position(cursor, folded(positions.values()))
            with self.writer.transaction() as conn:
                save_cursor(conn, cursor, self.clock())
        return first_read

    def _load(self, key: str) -> Cursor:
        with self.db.read() as conn:
            return load_cursor(conn, key)


@dataclass
class PullResult:
    modules: list[ModuleStats] = field(default_factory=list)
    failed: list[tuple[str, ConnectorError]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # module, message

    @property
    def ok(self) -> bool:
        return not self.failed


def pull_modules(
    pullers: Callable[[], Puller],
    modules: Sequence[str],
    on_module: Callable[[ModuleStats], None] | None = None,
    concurrency: int = 1,
) -> PullResult:
    """Pull each module; a transient failure stops the run (SuiteCRM is down or
    refusing us, so the rest would fail too), other module failures are recorded
    and the run goes on. With ``concurrency`` > 1, that many modules are read at
    once, each by its own puller (its own HTTP session); ``pullers`` makes one."""
    result = PullResult()
    order = ordered(modules)

    def record(module: str, outcome: ModuleOutcome | ConnectorError) -> None:
        if isinstance(outcome, ConnectorError):
            if isinstance(outcome, TransientError | InterruptedRunError) or outcome.exit_code != 1:
                raise outcome
            result.failed.append((module, outcome))
            return
        result.modules.append(outcome.stats)
        result.warnings.extend((module, w) for w in outcome.warnings)
        for warning in outcome.warnings:
            log.warning("%s: %s", module, warning)
        if on_module:
            on_module(outcome.stats)

    if concurrency <= 1:
        puller = pullers()
        for module in order:
            record(module, _attempt(puller, module))
        return result
    local = threading.local()

    def work(module: str) -> ModuleOutcome | ConnectorError:
        if not hasattr(local, "puller"):
            local.puller = pullers()
        return _attempt(local.puller, module)

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="pull") as pool:
        outcomes = list(zip(order, pool.map(work, order), strict=True))
    for module, outcome in outcomes:
        record(module, outcome)
    return result


def _attempt(puller: Puller, module: str) -> ModuleOutcome | ConnectorError:
    try:
        return puller.pull_module(module)
    except ConnectorError as exc:
        return exc
