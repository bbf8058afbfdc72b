"""The built journeys (``journeys``) and their small summaries (``journey_summaries``).

The classification saves each customer's journey as JSON with the columns the
commands filter and count on (stage, status, health, touchpoints) and a content
hash, so an unchanged journey is known without comparing its JSON; beside it a
summary (persona, cost, path) the persona figures read without the whole journey.
The report walks journeys a batch at a time in customer-key order (keyset).

What a journey holds is ``connector.journey``'s business; here it is text.
SQL only through SQLAlchemy Core.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update

from connector.store import tables

journeys = tables.journeys
summaries = tables.journey_summaries
MATCHES_SHOWN = 20


@dataclass(frozen=True)
class JourneyData:
    """One customer's journey, ready to store."""

    customer_key: str
    name: str
    stage: str
    status: str
    health_score: int
    touchpoint_count: int
    data_json: str
    content_hash: str
    summary_json: str


def save_journey(conn: Connection, journey: JourneyData, now: datetime) -> bool:
    """Upsert one journey and its summary; True when its content changed."""
    key = journey.customer_key
    values = {
        "name": journey.name[:255],
        "stage": journey.stage,
        "status": journey.status,
        "health_score": journey.health_score,
        "touchpoint_count": journey.touchpoint_count,
        "data_json": journey.data_json,
        "content_hash": journey.content_hash,
        "built_at": now,
    }
    summary = journey.summary_json
    old = conn.execute(
        select(journeys.c.content_hash).where(journeys.c.customer_key == key)
    ).scalar()
    if old is None:
        conn.execute(journeys.insert().values(customer_key=key, **values))
        conn.execute(summaries.insert().values(customer_key=key, summary_json=summary))
        return True
    conn.execute(update(journeys).where(journeys.c.customer_key == key).values(**values))
    written = conn.execute(
        update(summaries).where(summaries.c.customer_key == key).values(summary_json=summary)
    )
    if not written.rowcount:  # a journey stored before summaries existed
        conn.execute(summaries.insert().values(customer_key=key, summary_json=summary))
    return bool(old != journey.content_hash)


def delete_journeys(conn: Connection, keys: Sequence[str]) -> int:
    """Forget the journeys of these customers; how many there were."""
    return conn.execute(delete(journeys).where(journeys.c.customer_key.in_(keys))).rowcount or 0


def journeys_built_before(conn: Connection, when: datetime) -> list[str]:
    query = select(journeys.c.customer_key).where(journeys.c.built_at < when)
    return list(conn.execute(query).scalars())


def journey_keys(conn: Connection) -> list[str]:
    return list(conn.execute(select(journeys.c.customer_key)).scalars())


def count_journeys(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(journeys)).scalar_one())


def stage_counts(conn: Connection) -> dict[str, dict[str, int]]:
    """Customers per stage and per status (journeys of accounts, contacts and leads)."""
    counts: dict[str, dict[str, int]] = {"stage": {}, "status": {}}
    for column, name in ((journeys.c.stage, "stage"), (journeys.c.status, "status")):
        for value, number in conn.execute(select(column, func.count()).group_by(column)):
            counts[name][value or "none"] = int(number)
    return counts


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's wildcards in ``text`` taken literally (escape ``/``: a
    backslash means different things in MySQL's and SQLite's string literals)."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def find_journeys(
    conn: Connection, text: str, modules: Sequence[str], limit: int = MATCHES_SHOWN
) -> tuple[list[tuple[str, str]], int]:
    """Journeys matching a key (``Accounts:<id>``), a bare id of one of ``modules``, or a
    name (exactly, else a part of it, ``%`` and ``_`` meaning themselves): up to
    ``limit`` of them as (customer key, name), and how many match in all."""
    found = select(journeys.c.customer_key, journeys.c.name)
    if ":" in text:
        rows = conn.execute(found.where(journeys.c.customer_key == text)).all()
        return [(r.customer_key, r.name) for r in rows], len(rows)
    by_id = conn.execute(
        found.where(journeys.c.customer_key.in_([f"{m}:{text}" for m in modules]))
    ).all()
    if by_id:
        return [(r.customer_key, r.name) for r in by_id], len(by_id)
    exact = conn.execute(found.where(journeys.c.name == text)).all()
    if exact:
        return [(r.customer_key, r.name) for r in exact[:limit]], len(exact)
    where = journeys.c.name.like(like_pattern(text), escape="/")
    total = int(conn.execute(select(func.count()).select_from(journeys).where(where)).scalar_one())
    like = conn.execute(found.where(where).order_by(journeys.c.name).limit(limit)).all()
    return [(r.customer_key, r.name) for r in like], total


def journey_page(conn: Connection, after: str | None, size: int) -> list[tuple[str, str]]:
    """Up to ``size`` journeys (customer key, JSON) after the key ``after``, in key order."""
    query = (
        select(journeys.c.customer_key, journeys.c.data_json)
        .order_by(journeys.c.customer_key)
        .limit(size)
    )
    if after is not None:
        query = query.where(journeys.c.customer_key > after)
    return [(row.customer_key, row.data_json) for row in conn.execute(query)]


def summary_page(conn: Connection, after: str | None, size: int) -> list[tuple[str, str, str]]:
    """Up to ``size`` journeys after the key ``after``, in key order, as (customer key,
    summary JSON, journey JSON); the journey's JSON only where it has no summary yet
    (stored before summaries existed), else empty."""
    joined = journeys.outerjoin(summaries, summaries.c.customer_key == journeys.c.customer_key)
    query = (
        select(journeys.c.customer_key, summaries.c.summary_json)
        .select_from(joined)
        .order_by(journeys.c.customer_key)
        .limit(size)
    )
    if after is not None:
        query = query.where(journeys.c.customer_key > after)
    rows = [(row.customer_key, row.summary_json or "") for row in conn.execute(query).all()]
    missing = [key for key, summary in rows if not summary]
    whole: dict[str, str] = {}
    if missing:
        found = conn.execute(
            select(journeys.c.customer_key, journeys.c.data_json).where(
                journeys.c.customer_key.in_(missing)
            )
        )
        whole = {row.customer_key: row.data_json for row in found}
    return [(key, summary, whole.get(key, "")) for key, summary in rows]


def largest_journeys(conn: Connection, module: str, limit: int) -> list[str]:
    """The customers of ``module`` with the most touchpoints (ties by key)."""
    return list(
        conn.execute(
            select(journeys.c.customer_key)
            .where(journeys.c.customer_key.like(f"{module}:%"))
            .order_by(journeys.c.touchpoint_count.desc(), journeys.c.customer_key)
            .limit(limit)
        ).scalars()
    )
