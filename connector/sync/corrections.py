"""Corrections flow back: stages people changed in SuiteCRM win over the rules.

A correction lives in SuiteCRM, as a ``CJ_Corrections`` record (touchpoint key,
corrected stage or ``not_a_touchpoint``, the stage the rules had given, who,
when), so it survives rule changes and a lost state database. People make one
in the journey panel (which writes the record), on the CJ_Corrections list, or
by changing the stage of a ``CJ_Touchpoints`` record. This step, run by every
sync between the pull and the classification:

1. reads every live CJ_Corrections record (keyset on id; they are few);
2. reads back the CJ_Touchpoints records modified since its cursor (keyset on
   date_modified, like the pull) and finds the stage edits among them. The
   connector writes each record in a form that describes itself: ``stage`` is
   the stage it shows (``corrected_stage`` when a correction applies, else
   ``rule_stage``, the rules' stage), so a ``stage`` that differs from that was
   changed by someone else: its ``modified_user_id`` and ``date_modified`` say
   who and when. That tells a person's edit from the connector's own writes
   without trusting clocks or user ids (the API user may be a person too).
   An edit to another stage becomes (or updates) a CJ_Corrections record; an
   edit back to the rules' stage deletes the correction;
3. mirrors the corrections into the state database and marks the customers
   whose corrections appeared, changed or went away, so ``classify`` rebuilds
   their journeys with them.

It speaks to SuiteCRM only through ``CrmClient`` and to the state database only
through ``connector.store``.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from connector.crm.client import CrmClient
from connector.crm.records import Condition, Op, Query, Record, parse_datetime
from connector.errors import DuplicateIdError, NotFoundError, SkippableError, UnknownModuleError
from connector.journey import STAGES
from connector.store.corrections import Correction, load_corrections, mirror
from connector.store.customers import customers_of
from connector.store.database import StateDB
from connector.store.queries import Cursor, load_cursor, mark_dirty, save_cursor

log = logging.getLogger(__name__)

CORRECTIONS = "CJ_Corrections"
TOUCHPOINTS = "CJ_Touchpoints"
EDITS_CURSOR = "CJ_Touchpoints#edits"
NOT_A_TOUCHPOINT = "not_a_touchpoint"
VALUES = (*STAGES, NOT_A_TOUCHPOINT)
CORRECTION_FIELDS = (
    "name",
    "touchpoint_key",
    "source_module",
    "source_id",
    "account_id",
    "contact_id",
    "stage",
    "previous_stage",
    "rule_id",
    "corrected_by",
    "corrected_by_name",
    "corrected_at",
    "description",
    "modified_user_id",
    "modified_by_name",
    "date_modified",
)
EDIT_FIELDS = (
    "name",
    "external_key",
    "source_module",
    "source_id",
    "account_id",
    "stage",
    "rule_stage",
    "corrected_stage",
    "rule_id",
    "modified_user_id",
    "modified_by_name",
    "date_modified",
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Clock = Callable[[], datetime]


@dataclass
class CorrectionsReport:
    """What one pass did."""

    available: bool = True  # False: the SuiteCRM package has no CJ_Corrections yet
    records_read: int = 0  # CJ_Touchpoints records read back
    edits: int = 0  # stage edits found on them
    created: int = 0  # CJ_Corrections records written for those edits
    updated: int = 0
    deleted: int = 0
    corrections: int = 0  # live corrections in SuiteCRM after the pass
    changed: int = 0  # touchpoints whose correction appeared, changed or went away
    customers: int = 0  # journeys to rebuild
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Edit:
    """A stage changed by a person on a CJ_Touchpoints record."""

    key: str
    stage: str  # the new stage; equal to rule_stage: the correction is withdrawn
    rule_stage: str
    rule_id: str
    by: str
    by_name: str
    at: datetime | None
    record: Record

    @property
    def withdrawn(self) -> bool:
        return self.stage == self.rule_stage


def _text(record: Record, name: str) -> str:
    value = record.get(name)
    return "" if value is None or value is False else str(value).strip()


def correction_from_record(record: Record) -> Correction | None:
    """A CJ_Corrections record as a correction; None when it names no touchpoint."""
    key = _text(record, "touchpoint_key")
    if not key:
        return None
    return Correction(
        touchpoint_key=key,
        stage=_text(record, "stage"),
        previous_stage=_text(record, "previous_stage"),
        rule_id=_text(record, "rule_id"),
        corrected_by=_text(record, "corrected_by") or _text(record, "modified_user_id"),
        corrected_by_name=(_text(record, "corrected_by_name") or _text(record, "modified_by_name")),
        corrected_at=record.datetime_of("corrected_at") or record.date_modified,
        note=_text(record, "description"),
        crm_id=record.id,
        origin="suitecrm",
    )


def edit_from_record(record: Record) -> Edit | None:
    """The person's stage edit on a CJ_Touchpoints record, or None when the record
    shows what the connector wrote (or was written before corrections existed)."""
    key = _text(record, "external_key")
    rule_stage = _text(record, "rule_stage")
    if not key or not rule_stage:
        return None
    stage = _text(record, "stage")
    shown = _text(record, "corrected_stage") or rule_stage
    if stage == shown:
        return None
    return Edit(
        key,
        stage,
        rule_stage,
        _text(record, "rule_id"),
        _text(record, "modified_user_id"),
        _text(record, "modified_by_name"),
        record.date_modified,
        record,
    )


def iter_by_id(
    client: CrmClient,
    module: str,
    fields: Sequence[str],
    size: int,
    where: tuple[Condition, ...] = (),
) -> Iterator[Record]:
    """Every live record (matching ``where``), keyset on id (a deletion during the walk
    skips nothing)."""
    after = ""
    while True:
        conditions = (*where, Condition("id", Op.GT, after)) if after else where
        page = client.list_page(
            Query(module, conditions, fields=tuple(fields), sort="id"),
            page_number=1,
            page_size=size,
        ).records
        yield from page
        if len(page) < size:
            return
        after = page[-1].id


def iter_modified_since(
    client: CrmClient,
    module: str,
    since: datetime | None,
    fields: Sequence[str],
    size: int,
) -> Iterator[Record]:
    """Records modified at or after ``since`` (all when None), keyset on date_modified;
    a record may come twice (callers are idempotent), none is missed. A full page at
    one instant is walked by id, as the pull does."""
    lower = since
    while True:
        conditions = (Condition("date_modified", Op.GTE, lower),) if lower else ()
        page = client.list_page(
            Query(module, conditions, fields=tuple(fields), sort="date_modified"),
            page_number=1,
            page_size=size,
        ).records
        yield from page
        if len(page) < size:
            return
        last = page[-1].date_modified
        if last is None:
            return  # no date to page on: the first page was all there is to read
        if last == lower:
            yield from _walk_instant(client, module, last, fields, size)
            lower = last + client.modified_resolution
        else:
            lower = last


def _walk_instant(
    client: CrmClient, module: str, instant: datetime, fields: Sequence[str], size: int
) -> Iterator[Record]:
    end = instant + client.modified_resolution
    during = (Condition("date_modified", Op.GTE, instant), Condition("date_modified", Op.LT, end))
    return iter_by_id(client, module, fields, size, during)


class CorrectionsReader:
    """One pass: read corrections and stage edits, write what the edits ask, mirror."""

    def __init__(
        self,
        client: CrmClient,
        db: StateDB,
        namespace: uuid.UUID,
        clock: Clock,
        *,
        page_size: int = 200,
        lag: timedelta = timedelta(minutes=2),
    ) -> None:
        self.client = client
        self.db = db
        self.namespace = namespace
        self.clock = clock
        self.page_size = page_size
        self.lag = lag
        self.report = CorrectionsReport()

    def run(self, *, full: bool = False) -> CorrectionsReport:
        report = self.report
        try:
            live = self.live_corrections()
        except UnknownModuleError:
            report.available = False
            report.problems.append(
                "SuiteCRM has no CJ_Corrections module: install the newer SuiteCRM package "
                "(python scripts/build_module.py) to keep the corrections people make."
            )
            log.warning("corrections: %s", report.problems[-1])
            return report
        started = self.clock()
        with self.db.read() as conn:
            cursor = Cursor(EDITS_CURSOR) if full else load_cursor(conn, EDITS_CURSOR)
            known = load_corrections(conn)
        since = cursor.date_modified - self.lag if cursor.date_modified else None
        for record in iter_modified_since(
            self.client, TOUCHPOINTS, since, EDIT_FIELDS, self.page_size
        ):
            report.records_read += 1
            edit = edit_from_record(record)
            if edit is None:
                continue
            if edit.stage not in VALUES:
                report.problems.append(
                    f"CJ_Touchpoints {record.id} ({edit.key}): stage {edit.stage!r} is not "
                    f"one of {', '.join(VALUES)}; ignored."
                )
                continue
            report.edits += 1
            self._apply(edit, live)
        report.corrections = len(live)
        with self.db.begin() as conn:
            kept = {k: self._origin(c, known.get(k)) for k, c in live.items()}
            changed = mirror(conn, kept, self.clock())
            customers = customers_of(conn, changed)
            mark_dirty(conn, customers)
            save_cursor(conn, Cursor(EDITS_CURSOR, started), self.clock())
        report.changed = len(changed)
        report.customers = len(customers)
        log.info(
            "corrections: %d in SuiteCRM, %d stage edits read back, %d changed, %d journeys "
            "to rebuild",
            report.corrections,
            report.edits,
            report.changed,
            report.customers,
        )
        return report

    @staticmethod
    def _origin(correction: Correction, before: Correction | None) -> Correction:
        """Keep where a correction came from across syncs (SuiteCRM does not say)."""
        if before is not None and before.crm_id == correction.crm_id and before.origin:
            return replace(correction, origin=before.origin)
        return correction

    def live_corrections(self) -> dict[str, Correction]:
        """The live corrections by touchpoint key; of several for one touchpoint, the
        latest wins."""
        live: dict[str, Correction] = {}
        for record in iter_by_id(self.client, CORRECTIONS, CORRECTION_FIELDS, self.page_size):
            correction = correction_from_record(record)
            if correction is None:
                continue
            if correction.stage not in VALUES:
                self.report.problems.append(
                    f"CJ_Corrections {record.id} ({correction.touchpoint_key}): stage "
                    f"{correction.stage!r} is not one of {', '.join(VALUES)}; ignored."
                )
                continue
            before = live.get(correction.touchpoint_key)
            if before is None or _newer(correction, before):
                live[correction.touchpoint_key] = correction
        return live

    def _apply(self, edit: Edit, live: dict[str, Correction]) -> None:
        """Write what a stage edit asks into CJ_Corrections, and into ``live``."""
        existing = live.get(edit.key)
        try:
            if edit.withdrawn:
                if existing is not None:
                    self._delete(existing.crm_id)
                    del live[edit.key]
                return
            if existing is not None and existing.stage == edit.stage:
                return
            values = self._values(edit)
            if existing is not None:
                self.client.update_record(CORRECTIONS, existing.crm_id, values)
                self.report.updated += 1
                crm_id = existing.crm_id
            else:
                crm_id = self._create(edit, values)
        except SkippableError as exc:
            self.report.problems.append(f"correction of {edit.key}: {exc.message}")
            return
        live[edit.key] = Correction(
            touchpoint_key=edit.key,
            stage=edit.stage,
            previous_stage=edit.rule_stage,
            rule_id=edit.rule_id,
            corrected_by=edit.by,
            corrected_by_name=edit.by_name,
            corrected_at=parse_datetime(values["corrected_at"]) or edit.at,
            crm_id=crm_id,
            origin="record",
        )

    def _values(self, edit: Edit) -> dict[str, Any]:
        record = edit.record
        at = edit.at or self.clock()
        return {
            "name": (_text(record, "name") or edit.key)[:255],
            "touchpoint_key": edit.key,
            "source_module": _text(record, "source_module"),
            "source_id": _text(record, "source_id"),
            "account_id": _text(record, "account_id"),
            "stage": edit.stage,
            "previous_stage": edit.rule_stage,
            "rule_id": edit.rule_id,
            "corrected_by": edit.by,
            "corrected_at": at.strftime("%Y-%m-%d %H:%M:%S"),
        }

    def _create(self, edit: Edit, values: dict[str, Any]) -> str:
        # An id fixed by the edit: a create whose answer was lost is not made twice.
        at = values["corrected_at"]
        crm_id = str(uuid.uuid5(self.namespace, f"correction:{edit.key}:{at}:{edit.stage}"))
        try:
            self.client.create_record(CORRECTIONS, values, crm_id)
        except DuplicateIdError:
            self.client.update_record(CORRECTIONS, crm_id, values)
        self.report.created += 1
        return crm_id

    def _delete(self, crm_id: str) -> None:
        with contextlib.suppress(NotFoundError):  # already gone: the goal is reached
            self.client.delete_record(CORRECTIONS, crm_id)
        self.report.deleted += 1


def _newer(a: Correction, b: Correction) -> bool:
    return (a.corrected_at or EPOCH, a.crm_id) > (b.corrected_at or EPOCH, b.crm_id)


def read_corrections(
    client: CrmClient,
    db: StateDB,
    namespace: uuid.UUID,
    clock: Clock,
    *,
    full: bool = False,
    page_size: int = 200,
) -> CorrectionsReport:
    """One pass of the corrections step (the caller holds the instance lock)."""
    return CorrectionsReader(client, db, namespace, clock, page_size=page_size).run(full=full)
