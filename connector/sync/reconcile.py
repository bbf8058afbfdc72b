"""What the pull does beside reading changes: deletions, reconciliation, quarantine retries.

* Deletions: beside V8, a REST v4_1 client lists the rows deleted since the
  module's own deletions cursor (``Module#deleted``).
* Reconciliation: with V8 alone (or a module whose deleted listing SuiteCRM cannot
  answer), every id SuiteCRM still has is listed by keyset on id (streamed into
  ``reconcile_ids``) and the touchpoints it did not list are removed; daily, and on
  a full pull. A first read saw every record there is and counts as one.
* Quarantine: records held back are read again by id at every pull; a good version
  is stored (and released), a record SuiteCRM no longer has is released.

Requests and transactions never overlap: ids are listed first, then written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta

from connector.crm.client import CrmClient
from connector.crm.records import Condition, Op, Query, Record
from connector.errors import NotFoundError
from connector.store.cursors import Cursor, load_cursor, save_cursor
from connector.store.quarantine import due_for_retry
from connector.store.queries import delete_touchpoints, reresolve
from connector.store.touchpoints import add_seen_ids, clear_seen_ids, unseen_keys
from connector.sync.pagewriter import ModuleOutcome, PageWriter

log = logging.getLogger(__name__)

DELETED_SUFFIX = "#deleted"
# Quarantined records re-read by id per module and run (oldest attempt first); the
# rest wait for the next run. Records fixed in SuiteCRM come back by date_modified anyway.
RETRY_LIMIT = 200
ID_PAGE = 500


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


class Reconciler:
    """Deletions, reconciliation and quarantine retries of one run."""

    def __init__(
        self,
        client: CrmClient,
        writer: PageWriter,
        *,
        clock: Callable[[], datetime],
        run_start: datetime,
        page_size: int,
        lag: timedelta,
        deletions: CrmClient | None = None,
        heartbeat: Callable[[], None] | None = None,
    ) -> None:
        self.client = client
        self.writer = writer
        self.clock = clock
        self.run_start = run_start
        self.page_size = page_size
        self.lag = lag
        self.deletions = deletions
        self.heartbeat = heartbeat

    def _load(self, key: str) -> Cursor:
        with self.writer.db.read() as conn:
            return load_cursor(conn, key)

    def retry_quarantined(self, module: str, run_id: int, outcome: ModuleOutcome) -> None:
        """Read again, by id, the quarantined records this run has not met yet: a good
        version is stored (and released), a deleted one is released, a bad one stays."""
        with self.writer.db.read() as conn:
            ids = due_for_retry(conn, module, run_id, RETRY_LIMIT)
        found: list[Record] = []
        missing: list[str] = []
        for record_id in ids:
            try:
                found.append(self.client.get_record(module, record_id))
            except NotFoundError:
                missing.append(record_id)
        if missing:
            self.writer.release_missing(module, missing)
            log.info("%s: %d quarantined records are gone from SuiteCRM", module, len(missing))
        if found:
            self.writer.store(module, found, outcome, None)

    def read_deletions(self, module: str, outcome: ModuleOutcome, full: bool) -> None:
        """The rows deleted since the deletions cursor, through REST v4_1."""
        assert self.deletions is not None
        key = module + DELETED_SUFFIX
        cursor = Cursor(key) if full else self._load(key)
        conditions: tuple[Condition, ...] = (Condition("deleted", Op.EQ, 1),)
        if cursor.date_modified is not None:
            lower = cursor.date_modified - self.lag
            conditions += (Condition("date_modified", Op.GTE, lower),)
        query = Query(module, conditions, fields=("id", "deleted"), include_deleted=True)
        latest = cursor.date_modified
        batch: list[Record] = []
        for record in self.deletions.iter_records(query, page_size=self.page_size):
            if record.deleted:
                batch.append(record)
                if record.date_modified and (latest is None or record.date_modified > latest):
                    latest = record.date_modified
            if len(batch) >= self.page_size:
                self.writer.store(module, batch, outcome, None)
                batch = []
        self.writer.store(module, batch, outcome, None)
        if latest is not None:
            at = min(latest, self.run_start)
            with self.writer.transaction() as conn:
                save_cursor(conn, Cursor(key, at), self.clock())

    def mark_reconciled(self, module: str) -> None:
        with self.writer.transaction() as conn:
            cursor = load_cursor(conn, module)
            save_cursor(conn, replace(cursor, last_reconciled_at=self.clock()), self.clock())

    def reconcile_due(self, module: str, every: timedelta) -> bool:
        cursor = self._load(module)
        if cursor.last_reconciled_at is None:
            return False  # the first pull read everything
        return self.clock() - cursor.last_reconciled_at >= every

    def reconcile(self, module: str, outcome: ModuleOutcome) -> None:
        """List every id SuiteCRM has (streamed into reconcile_ids), delete the rest."""
        with self.writer.transaction() as conn:
            clear_seen_ids(conn, module)
        for ids in iter_id_pages(self.client, module, max(self.page_size, ID_PAGE)):
            with self.writer.transaction() as conn:
                add_seen_ids(conn, module, ids)
            if self.heartbeat:
                self.heartbeat()
        with self.writer.transaction() as conn:
            deleted, affected = delete_touchpoints(conn, unseen_keys(conn, module))
            if affected:
                reresolve(conn, affected)
            clear_seen_ids(conn, module)
        self.mark_reconciled(module)
        outcome.stats.deleted += deleted
