"""The data generator: same seed, same data; realistic journeys; the configured
share of odd records; streaming in batches gives the same rows."""

from __future__ import annotations

import hashlib

import pytest

from connector.sandbox.catalog import JOIN_TABLES, build_catalog
from connector.sandbox.generator import GenerationStats, GeneratorConfig, generate
from connector.sandbox.history import ODD_KINDS
from connector.sandbox.store import Store


def fill(config: GeneratorConfig) -> tuple[Store, GenerationStats]:
    store = Store(build_catalog())
    store.create_schema()
    return store, generate(store, config)


def digest(store: Store) -> str:
    tables = sorted({s.table for s in store.catalog.values()} | set(JOIN_TABLES))
    hasher = hashlib.sha256()
    for table in tables:
        for row in store.conn.execute(f'SELECT * FROM "{table}" ORDER BY id'):
            hasher.update(repr(row).encode())
    return hasher.hexdigest()


@pytest.fixture(scope="module")
def generated() -> tuple[Store, GenerationStats]:
    return fill(GeneratorConfig(accounts=300, seed=5, odd_share=0.1))


def test_same_seed_same_data_whatever_the_batch_size(
    generated: tuple[Store, GenerationStats],
) -> None:
    store, _ = generated
    again, _ = fill(GeneratorConfig(accounts=300, seed=5, odd_share=0.1, batch_size=97))
    assert digest(again) == digest(store)
    other, _ = fill(GeneratorConfig(accounts=300, seed=6, odd_share=0.1))
    assert digest(other) != digest(store)


def test_every_stage_and_outcome_occurs(generated: tuple[Store, GenerationStats]) -> None:
    _, stats = generated
    assert {"awareness", "evaluation", "decision", "purchase", "loyalty", "lost", "stalled"} <= set(
        stats.stages
    )
    assert {"won", "lost", "stalled", "open", "stalled_lead", "b2c_won"} <= set(stats.outcomes)
    assert stats.rows["accounts"] == 300


def query(store: Store, sql: str) -> list[tuple[object, ...]]:
    return store.conn.execute(sql).fetchall()


def test_the_data_looks_like_a_real_crm(generated: tuple[Store, GenerationStats]) -> None:
    store, _ = generated
    stages = {r[0] for r in query(store, "SELECT DISTINCT sales_stage FROM opportunities")}
    assert {"Closed Won", "Closed Lost", "Prospecting", "Negotiation/Review"} <= stages
    assert {r[0] for r in query(store, "SELECT DISTINCT priority FROM cases")} == {"P1", "P2", "P3"}
    states = {r[0] for r in query(store, "SELECT DISTINCT status FROM cases")}
    assert {"Open_New", "Closed_Closed", "Open_Pending Input"} <= states
    sources = {r[0] for r in query(store, "SELECT DISTINCT lead_source FROM leads")}
    assert {"Campaign", "Web Site", "Trade Show", "Partner"} <= sources
    assert (
        query(store, "SELECT COUNT(*) FROM leads WHERE converted = '1' AND account_id IS NOT NULL")[
            0
        ][0]
        > 0
    )
    assert {r[0] for r in query(store, "SELECT DISTINCT type FROM emails")} >= {"out", "inbound"}
    b2c = query(
        store,
        "SELECT COUNT(*) FROM contacts c WHERE NOT EXISTS "
        "(SELECT 1 FROM accounts_contacts j WHERE j.contact_id = c.id)",
    )[0][0]
    assert b2c > 0
    italian = query(
        store,
        "SELECT COUNT(*) FROM meetings WHERE name LIKE '%Riunione%' "
        "OR name LIKE '%Demo del%' OR name LIKE '%Incontro%'",
    )[0][0]
    assert italian > 0
    renewals = query(
        store, "SELECT COUNT(*) FROM opportunities WHERE opportunity_type = 'Existing Business'"
    )
    assert renewals[0][0] > 0
    first, last = query(store, "SELECT MIN(date_entered), MAX(date_entered) FROM calls")[0]
    assert str(first) < "2024-09-01" and str(last) > "2026-06-01"
    viewed = query(
        store,
        "SELECT COUNT(*) FROM campaign_log WHERE activity_type = 'viewed' "
        "AND date_modified IS NULL AND activity_date IS NOT NULL",
    )[0][0]
    assert viewed > 0


