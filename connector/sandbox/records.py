"""Record writes with SuiteCRM's semantics: create, update, soft delete.

Both API front ends and the test controls write through here, so a record made
through V8, v4_1 or ``control`` looks the same: stamped ``date_entered`` and
``date_modified`` from the sandbox clock (unless the caller sets them, which
SuiteCRM allows), auto numbers for Cases and quotes, the non-db ``account_id``
of Contacts and Opportunities turned into a join row, every char, text and
enum value cleaned as SuiteCRM's save cleans it (``cleaning``), and
``mark_deleted`` setting ``deleted=1``, bumping ``date_modified`` and dropping
join rows. It
raises ``RecordError`` subclasses and leaves the wording of errors to callers.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from connector.sandbox.catalog import JOIN_TABLES
from connector.sandbox.cleaning import clean_text, is_cleaned_type
from connector.sandbox.clock import SandboxClock, parse_instant, to_db
from connector.sandbox.render import ACCOUNT_JOINS
from connector.sandbox.schema import LinkSpec, ModuleSpec
from connector.sandbox.store import Store

UUID_RE = re.compile(
    r"^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", re.IGNORECASE
)
ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?")
ZONED_RE = re.compile(r"T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})$")
SYSTEM_USER = "1"


class RecordError(Exception):
    """A write SuiteCRM would refuse."""


class UnknownFieldError(RecordError):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class RecordNotFoundError(RecordError):
    """No live record with that id (V8 answers 400 "… is not found")."""


class DuplicateIdError(RecordError):
    """A create with an id that exists, even soft-deleted (V8 answers 400 "already exist")."""


class ConstraintError(RecordError):
    """A unique index refused the row (CJ_Touchpoints.external_key)."""


def to_storage(
    value: Any, *, is_datetime: bool, cleaned: bool = False, zoned_as_null: bool = False
) -> Any:
    """An API value → what the table keeps (text, or NULL for empty).

    ``cleaned`` text goes through SuiteCRM's save-time cleaning; with
    ``zoned_as_null`` an ISO 8601 datetime with a zone is stored as NULL, as a
    V8 write of one is on SuiteCRM 7.14 (answered 201 all the same)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict | list):
        return None
    text = str(value)
    if text == "":
        return None
    if cleaned:
        return clean_text(text) or None
    if is_datetime and zoned_as_null and ZONED_RE.search(text):
        return None
    if is_datetime and ISO_RE.match(text):
        try:
            return to_db(parse_instant(text))
        except ValueError:
            return text
    return text


class Records:
    """Writes records of any module."""

    def __init__(self, store: Store, clock: SandboxClock) -> None:
        self.store = store
        self.clock = clock
        # The logic hook's stand-in (module, id, event, time), set by --webhook.
        self.notify: Callable[[str, str, str, str], None] | None = None

    def _changed(self, module: str, record_id: str, event: str, when: str) -> None:
        if self.notify is not None:
            self.notify(module, record_id, event, when)

    def _split(
        self, spec: ModuleSpec, attributes: Mapping[str, Any], zoned_as_null: bool = False
    ) -> tuple[dict[str, Any], str | None]:
        values: dict[str, Any] = {}
        account: str | None = None
        for name, value in attributes.items():
            field = spec.fields.get(name)
            if name == "id":
                continue
            if field is None:
                raise UnknownFieldError(name)
            if name == "account_id" and spec.name in ACCOUNT_JOINS:
                account = str(value or "")
            elif field.stored:
                values[name] = to_storage(
                    value,
                    is_datetime=field.is_datetime,
                    cleaned=is_cleaned_type(field.db_type),
                    zoned_as_null=zoned_as_null,
                )
        return values, account

    def create(
        self,
        spec: ModuleSpec,
        attributes: Mapping[str, Any],
        record_id: str | None = None,
        *,
        zoned_as_null: bool = False,
    ) -> str:
        values, account = self._split(spec, attributes, zoned_as_null)
        new_id = record_id or str(uuid.uuid4())
        if self.store.exists(spec, new_id):
            raise DuplicateIdError(new_id)
        now = self.clock.db_now()
        values = {"id": new_id, "deleted": 0, **values}
        for column in ("date_entered", "date_modified"):
            if column in spec.columns and not values.get(column):
                values[column] = now
        for column in ("created_by", "modified_user_id"):
            if column in spec.columns and not values.get(column):
                values[column] = SYSTEM_USER
        if spec.auto_number and not values.get(spec.auto_number):
            values[spec.auto_number] = self.store.next_number(spec, spec.auto_number)
        values["deleted"] = 1 if str(values.get("deleted") or "0") == "1" else 0
        try:
            self.store.insert(spec, values)
        except sqlite3.IntegrityError as exc:
            raise ConstraintError(str(exc)) from None
        if account:
            self._link_account(spec, new_id, account, now)
        self._changed(spec.name, new_id, "after_save", now)
        return new_id

    def update(
        self,
        spec: ModuleSpec,
        record_id: str,
        attributes: Mapping[str, Any],
        *,
        zoned_as_null: bool = False,
    ) -> None:
        if self.store.get(spec, record_id) is None:
            raise RecordNotFoundError(record_id)
        values, account = self._split(spec, attributes, zoned_as_null)
        deleting = str(values.pop("deleted", None) or "0") == "1"
        now = self.clock.db_now()
        if "date_modified" in spec.columns and not values.get("date_modified"):
            values["date_modified"] = now
        if "modified_user_id" in spec.columns and not values.get("modified_user_id"):
            values["modified_user_id"] = SYSTEM_USER
        try:
            self.store.update(spec, record_id, values)
        except sqlite3.IntegrityError as exc:
            raise ConstraintError(str(exc)) from None
        if account is not None:
            self._link_account(spec, record_id, account, now)
        self._changed(spec.name, record_id, "after_save", now)
        if deleting:
            self.mark_deleted(spec, record_id)

    def mark_deleted(self, spec: ModuleSpec, record_id: str) -> None:
        if self.store.get(spec, record_id) is None:
            raise RecordNotFoundError(record_id)
        now = self.clock.db_now()
        values: dict[str, Any] = {"deleted": 1}
        if "date_modified" in spec.columns:
            values["date_modified"] = now
        self.store.update(spec, record_id, values)
        joins = {
            link.table: link.self_col
            for link in spec.links.values()
            if link.kind == "m2m" and link.table in JOIN_TABLES
        }
        self.store.mark_join_rows_deleted(record_id, joins, now)
        self._changed(spec.name, record_id, "after_delete", now)

    def relate(self, link: LinkSpec, record_id: str, other_id: str) -> None:
        """Link two records; SuiteCRM calls after_relationship_add on both sides."""
        now = self.clock.db_now()
        self.store.relate(link, record_id, other_id, now)
        self._changed(link.module, record_id, "after_relationship_add", now)
        self._changed(link.target, other_id, "after_relationship_add", now)

    def _link_account(self, spec: ModuleSpec, record_id: str, account: str, now: str) -> None:
        link = spec.links["accounts"]
        current = self.store.latest_links(link.table, link.self_col, link.other_col, [record_id])
        previous = current.get(record_id)
        if previous == account:
            return
        if previous:
            self.store.unrelate(link, record_id, previous, now)
        if account:
            self.store.relate(link, record_id, account, now)
