"""Storing what the pull read: one page, its deletions, quarantine and cursor at once.

``PageWriter.store`` normalises a page of records (pure work, before the
transaction opens), then in one transaction upserts the touchpoints and their
links, removes the records SuiteCRM deleted, puts the records that cannot be
touchpoints in quarantine (and releases those that healed), and saves the
stream's cursor: every page is a checkpoint, and a crash costs at most that page.
It never speaks to SuiteCRM: nothing here holds a transaction across a request.

With parallel pullers (several modules at once) a shared lock lets one of them
write at a time: requests overlap, database writes do not, so no two transactions
fight over the same rows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from connector.crm.records import Record
from connector.errors import BadRecordError, InterruptedRunError, SkippableError
from connector.store.cursors import Cursor, save_cursor
from connector.store.database import Connection, StateDB
from connector.store.quarantine import Quarantined, held_ids, hold, release
from connector.store.queries import EntityLink, TouchpointData, delete_touchpoints, reresolve
from connector.store.runs import ModuleStats, add_error
from connector.store.touchpoints import save_page
from connector.sync.normalise import entity_links, normalise

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]


class PullStopped(InterruptedRunError):
    """A stop was asked for during a module's pull; ``stats`` is what it had done."""

    def __init__(self, message: str, stats: ModuleStats) -> None:
        super().__init__(message)
        self.stats = stats


@dataclass
class ModuleOutcome:
    stats: ModuleStats
    changed_entities: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Prepared:
    """A page made ready to store, outside any transaction."""

    live: list[TouchpointData] = field(default_factory=list)
    links: list[EntityLink] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    bad: list[Quarantined] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # record id, message


class PageWriter:
    """Stores pages for one run; keeps what the run learnt about quarantined records."""

    def __init__(
        self,
        db: StateDB,
        *,
        clock: Callable[[], datetime],
        run_id: int,
        run_start: datetime,
        progress: Progress | None = None,
        heartbeat: Callable[[], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        write_lock: threading.Lock | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.run_id = run_id
        self.run_start = run_start
        self.progress = progress
        self.heartbeat = heartbeat
        self.should_stop = should_stop
        self.write_lock = write_lock
        self.held: dict[str, set[str]] = {}
        self._skipped: set[tuple[str, str]] = set()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction; with parallel pullers, one at a time."""
        if self.write_lock is None:
            with self.db.begin() as conn:
                yield conn
            return
        with self.write_lock, self.db.begin() as conn:
            yield conn

    def load_held(self, module: str) -> set[str]:
        with self.db.read() as conn:
            self.held[module] = held_ids(conn, module)
        return self.held[module]

    def store(
        self,
        module: str,
        records: Sequence[Record],
        outcome: ModuleOutcome,
        cursor: Cursor | None,
    ) -> None:
        """Store one page and (when given) the stream's cursor after it, in one transaction."""
        stats = outcome.stats
        stats.read += len(records)
        page = self._prepare(module, records, stats)
        now = self.clock()
        held = self.held.setdefault(module, set())
        healed = {t.source_id for t in page.live} | {k.split(":", 1)[1] for k in page.gone}
        with self.transaction() as conn:
            for record_id, message in page.errors:
                add_error(conn, self.run_id, now, message, module=module, record_id=record_id)
            result = save_page(conn, page.live, page.links, now)
            deleted, affected = delete_touchpoints(conn, page.gone) if page.gone else (0, set())
            changed = result.changed_entities | affected
            if changed:
                reresolve(conn, changed)
            hold(conn, page.bad, now, self.run_id)
            if held & healed:
                release(conn, module, held & healed)
            if cursor is not None:
                save_cursor(conn, cursor, now)
        held -= healed
        held.update(q.record_id for q in page.bad)
        stats.created += result.created
        stats.updated += result.updated
        stats.unchanged += result.unchanged
        stats.orphans += result.orphans
        stats.deleted += deleted
        self._after(module, len(records), stats)

    def release_missing(self, module: str, record_ids: Sequence[str]) -> None:
        """Take records SuiteCRM no longer has out of quarantine."""
        with self.transaction() as conn:
            release(conn, module, record_ids)
        self.held.setdefault(module, set()).difference_update(record_ids)

    def _prepare(self, module: str, records: Sequence[Record], stats: ModuleStats) -> _Prepared:
        page = _Prepared()
        for record in records:
            if record.deleted:
                page.gone.append(f"{module}:{record.id}")
                continue
            try:
                page.live.append(normalise(module, record, self.run_start))
            except BadRecordError as exc:
                page.bad.append(Quarantined(module, record.id, exc.field, exc.value, exc.reason))
                self._count_skipped(stats, module, record.id)
                log.info("%s", exc.message)
                continue
            except SkippableError as exc:
                self._count_skipped(stats, module, record.id)
                page.errors.append((record.id, exc.message))
                continue
            page.links.extend(entity_links(module, record))
        return page

    def _after(self, module: str, count: int, stats: ModuleStats) -> None:
        if self.progress:
            self.progress(module, count)
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
