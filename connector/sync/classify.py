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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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
from connector.store.customers import (
    StoredTouchpoint,
    clear_dirty,
    customer_keys,
    customers_among,
    dirty_count,
    next_dirty,
    touchpoints_of,
)
from connector.store.database import Connection, StateDB
from connector.store.journeys import (
    MATCHES_SHOWN,
    JourneyData,
    delete_journeys,
    find_journeys,
    journey_keys,
    journeys_built_before,
    save_journey,
)
from connector.store.queries import chunks, mark_dirty

log = logging.getLogger(__name__)

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


def touchpoint_from_row(row: StoredTouchpoint) -> Touchpoint:
    """A stored record with a date as the engine's ``Touchpoint``."""
    if row.occurred_at is None:
        raise ValueError(f"{row.key} has no date: it is not a touchpoint")
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


def customer_from_row(row: StoredTouchpoint) -> Customer:
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
    customers = {key: customer_from_row(row) for key, row in customers_among(conn, keys).items()}
    touchpoints: dict[str, list[Touchpoint]] = defaultdict(list)
    for row in touchpoints_of(conn, list(customers)):
        if row.occurred_at is not None and row.customer_key is not None:
            touchpoints[row.customer_key].append(touchpoint_from_row(row))
    return customers, touchpoints


def store_journey(conn: Connection, journey: Journey, now: datetime) -> bool:
    """Upsert one journey; True when its content changed."""
    data = journey_to_dict(journey)
    stored = JourneyData(
        customer_key=journey.customer_key,
        name=journey.customer_name,
        stage=journey.current_stage or "",
        status=journey.status,
        health_score=journey.health.score,
        touchpoint_count=journey.touchpoint_count,
        data_json=json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        content_hash=journey_hash(data),
        summary_json=json.dumps(journey_summary(data), ensure_ascii=False, separators=(",", ":")),
    )
    return save_journey(conn, stored, now)


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
        report.removed += delete_journeys(conn, gone)
    clear_dirty(conn, keys)


def mark_stale(conn: Connection, now: datetime, refresh_after: timedelta) -> int:
    stale = journeys_built_before(conn, now - refresh_after)
    mark_dirty(conn, stale)
    return len(stale)


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
    mark_dirty(conn, journey_keys(conn))


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
            keys = next_dirty(conn, batch)
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


def find_customers(
    conn: Connection, text: str, limit: int = MATCHES_SHOWN
) -> tuple[list[tuple[str, str]], int]:
    """Journeys matching a key (``Accounts:<id>``), a bare id, or a name (exactly, else a
    part of it, ``%`` and ``_`` meaning themselves): up to ``limit`` of them, and how
    many match in all."""
    return find_journeys(conn, text, list(KINDS), limit)


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