def test_the_share_of_odd_activities_is_as_configured(
    generated: tuple[Store, GenerationStats],
) -> None:
    store, stats = generated
    odd = sum(stats.odd[k] for k in ODD_KINDS)
    assert 0.07 < odd / stats.activities < 0.13
    orphans = query(
        store,
        "SELECT COUNT(*) FROM calls c WHERE parent_type = 'Accounts' AND NOT EXISTS "
        "(SELECT 1 FROM accounts a WHERE a.id = c.parent_id)",
    )[0][0]
    assert orphans > 0
    assert (
        query(store, "SELECT COUNT(*) FROM calls WHERE parent_type IN ('Bugs', 'Project')")[0][0]
        + query(store, "SELECT COUNT(*) FROM emails WHERE parent_type IN ('Bugs', 'Project')")[0][0]
        > 0
    )
    assert query(store, "SELECT MAX(LENGTH(description)) FROM emails")[0][0] > 10_000
    non_latin = query(store, "SELECT name FROM accounts")
    assert any(any(ord(ch) > 0x36F for ch in str(name)) for (name,) in non_latin)
    missing = sum(
        query(store, f"SELECT COUNT(*) FROM {t} WHERE {c} IS NULL")[0][0]
        for t, c in (
            ("calls", "date_start"),
            ("meetings", "date_start"),
            ("emails", "date_sent_received"),
            ("tasks", "date_due"),
            ("notes", "date_entered"),
        )
    )
    assert missing == stats.odd["missing_date"]


def test_no_odd_records_when_the_share_is_zero() -> None:
    _, stats = fill(GeneratorConfig(accounts=40, seed=2, odd_share=0.0))
    assert sum(stats.odd.values()) == 0


def test_time_is_as_messy_as_in_a_real_crm(generated: tuple[Store, GenerationStats]) -> None:
    store, stats = generated
    assert {
        "planned", "planned_past", "not_held", "imported", "renewal", "overdue_opportunity",
        "edited_open_opportunity",
    } <= set(stats.timing)  # fmt: skip
    anchor = "2026-11-01 09:00:00"
    planned_ahead = (
        query(
            store,
            f"SELECT COUNT(*) FROM calls WHERE status = 'Planned' AND date_start > '{anchor}'",
        )[0][0]
        + query(
            store,
            f"SELECT COUNT(*) FROM meetings WHERE status = 'Planned' AND date_start > '{anchor}'",
        )[0][0]
    )
    # (a few odd rows lost their date_start)
    assert 0.9 * stats.timing["planned"] <= planned_ahead <= stats.timing["planned"]
    assert query(store, "SELECT COUNT(*) FROM calls WHERE status = 'Not Held'")[0][0] > 0
    left_planned = query(
        store,
        f"SELECT COUNT(*) FROM meetings WHERE status = 'Planned' AND date_start <= '{anchor}'",
    )[0][0]
    assert left_planned > 0
    # Accounts created (imported) long after the first activity linked to them.
    late = query(
        store,
        "SELECT COUNT(*) FROM accounts a WHERE a.date_entered > ("
        "SELECT datetime(MIN(c.date_start), '+120 days') FROM calls c "
        "WHERE c.parent_type = 'Accounts' AND c.parent_id = a.id)",
    )[0][0]
    assert late > 0
    renewals = query(store, "SELECT COUNT(*) FROM aos_contracts WHERE name LIKE '%renewal%'")
    assert renewals[0][0] == stats.timing["renewal"]
    overdue = query(
        store,
        "SELECT COUNT(*) FROM opportunities WHERE sales_stage NOT LIKE 'Closed%' "
        f"AND date_closed < date('{anchor}', '-30 days')",
    )[0][0]
    assert overdue >= stats.timing["overdue_opportunity"] > 0
