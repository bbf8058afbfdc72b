"""Neutral record types: what the rest of the package sees of SuiteCRM.

Both API flavours (V8 JSON:API and REST v4_1) are turned into these types at the
client's edge, so nothing outside ``connector/crm`` knows which API answered.
Values are cleaned once, here, so no later layer sees SuiteCRM's quirks: HTML
entities unescaped (SuiteCRM sends ``&#039;`` for ``'``), NUL and other control
characters removed, zero dates (``0000-00-00``) made empty, datetimes parsed to
aware UTC. What cannot be made sense of (a date that does not exist, a broken
encoding) is not guessed at: it is listed in ``Record.problems`` for the sync to
judge. No I/O, no journey logic.
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
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)"
    r"(?:\.\d+)?(?P<offset>Z|[+-]\d{2}:?\d{2})?)?$"
)
# MySQL's zero date (old SuiteCRM data, non-strict sql_mode), and what PHP's
# date() makes of it (-0001-11-30): both mean "no date", not a bad one.
_ZERO_DATE_RE = re.compile(
    r"^(?:0000-00-00(?:[T ]00:00(?::00)?)?|-0001-11-30(?:[T ]00:00(?::00)?)?)"
    r"(?:\.0+)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
# C0 controls but tab, newline and carriage return; DEL; C1 controls.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# What ``clean_text`` changes besides entities and zero dates (a tab, a line break or
# another unprintable character that is neither stays as it is).
_CHANGED_BY_CLEANING = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
PROBLEM_VALUE_LIMIT = 120
# First digits of the years a record can sanely carry (1000 to 2999): a value starting
# otherwise (a zero date, a sign) takes the careful way.
_CENTURIES = frozenset("12")


class BadDateError(ValueError):
    """A value that should be a date and is not one (``2026-02-30``, ``next tuesday``)."""

    def __init__(self, value: str, reason: str) -> None:
        super().__init__(f"{value!r} is {reason}")
        self.value = value
        self.reason = reason


@dataclass(frozen=True)
class Problem:
    """Something the edge could not make sense of in one field of one record."""

    field: str
    value: str
    reason: str


def is_zero_date(text: str) -> bool:
    return text[:1] in ("0", "-") and _ZERO_DATE_RE.match(text) is not None


def _fixed(text: str, trust_offset: bool) -> datetime | None:
    """The two shapes SuiteCRM sends (``2026-11-22 21:49:36``, ``2026-11-22T21:49:00+00:00``),
    checked by position and read by ``fromisoformat`` (C), several times faster than a
    regex and ``strptime``; None for any other shape."""
    if not _is_plain_shape(text) or not text.isascii():
        return None
    try:
        value = datetime.fromisoformat(text[:19] if len(text) == 19 or not trust_offset else text)
    except ValueError:
        digits = text[:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16] + text[17:19]
        if not digits.isdigit():
            return None  # not a date at all: the general reader says so
        raise BadDateError(text, "not a real date") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _is_plain_shape(text: str) -> bool:
    """``2026-11-22 21:49:36`` or ``2026-11-22T21:49:00+00:00``, by the separators."""
    size = len(text)
    return (
        (size == 19 or (size == 25 and text[19] in "+-" and text[22] == ":"))
        and text[4] == "-" == text[7]
        and text[13] == ":" == text[16]
        and text[10] in " T"
    )


def read_datetime(value: object, *, trust_offset: bool = False) -> datetime | None:
    """A SuiteCRM datetime (V8 ``2026-11-22T21:49:00+00:00``, DB ``2026-11-22 21:49:36``,
    or a plain date ``2026-03-01``) as aware UTC; ``None`` for an empty or zero date.

    Raises ``BadDateError`` for anything else: text that is not a date, or a date
    that does not exist (``2026-02-30``). SuiteCRM stores UTC, but V8 appends the PHP
    default time zone's offset to the UTC digits (SuiteCRM#9952), so by default the
    digits are taken as UTC and the offset is ignored; ``trust_offset`` honours it,
    for servers probed to render correct offsets.
    """
    if (
        value.__class__ is str
        and value[:1] in _CENTURIES
        and _is_plain_shape(value)
        and (len(value) == 19 or not trust_offset)
    ):
        # Nearly every date of a page: read in C, as UTC (``+00:00`` appended costs
        # a tenth of ``replace(tzinfo=UTC)``); the V8 offset is not trusted here.
        try:  # not ``suppress``: its cost would be most of this path's
            return datetime.fromisoformat(value[:19] + "+00:00")
        except ValueError:  # 2026-02-30: the careful way says why
            return _read_carefully(value, trust_offset)
    return _read_carefully(value, trust_offset)


def _read_carefully(value: object, trust_offset: bool) -> datetime | None:
    """``read_datetime`` for any shape: empty, zero, plain date, odd offset, bad."""
    if value is None or value == "" or value is False:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    text = (value if isinstance(value, str) else str(value)).strip()
    if not text or is_zero_date(text):
        return None
    fast = _fixed(text, trust_offset)
    if fast is not None:
        return fast
    match = _DATETIME_RE.match(text) if text.isascii() else None
    if not match:
        raise BadDateError(text, "not a date")
    clock = match["time"] or "00:00:00"
    clock = clock if len(clock) == 8 else clock + ":00"
    try:
        naive = datetime.strptime(f"{match['date']} {clock}", DB_FORMAT)
        offset = match["offset"]
        if trust_offset and offset and offset != "Z":
            return datetime.fromisoformat(f"{match['date']}T{clock}{offset}").astimezone(UTC)
    except ValueError:
        raise BadDateError(text, "not a real date") from None
    return naive.replace(tzinfo=UTC)


def parse_datetime(value: object, *, trust_offset: bool = False) -> datetime | None:
    """Like ``read_datetime``, but ``None`` for a bad date too (for callers that only
    need a date when there is a good one)."""
    try:
        return read_datetime(value, trust_offset=trust_offset)
    except BadDateError:
        return None


def format_db_datetime(value: datetime) -> str:
    """Render a datetime as SuiteCRM's database format in UTC, the safe filter form."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime(DB_FORMAT)


