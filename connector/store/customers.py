"""Customers and the touchpoints they own, as the classification and the report read them.

A customer is a touchpoint row of an account, a contact or a lead whose
``customer_key`` is its own key (the pull resolves contacts with an account, and
converted leads, to that account). ``dirty_customers`` lists the customers whose
journey must be rebuilt; the pull, the corrections and ``serve`` mark them
(``mark_dirty``), the classification takes them a batch at a time.

Rows come back as ``StoredTouchpoint``; what a touchpoint means (stages, rules)
is not known here. SQL only through SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select

from connector.store import tables
from connector.store.queries import CUSTOMER_MODULES, chunks

touchpoints = tables.touchpoints
dirty = tables.dirty_customers


@dataclass(frozen=True, slots=True)
class StoredTouchpoint:
    """A touchpoint as stored: its record's fields are the JSON in ``raw_json``."""

    key: str
    module: str
    source_id: str
    customer_key: str | None
    occurred_at: datetime | None
    subject: str
    raw_json: str


COLUMNS = (
    touchpoints.c.key,
    touchpoints.c.module,
    touchpoints.c.source_id,
    touchpoints.c.customer_key,
    touchpoints.c.occurred_at,
    touchpoints.c.subject,
    touchpoints.c.raw_json,
)


def _stored(row: Any) -> StoredTouchpoint:
    return StoredTouchpoint(
        row.key,
        row.module,
        row.source_id,
        row.customer_key,
        row.occurred_at,
        row.subject or "",
        row.raw_json or "{}",
    )


def find_touchpoint(conn: Connection, key: str) -> StoredTouchpoint | None:
    row = conn.execute(select(*COLUMNS).where(touchpoints.c.key == key)).first()
    return None if row is None else _stored(row)


def customers_among(conn: Connection, keys: Sequence[str]) -> dict[str, StoredTouchpoint]:
    """The customers among ``keys`` (a key is a customer when its own row resolves to
    itself), each one's own record by key."""
    rows = conn.execute(
        select(*COLUMNS).where(
            touchpoints.c.key.in_(keys),
            touchpoints.c.customer_key == touchpoints.c.key,
            touchpoints.c.module.in_(CUSTOMER_MODULES),
        )
    )
    return {row.key: _stored(row) for row in rows}


def touchpoints_of(conn: Connection, customers: Sequence[str]) -> list[StoredTouchpoint]:
    """Every touchpoint of ``customers`` (their own records included)."""
    if not customers:
        return []
    rows = conn.execute(select(*COLUMNS).where(touchpoints.c.customer_key.in_(customers)))
    return [_stored(row) for row in rows]


def records_of(
    conn: Connection, customers: Sequence[str], modules: Sequence[str]
) -> list[StoredTouchpoint]:
    """The records of ``modules`` that belong to ``customers``."""
    rows = conn.execute(
        select(*COLUMNS).where(
            touchpoints.c.customer_key.in_(customers), touchpoints.c.module.in_(modules)
        )
    )
    return [_stored(row) for row in rows]


def raw_records(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The raw JSON of the records with these keys, by key."""
    rows = conn.execute(
        select(touchpoints.c.key, touchpoints.c.raw_json).where(touchpoints.c.key.in_(keys))
    )
    return {row.key: row.raw_json for row in rows}


def customer_keys(conn: Connection) -> list[str]:
    """Every customer there is (accounts, B2C contacts, unconverted leads), in key order."""
    return list(
        conn.execute(
            select(touchpoints.c.key)
            .where(
                touchpoints.c.module.in_(CUSTOMER_MODULES),
                touchpoints.c.customer_key == touchpoints.c.key,
            )
            .order_by(touchpoints.c.key)
        ).scalars()
    )


def customers_of(conn: Connection, touchpoint_keys: Iterable[str]) -> set[str]:
    """The customers the touchpoints belong to now (orphans and unknown keys have none)."""
    found: set[str] = set()
    for part in chunks(sorted(set(touchpoint_keys))):
        rows = conn.execute(select(touchpoints.c.customer_key).where(touchpoints.c.key.in_(part)))
        found.update(row.customer_key for row in rows if row.customer_key)
    return found


# -- customers to rebuild ---------------------------------------------------------------


def next_dirty(conn: Connection, limit: int) -> list[str]:
    """The first ``limit`` customers to rebuild, in key order."""
    query = select(dirty.c.customer_key).order_by(dirty.c.customer_key).limit(limit)
    return list(conn.execute(query).scalars())


def dirty_keys(conn: Connection) -> set[str]:
    return set(conn.execute(select(dirty.c.customer_key)).scalars())


def dirty_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(dirty)).scalar_one())


def clear_dirty(conn: Connection, keys: Sequence[str]) -> None:
    conn.execute(delete(dirty).where(dirty.c.customer_key.in_(keys)))
