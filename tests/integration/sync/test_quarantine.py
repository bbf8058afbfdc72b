"""The quarantine: a bad record is skipped without holding back the cursor, read again
at every pull (by id, when its date_modified no longer brings it), released when
SuiteCRM holds a good version or deleted it."""

from __future__ import annotations

from sqlalchemy import select

from connector.store.models import QuarantineRow
from connector.store.queries import load_cursor
from tests.integration.conftest import World

MODULES = ("Accounts", "Calls")


def add_call(world: World, account: str, start: str, name: str) -> str:
    return world.sandbox.control.add_record(
        "Calls",
        {
            "name": name,
            "date_start": start,
            "status": "Held",
            "direction": "Outbound",
            "parent_type": "Accounts",
            "parent_id": account,
        },
    )


def held(world: World) -> dict[str, tuple[str, str, int]]:
    q = QuarantineRow.__table__
    with world.db.read() as conn:
        rows = conn.execute(select(q.c.record_id, q.c.field, q.c.reason, q.c.attempts))
        return {r.record_id: (r.field, r.reason, r.attempts) for r in rows}


def test_bad_records_are_held_retried_by_id_and_released(world: World) -> None:
    control = world.sandbox.control
    assert world.pull(modules=MODULES).status == "ok"
    account = control.ids("Accounts", limit=1)[0]
    world.sleep(60)
    bad = add_call(world, account, "2026-02-30 10:00:00", "on a day that does not exist")
    gone = add_call(world, account, "9999-12-31 23:59:59", "some day")
    world.sleep(900)  # the good record comes well after the bad ones
    good = add_call(world, account, "2026-11-19 10:00:00", "a real call")

    second = world.pull(modules=MODULES)
    assert second.status == "partial" and second.skipped == 2
    assert {q.record_id for q in second.quarantined} == {bad, gone}
    stored = world.snapshot()
    assert f"Calls:{good}" in stored and f"Calls:{bad}" not in stored
    assert held(world) == {
        bad: ("date_start", "not a real date", 1),
        gone: ("date_start", "more than a year in the future", 1),
    }
    with world.db.read() as conn:
        cursor = load_cursor(conn, "Calls").date_modified
    good_modified = control.get_record("Calls", good)["date_modified"]  # type: ignore[index]
    assert cursor is not None and cursor.strftime("%Y-%m-%d %H:%M") >= good_modified[:16]

    # Fixed without moving date_modified (the cursor is far past it), and deleted:
    # only the retry by id can see either.
    row = control.get_record("Calls", bad)
    assert row is not None
    control.update_record(
        "Calls", bad, {"date_start": "2026-02-27 10:00:00", "date_modified": row["date_modified"]}
    )
    control.delete_record("Calls", gone)
    world.sleep(900)
    third = world.pull(modules=MODULES)
    assert third.status == "ok" and third.skipped == 0
    assert f"Calls:{bad}" in world.snapshot()
    assert held(world) == {}


def test_a_record_still_bad_counts_again_at_each_pull(world: World) -> None:
    control = world.sandbox.control
    world.pull(modules=MODULES)
    account = control.ids("Accounts", limit=1)[0]
    world.sleep(60)
    bad = add_call(world, account, "1970-01-01 00:00:00", "epoch")
    for attempt in (1, 2, 3):
        world.sleep(900)
        report = world.pull(modules=MODULES)
        assert (report.status, report.skipped) == ("partial", 1)
        assert held(world)[bad] == ("date_start", "before 1990", attempt)
