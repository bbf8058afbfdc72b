"""V8 list and record parameters: validation as SuiteCRM does it, SQL, and page links.

SuiteCRM validates ``fields[]``, ``filter[]``, ``sort`` and ``page[]`` with
Symfony's OptionsResolver and answers 400 with fixed sentences; the links of a
list page repeat the request's own query, decoded, with ``page[number]``
replaced (or added after ``page[size]``). This module turns a decoded query
into a ``ListRequest`` and a ``Where``, or raises ``V8Error``. No HTTP, no SQL
execution.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from connector.sandbox.clock import parse_instant, to_db
from connector.sandbox.records import ISO_RE
from connector.sandbox.schema import ModuleSpec
from connector.sandbox.store import Order, Where

OPERATORS = {"eq": "=", "neq": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "like": "LIKE"}
LIST_OPTIONS = ("fields", "filter", "moduleName", "page", "sort")
RECORD_OPTIONS = ("fields", "id", "moduleName")
KEY_RE = re.compile(r"^(\w+)((?:\[[^\[\]]*\])*)$")
FIELDS_RE = re.compile(r"^[\w\-,]+$")
DB_FAILURE = "Database failure. Please refer to suitecrm.log for details."
NO_RESULT = "Request was successful, but there is no result"


class V8Error(Exception):
    """An error SuiteCRM's V8 API answers with ``{"errors": {...}}``."""

    def __init__(
        self, detail: str, status: int = 400, content_type: str = "application/json"
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        # SuiteCRM sends "not found" from inside the JSON:API layer, the rest from
        # its error middleware: the content types differ as recorded.
        self.content_type = content_type

    def body(self) -> dict[str, Any]:
        return {"errors": {"status": self.status, "title": None, "detail": self.detail}}


@dataclass
class ListRequest:
    fields: list[str] | None = None
    conditions: list[tuple[str, str, str]] = field(default_factory=list)
    operator: str = "AND"
    sort: list[Order] = field(default_factory=list)
    page_size: int | None = None
    page_number: int | None = None


def split_key(key: str) -> tuple[str, list[str]]:
    match = KEY_RE.match(key)
    if not match:
        return key, []
    return match[1], re.findall(r"\[([^\[\]]*)\]", match[2])


def unknown_option(name: str, defined: Sequence[str]) -> V8Error:
    names = ", ".join(f'"{o}"' for o in defined)
    return V8Error(f'The option "{name}" does not exist. Defined options are: {names}.')


def parse_fields(spec: ModuleSpec, parts: list[str], value: str) -> list[str]:
    if not FIELDS_RE.match(value):
        raise V8Error('The option "fields" with value array is invalid.')
    names = [n for n in value.split(",") if n]
    for name in names:
        if name not in spec.fields and name != "id":
            raise V8Error(f"The following field in {spec.object_name} module is not found: {name}")
    return [n for n in names if n != "id"]


def parse_record_query(spec: ModuleSpec, query: Sequence[tuple[str, str]]) -> list[str] | None:
    fields: list[str] | None = None
    for key, value in query:
        name, parts = split_key(key)
        if name != "fields":
            raise unknown_option(name, RECORD_OPTIONS)
        fields = parse_fields(spec, parts, value)
    return fields


def parse_list_query(spec: ModuleSpec, query: Sequence[tuple[str, str]]) -> ListRequest:
    request = ListRequest()
    for key, value in query:
        name, parts = split_key(key)
        if name == "fields":
            request.fields = parse_fields(spec, parts, value)
        elif name == "filter":
            _parse_filter(spec, parts, value, request)
        elif name == "sort":
            request.sort = _parse_sort(spec, value)
        elif name == "page":
            _parse_page(parts, value, request)
        else:
            raise unknown_option(name, LIST_OPTIONS)
    return request


def _parse_filter(spec: ModuleSpec, parts: list[str], value: str, request: ListRequest) -> None:
    if parts == ["operator"]:
        if value.lower() not in ("and", "or"):
            raise V8Error(f"Filter operator {value} is invalid")
        request.operator = value.upper()
        return
    if len(parts) != 2:
        raise V8Error('The option "filter" with value array is invalid.')
    name, op = parts
    if name not in spec.fields and name != "id":
        raise V8Error(f"Filter field {name} in {spec.object_name} module is not found")
    if op.lower() not in OPERATORS:
        raise V8Error(f"Filter operator {op} is invalid")
    # PHP arrays keep the last value of a repeated key.
    request.conditions = [c for c in request.conditions if c[:2] != (name, op.lower())]
    request.conditions.append((name, op.lower(), value))


def _parse_sort(spec: ModuleSpec, value: str) -> list[Order]:
    if not re.match(r"^[\w\-]+$", value):
        raise V8Error('The option "sort" with value "' + value + '" is invalid.')
    descending = value.startswith("-")
    name = value.lstrip("-")
    if name not in spec.fields and name != "id":
        raise V8Error(f"Sort field {name} in {spec.object_name} module is not found")
    if spec.stored(name) is None:
        raise V8Error(DB_FAILURE)
    order = [Order(name, descending)]
    if name != "id":
        order.append(Order("id", descending))
    return order


def _parse_page(parts: list[str], value: str, request: ListRequest) -> None:
    if len(parts) != 1 or parts[0] not in ("size", "number") or not value.isdigit():
        raise V8Error('The option "page" with value array is invalid.')
    if int(value) < 1:
        raise V8Error(f'The option "{parts[0]}" with value "{value}" is invalid.')
    if parts[0] == "size":
        request.page_size = int(value)
    else:
        request.page_number = int(value)


def filter_where(spec: ModuleSpec, request: ListRequest) -> Where:
    """The list's predicate, over the module's own columns only."""
    parts: list[str] = []
    params: list[Any] = []
    for name, op, value in request.conditions:
        column = spec.stored(name)
        if column is None:
            raise V8Error(DB_FAILURE)
        sql_op = OPERATORS[op]
        if column.is_numeric:
            parts.append(f'CAST("{name}" AS REAL) {sql_op} CAST(? AS REAL)')
        elif name == "deleted":
            parts.append(f'"deleted" {sql_op} ?')
        else:
            parts.append(f'"{name}" {sql_op} ?')
        params.append(db_value(value) if column.is_datetime else value)
    if not parts:
        return Where()
    return Where(f" {request.operator} ".join(parts), tuple(params))


def db_value(value: str) -> str:
    """A filter value for a datetime column in DB form (ISO accepted too)."""
    if ISO_RE.match(value):
        try:
            return to_db(parse_instant(value))
        except ValueError:
            return value.replace("T", " ")[:19]
    return value


def page_links(
    module: str, query: Sequence[tuple[str, str]], number: int, total_pages: int
) -> dict[str, str | None]:
    """``links`` of a list page, relative and not URL-encoded, as SuiteCRM writes them."""

    def link(page: int) -> str:
        pairs: list[str] = []
        placed = False
        for key, value in query:
            if key == "page[number]":
                pairs.append(f"page[number]={page}")
                placed = True
                continue
            pairs.append(f"{key}={value}")
            if key == "page[size]" and not any(k == "page[number]" for k, _ in query):
                pairs.append(f"page[number]={page}")
                placed = True
        if not placed:
            pairs.append(f"page[number]={page}")
        return f"V8/module/{module}?" + "&".join(pairs)

    has_next = number + 1 <= total_pages
    return {
        "first": link(1) if number > 1 else None,
        "prev": link(number - 1) if number > 1 else None,
        "next": link(number + 1) if has_next else None,
        "last": link(total_pages) if has_next else None,
    }


def total_pages(count: int, size: int) -> int:
    return math.ceil(count / size) if size else 0
