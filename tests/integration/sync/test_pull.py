"""Incremental pull against the sandbox over HTTP, on SQLite and MariaDB."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import select

from connector.secrets import Secret
from connector.store.models import CursorRow, DirtyCustomerRow, TouchpointRow
from connector.store.runs import recent_runs
from connector.sync.pull import DEFAULT_STREAMS, STREAMS
from tests.integration.conftest import MODULES, World

T = TouchpointRow.__table__


def live_count(world: World, module: str) -> int:
    return world.sandbox.control.count(module)


def test_first_pull_reads_every_record_and_links_customers(world: World) -> None:
    report = world.pull()
    assert report.status == "ok"
    by_module = {m.module: m for m in report.modules}
    for module in MODULES:
        assert by_module[module].created == live_count(world, module), module
    with world.db.read() as conn:
        calls = conn.execute(
            select(T.c.key, T.c.link_key, T.c.customer_key).where(T.c.module == "Calls")
        ).all()
        customers = set(
            conn.execute(
                select(T.c.key).where(T.c.module.in_(("Accounts", "Contacts", "Leads")))
            ).scalars()
        )
    linked = [c for c in calls if c.customer_key]
    assert linked, "no call was linked to a customer"
    assert all(c.customer_key in customers for c in linked)
    # A call on an account's contact counts for the account, not the contact.
    via_contact = [c for c in linked if c.link_key.startswith("Contacts:")]
    assert all(c.customer_key.startswith(("Accounts:", "Contacts:")) for c in via_contact)


def test_converted_leads_touchpoints_count_for_the_customer_it_became(world: World) -> None:
    world.pull()
    with world.db.read() as conn:
        leads = conn.execute(
            select(T.c.key, T.c.raw_json, T.c.customer_key).where(T.c.module == "Leads")
        ).all()
    converted = [
        lead
        for lead in leads
        if json.loads(lead.raw_json).get("converted") == "1"
        and json.loads(lead.raw_json).get("account_id")
    ]
    assert converted, "the generator made no converted lead"
    for lead in converted:
        raw = json.loads(lead.raw_json)
        assert lead.customer_key == f"Accounts:{raw['account_id']}"
    unconverted = [lead for lead in leads if json.loads(lead.raw_json).get("converted") != "1"]
    assert all(lead.customer_key == lead.key for lead in unconverted)


def test_second_pull_without_changes_makes_one_list_request_per_cursor(world: World) -> None:
    world.pull()
    world.sleep(600)
    before = world.snapshot()
    report = world.pull()
    assert report.status == "ok"
    for stats in report.modules:
        # CampaignLog is read by activity_date and by date_modified (one is NULL on
        # opens/clicks, the other on web-to-lead rows): two cursors, two requests.
        assert stats.requests <= len(STREAMS.get(stats.module, DEFAULT_STREAMS)), stats
        assert (stats.created, stats.updated, stats.deleted) == (0, 0, 0), stats
    assert world.snapshot() == before
    with world.db.read() as conn:
        runs = recent_runs(conn, 1)
    assert sum(m.requests for m in runs[0].modules) <= len(MODULES) + 1


def test_exactly_the_changed_records_change(world: World) -> None:
    world.pull(deletions=True)
    before = world.snapshot()
    control = world.sandbox.control
    world.sleep(300)
    rng = random.Random(3)
    calls = control.ids("Calls")
    meetings = control.ids("Meetings")
    accounts = control.ids("Accounts")
    modified = [("Calls", i) for i in rng.sample(calls, 25)] + [
        ("Meetings", i) for i in rng.sample(meetings, 25)
    ]
    for module, record_id in modified:
        control.update_record(module, record_id, {"description": f"changed {record_id}"})
    added = [
        (
            "Calls",
            control.add_record(
                "Calls",
                {
                    "name": f"Follow-up {n}",
                    "status": "Held",
                    "direction": "Outbound",
                    "date_start": "2026-11-20 09:10:00",
                    "parent_type": "Accounts",
                    "parent_id": accounts[n % len(accounts)],
                },
            ),
        )
        for n in range(20)
    ]
    untouched_calls = [i for i in calls if ("Calls", i) not in modified]
    deleted = [("Calls", i) for i in rng.sample(untouched_calls, 10)]
    for module, record_id in deleted:
        control.delete_record(module, record_id)
    world.sleep(60)

    report = world.pull(deletions=True)

    totals = {
        k: sum(getattr(m, k) for m in report.modules) for k in ("created", "updated", "deleted")
    }
    assert totals == {"created": 20, "updated": 50, "deleted": 10}
    after = world.snapshot()
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    expected = {f"{m}:{i}" for m, i in modified + added + deleted}
    assert changed == expected
    with world.db.read() as conn:
        dirty = set(conn.execute(select(DirtyCustomerRow.__table__.c.customer_key)).scalars())
    assert {after[f"Calls:{i}"][1] for _, i in added} <= dirty


def test_deletions_found_by_reconciliation_without_the_legacy_api(world: World) -> None:
    world.pull()
    control = world.sandbox.control
    gone = control.ids("Meetings")[:5]
    for record_id in gone:
        control.delete_record("Meetings", record_id)
    world.sleep(60)
    quiet = world.pull(modules=("Meetings",))
    assert quiet.modules[0].deleted == 0  # not due yet: V8 cannot see deletions
    world.sleep(25 * 3600)
    report = world.pull(modules=("Meetings",))
    assert report.modules[0].deleted == 5
    keys = world.snapshot()
    assert not any(f"Meetings:{i}" in keys for i in gone)


def test_records_modified_while_a_pull_runs_are_read_by_the_next(world: World) -> None:
    control = world.sandbox.control
    target = control.ids("Accounts")[0]
    touched: list[str] = []

    def meddle(module: str, records: int) -> None:
        if module == "Cases" and not touched:
            control.advance_clock(5)
            control.update_record("Accounts", target, {"description": "edited mid-run"})
            touched.append(target)

    world.pull(progress=meddle)
    assert touched
    with world.db.read() as conn:
        raw = conn.execute(select(T.c.raw_json).where(T.c.key == f"Accounts:{target}")).scalar()
    assert "edited mid-run" not in raw
    world.sleep(600)
    report = world.pull()
    accounts = next(m for m in report.modules if m.module == "Accounts")
    assert accounts.updated == 1
    with world.db.read() as conn:
        raw = conn.execute(select(T.c.raw_json).where(T.c.key == f"Accounts:{target}")).scalar()
    assert "edited mid-run" in raw


def test_more_records_at_one_instant_than_fit_a_page(world: World) -> None:
    control = world.sandbox.control
    world.sleep(3600)
    accounts = control.ids("Accounts")
    for n in range(23):
        control.add_record(
            "Notes",
            {
                "name": f"Imported note {n}",
                "parent_type": "Accounts",
                "parent_id": accounts[n % len(accounts)],
            },
        )
    world.sleep(3600)
    report = world.pull(modules=("Accounts", "Notes"), page_size=5)
    notes = next(m for m in report.modules if m.module == "Notes")
    assert notes.created == live_count(world, "Notes")
    world.sleep(600)
    again = world.pull(modules=("Accounts", "Notes"), page_size=5)
    assert all(m.created == m.updated == 0 for m in again.modules)


def test_cursor_never_passes_the_run_start(world: World) -> None:
    world.pull(modules=("Accounts",))
    with world.db.read() as conn:
        cursor = (
            conn.execute(
                select(CursorRow.__table__).where(CursorRow.__table__.c.module == "Accounts")
            )
            .mappings()
            .one()
        )
    assert cursor["date_modified"] <= world.sandbox.control.now()


@pytest.mark.parametrize("modules", [("NoSuchModule",)])
def test_an_unknown_module_stops_with_a_clear_error(world: World, modules: tuple[str]) -> None:
    from connector.errors import UnknownModuleError

    with pytest.raises(UnknownModuleError, match="no module named 'NoSuchModule'"):
        world.pull(modules=modules)
    with world.db.read() as conn:
        runs = recent_runs(conn, 1)
    assert runs[0].status == "failed"


def test_campaign_log_rows_without_date_modified_are_read(world: World) -> None:
    """Opens and clicks are written with date_modified NULL (SuiteCRM's raw SQL)."""
    world.pull(modules=("Accounts", "Contacts", "Leads", "CampaignLog"))
    store = world.sandbox.control.services.store
    nulls = store.conn.execute(
        "select count(*) from campaign_log where deleted = 0 and date_modified is null"
    ).fetchone()[0]
    assert nulls > 0
    with world.db.read() as conn:
        stored = conn.execute(select(T.c.key).where(T.c.module == "CampaignLog")).all()
    assert len(stored) == live_count(world, "CampaignLog")


def test_documents_are_linked_through_their_relationships(world: World) -> None:
    """Documents hang from accounts only through documents_accounts (no parent field)."""
    world.pull(modules=("Accounts", "Contacts", "Documents"))
    with world.db.read() as conn:
        rows = conn.execute(
            select(T.c.key, T.c.customer_key).where(T.c.module == "Documents")
        ).all()
    assert rows
    linked = [r for r in rows if r.customer_key]
    assert len(linked) >= len(rows) * 0.8, f"{len(linked)} of {len(rows)} documents linked"


def test_concurrent_pull_stores_the_same_as_a_sequential_one(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """concurrency = 3: modules read at once, each by its own client; writes serialised."""
    from connector.store.database import StateDB
    from connector.sync.pull import PullOptions
    from connector.sync.runner import run_pull

    assert world.pull(deletions=True).status == "ok"
    expected = world.snapshot()
    other = World(world.sandbox, StateDB.open(Secret(f"sqlite:///{tmp_path}/parallel.db")))
    opened = []

    def connect():  # type: ignore[no-untyped-def]
        pair = (other.v8(), other.legacy())
        opened.extend(pair)
        return pair

    first, legacy = other.v8(), other.legacy()
    try:
        report = run_pull(
            first,
            other.db,
            MODULES,
            clock=world.sandbox.control.now,
            options=PullOptions(page_size=50),
            deletions=legacy,
            concurrency=3,
            connect=connect,
        )
    finally:
        first.close()
        legacy.close()
    assert report.status == "ok"
    assert opened, "the other workers open their own clients"
    assert other.snapshot() == expected
    other.db.close()
