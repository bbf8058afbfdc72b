"""The three ways to write CJ records into SuiteCRM, behind one interface.

* ``ApiWriter`` — V8, one request per record: create with our id; when SuiteCRM
  says the id exists, update instead (and the other way round), so a re-run
  after a crash converges without duplicates.
* ``BulkWriter`` — REST v4_1 ``set_entries`` in batches (one request per batch;
  set_entries creates or updates by id).
* ``MysqlWriter`` — direct upserts into SuiteCRM's ``cj_journeys`` and
  ``cj_touchpoints`` tables (``connector.crm.mysql``), for very large instances.

All three give the same records. A record SuiteCRM rejects is reported and the
rest go on; transient failures (the server down) propagate, and the push stops
with what it wrote so far recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from connector.crm.client import CrmClient
from connector.crm.legacy import LegacyClient
from connector.crm.mysql import CjTables
from connector.errors import DuplicateIdError, NotFoundError, SkippableError
from connector.writeback.payload import CjRecord

log = logging.getLogger(__name__)


@dataclass
class WriteOutcome:
    written: list[CjRecord] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # module, id, message


class Writer(Protocol):
    name: str

    def upsert(self, records: Sequence[CjRecord], synced_at: str) -> WriteOutcome: ...

    def delete(self, module: str, ids: Sequence[str]) -> WriteOutcome: ...

    @property
    def operations(self) -> int:
        """HTTP requests (or SQL statements) made so far."""

    def close(self) -> None: ...


def batches_by_module(
    records: Sequence[CjRecord], size: int
) -> Iterator[tuple[str, list[CjRecord]]]:
    """The records grouped by module, in batches of at most ``size``."""
    by_module: dict[str, list[CjRecord]] = {}
    for record in records:
        by_module.setdefault(record.module, []).append(record)
    for module, group in by_module.items():
        for start in range(0, len(group), size):
            yield module, group[start : start + size]


def batches(ids: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def stamped(record: CjRecord, synced_at: str) -> dict[str, Any]:
    """The attributes to send; a journey also says when it was written."""
    if record.module == "CJ_Journeys":
        return {**record.attributes, "date_synced": synced_at}
    return dict(record.attributes)


class ApiWriter:
    name = "api"

    def __init__(self, client: CrmClient) -> None:
        self.client = client

    @property
    def operations(self) -> int:
        return self.client.requests_made

    def upsert(self, records: Sequence[CjRecord], synced_at: str) -> WriteOutcome:
        outcome = WriteOutcome()
        for record in records:
            values = stamped(record, synced_at)
            try:
                try:
                    self.client.create_record(record.module, values, record.id)
                except DuplicateIdError:
                    self.client.update_record(record.module, record.id, values)
            except NotFoundError:
                outcome.failed.append(
                    (
                        record.module,
                        record.id,
                        f"{record.module} {record.id} was deleted in SuiteCRM "
                        "and cannot be written again under its id",
                    )
                )
                continue
            except SkippableError as exc:
                outcome.failed.append((record.module, record.id, exc.message))
                continue
            outcome.written.append(record)
        return outcome

    def delete(self, module: str, ids: Sequence[str]) -> WriteOutcome:
        outcome = WriteOutcome()
        for record_id in ids:
            try:
                self.client.delete_record(module, record_id)
            except NotFoundError:
                pass  # already gone: the goal is reached
            except SkippableError as exc:
                outcome.failed.append((module, record_id, exc.message))
                continue
            outcome.deleted.append(record_id)
        return outcome

    def close(self) -> None:
        self.client.close()


class BulkWriter:
    name = "bulk"

    def __init__(self, client: LegacyClient, batch_size: int = 100) -> None:
        self.client = client
        self.batch_size = batch_size

    @property
    def operations(self) -> int:
        return self.client.requests_made

    def upsert(self, records: Sequence[CjRecord], synced_at: str) -> WriteOutcome:
        outcome = WriteOutcome()
        for module, batch in batches_by_module(records, self.batch_size):
            rows = [{"id": r.id, **stamped(r, synced_at)} for r in batch]
            try:
                ids = self.client.set_entries(module, rows)
            except SkippableError as exc:
                outcome.failed.extend((module, r.id, exc.message) for r in batch)
                continue
            for record, saved in zip(batch, ids, strict=True):
                if saved == record.id:
                    outcome.written.append(record)
                else:
                    outcome.failed.append((module, record.id, f"SuiteCRM saved it as {saved}"))
        return outcome

    def delete(self, module: str, ids: Sequence[str]) -> WriteOutcome:
        outcome = WriteOutcome()
        for batch in batches(ids, self.batch_size):
            try:
                self.client.set_entries(module, [{"id": i, "deleted": "1"} for i in batch])
            except SkippableError as exc:
                outcome.failed.extend((module, i, exc.message) for i in batch)
                continue
            outcome.deleted.extend(batch)
        return outcome

    def close(self) -> None:
        self.client.close()


class MysqlWriter:
    name = "mysql"

    def __init__(self, tables: CjTables, batch_size: int = 500) -> None:
        self.tables = tables
        self.batch_size = batch_size

    @property
    def operations(self) -> int:
        return self.tables.statements

    def upsert(self, records: Sequence[CjRecord], synced_at: str) -> WriteOutcome:
        outcome = WriteOutcome()
        for module, batch in batches_by_module(records, self.batch_size):
            self.tables.upsert(module, [(r.id, stamped(r, synced_at)) for r in batch], synced_at)
            outcome.written.extend(batch)
        return outcome

    def delete(self, module: str, ids: Sequence[str]) -> WriteOutcome:
        outcome = WriteOutcome()
        for batch in batches(ids, self.batch_size):
            self.tables.mark_deleted(module, batch)
            outcome.deleted.extend(batch)
        return outcome

    def close(self) -> None:
        self.tables.close()
