"""Writing pulled pages of touchpoints, and the id lists of a reconciliation.

``save_page`` upserts one page of touchpoints and the links they carry in the
caller's transaction (with the page's cursor, so a page and its cursor land
together or not at all). Touchpoints are compared by content hash, so re-reading
a record that did not change writes nothing. New rows are inserted with their
customer already resolved, at the driver's level (``queries.insert_rows``: on
SQLite a multi-row ``VALUES`` for the whole page, values bound as SQLAlchemy's
own type processors bind them): the ORM and per-row statement building cost more
than the rest of the pull together, and ``executemany`` gave the GIL away per row.

A reconciliation (V8 cannot list deleted records) streams every id SuiteCRM still
has into ``reconcile_ids``; the touchpoints of the module it did not list are gone.

SQL only, portable across SQLite and MySQL/MariaDB; nothing here knows SuiteCRM.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Connection, Dialect, Table, bindparam, delete, select, update

from connector.store.models import SeenIdRow, TouchpointRow, UtcDateTime
from connector.store.queries import (
    EntityLink,
    PageResult,
    TouchpointData,
    insert_rows,
    is_customer_key,
    mark_dirty,
    resolve_customers,
    rows_where_in,
    save_links,
)

touchpoints = cast(Table, TouchpointRow.__table__)
reconcile_ids = cast(Table, SeenIdRow.__table__)

# The columns a new touchpoint row is inserted with, in the order of ``_values``.
INSERTED = (
    "key",
    "module",
    "source_id",
    "occurred_at",
    "date_modified",
    "subject",
    "status",
    "direction",
    "link_key",
    "customer_key",
    "fields_json",
    "raw_json",
    "content_hash",
    "first_seen_at",
    "updated_at",
)


def raw_json_of(tp: TouchpointData) -> str:
    if tp.raw_json:
        return tp.raw_json
    return json.dumps(tp.raw, ensure_ascii=False, separators=(",", ":"), default=str)


def save_page(
    conn: Connection,
    page: Sequence[TouchpointData],
    links: Sequence[EntityLink],
    now: datetime,
) -> PageResult:
    """Upsert one page of touchpoints and the links they carry (caller's transaction)."""
    result = PageResult()
    if not page:
        return result
    keys = [t.key for t in page]
    old = {
        row[0]: _Stored(*row)
        for row in rows_where_in(
            conn, touchpoints, ("key", "content_hash", "customer_key", "link_key"), "key", keys
        )
    }
    result.changed_entities = save_links(conn, links, keys)
    created = [t for t in page if t.key not in old]
    changed = [
        t
        for t in page
        if t.key in old
        and (old[t.key].content_hash != t.content_hash or old[t.key].link_key != t.link_key)
    ]
    result.created, result.updated = len(created), len(changed)
    result.unchanged = len(page) - len(created) - len(changed)
    # Rows of this page can be the customers of other rows of it (an account and its
    # own touchpoint): they count as present before they are written.
    resolved = resolve_customers(
        conn, (t.link_key for t in (*created, *changed)), present={t.key for t in created}
    )
    dirty: list[str | None] = []

    def customer_of(tp: TouchpointData) -> str | None:
        customer = None if tp.is_context else resolved.get(tp.link_key or "")
        if customer is None and not tp.is_context:
            result.orphans += 1
        dirty.append(customer)
        return customer

    if created:
        _insert(conn, [_values(tp, customer_of(tp), now) for tp in created])
    if changed:
        rows = []
        for tp in changed:
            rows.append({**_changes(tp, now), "k": tp.key, "c": customer_of(tp)})
            dirty.append(old[tp.key].customer_key)
        names = [name for name in rows[0] if name not in ("k", "c")]
        conn.execute(
            update(touchpoints)
            .where(touchpoints.c.key == bindparam("k"))
            .values(customer_key=bindparam("c"), **{n: bindparam(n) for n in names}),
            rows,
        )
    mark_dirty(conn, dirty)
    # New customers (an account read after its calls) adopt what already hangs from them.
    result.changed_entities |= {t.key for t in created if is_customer_key(t.key)}
    return result


class _Stored(NamedTuple):
    """What ``save_page`` compares a page's touchpoint with."""

    key: str
    content_hash: str
    customer_key: str | None
    link_key: str | None


def _values(tp: TouchpointData, customer: str | None, now: datetime) -> tuple[Any, ...]:
    return (
        tp.key,
        tp.module,
        tp.source_id,
        tp.occurred_at,
        tp.date_modified,
        tp.subject,
        tp.status[:64],
        tp.direction[:32],
        tp.link_key,
        customer,
        "{}",
        raw_json_of(tp),
        tp.content_hash,
        now,
        now,
    )


def _changes(tp: TouchpointData, now: datetime) -> dict[str, Any]:
    return {
        "module": tp.module,
        "source_id": tp.source_id,
        "occurred_at": tp.occurred_at,
        "date_modified": tp.date_modified,
        "subject": tp.subject,
        "status": tp.status[:64],
        "direction": tp.direction[:32],
        "link_key": tp.link_key,
        "fields_json": "{}",
        "raw_json": raw_json_of(tp),
        "content_hash": tp.content_hash,
        "updated_at": now,
    }


def _insert(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """INSERT all ``rows`` (tuples in ``INSERTED`` order; ``insert_rows``), each value
    bound as its column type binds it (UTC datetimes stored naive, in the dialect's form)."""
    dialect = conn.dialect
    binders: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(INSERTED):
        column_type = touchpoints.c[name].type
        if isinstance(column_type, UtcDateTime):
            binders.append((index, _datetime_binder(column_type, dialect)))
            continue
        processor = column_type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            binders.append((index, processor))
    if binders:
        bound = []
        for row in rows:
            values = list(row)
            for index, bind in binders:
                values[index] = bind(values[index])
            bound.append(tuple(values))
        rows = bound
    insert_rows(conn, touchpoints, INSERTED, rows)


def _datetime_binder(column_type: UtcDateTime, dialect: Dialect) -> Callable[[Any], Any]:
    """``UtcDateTime``'s binding, remembered per value (a page repeats its ``now``, and
    many dates): the type's own processor runs once per distinct datetime. On SQLite
    a UTC datetime is written as the type writes it (``2026-11-22 21:49:36.000000``)
    straight from ``isoformat``, several times faster (a test holds the two equal)."""
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    seen: dict[datetime, Any] = {}
    sqlite = dialect.name == "sqlite"

    def bind(value: datetime | None) -> Any:
        if value is None:
            return None
        found = seen.get(value)
        if found is None:
            if sqlite and value.tzinfo is UTC:
                found = value.isoformat(" ", "microseconds")[:26]
            else:
                found = process(value) if process is not None else value
            seen[value] = found
        return found

    return bind


# -- reconciliation -------------------------------------------------------------------


def clear_seen_ids(conn: Connection, module: str) -> None:
    conn.execute(delete(reconcile_ids).where(reconcile_ids.c.module == module))


def add_seen_ids(conn: Connection, module: str, ids: Iterable[str]) -> None:
    rows = [{"module": module, "source_id": i} for i in ids]
    if rows:
        conn.execute(reconcile_ids.insert(), rows)


def unseen_keys(conn: Connection, module: str) -> list[str]:
    """Keys of the module's touchpoints whose id the reconciliation did not list."""
    listed = (
        select(reconcile_ids.c.source_id)
        .where(
            reconcile_ids.c.module == module,
            reconcile_ids.c.source_id == touchpoints.c.source_id,
        )
        .exists()
    )
    found = conn.execute(select(touchpoints.c.key).where(touchpoints.c.module == module, ~listed))
    return list(found.scalars())
