"""The incremental pull: SuiteCRM modules → touchpoints in the state database.

Per module, records are read by keyset on ``date_modified``:

* query ``date_modified >= cursor - lag`` sorted by date_modified, always page 1
  (re-querying from the cursor, never walking page numbers over a set that
  changes while it is read, which skips or repeats rows);
* drop the boundary ids already stored at exactly the cursor instant, kept only
  for instants that ended before the run began: V8 shows minutes, so a record
  saved twice in one minute keeps one date_modified, and dropping its id then
  would lose the second change (re-read records are compared by content hash);
* store each page and the new cursor in one transaction: a crash costs at most
  one page of rework and loses nothing;
* never advance the cursor past the run's start, so records modified during the
  run are read again next time;
* when a whole page shares one instant (imports and mass updates do that; V8
  shows minutes only, so "one instant" is one minute there), walk that instant
  separately, sorted by id, with ``id > last``;
* an instant read whole after it had ended (lag included) is "sealed" in the
  cursor: nothing can appear in it any more, so the next read starts after it
  instead of reading its group again (demo data puts 200 Tasks at one instant).

Deletions: with REST v4_1 as the main API they arrive in the same stream
(``deleted=1``); with V8 and v4_1 credentials a second stream per module asks v4_1
for rows deleted since its own cursor; with V8 alone, a periodic reconciliation
lists every id (streamed into ``reconcile_ids``) and removes what SuiteCRM no
longer has. A module whose deleted listing SuiteCRM cannot answer (v4_1 on
Emails dies with "Database failure") falls back to that reconciliation, with a
warning, and the run goes on.

The pull speaks to SuiteCRM only through ``CrmClient`` and to the database only
through ``connector.store``; it knows no journey rules.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import Connection, Table, delete, select

from connector.crm.client import CrmClient
from connector.crm.records import Condition, Op, Query, Record
from connector.errors import (
    BadRecordError,
    ConnectorError,
    DatabaseFailureError,
    FatalError,
    InterruptedRunError,
    NotFoundError,
    SkippableError,
    TransientError,
)
from connector.store.database import StateDB
from connector.store.models import SeenIdRow, TouchpointRow
from connector.store.quarantine import Quarantined, due_for_retry, held_ids, hold, release
from connector.store.queries import (
    Cursor,
    EntityLink,
    TouchpointData,
    delete_touchpoints,
    load_cursor,
    reresolve,
    save_cursor,
    save_page,
)
from connector.store.runs import ModuleStats, add_error
from connector.sync.normalise import RELATED_LINKS, entity_links, normalise, parse_when

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
DELETED_SUFFIX = "#deleted"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Which datetime fields a module is read by: CampaignLog's opens and clicks are
# written by raw SQL with date_modified NULL and only activity_date set, and its
# web-to-lead rows the other way round, so it is read by both (each with a cursor).
DEFAULT_STREAMS: tuple[tuple[str, bool], ...] = (("date_modified", False),)
STREAMS: dict[str, tuple[tuple[str, bool], ...]] = {
    "CampaignLog": (("activity_date", True), ("date_modified", True)),
}

Clock = Callable[[], datetime]
Progress = Callable[[str, int], None]
# Quarantined records re-read by id per module and run (oldest attempt first); the
# rest wait for the next run. Records fixed in SuiteCRM come back by date_modified anyway.
RETRY_LIMIT = 200


class PullStopped(InterruptedRunError):
    """A stop was asked for during a module's pull; ``stats`` is what it had done."""

    def __init__(self, message: str, stats: ModuleStats) -> None:
        super().__init__(message)
        self.stats = stats


@dataclass(frozen=True)
class PullOptions:
    page_size: int = 200
    lag: timedelta = timedelta(minutes=2)
    full: bool = False
    reconcile_every: timedelta = timedelta(hours=24)


