"""Reads and writes of touchpoints, entity links and dirty customers (cursors: ``cursors``).

Every write of a pulled page goes through ``touchpoints.save_page``: the page's touchpoints,
the links it carries and the module's new cursor are written in the caller's
transaction, so a page and its cursor land together or not at all. Touchpoints
are upserted by key and compared by content hash, so re-reading a record that
did not change writes nothing.

Customers: a touchpoint's ``link_key`` is the entity it hangs from; following
``entity_links`` upward (contact → account, converted lead → account, case →
account …) gives its ``customer_key``, which must be an account, a contact or a
lead that exists in the state database; otherwise the touchpoint is an orphan
(``customer_key`` NULL) and counted as such.

SQL only through SQLAlchemy Core, portable across SQLite and MySQL/MariaDB.
Nothing here knows SuiteCRM's API or the journey rules.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, delete, func, select, update

from connector.store.cursors import Cursor as Cursor
from connector.store.cursors import all_cursors as all_cursors
from connector.store.cursors import load_cursor as load_cursor
from connector.store.cursors import save_cursor as save_cursor
from connector.store.models import (
    DirtyCustomerRow,
    EntityLinkRow,
    TouchpointRow,
)

CUSTOMER_MODULES = ("Accounts", "Contacts", "Leads")
MAX_HOPS = 5
CHUNK = 500
SQLITE_OLD_VARIABLE_LIMIT = 999
# Variables per multi-row INSERT on SQLite: a 500-row page of touchpoints in one.
SQLITE_STATEMENT_VARIABLES = 10_000

touchpoint_table = cast(Table, TouchpointRow.__table__)
link_table = cast(Table, EntityLinkRow.__table__)
dirty_table = cast(Table, DirtyCustomerRow.__table__)


@dataclass(slots=True)
class TouchpointData:
    """A normalised source record, ready to store (read-only by convention: not
    ``frozen``, whose ``__init__`` sets each of the 13 fields through
    ``object.__setattr__`` and cost 5 µs of the pull's ~100 per record)."""

    key: str
    module: str
    source_id: str
    occurred_at: datetime | None
    date_modified: datetime | None
    subject: str
    status: str
    direction: str
    link_key: str | None
    raw: Mapping[str, Any]
    content_hash: str
    is_context: bool = False
    raw_json: str = ""  # ``raw`` as JSON when the normaliser made it already


@dataclass(frozen=True)
class EntityLink:
    entity_key: str
    parent_key: str
    reason: str


@dataclass
class PageResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    orphans: int = 0
    changed_entities: set[str] = field(default_factory=set)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def is_customer_key(key: str) -> bool:
    return key.split(":", 1)[0] in CUSTOMER_MODULES


def rows_where_in(
    conn: Connection, table: Table, columns: Sequence[str], column: str, values: Sequence[str]
) -> list[tuple[Any, ...]]:
    """``SELECT columns FROM table WHERE column IN values`` (text columns only), in
    chunks, at the driver's level: SQLAlchemy renders an expanding ``IN`` of 500
    values anew at every execution, which cost the pull more than the query."""
    quote = conn.dialect.identifier_preparer.quote
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    head = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table.name)} "
    found: list[tuple[Any, ...]] = []
    for part in chunks(values):
        marks = ", ".join([mark] * len(part))
        rows = conn.exec_driver_sql(f"{head}WHERE {quote(column)} IN ({marks})", tuple(part))
        found.extend(tuple(row) for row in rows)
    return found


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """``INSERT INTO table (columns)`` the ``rows`` (values bound as they are).

    On SQLite, as few multi-row ``VALUES`` statements as its variable limit allows:
    ``executemany`` steps SQLite once per row and gives Python's GIL away at each
    step, so beside the pull's busy reader threads a 500-row page waited for the
    GIL 500 times (measured: 5-50x the time of one multi-row statement). Elsewhere
    ``executemany``, which PyMySQL already sends as multi-row statements."""
    if not rows:
        return
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    head = f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES "
    if dialect.name != "sqlite":
        marks = ", ".join(["%s" if dialect.paramstyle != "qmark" else "?"] * len(columns))
        conn.exec_driver_sql(head + f"({marks})", [tuple(row) for row in rows])
        return
    one = f"({', '.join('?' * len(columns))})"
    per = max(1, _sqlite_variable_limit(conn) // len(columns))
    for start in range(0, len(rows), per):
        part = rows[start : start + per]
        values = tuple(chain.from_iterable(part))
        conn.exec_driver_sql(head + ", ".join([one] * len(part)), values)


def _sqlite_variable_limit(conn: Connection) -> int:
    """How many ``?`` one SQLite statement may hold (999 before SQLite 3.32)."""
    raw = conn.connection.dbapi_connection
    getlimit = getattr(raw, "getlimit", None)
    if getlimit is None:
        return SQLITE_OLD_VARIABLE_LIMIT
    return min(int(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)), SQLITE_STATEMENT_VARIABLES)


# -- customers ----------------------------------------------------------------------


def parents_of(conn: Connection, keys: Iterable[str]) -> dict[str, str]:
    rows = rows_where_in(
        conn, link_table, ("entity_key", "parent_key"), "entity_key", sorted(set(keys))
    )
    return {entity: parent for entity, parent in rows}


def existing_keys(conn: Connection, keys: Iterable[str]) -> set[str]:
    rows = rows_where_in(conn, touchpoint_table, ("key",), "key", sorted(set(keys)))
    return {key for (key,) in rows}


