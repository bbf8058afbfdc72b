"""Neutral record types: what the rest of the package sees of SuiteCRM.

Both API flavours (V8 JSON:API and REST v4_1) are turned into these types at the
client's edge, so nothing outside ``connector/crm`` knows which API answered.
Values are normalised once, here: HTML entities unescaped (SuiteCRM sends
``&#039;`` for ``'``), datetimes parsed to aware UTC. No I/O, no journey logic.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

DB_FORMAT = "%Y-%m-%d %H:%M:%S"

_DATETIME_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)"
    r"(?:\.\d+)?(?P<offset>Z|[+-]\d{2}:?\d{2})?$"
)


def parse_datetime(value: object, *, trust_offset: bool = False) -> datetime | None:
    """Parse a SuiteCRM datetime (V8 ``2026-11-22T21:49:00+00:00`` or DB
    ``2026-11-22 21:49:36``) into an aware UTC datetime; ``None`` for empty.

    SuiteCRM stores UTC, but V8 appends the PHP default time zone's offset to the
    UTC digits (SuiteCRM#9952), so by default the wall-clock digits are taken as UTC
    and the offset is ignored; ``trust_offset`` honours it, for servers probed to
    render correct offsets.
    """
    if value is None or value == "" or value is False:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).strip()
    match = _DATETIME_RE.match(text)
    if not match:
        return None
    clock = match["time"] if len(match["time"]) == 8 else match["time"] + ":00"
    naive = datetime.strptime(f"{match['date']} {clock}", DB_FORMAT)
    offset = match["offset"]
    if trust_offset and offset and offset != "Z":
        parsed = datetime.fromisoformat(f"{match['date']}T{clock}{offset}")
        return parsed.astimezone(UTC)
    return naive.replace(tzinfo=UTC)


def format_db_datetime(value: datetime) -> str:
    """Render a datetime as SuiteCRM's database format in UTC, the safe filter form."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(DB_FORMAT)


def unescape_value(value: Any) -> Any:
    """Undo SuiteCRM's ``to_html`` on read (strings, and strings inside lists/dicts)."""
    if isinstance(value, str):
        return html.unescape(value) if "&" in value else value
    if isinstance(value, list):
        return [unescape_value(v) for v in value]
    if isinstance(value, dict):
        return {k: unescape_value(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Record:
    """One SuiteCRM record, whichever API read it.

    ``attributes`` holds every field that came back, with HTML entities undone;
    ``date_modified`` is parsed (aware UTC) because cursors need it everywhere.
    """

    module: str
    id: str
    attributes: Mapping[str, Any]
    date_modified: datetime | None = None
    deleted: bool = False

    def get(self, name: str, default: Any = None) -> Any:
        return self.attributes.get(name, default)

    def datetime_of(self, name: str) -> datetime | None:
        return parse_datetime(self.attributes.get(name))


class Op(StrEnum):
    """The comparison operators both APIs can express (SuiteCRM V8 supports only these)."""

    EQ = "eq"
    NEQ = "neq"
    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"


SQL_OPERATORS: Mapping[Op, str] = {
    Op.EQ: "=",
    Op.NEQ: "<>",
    Op.GT: ">",
    Op.GTE: ">=",
    Op.LT: "<",
    Op.LTE: "<=",
}


@dataclass(frozen=True)
class Condition:
    """``field op value``; datetimes are sent in DB format, UTC."""

    field: str
    op: Op
    value: str | int | datetime

    def rendered_value(self) -> str:
        if isinstance(self.value, datetime):
            return format_db_datetime(self.value)
        return str(self.value)


@dataclass(frozen=True)
class Query:
    """A list request in neutral terms: which module, which rows, in which order.

    ``sort`` is one field name, prefixed with ``-`` for descending (V8 accepts one
    field only). ``match`` joins all conditions with ``and`` or ``or``.
    ``include_deleted`` needs the legacy API (V8 never lists deleted rows).
    """

    module: str
    conditions: tuple[Condition, ...] = ()
    match: str = "and"
    fields: tuple[str, ...] = ()
    sort: str | None = "date_modified"
    include_deleted: bool = False

    def __post_init__(self) -> None:
        if self.match not in ("and", "or"):
            raise ValueError(f"match must be 'and' or 'or', not {self.match!r}")


@dataclass(frozen=True)
class Page:
    """One page of a list answer."""

    records: tuple[Record, ...]
    number: int
    size: int
    total_pages: int | None = None
    total_records: int | None = None

    @property
    def is_last(self) -> bool:
        if len(self.records) < self.size:
            return True
        return self.total_pages is not None and self.number >= self.total_pages

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


@dataclass(frozen=True)
class ModuleInfo:
    """A module the API user can see, with the ACL actions allowed on it."""

    name: str
    label: str
    access: frozenset[str] = field(default_factory=frozenset)

    @property
    def readable(self) -> bool:
        return not self.access or {"list", "view"} <= self.access


@dataclass(frozen=True)
class FieldInfo:
    """What the API reveals about one field of a module."""

    name: str
    type: str
    db_type: str | None = None
    required: bool = False
    relationship: str | None = None
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServerInfo:
    """What ``check`` reports about the server."""

    flavour: str
    base_url: str
    api_path: str
    version: str | None = None
    details: Mapping[str, str] = field(default_factory=dict)