@dataclass
class ModuleOutcome:
    stats: ModuleStats
    changed_entities: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def no_deleted_listing(module: str) -> str:
    """The warning for a module whose deleted records SuiteCRM cannot list."""
    return (
        f"SuiteCRM cannot list deleted {module} through REST v4_1 (HTTP 500 \"Database "
        f"failure\", a SuiteCRM bug); deletions of {module} are found by the daily id "
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
        self.progress = progress
        self.heartbeat = heartbeat
        self.should_stop = should_stop
        self.write_lock = write_lock
        self.run_start = run_start or clock()
        self._held: dict[str, set[str]] = {}
        self._skipped: set[tuple[str, str]] = set()

    # -- one module ---------------------------------------------------------------

    def pull_module(self, module: str) -> ModuleOutcome:
        started = time.perf_counter()
        requests_before = self._requests()
        outcome = ModuleOutcome(ModuleStats(module))
        with self.db.read() as conn:
            self._held[module] = held_ids(conn, module)
        first_read = False
        in_stream = self.client.supports_deleted  # deletions arrive with the changes
        for by, floor in STREAMS.get(module, DEFAULT_STREAMS):
            key = module if by == "date_modified" else f"{module}@{by}"
            cursor = Cursor(key) if self.options.full else self._load(key)
            first_read = first_read or cursor.date_modified is None
            try:
                self._read_changes(module, by, cursor, outcome, floor, in_stream)
            except DatabaseFailureError:
                if not in_stream:
                    raise
                outcome.warnings.append(no_deleted_listing(module))
                in_stream = False
                cursor = Cursor(key) if self.options.full else self._load(key)
                self._read_changes(module, by, cursor, outcome, floor, in_stream)
        if self._held[module]:
            self._retry_quarantined(module, outcome)
        if first_read and not self.options.full:
            self._mark_reconciled(module)  # a first read saw every record there is
        if in_stream:
            return self._finish(outcome, started, requests_before)  # deletions were in it
        if self.deletions is not None:
            try:
                self._read_deletions(module, outcome)
                return self._finish(outcome, started, requests_before)
            except DatabaseFailureError:
                outcome.warnings.append(no_deleted_listing(module))
        if self.options.full or self._reconcile_due(module):
            self._reconcile(module, outcome)
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

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction; with parallel pullers, one at a time (HTTP overlaps,
        database writes do not, so no two transactions fight over the same rows)."""
        if self.write_lock is None:
            with self.db.begin() as conn:
                yield conn
            return
        with self.write_lock, self.db.begin() as conn:
            yield conn

    def _load(self, module: str) -> Cursor:
        with self.db.read() as conn:
            return load_cursor(conn, module)

    def _read_changes(
        self,
        module: str,
        field: str,
        cursor: Cursor,
        outcome: ModuleOutcome,
        floor: bool,
        include_deleted: bool = False,
    ) -> None:
        """Keyset walk on ``field`` from the cursor; each page stored with its cursor.

        ``floor`` asks for ``field >= 1970`` on the first read too, which leaves out
        rows where the field is NULL (another stream reads those)."""
        resolution = self.client.modified_resolution
        lower = cursor.date_modified - self.options.lag if cursor.date_modified else None
        if lower is None and floor:
            lower = EPOCH
        sealed = cursor.sealed_at
        if sealed is not None and lower is not None and lower < sealed + resolution:
            lower = sealed + resolution  # read whole before: nothing new can be in it
        skip_at, skip_ids = cursor.date_modified, set(cursor.boundary_ids)
        size = self.options.page_size

        def at(record: Record) -> datetime | None:
            return (
                record.date_modified if field == "date_modified" else parse_when(record.get(field))
            )

        while True:
            conditions = (Condition(field, Op.GTE, lower),) if lower else ()
            page = self.client.list_page(
                Query(module, conditions, sort=field, include_deleted=include_deleted),
                page_number=1,
                page_size=size,
            ).records
            fresh = [r for r in page if not (at(r) == skip_at and r.id in skip_ids)]
            # The last good date: a record whose date is bad (quarantined) must not
            # stop the walk, nor hold back the cursor.
            last = next((d for d in map(at, reversed(page)) if d is not None), None)
            if last is not None and last == skip_at:
                skip_ids |= {r.id for r in page if at(r) == last}
            elif last is not None:
                skip_at, skip_ids = last, {r.id for r in page if at(r) == last}
            done = len(page) < size
            if done and skip_at is not None and self._settled(skip_at):
                sealed = skip_at  # the last instant is complete and can change no more
            target = self._cursor_after(cursor, skip_at, skip_ids, sealed)
            self._store(module, fresh, outcome, target)
            if done:
                return
            if last is None:
                raise FatalError(
                    f"{module} sorted by {field} returned a full page without {field}; "
                    "cannot page on it."
                )
            if not fresh or last == lower:
                # A full page at one instant: walk it by id, then go past it.
                sealed = self._walk_instant(
                    module, field, last, outcome, cursor, sealed, include_deleted
                )
                lower = last + resolution
                skip_at, skip_ids = None, set()
                continue
            lower = last

    def _walk_instant(
        self,
        module: str,
        field: str,
        instant: datetime,
        outcome: ModuleOutcome,
        cursor: Cursor,
        sealed: datetime | None,
        include_deleted: bool,
    ) -> datetime | None:
        """Read every record at ``instant`` by id; the sealed instant afterwards."""
        after = ""
        end = instant + self.client.modified_resolution
        size = self.options.page_size
        if self._settled(instant):
            sealed = instant
        while True:
            conditions: tuple[Condition, ...] = (
                Condition(field, Op.GTE, instant),
                Condition(field, Op.LT, end),
            )
            if after:
                conditions += (Condition("id", Op.GT, after),)
            page = self.client.list_page(
                Query(module, conditions, sort="id", include_deleted=include_deleted),
                page_number=1,
                page_size=size,
            ).records
            done = len(page) < size
            # The cursor moves past the instant only once all of it is stored.
            target = self._cursor_after(cursor, end, set(), sealed) if done else None
            self._store(module, page, outcome, target)
            if done:
                return sealed
            after = page[-1].id

    def _settled(self, at: datetime) -> bool:
        """True when the instant ``at`` ended before the run began (with the lag for
        clock skew): no record can be saved at it any more."""
        return at + self.client.modified_resolution + self.options.lag <= self.run_start

    def _cursor_after(
        self, old: Cursor, at: datetime | None, ids: set[str], sealed: datetime | None = None
    ) -> Cursor | None:
        if at is None:
            return None
        if at > self.run_start:
            at, ids = self.run_start, set()
        if not self._settled(at):
            # A record read at instant ``at`` could be modified again within the same
            # (V8: minute-wide) instant after we read it; only instants that ended
            # before the run began (with the lag for clock skew) may skip their ids.
            ids = set()
        if old.date_modified is not None and at < old.date_modified:
            return None
        return Cursor(
            old.module, at, frozenset(ids), old.last_full_at, old.last_reconciled_at, sealed
        )

    def _store(
        self,
        module: str,
        records: Sequence[Record],
        outcome: ModuleOutcome,
        cursor: Cursor | None,
    ) -> None:
        stats = outcome.stats
        stats.read += len(records)
        now = self.clock()
        live: list[TouchpointData] = []
        links: list[EntityLink] = []
        gone: list[str] = []
        bad: list[Quarantined] = []
        held = self._held.setdefault(module, set())
        with self._write() as conn:
            for record in records:
                if record.deleted:
                    gone.append(f"{module}:{record.id}")
                    continue
                try:
                    record = self._with_related(module, record)
                    live.append(normalise(module, record, self.run_start))
                except BadRecordError as exc:
                    bad.append(Quarantined(module, record.id, exc.field, exc.value, exc.reason))
                    self._count_skipped(stats, module, record.id)
                    log.info("%s", exc.message)
                    continue
                except SkippableError as exc:
                    self._count_skipped(stats, module, record.id)
                    add_error(
                        conn, self.run_id, now, exc.message, module=module, record_id=record.id
                    )
                    continue
                links.extend(entity_links(module, record))
            result = save_page(conn, live, links, now)
            deleted, affected = delete_touchpoints(conn, gone) if gone else (0, set())
            changed = result.changed_entities | affected
            if changed:
                reresolve(conn, changed)
            hold(conn, bad, now, self.run_id)
            healed = {t.source_id for t in live} | {k.split(":", 1)[1] for k in gone}
            if held & healed:
                release(conn, module, held & healed)
            if cursor is not None:
                save_cursor(conn, cursor, now)
        held -= healed
        held.update(q.record_id for q in bad)
        stats.created += result.created
        stats.updated += result.updated
        stats.unchanged += result.unchanged
        stats.orphans += result.orphans
        stats.deleted += deleted
        if self.progress:
            self.progress(module, len(records))
        if self.heartbeat:
            self.heartbeat()
        if self.should_stop and self.should_stop():
            # The page and its cursor are committed: stopping here loses nothing.
            raise PullStopped(
                f"stopped on request during the pull of {module}, after {stats.read:,} "
                "records (each stored page is kept; the next pull resumes there).",
                stats,
            )

    def _count_skipped(self, stats: ModuleStats, module: str, record_id: str) -> None:
        """A record counts once per run, however often the walk meets it."""
        key = (module, record_id)
        if key not in self._skipped:
            self._skipped.add(key)
            stats.skipped += 1

    def _retry_quarantined(self, module: str, outcome: ModuleOutcome) -> None:
        """Read again, by id, the quarantined records this run has not met yet: a good
        version is stored (and released), a deleted one is released, a bad one stays."""
        with self.db.read() as conn:
            ids = due_for_retry(conn, module, self.run_id, RETRY_LIMIT)
        found: list[Record] = []
        missing: list[str] = []
        for record_id in ids:
            try:
                found.append(self.client.get_record(module, record_id))
            except NotFoundError:
                missing.append(record_id)
        if missing:
            with self._write() as conn:
                release(conn, module, missing)
            self._held[module] -= set(missing)
            log.info("%s: %d quarantined records are gone from SuiteCRM", module, len(missing))
        if found:
            self._store(module, found, outcome, None)

    def _with_related(self, module: str, record: Record) -> Record:
        """Add ``<link>_related_id`` for modules tied to customers only by a relationship."""
        links = RELATED_LINKS.get(module)
        if not links:
            return record
        extra: dict[str, str] = {}
        for link in links:
            related = self.client.get_related(module, record.id, link)
            if related:
                extra[f"{link}_related_id"] = min(r.id for r in related)
        return replace(record, attributes={**record.attributes, **extra}) if extra else record

    # -- deletions ------------------------------------------------------------------

    def _read_deletions(self, module: str, outcome: ModuleOutcome) -> None:
        assert self.deletions is not None
        key = module + DELETED_SUFFIX
        cursor = Cursor(key) if self.options.full else self._load(key)
        conditions: tuple[Condition, ...] = (Condition("deleted", Op.EQ, 1),)
        if cursor.date_modified is not None:
            conditions += (
                Condition("date_modified", Op.GTE, cursor.date_modified - self.options.lag),
            )
        query = Query(module, conditions, fields=("id", "deleted"), include_deleted=True)
        latest = cursor.date_modified
        batch: list[Record] = []
        for record in self.deletions.iter_records(query, page_size=self.options.page_size):
            if record.deleted:
                batch.append(record)
                if record.date_modified and (latest is None or record.date_modified > latest):
                    latest = record.date_modified
            if len(batch) >= self.options.page_size:
                self._store(module, batch, outcome, None)
                batch = []
        self._store(module, batch, outcome, None)
        if latest is not None:
            at = min(latest, self.run_start)
            with self._write() as conn:
                save_cursor(conn, Cursor(key, at), self.clock())

    def _mark_reconciled(self, module: str) -> None:
        with self._write() as conn:
            cursor = load_cursor(conn, module)
            save_cursor(conn, replace(cursor, last_reconciled_at=self.clock()), self.clock())

    def _reconcile_due(self, module: str) -> bool:
        cursor = self._load(module)
        if cursor.last_reconciled_at is None:
            return False  # the first pull read everything
        return self.clock() - cursor.last_reconciled_at >= self.options.reconcile_every

    def _reconcile(self, module: str, outcome: ModuleOutcome) -> None:
        """List every id SuiteCRM has (streamed into reconcile_ids), delete the rest."""
        seen = cast(Table, SeenIdRow.__table__)
        tp = cast(Table, TouchpointRow.__table__)
        with self._write() as conn:
            conn.execute(delete(seen).where(seen.c.module == module))
        for ids in iter_id_pages(self.client, module, max(self.options.page_size, 500)):
            self._insert_seen([{"module": module, "source_id": i} for i in ids])
            if self.heartbeat:
                self.heartbeat()
        with self._write() as conn:
            missing = (
                conn.execute(
                    select(tp.c.key).where(
                        tp.c.module == module,
                        ~select(seen.c.source_id)
                        .where(seen.c.module == module, seen.c.source_id == tp.c.source_id)
                        .exists(),
                    )
                )
                .scalars()
                .all()
            )
            deleted, affected = delete_touchpoints(conn, list(missing))
            if affected:
                reresolve(conn, affected)
            conn.execute(delete(seen).where(seen.c.module == module))
        self._mark_reconciled(module)
        outcome.stats.deleted += deleted

    def _insert_seen(self, rows: list[dict[str, str]]) -> None:
        if rows:
            with self._write() as conn:
                conn.execute(cast(Table, SeenIdRow.__table__).insert(), rows)


def iter_id_pages(client: CrmClient, module: str, size: int) -> Iterator[list[str]]:
    """Every id of a module, by keyset on id (``id > last``, page 1): records created or
    deleted during the walk cannot shift a page and hide an id, as page numbers would."""
    after = ""
    while True:
        conditions = (Condition("id", Op.GT, after),) if after else ()
        page = client.list_page(
            Query(module, conditions, fields=("id",), sort="id"), page_number=1, page_size=size
        ).records
        ids = [r.id for r in page if r.id]
        if ids:
            yield ids
        if len(page) < size or not ids:
            return
        after = ids[-1]


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
