"""Classification step: rebuild the journeys of the customers whose touchpoints changed.

The pull marks customers dirty when one of their touchpoints is created, changed,
deleted or moved to another customer. This step takes the dirty customers in
batches, reads each one's touchpoints from the state database, builds the journey
with the pure engine (``connector.journey``) and stores it; customers that no
longer exist lose their journey. Journeys built more than ``refresh_after`` ago
are rebuilt too, because time alone changes them (a customer with no news for
60 days is stalled, days in stage grow).

A customer is an account, a contact without account (B2C), or a lead that has
not converted (a prospect: counted in the funnel, never written back).

Corrections people made in SuiteCRM (mirrored in the ``corrections`` table) are
applied to every journey built here, and every touchpoint the rules decided is
assessed for doubt, so the stored journey says which ones ``review`` lists.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Row, Table, delete, func, select, update

from connector.journey import (
    Customer,
    Journey,
    Mapping,
    Reviewer,
    Touchpoint,
    build_journey,
    journey_to_dict,
)
from connector.journey.summary import journey_summary
from connector.store.corrections import corrections_of_customers
from connector.store.database import StateDB
from connector.store.models import (
    DirtyCustomerRow,
    JourneyRow,
    JourneySummaryRow,
    TouchpointRow,
)
from connector.store.queries import chunks, mark_dirty

log = logging.getLogger(__name__)

T = cast(Table, TouchpointRow.__table__)
D = cast(Table, DirtyCustomerRow.__table__)
J = cast(Table, JourneyRow.__table__)
S = cast(Table, JourneySummaryRow.__table__)

KINDS = {"Accounts": "account", "Contacts": "contact", "Leads": "lead"}
BATCH = 200


@dataclass
class ClassifyReport:
    rebuilt: int = 0
    removed: int = 0
    touchpoints: int = 0
    changed: int = 0
    remaining: int = 0  # customers still to rebuild when a stop was asked for
    stopped: bool = False


def touchpoint_from_row(row: Row[Any] | Any) -> Touchpoint:
    raw = json.loads(row.raw_json or "{}")
    fields = {str(k): v if isinstance(v, str) else str(v) for k, v in raw.items()}
    return Touchpoint(
        key=row.key,
        module=row.module,
        source_id=row.source_id,
        customer_key=row.customer_key,
        occurred_at=row.occurred_at,
        subject=row.subject or "",
        fields=fields,
    )


def customer_from_row(row: Row[Any] | Any) -> Customer:
    raw = json.loads(row.raw_json or "{}")
    fields = {str(k): v if isinstance(v, str) else str(v) for k, v in raw.items()}
    return Customer(key=row.key, kind=KINDS[row.module], name=row.subject or row.key, fields=fields)


def journey_hash(data: dict[str, Any]) -> str:
    stable = {k: v for k, v in data.items() if k != "as_of"}
    text = json.dumps(stable, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_customers(
    conn: Connection, keys: Sequence[str]
) -> tuple[dict[str, Customer], dict[str, list[Touchpoint]]]:
    """The customers among ``keys`` (a key is a customer when its own row resolves to
    itself) and each one's touchpoints."""
    customers: dict[str, Customer] = {}
    for row in conn.execute(select(T).where(T.c.key.in_(keys))):
        if row.customer_key == row.key and row.module in KINDS:
            customers[row.key] = customer_from_row(row)
    touchpoints: dict[str, list[Touchpoint]] = defaultdict(list)
    if customers:
        rows = conn.execute(select(T).where(T.c.customer_key.in_(list(customers))))
        for row in rows:
            if row.occurred_at is not None:
                touchpoints[row.customer_key].append(touchpoint_from_row(row))
    return customers, touchpoints


