"""On the sandbox's messy calendar, time is read as a salesperson reads it.

A sandbox whose data ends at ANCHOR (planned calls and meetings after it, calls
and meetings not held or left Planned, accounts and contacts imported long after
the first contact, overdue open deals, yearly renewals) is pulled over HTTP and
classified at NOW. Then, for every customer: no stage or status depends on a
future-dated or not-held activity or on the creation of a record; an overdue
open opportunity with nothing since stalls; a customer in loyalty is not stalled
inside its stage's threshold; and each stay in a stage has days that match its
dates.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from connector.journey import Customer, Journey, Mapping, Touchpoint, build_journey
from connector.journey.builder import expected_close
from connector.sandbox import start_sandbox
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import JourneyRow
from connector.sync.classify import classify_customers, load_customers
from tests.integration.conftest import World
from tests.unit.journey.factories import default_mapping

ANCHOR = "2026-11-01 09:00:00"
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

Customers = dict[str, tuple[Customer, list[Touchpoint]]]


@pytest.fixture(scope="module")
def customers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Customers]:
    folder: Path = tmp_path_factory.mktemp("timing")
    sandbox = start_sandbox(accounts=40, seed=7, now=ANCHOR, generator={"anchor": ANCHOR})
    db = StateDB.open(Secret(f"sqlite:///{folder / 'state.db'}"))
    try:
        World(sandbox, db).pull(page_size=200)
        classify_customers(db, default_mapping(), NOW, everything=True)
        with db.read() as conn:
            keys = list(conn.execute(select(JourneyRow.__table__.c.customer_key)).scalars())
            found, touchpoints = load_customers(conn, keys)
        yield {key: (customer, touchpoints.get(key, [])) for key, customer in found.items()}
    finally:
        db.close()
        sandbox.stop()


def journey(customer: Customer, touchpoints: list[Touchpoint]) -> Journey:
    return build_journey(customer, touchpoints, default_mapping(), NOW)


def did_not_happen(tp: Touchpoint) -> str | None:
    """Why a touchpoint must not count, by the record itself (not by the rules)."""
    if tp.occurred_at > NOW:
        return "upcoming"
    status = tp.fields.get("status", "")
    if tp.module in ("Calls", "Meetings") and status in ("Not Held", "Planned"):
        return status.lower().replace(" ", "_")
    if tp.module in ("Accounts", "Contacts"):
        return "record_creation"
    return None


def verdict(j: Journey) -> tuple[object, ...]:
    return (
        j.current_stage, j.status, j.status_reason, j.stages, j.visits, j.transitions,
        j.health, j.last_touch, j.first_touch, j.touchpoint_count, j.cycle,
    )  # fmt: skip


def test_no_stage_or_status_depends_on_what_did_not_happen(customers: Customers) -> None:
    removed: Counter[str] = Counter()
    for customer, touchpoints in customers.values():
        kept = [tp for tp in touchpoints if did_not_happen(tp) is None]
        removed.update(r for r in map(did_not_happen, touchpoints) if r)
        assert verdict(journey(customer, touchpoints)) == verdict(journey(customer, kept)), (
            customer.key
        )
    assert {"upcoming", "not_held", "planned", "record_creation"} <= set(removed), removed


def test_overdue_open_opportunities_stall(customers: Customers) -> None:
    mapping: Mapping = default_mapping()
    closed = mapping.closed_sales_stages
    grace = timedelta(days=mapping.settings.overdue_opportunity_days)
    checked = 0
    for customer, touchpoints in customers.values():
        j = journey(customer, touchpoints)
        if j.status == "lost" or any(t.to_stage == "purchase" for t in j.transitions):
            continue
        opportunities = [
            tp
            for tp in touchpoints
            if tp.module == "Opportunities"
            and tp.occurred_at <= NOW
            and tp.fields.get("sales_stage", "").lower() not in closed
        ]
        for opportunity in opportunities:
            closes = expected_close(opportunity)
            if closes is None or closes + grace >= NOW:
                continue
            if j.last_touch is not None and j.last_touch < closes:
                assert j.status == "stalled", (customer.key, j.status_reason)
                assert j.status_reason.startswith("open opportunity Opportunities:")
                checked += 1
                break
    assert checked >= 3


def test_loyalty_customers_are_not_stalled_inside_their_threshold(customers: Customers) -> None:
    loyal = 0
    for customer, touchpoints in customers.values():
        j = journey(customer, touchpoints)
        if j.current_stage != "loyalty" or j.last_touch is None:
            continue
        idle = (NOW - j.last_touch).total_seconds() / 86400
        loyal += 1
        if idle <= default_mapping().settings.stall_days("loyalty"):
            assert j.status != "stalled", (customer.key, j.status_reason)
    assert loyal >= 5


def test_each_cycle_row_matches_its_dates(customers: Customers) -> None:
    cycles = 0
    for customer, touchpoints in customers.values():
        j = journey(customer, touchpoints)
        for visit, following in itertools.pairwise(j.visits):
            assert visit.left_at == following.entered_at
        for visit in j.visits:
            end = visit.left_at or NOW
            assert abs(visit.days - (end - visit.entered_at).total_seconds() / 86400) < 0.001
        cycles += j.cycle > 1
        if j.visits:
            assert (j.visits[-1].stage, j.visits[-1].cycle) == (j.current_stage, j.cycle)
    assert cycles >= 1
