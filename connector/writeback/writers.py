"""The three ways to write CJ records into SuiteCRM, behind one interface.

* ``ApiWriter`` — V8, one request per record: a record the state database knows
  was written is updated (PATCH), any other is created with our id (POST). Only
  when that guess is wrong (the state was lost, or a record was deleted by hand)
  does it cost a second request: a create that finds the id taken becomes an
  update, an update that finds no record becomes a create.
* ``BulkWriter`` — REST v4_1 ``set_entries`` in batches: creates carry
  ``new_with_id`` (without it SuiteCRM answers the id and creates nothing), and
  one ``get_entries`` per batch checks what was stored; records stored wrongly
  or not at all are sent again the other way round, once.
* ``MysqlWriter`` — direct upserts into SuiteCRM's ``cj_journeys`` and
  ``cj_touchpoints`` tables (``connector.crm.mysql``), for very large instances.

All three give the same stored records, owner included: ``assigned_user_id`` is
the SuiteCRM user the connector writes as (V8: learnt from SuiteCRM's answer to
the first write; v4_1: the user logged in; mysql: the configured user looked up
in SuiteCRM's database). The HTTP writers check what SuiteCRM says it stored
against what they sent (``writeback.verify``): a write answered without the
record stored as sent is a failure, not a success. A record SuiteCRM rejects is
reported and the rest go on; transient failures (the server down) propagate, and
the push stops with what it wrote so far recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from connector.crm.client import CrmClient
from connector.crm.legacy import LegacyClient
from connector.crm.mysql import CjTables
from connector.crm.records import Record
from connector.errors import (
    DatabaseFailureError,
    DuplicateIdError,
    NotFoundError,
    SkippableError,
)
from connector.writeback.payload import CjRecord
from connector.writeback.verify import describe, differences

log = logging.getLogger(__name__)

OWNER = "assigned_user_id"


@dataclass
class WriteOutcome:
    written: list[CjRecord] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # module, id, message


class Writer(Protocol):
    name: str

    def upsert(
        self, records: Sequence[CjRecord], synced_at: str, known: Collection[str] = ()
    ) -> WriteOutcome:
        """Write ``records``; ``known`` holds the ids the state database says SuiteCRM
        has (written before), so each is updated rather than created."""

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


def stamped(record: CjRecord, synced_at: str, owner: str | None = None) -> dict[str, Any]:
    """The attributes to send: a journey also says when it was written, and every
    record names its owner once the owner is known."""
    values = dict(record.attributes)
    if record.module == "CJ_Journeys":
        values["date_synced"] = synced_at
    if owner:
        values[OWNER] = owner
    return values


def deleted_by_hand(record: CjRecord) -> str:
    return (
        f"{record.module} {record.id} was deleted in SuiteCRM and cannot be written again "
        "under its id"
    )


class ApiWriter:
    name = "api"

    def __init__(self, client: CrmClient, owner: str | None = None) -> None:
        self.client = client
        self.owner = owner

    @property
    def operations(self) -> int:
        return self.client.requests_made

    def upsert(
        self, records: Sequence[CjRecord], synced_at: str, known: Collection[str] = ()
    ) -> WriteOutcome:
        outcome = WriteOutcome()
        for record in records:
            values = stamped(record, synced_at, self.owner)
            try:
                stored = self._save(record, values, exists=record.id in known)
                if self.owner is None:
                    stored = self._learn_owner(record, stored)
                    values = stamped(record, synced_at, self.owner)
            except NotFoundError:
                outcome.failed.append((record.module, record.id, deleted_by_hand(record)))
                continue
            except SkippableError as exc:
                outcome.failed.append((record.module, record.id, exc.message))
                continue
            wrong = differences(values, stored.attributes)
            if wrong:
                message = describe(record.module, record.id, wrong, stored.attributes)
                outcome.failed.append((record.module, record.id, message))
                continue
            outcome.written.append(record)
        return outcome

    def _save(self, record: CjRecord, values: Mapping[str, Any], *, exists: bool) -> Record:
        """One request when ``exists`` is right; two when the state was wrong."""
        if exists:
            try:
                return self.client.update_record(record.module, record.id, values)
            except NotFoundError:
                log.info("%s %s is not in SuiteCRM any more; creating it", record.module, record.id)
        else:
            try:
                return self.client.create_record(record.module, values, record.id)
            except DuplicateIdError:
                log.info("%s %s already exists; updating it", record.module, record.id)
                return self.client.update_record(record.module, record.id, values)
        try:
            return self.client.create_record(record.module, values, record.id)
        except DuplicateIdError:
            raise NotFoundError(deleted_by_hand(record), record.module, record.id) from None

    def _learn_owner(self, record: CjRecord, stored: Record) -> Record:
        """The user SuiteCRM stamped on the first write is the one the connector writes
        as: the owner of every record; the first record gets it with one more request."""
        user = str(stored.get("modified_user_id") or stored.get("created_by") or "")
        if not user:
            return stored
        self.owner = user
        log.info("CJ records are owned by SuiteCRM user %s (the API user)", user)
        if str(stored.get(OWNER) or "") == user:
            return stored
        return self.client.update_record(record.module, record.id, {OWNER: user})

    def delete(self, module: str, ids: Sequence[str]) -> WriteOutcome:
        outcome = WriteOutcome()
        for record_id in ids:
            try:
                self.client.delete_record(module, record_id)
            except NotFoundError:
                log.debug("%s %s was already gone", module, record_id)
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

    @property
    def owner(self) -> str | None:
        """The user logged in to v4_1: the one the records are written as."""
        user = self.client.user.get("user_id")
        return str(user) if user else None

    def upsert(
        self, records: Sequence[CjRecord], synced_at: str, known: Collection[str] = ()
    ) -> WriteOutcome:
        outcome = WriteOutcome()
        for module, batch in batches_by_module(records, self.batch_size):
            sent = {r.id: stamped(r, synced_at, self.owner) for r in batch}
            creates = {r.id for r in batch if r.id not in known}
            try:
                self._send(module, batch, sent, creates)
                wrong = self._check(module, batch, sent, outcome)
                if wrong:
                    # The state was wrong about these: send them the other way round.
                    self._resend(module, wrong, sent)
                    self._check(module, [r for r, _ in wrong], sent, outcome, last=True)
            except SkippableError as exc:
                done = {r.id for r in outcome.written} | {i for _, i, _ in outcome.failed}
                outcome.failed.extend(
                    (module, r.id, exc.message) for r in batch if r.id not in done
                )
        return outcome

    def _send(
        self,
        module: str,
        batch: Sequence[CjRecord],
        sent: Mapping[str, Mapping[str, Any]],
        creates: set[str],
    ) -> None:
        rows = [
            {"id": r.id, **({"new_with_id": True} if r.id in creates else {}), **sent[r.id]}
            for r in batch
        ]
        try:
            self.client.set_entries(module, rows)
        except DatabaseFailureError:
            # A create met an id that exists (the state was lost): SuiteCRM saved the
            # rows before it and stopped. The check below finds out which.
            log.info("set_entries on %s met an existing id; checking the batch", module)

    def _resend(
        self,
        module: str,
        wrong: Sequence[tuple[CjRecord, Record | None]],
        sent: Mapping[str, Mapping[str, Any]],
    ) -> None:
        """Records stored wrongly are updated, together; missing ones are created one
        per request, so one that meets a row deleted by hand fails alone."""
        updates = [record for record, found in wrong if found is not None]
        if updates:
            self._send(module, updates, sent, set())
        for record, found in wrong:
            if found is None:
                self._send(module, [record], sent, {record.id})

    def _check(
        self,
        module: str,
        batch: Sequence[CjRecord],
        sent: Mapping[str, Mapping[str, Any]],
        outcome: WriteOutcome,
        *,
        last: bool = False,
    ) -> list[tuple[CjRecord, Record | None]]:
        """Read the batch back: stored as sent → written; otherwise, on the last
        check a failure, before it a record to send again."""
        fields = sorted({name for values in sent.values() for name in values})
        stored = self.client.get_records(module, [r.id for r in batch], ["id", *fields])
        wrong: list[tuple[CjRecord, Record | None]] = []
        for record in batch:
            found = stored.get(record.id)
            changed = differences(sent[record.id], found.attributes) if found else ["id"]
            if not changed:
                outcome.written.append(record)
            elif not last:
                wrong.append((record, found))
            elif found is None:
                outcome.failed.append((module, record.id, deleted_by_hand(record)))
            else:
                message = describe(module, record.id, changed, found.attributes)
                outcome.failed.append((module, record.id, message))
        return wrong

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

    def upsert(
        self, records: Sequence[CjRecord], synced_at: str, known: Collection[str] = ()
    ) -> WriteOutcome:
        # One upsert per batch whatever ``known`` says: no round trip to save.
        outcome = WriteOutcome()
        for module, batch in batches_by_module(records, self.batch_size):
            rows = [(r.id, stamped(r, synced_at, self.tables.user_id)) for r in batch]
            self.tables.upsert(module, rows, synced_at)
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