def shown_value(value: object) -> str:
    """A value as a problem report shows it: printable, and short."""
    text = value if isinstance(value, str) else str(value)
    text = _SURROGATE_RE.sub("\ufffd", text)
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    if len(text) > PROBLEM_VALUE_LIMIT:
        return text[: PROBLEM_VALUE_LIMIT - 1] + "…"
    return text


def clean_text(text: str, name: str = "", problems: list[Problem] | None = None) -> str:
    """One string from SuiteCRM, cleaned once: HTML entities undone (SuiteCRM's
    ``to_html``), NUL and other control characters removed (tab and line breaks
    kept), a zero date made empty, and unpaired surrogates (a broken encoding)
    replaced by U+FFFD and noted in ``problems``."""
    if "&" in text:
        text = html.unescape(text)
    if text.isprintable():
        return "" if text[:1] in ("0", "-") and is_zero_date(text) else text
    if _SURROGATE_RE.search(text):
        if problems is not None:
            problems.append(Problem(name, shown_value(text), "not valid text (broken encoding)"))
        text = _SURROGATE_RE.sub("\ufffd", text)
    return _CONTROL_RE.sub("", text)


def clean_value(value: Any, name: str = "", problems: list[Problem] | None = None) -> Any:
    """``clean_text`` for strings, also inside lists and dicts; other values as they are."""
    if isinstance(value, str):
        return clean_text(value, name, problems)
    if isinstance(value, list):
        return [clean_value(v, name, problems) for v in value]
    if isinstance(value, dict):
        return {k: clean_value(v, name, problems) for k, v in value.items()}
    return value


def unescape_value(value: Any) -> Any:
    """Undo SuiteCRM's ``to_html`` on read, and drop control characters (``clean_value``)."""
    return clean_value(value)


# How a zero date starts (``is_zero_date`` decides the rest).
_ZERO_STARTS = ("0000-00-00", "-0001-11-30")


def _needs_cleaning(text: str) -> bool:
    return "&" in text or not text.isprintable() or text.startswith(_ZERO_STARTS)