def store_journey(conn: Connection, journey: Journey, now: datetime) -> bool:
    """Upsert one journey; True when its content changed."""
    data = journey_to_dict(journey)
    digest = journey_hash(data)
    values = {
        "name": journey.customer_name[:255],
        "stage": journey.current_stage or "",
        "status": journey.status,
        "health_score": journey.health.score,
        "touchpoint_count": journey.touchpoint_count,
        "data_json": json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        "content_hash": digest,
        "built_at": now,
    }
    summary = json.dumps(journey_summary(data), ensure_ascii=False, separators=(",", ":"))
    key = journey.customer_key
    old = conn.execute(select(J.c.content_hash).where(J.c.customer_key == key)).scalar()
    if old is None:
        conn.execute(J.insert().values(customer_key=key, **values))
        conn.execute(S.insert().values(customer_key=key, summary_json=summary))
        return True
    conn.execute(update(J).where(J.c.customer_key == key).values(**values))
    written = conn.execute(update(S).where(S.c.customer_key == key).values(summary_json=summary))
    if not written.rowcount:  # a journey stored before summaries existed
        conn.execute(S.insert().values(customer_key=key, summary_json=summary))
    return bool(old != digest)


def rebuild(
    conn: Connection,
    keys: Sequence[str],
    mapping: Mapping,
    now: datetime,
    report: ClassifyReport,
    reviewer: Reviewer | None = None,
) -> None:
    customers, touchpoints = load_customers(conn, keys)
    corrections = corrections_of_customers(conn, list(customers))
    for key, customer in customers.items():
        journey = build_journey(
            customer,
            touchpoints.get(key, ()),
            mapping,
            now,
            corrections=corrections,
            reviewer=reviewer,
        )
        report.changed += store_journey(conn, journey, now)
        report.rebuilt += 1
        report.touchpoints += journey.touchpoint_count
    gone = [k for k in keys if k not in customers]
    if gone:
        report.removed += conn.execute(delete(J).where(J.c.customer_key.in_(gone))).rowcount or 0
    conn.execute(delete(D).where(D.c.customer_key.in_(keys)))


def mark_stale(conn: Connection, now: datetime, refresh_after: timedelta) -> int:
    stale = list(
        conn.execute(select(J.c.customer_key).where(J.c.built_at < now - refresh_after)).scalars()
    )
    mark_dirty(conn, stale)
    return len(stale)


def customer_keys(conn: Connection) -> list[str]:
    """Every customer there is (accounts, B2C contacts, unconverted leads), in key order."""
    return list(
        conn.execute(
            select(T.c.key)
            .where(T.c.module.in_(list(KINDS)), T.c.customer_key == T.c.key)
            .order_by(T.c.key)
        ).scalars()
    )


def iter_customers(
    db: StateDB, keys: Sequence[str] | None = None, batch: int = BATCH
) -> Iterator[tuple[Customer, list[Touchpoint], dict[str, str]]]:
    """Each customer (all, or those among ``keys``) with its touchpoints and the
    corrections of those, read a batch at a time; nothing is written."""
    if keys is None:
        with db.read() as conn:
            keys = customer_keys(conn)
    for part in chunks(list(keys), batch):
        with db.read() as conn:
            customers, touchpoints = load_customers(conn, part)
            corrections = corrections_of_customers(conn, list(customers))
        for key in part:
            customer = customers.get(key)
            if customer is not None:
                yield customer, touchpoints.get(key, []), corrections


def mark_all(conn: Connection) -> None:
    mark_dirty(conn, customer_keys(conn))
    existing = conn.execute(select(J.c.customer_key)).scalars().all()
    mark_dirty(conn, existing)


def dirty_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(D)).scalar_one())


