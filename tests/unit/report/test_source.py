"""Reading journeys and segment fields from the state database, batch by batch."""

from __future__ import annotations

import json
from pathlib import Path

from connector.journey.summary import journey_summary
from connector.report import JourneyInput, compute_report, iter_journey_inputs
from connector.report.personas import compute_personas
from connector.report.source import count_journeys, iter_journey_summaries
from connector.store import tables
from tests.unit.report.fixtures import NOW, journeys
from tests.unit.report.persona_fixtures import persona_journeys
from tests.unit.report.statedb import open_db, record, store


def test_profiles_come_from_the_customer_and_its_leads(tmp_path: Path) -> None:
    db = open_db(tmp_path / "state.db")
    items = journeys()
    alpha, echo, foxtrot = items[0], items[4], items[5]
    store(
        db,
        [alpha, echo, foxtrot],
        [
            record("Accounts:aaaa-1", {"industry": "Banking", "account_type": "Customer",
                                       "lead_source": None}, "Accounts:aaaa-1"),
            # two leads converted into Alpha: the earlier one's source wins over a contact's
            record("Leads:l2", {"lead_source": "Partner"}, "Accounts:aaaa-1", day=9),
            record("Leads:l1", {"lead_source": "Web Site"}, "Accounts:aaaa-1", day=2),
            record("Contacts:c1", {"lead_source": "Cold Call"}, "Accounts:aaaa-1", day=1),
            record("Contacts:eeee-5", {"lead_source": " Trade Show "}, "Contacts:eeee-5"),
            record("Leads:ffff-6", {"lead_source": "", "industry": "Retail"}, "Leads:ffff-6"),
        ],
    )  # fmt: skip
    try:
        read = {i.journey["customer_key"]: i for i in iter_journey_inputs(db, batch=2)}
        assert count_journeys(db) == 3
    finally:
        db.close()
    assert list(read) == ["Accounts:aaaa-1", "Contacts:eeee-5", "Leads:ffff-6"]
    assert read["Accounts:aaaa-1"].profile == {
        "industry": "Banking", "account_type": "Customer", "lead_source": "Web Site"
    }  # fmt: skip
    assert read["Contacts:eeee-5"].profile == {"lead_source": "Trade Show"}
    assert read["Leads:ffff-6"].profile == {"industry": "Retail"}
    assert read["Leads:ffff-6"].segment("lead_source") == "(unknown)"
    assert read["Accounts:aaaa-1"].journey == alpha.journey


def test_batches_cover_every_journey_once(tmp_path: Path) -> None:
    db = open_db(tmp_path / "state.db")
    store(db, journeys(), [])
    try:
        keys = [i.journey["customer_key"] for i in iter_journey_inputs(db, batch=4)]
        report = compute_report(iter_journey_inputs(db, batch=3), now=NOW)
    finally:
        db.close()
    assert keys == sorted(i.journey["customer_key"] for i in journeys())
    assert report.summary.customers == 9


def test_an_empty_database_yields_nothing(tmp_path: Path) -> None:
    db = open_db(tmp_path / "state.db")
    try:
        assert list(iter_journey_inputs(db)) == []
    finally:
        db.close()


def test_summaries_are_read_from_their_column_or_made_from_the_journey(tmp_path: Path) -> None:
    db = open_db(tmp_path / "state.db")
    data = persona_journeys()
    store(db, [JourneyInput(j) for j in data], [])  # as stored before summaries existed
    try:
        with db.begin() as conn:  # half of them as classify now stores them
            for journey in data[::2]:
                summary = json.dumps(journey_summary(journey))
                conn.execute(
                    tables.journey_summaries.insert().values(
                        customer_key=journey["customer_key"], summary_json=summary
                    )
                )
        read = list(iter_journey_summaries(db, batch=3))
    finally:
        db.close()
    by_key = {j["customer_key"]: journey_summary(j) for j in data}
    assert sorted(read, key=str) == sorted(by_key.values(), key=str)
    assert compute_personas(read) == compute_personas(by_key.values())
