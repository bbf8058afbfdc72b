"""The store's customers and journeys on SQLite: who is a customer, what a batch holds,
when a journey counts as changed, and the pages the report reads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from connector.secrets import Secret
from connector.store import tables
from connector.store.customers import (
    clear_dirty,
    customer_keys,
    customers_among,
    customers_of,
    dirty_count,
    next_dirty,
    records_of,
    touchpoints_of,
)
from connector.store.database import StateDB
from connector.store.journeys import (
    JourneyData,
    delete_journeys,
    journey_page,
    journeys_built_before,
    save_journey,
    stage_counts,
    summary_page,
)
from connector.store.queries import mark_dirty

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def row(key: str, customer: str | None, when: datetime | None = NOW, **raw: str) -> dict[str, Any]:
    module, source_id = key.split(":", 1)
    return {
        "key": key,
        "module": module,
        "source_id": source_id,
        "occurred_at": when,
        "date_modified": when,
        "subject": key,
        "status": "",
        "direction": "",
        "link_key": customer,
        "customer_key": customer,
        "fields_json": "{}",
        "raw_json": json.dumps(raw),
        "content_hash": "h",
        "first_seen_at": NOW,
        "updated_at": NOW,
    }


ROWS = [
    row("Accounts:a1", "Accounts:a1", industry="Banking"),
    row("Contacts:c1", "Accounts:a1", lead_source="Web Site"),  # works for a1: not a customer
    row("Contacts:c2", "Contacts:c2"),  # B2C
    row("Leads:l1", "Leads:l1"),  # a prospect
    row("Calls:k1", "Accounts:a1"),
    row("Calls:k2", "Accounts:a1", when=None),  # no date
    row("Calls:orphan", None),
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[StateDB]:
    state = StateDB.open(Secret(f"sqlite:///{tmp_path / 'state.db'}"))
    with state.begin() as conn:
        conn.execute(tables.touchpoints.insert(), ROWS)
    yield state
    state.close()


def journey(key: str, stage: str = "awareness", digest: str = "one") -> JourneyData:
    return JourneyData(key, key, stage, "active", 50, 2, '{"k": 1}', digest, '{"s": 1}')


def test_customers_are_the_records_that_resolve_to_themselves(db: StateDB) -> None:
    with db.read() as conn:
        assert customer_keys(conn) == ["Accounts:a1", "Contacts:c2", "Leads:l1"]
        among = customers_among(conn, ["Accounts:a1", "Contacts:c1", "Calls:k1", "Leads:l1"])
        assert sorted(among) == ["Accounts:a1", "Leads:l1"]
        owned = sorted(t.key for t in touchpoints_of(conn, ["Accounts:a1"]))
        assert owned == ["Accounts:a1", "Calls:k1", "Calls:k2", "Contacts:c1"]
        assert touchpoints_of(conn, []) == []
        assert [r.key for r in records_of(conn, ["Accounts:a1"], ["Contacts"])] == ["Contacts:c1"]
        assert customers_of(conn, ["Calls:k1", "Calls:orphan", "Calls:nope"]) == {"Accounts:a1"}


def test_customers_to_rebuild_come_a_batch_at_a_time_in_key_order(db: StateDB) -> None:
    with db.begin() as conn:
        mark_dirty(conn, ["Leads:l1", "Accounts:a1", "Contacts:c2", None])
        assert next_dirty(conn, 2) == ["Accounts:a1", "Contacts:c2"]
        clear_dirty(conn, ["Accounts:a1", "Contacts:c2"])
        assert (next_dirty(conn, 2), dirty_count(conn)) == (["Leads:l1"], 1)


def test_a_journey_is_changed_only_when_its_hash_changes(db: StateDB) -> None:
    with db.begin() as conn:
        assert save_journey(conn, journey("Accounts:a1"), NOW)
        assert not save_journey(conn, journey("Accounts:a1", stage="decision"), NOW)
        later = NOW + timedelta(days=2)
        assert save_journey(conn, journey("Accounts:a1", "decision", digest="two"), later)
        assert save_journey(conn, journey("Leads:l1"), NOW)
        assert journeys_built_before(conn, NOW + timedelta(days=1)) == ["Leads:l1"]
        assert stage_counts(conn) == {
            "stage": {"decision": 1, "awareness": 1},
            "status": {"active": 2},
        }


def test_the_report_pages_journeys_and_summaries_by_key(db: StateDB) -> None:
    with db.begin() as conn:
        for key in ("Accounts:a1", "Contacts:c2", "Leads:l1"):
            save_journey(conn, journey(key), NOW)
        conn.execute(
            tables.journey_summaries.delete().where(
                tables.journey_summaries.c.customer_key == "Contacts:c2"
            )
        )  # as if stored before summaries existed
    with db.read() as conn:
        assert [k for k, _ in journey_page(conn, None, 2)] == ["Accounts:a1", "Contacts:c2"]
        assert [k for k, _ in journey_page(conn, "Contacts:c2", 2)] == ["Leads:l1"]
        assert summary_page(conn, "Accounts:a1", 5) == [
            ("Contacts:c2", "", '{"k": 1}'),
            ("Leads:l1", '{"s": 1}', ""),
        ]
    with db.begin() as conn:
        assert delete_journeys(conn, ["Leads:l1", "Leads:nope"]) == 1