def resolve_customers(
    conn: Connection, link_keys: Iterable[str | None], present: Collection[str] = ()
) -> dict[str, str | None]:
    """For each link key, the customer it belongs to (None: an orphan). ``present``
    are touchpoint keys known to exist though not stored yet (the page being saved)."""
    start = {k for k in link_keys if k}
    current = {k: k for k in start}
    for _hop in range(MAX_HOPS):
        parents = parents_of(conn, set(current.values()))
        if not parents:
            break
        moved = False
        for origin, at in current.items():
            parent = parents.get(at)
            if parent and parent != at:
                current[origin] = parent
                moved = True
        if not moved:
            break
    candidates = {at for at in current.values() if is_customer_key(at)}
    alive = existing_keys(conn, candidates.difference(present)) | candidates.intersection(present)
    return {origin: (at if at in alive else None) for origin, at in current.items()}


def mark_dirty(conn: Connection, customer_keys: Iterable[str | None]) -> None:
    keys = sorted({k for k in customer_keys if k})
    rows = rows_where_in(conn, dirty_table, ("customer_key",), "customer_key", keys)
    present = {k for (k,) in rows}
    insert_rows(conn, dirty_table, ("customer_key",), [(k,) for k in keys if k not in present])


def save_links(conn: Connection, links: Sequence[EntityLink], entities: Iterable[str]) -> set[str]:
    """Replace the links of ``entities`` with ``links``; return the entities whose
    parent changed (their touchpoints must be resolved again)."""
    entity_set = set(entities)
    before = parents_of(conn, entity_set)
    after = {link.entity_key: link for link in links}
    changed = {
        e for e in entity_set if before.get(e) != (after[e].parent_key if e in after else None)
    }
    stale = [e for e in changed if e in before]
    for part in chunks(stale):
        conn.execute(delete(link_table).where(link_table.c.entity_key.in_(part)))
    fresh = [(e, after[e].parent_key, after[e].reason) for e in sorted(changed) if e in after]
    insert_rows(conn, link_table, ("entity_key", "parent_key", "reason"), fresh)
    return changed


def dependants(conn: Connection, entities: set[str]) -> set[str]:
    """The entities below ``entities`` (any depth up to MAX_HOPS), themselves included."""
    found = set(entities)
    frontier = set(entities)
    for _hop in range(MAX_HOPS):
        if not frontier:
            break
        below: set[str] = set()
        for part in chunks(sorted(frontier)):
            below.update(
                conn.execute(
                    select(link_table.c.entity_key).where(link_table.c.parent_key.in_(part))
                ).scalars()
            )
        frontier = below - found
        found |= below
    return found


def reresolve(conn: Connection, entities: set[str]) -> int:
    """Re-resolve the customer of every touchpoint hanging from ``entities`` (or below
    them); mark old and new customers dirty. Returns the number of touchpoints moved."""
    if not entities:
        return 0
    scope = sorted(dependants(conn, entities))
    moved = 0
    for part in chunks(scope):
        rows = conn.execute(
            select(
                touchpoint_table.c.key, touchpoint_table.c.link_key, touchpoint_table.c.customer_key
            ).where(touchpoint_table.c.link_key.in_(part))
        ).all()
        resolved = resolve_customers(conn, (r.link_key for r in rows))
        changes = [
            {"k": r.key, "c": resolved.get(r.link_key)}
            for r in rows
            if resolved.get(r.link_key) != r.customer_key
        ]
        if changes:
            conn.execute(
                update(touchpoint_table)
                .where(touchpoint_table.c.key == bindparam("k"))
                .values(customer_key=bindparam("c")),
                changes,
            )
            mark_dirty(conn, [r.customer_key for r in rows] + [c["c"] for c in changes])
            moved += len(changes)
    return moved


# -- touchpoints --------------------------------------------------------------------


def delete_touchpoints(conn: Connection, keys: Sequence[str]) -> tuple[int, set[str]]:
    """Remove touchpoints (and the links they carried); mark their customers dirty.
    Returns (rows deleted, entities whose children must be re-resolved)."""
    deleted = 0
    affected: set[str] = set()
    for part in chunks(sorted(set(keys))):
        customers = (
            conn.execute(
                select(touchpoint_table.c.customer_key).where(touchpoint_table.c.key.in_(part))
            )
            .scalars()
            .all()
        )
        mark_dirty(conn, customers)
        mark_dirty(conn, [k for k in part if is_customer_key(k)])
        deleted += (
            conn.execute(delete(touchpoint_table).where(touchpoint_table.c.key.in_(part))).rowcount
            or 0
        )
        had_links = set(
            conn.execute(
                select(link_table.c.entity_key).where(link_table.c.entity_key.in_(part))
            ).scalars()
        )
        conn.execute(delete(link_table).where(link_table.c.entity_key.in_(part)))
        affected |= set(part) | had_links
    return deleted, affected


def iter_module_ids(conn: Connection, module: str, batch: int = 5000) -> Iterator[str]:
    """Source ids of a module in ascending order, streamed in batches."""
    last = ""
    while True:
        ids = (
            conn.execute(
                select(touchpoint_table.c.source_id)
                .where(touchpoint_table.c.module == module, touchpoint_table.c.source_id > last)
                .order_by(touchpoint_table.c.source_id)
                .limit(batch)
            )
            .scalars()
            .all()
        )
        yield from ids
        if len(ids) < batch:
            return
        last = ids[-1]


def count_by_module(conn: Connection) -> dict[str, tuple[int, int]]:
    """Per module: (touchpoints, orphans)."""
    rows = conn.execute(
        select(
            touchpoint_table.c.module,
            func.count(),
            func.sum(func.coalesce(touchpoint_table.c.customer_key, "") == ""),
        ).group_by(touchpoint_table.c.module)
    ).all()
    return {r[0]: (int(r[1]), int(r[2] or 0)) for r in rows}
