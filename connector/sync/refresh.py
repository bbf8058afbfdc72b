"""Refresh a few records by id: read them, store them, rebuild and push their customers.

What ``suitejourney serve`` does with each batch of change notifications, under
the instance lock (the same lease row a sync takes, with a short lease that a
starting sync waits out), so a refresh and a sync never write at once:

1. read each record by id (``get_record``); one SuiteCRM no longer has, or that
   was deleted, is removed from the state database, as a pull would;
2. in one transaction, store them as a pull page would (``save_page``, links,
   deletions, re-resolution of what hangs from them) and rebuild the journeys of
   the customers they touched — their customer before and after, and every
   customer that the change moved touchpoints from or to;
3. push those journeys, and only those.

The clients are opened lazily and kept between batches; a transient failure
closes them so the next batch connects afresh.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from connector.crm.client import CrmClient
from connector.crm.records import Record
from connector.errors import NotFoundError, SkippableError, TransientError
from connector.journey import Mapping
from connector.store.customers import customers_of, dirty_keys
from connector.store.database import Connection, StateDB
from connector.store.queries import (
    EntityLink,
    TouchpointData,
    delete_touchpoints,
    is_customer_key,
    reresolve,
)
from connector.store.touchpoints import save_page
from connector.sync.classify import ClassifyReport, rebuild
from connector.sync.normalise import RELATED_LINKS, entity_key, entity_links, normalise
from connector.sync.runner import SHORT_LEASE, Lease
from connector.writeback.push import PushReport, push
from connector.writeback.selection import DEFAULT_TOUCHPOINT_RECORDS
from connector.writeback.writers import Writer

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class RecordRef:
    """A record to refresh; ``deleted`` when SuiteCRM said it was deleted."""

    module: str
    record_id: str
    deleted: bool = False

    @property
    def key(self) -> str:
        return entity_key(self.module, self.record_id)


@dataclass
class RefreshReport:
    read: int = 0
    removed: int = 0
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # module, id, why
    customers: list[str] = field(default_factory=list)
    classified: ClassifyReport = field(default_factory=ClassifyReport)
    pushed: PushReport | None = None


def fetch_records(
    client: CrmClient, refs: Sequence[RecordRef], report: RefreshReport
) -> tuple[list[Record], list[str]]:
    """The live records among ``refs`` and the keys of those that are gone."""
    live: list[Record] = []
    gone: list[str] = []
    for ref in refs:
        if ref.deleted:
            gone.append(ref.key)
            continue
        try:
            record = client.get_record(ref.module, ref.record_id)
            if record.deleted:
                gone.append(ref.key)
                continue
            live.append(with_related(client, ref.module, record))
        except NotFoundError:
            gone.append(ref.key)  # deleted since, or never visible to the API user
        except SkippableError as exc:
            report.skipped.append((ref.module, ref.record_id, exc.message))
    report.read += len(live)
    return live, gone


def with_related(client: CrmClient, module: str, record: Record) -> Record:
    """Add ``<link>_related_id`` for modules tied to customers only by a relationship
    (as the pull does)."""
    extra: dict[str, str] = {}
    for link in RELATED_LINKS.get(module, ()):
        related = client.get_related(module, record.id, link)
        if related:
            extra[f"{link}_related_id"] = min(r.id for r in related)
    return replace(record, attributes={**record.attributes, **extra}) if extra else record


def touched_customers(conn: Connection, keys: Sequence[str]) -> set[str]:
    """The customers ``keys`` belong to now (a customer's own key included)."""
    return {k for k in keys if is_customer_key(k)} | customers_of(conn, keys)


def store_records(
    conn: Connection,
    records: Sequence[Record],
    gone: Sequence[str],
    now: datetime,
    report: RefreshReport,
) -> set[str]:
    """Store ``records`` and remove ``gone`` (caller's transaction); the customers
    whose journeys the change touched."""
    keys = [entity_key(r.module, r.id) for r in records] + list(gone)
    dirty_before = dirty_keys(conn)
    touched = touched_customers(conn, keys)
    by_module: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_module[record.module].append(record)
    changed: set[str] = set()
    for module, group in by_module.items():
        rows: list[TouchpointData] = []
        links: list[EntityLink] = []
        for record in group:
            try:
                rows.append(touchpoint_of(module, record))
            except (SkippableError, ValueError) as exc:
                why = exc.message if isinstance(exc, SkippableError) else str(exc)
                report.skipped.append((module, record.id, why))
                continue
            links.extend(entity_links(module, record))
        changed |= save_page(conn, rows, links, now).changed_entities
    if gone:
        removed, affected = delete_touchpoints(conn, gone)
        report.removed += removed
        changed |= affected
    if changed:
        reresolve(conn, changed)
    touched |= touched_customers(conn, keys)
    return touched | (dirty_keys(conn) - dirty_before)


def touchpoint_of(module: str, record: Record) -> TouchpointData:
    touchpoint = normalise(module, record)
    if touchpoint.occurred_at is None:
        raise SkippableError(
            f"{module} record {record.id} has no usable date (date_entered, date_modified).",
            module,
            record.id,
        )
    return touchpoint


class Refresher:
    """Refreshes batches of records; holds its clients between batches."""

    def __init__(
        self,
        db: StateDB,
        mapping: Mapping,
        namespace: uuid.UUID,
        *,
        connect: Callable[[], CrmClient],
        writer: Callable[[], Writer],
        clock: Clock,
        owner: str | None = None,
        touchpoint_records: str = DEFAULT_TOUCHPOINT_RECORDS,
    ) -> None:
        self.db = db
        self.touchpoint_records = touchpoint_records  # as the scheduled sync writes them
        self.mapping = mapping
        self.namespace = namespace
        self.connect = connect
        self.make_writer = writer
        self.clock = clock
        self.owner = owner
        self._client: CrmClient | None = None
        self._writer: Writer | None = None

    def refresh(self, refs: Sequence[RecordRef]) -> RefreshReport:
        """One batch, under the instance lock. Raises ``SyncLockedError`` when a sync
        holds the lock, ``TransientError`` when SuiteCRM cannot be reached."""
        report = RefreshReport()
        lease = Lease(self.db, self.clock, SHORT_LEASE, owner=self.owner)
        lease.acquire()
        try:
            client = self._client = self._client or self.connect()
            live, gone = fetch_records(client, refs, report)
            lease.heartbeat()
            now = self.clock()
            with self.db.begin() as conn:
                customers = sorted(store_records(conn, live, gone, now, report))
                if customers:
                    rebuild(conn, customers, self.mapping, now, report.classified)
            report.customers = customers
            if customers:
                lease.heartbeat()
                writer = self._writer = self._writer or self.make_writer()
                report.pushed = push(
                    self.db,
                    writer,
                    self.namespace,
                    self.clock,
                    customers=customers,
                    touchpoint_records=self.touchpoint_records,
                )
        except TransientError:
            self.close()  # connect afresh next time
            raise
        finally:
            lease.release()
        return report

    def close(self) -> None:
        for opened in (self._client, self._writer):
            if opened is not None:
                try:
                    opened.close()
                except Exception:  # closing a broken connection must not hide the cause
                    log.debug("closing a client failed", exc_info=True)
        self._client = self._writer = None