def clean_record(
    module: str,
    record_id: str,
    values: Mapping[str, Any],
    deleted: bool,
    *,
    compact: bool = False,
) -> Record:
    """A ``Record`` from one answer's raw field values, cleaned at the edge: text by
    ``clean_value``, date_modified parsed; what cannot be made sense of is kept in
    ``problems`` for the sync to judge (it quarantines the record or empties the field).

    ``compact`` keeps only the values that say something, as the pull stores them:
    non-empty text, booleans as "1"/"0", numbers; no nulls, no empty strings, no
    links (lists and dicts, still looked at for broken text). A pulled record has
    ~50 fields and ~20 of them filled: one pass here instead of a second one later.

    Nearly every record of a real page needs no cleaning at all: all its text is
    joined and looked at once, in C, and only when that finds something (an entity,
    a control character, a zero date, or a false alarm such as ``…0000`` before
    ``-00-00…``) is each value looked at. Lists and dicts are always cleaned."""
    problems: list[Problem] = []
    if compact:
        clean = {k: v for k, v in values.items() if v.__class__ is str and v}
        texts = list(clean.values())
        others = [k for k, v in values.items() if v.__class__ is not str]
    else:
        clean = dict(values)
        texts = [v for v in clean.values() if v.__class__ is str]
        others = (
            []
            if len(texts) == len(clean)
            else [k for k, v in clean.items() if v.__class__ is not str]
        )
    joined = "".join(texts)
    if (
        (not joined.isprintable() and _CHANGED_BY_CLEANING.search(joined) is not None)
        or "0000-00-00" in joined
        or "-0001-11-30" in joined
    ):
        dirty = [k for k, v in clean.items() if v.__class__ is str and _needs_cleaning(v)]
    elif "&" in joined:  # entities only (an apostrophe is ``&#039;``): common, and cheap
        dirty = [k for k, v in clean.items() if v.__class__ is str and "&" in v]
    else:
        dirty = []
    for name in dirty:
        clean[name] = clean_value(clean[name], name, problems)
        if compact and not clean[name]:
            del clean[name]  # nothing left once cleaned (a zero date)
    for name in others:  # values that are not text: only lists and dicts can hold any
        value = values[name]
        if isinstance(value, str | list | dict):
            cleaned = clean_value(value, name, problems)
            if not compact or isinstance(value, str):
                clean[name] = cleaned
        elif compact and value is not None:
            clean[name] = ("1" if value else "0") if isinstance(value, bool) else value
    raw_modified = clean.get("date_modified")
    try:
        modified = read_datetime(raw_modified)
    except BadDateError as exc:
        modified = None
        problems.append(Problem("date_modified", shown_value(exc.value), exc.reason))
    if not record_id.isprintable() or "&" in record_id:
        record_id = clean_text(record_id)
    return Record(module, record_id, clean, modified, deleted, tuple(problems), compact=compact)


@dataclass(slots=True)
class Record:
    """One SuiteCRM record, whichever API read it (read-only by convention: not
    ``frozen``, whose ``__init__`` costs twice as much, on every record of a pull).

    ``attributes`` holds every field that came back, cleaned (``clean_value``);
    ``date_modified`` is parsed (aware UTC) because cursors need it everywhere;
    ``problems`` lists the values the edge could not make sense of.
    """

    module: str
    id: str
    attributes: Mapping[str, Any]
    date_modified: datetime | None = None
    deleted: bool = False
    problems: tuple[Problem, ...] = ()
    # Ids of related records per link, when the list was asked for them (``Query.links``)
    # and the API could answer in the same request (REST v4_1); None when not read.
    related: Mapping[str, tuple[str, ...]] | None = None
    # Read with ``Query.compact``: ``attributes`` holds only the values that say
    # something (see ``clean_record``), a missing field was empty.
    compact: bool = False

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
    ``links`` asks for the ids of the records related through these link fields,
    in the same request where the API can (REST v4_1; see ``Record.related``).
    """

    module: str
    conditions: tuple[Condition, ...] = ()
    match: str = "and"
    fields: tuple[str, ...] = ()
    sort: str | None = "date_modified"
    include_deleted: bool = False
    links: tuple[str, ...] = ()
    # Records with only the values that say something (``clean_record``'s compact).
    compact: bool = False

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