def classify_customers(
    db: StateDB,
    mapping: Mapping,
    now: datetime,
    *,
    everything: bool = False,
    refresh_after: timedelta = timedelta(hours=24),
    batch: int = BATCH,
    progress: Callable[[int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ClassifyReport:
    """Rebuild the journeys of dirty (or, with ``everything``, all) customers.

    ``on_start`` hears how many customers are to be rebuilt, ``progress`` each
    batch done; a stop (``should_stop``) ends the run after the current batch,
    which is committed, with ``stopped`` set: the rest stays marked for next time."""
    report = ClassifyReport()
    reviewer = Reviewer(mapping, detail=False)
    with db.begin() as conn:
        if everything:
            mark_all(conn)
        else:
            mark_stale(conn, now, refresh_after)
    if on_start is not None:
        with db.read() as conn:
            on_start(dirty_count(conn))
    while True:
        with db.begin() as conn:
            keys = list(
                conn.execute(
                    select(D.c.customer_key).order_by(D.c.customer_key).limit(batch)
                ).scalars()
            )
            if not keys:
                break
            rebuild(conn, keys, mapping, now, report, reviewer)
        if progress:
            progress(len(keys))
        if should_stop and should_stop():
            with db.read() as conn:
                report.remaining = dirty_count(conn)
            report.stopped = report.remaining > 0
            break
    log.info(
        "classify: %d journeys rebuilt (%d changed), %d removed, %d touchpoints",
        report.rebuilt,
        report.changed,
        report.removed,
        report.touchpoints,
    )
    return report


MATCHES_SHOWN = 20


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's wildcards in ``text`` taken literally (escape ``/``: a
    backslash means different things in MySQL's and SQLite's string literals)."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def find_customers(
    conn: Connection, text: str, limit: int = MATCHES_SHOWN
) -> tuple[list[tuple[str, str]], int]:
    """Journeys matching a key (``Accounts:<id>``), a bare id, or a name (exactly, else a
    part of it, ``%`` and ``_`` meaning themselves): up to ``limit`` of them, and how
    many match in all."""
    if ":" in text:
        rows = conn.execute(select(J.c.customer_key, J.c.name).where(J.c.customer_key == text))
        found = [(r.customer_key, r.name) for r in rows]
        return found, len(found)
    by_id = conn.execute(
        select(J.c.customer_key, J.c.name).where(
            J.c.customer_key.in_([f"{m}:{text}" for m in KINDS])
        )
    ).all()
    if by_id:
        return [(r.customer_key, r.name) for r in by_id], len(by_id)
    exact = conn.execute(select(J.c.customer_key, J.c.name).where(J.c.name == text)).all()
    if exact:
        return [(r.customer_key, r.name) for r in exact[:limit]], len(exact)
    where = J.c.name.like(like_pattern(text), escape="/")
    total = int(conn.execute(select(func.count()).select_from(J).where(where)).scalar_one())
    like = conn.execute(
        select(J.c.customer_key, J.c.name).where(where).order_by(J.c.name).limit(limit)
    ).all()
    return [(r.customer_key, r.name) for r in like], total


def journey_of(
    conn: Connection,
    key: str,
    mapping: Mapping,
    now: datetime,
    reviewer: Reviewer | None = None,
) -> Journey | None:
    """One customer's journey as ``classify`` builds it (its corrections applied)."""
    customers, touchpoints = load_customers(conn, [key])
    customer = customers.get(key)
    if customer is None:
        return None
    corrections = corrections_of_customers(conn, [key])
    return build_journey(
        customer,
        touchpoints.get(key, ()),
        mapping,
        now,
        corrections=corrections,
        reviewer=reviewer,
    )


def iter_stored_journeys(conn: Connection, keys: Iterable[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for part in chunks(sorted(set(keys))):
        for row in conn.execute(select(J.c.data_json).where(J.c.customer_key.in_(part))):
            found.append(json.loads(row.data_json))
    return found


def stage_counts(conn: Connection) -> dict[str, dict[str, int]]:
    """Customers per stage and per status (journeys of accounts, contacts and leads)."""
    counts: dict[str, dict[str, int]] = {"stage": {}, "status": {}}
    for column, name in ((J.c.stage, "stage"), (J.c.status, "status")):
        for value, number in conn.execute(select(column, func.count()).group_by(column)):
            counts[name][value or "none"] = int(number)
    return counts
