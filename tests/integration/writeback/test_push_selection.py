"""touchpoint_records, several writers at once, stops: the records in SuiteCRM stay exactly
what the setting asks for, whatever the order of events."""

from __future__ import annotations

from sqlalchemy import delete, select

from connector.store.models import SettingRow, TouchpointRow, WritebackRow
from connector.writeback.push import SETTING_META
from tests.integration.conftest import World
from tests.integration.writeback.conftest import (
    api_writer,
    bulk_writer,
    cj_records,
    classify,
    push_with,
)
from tests.integration.writeback.test_push import prepared, written_keys


def assert_written_as(world: World, policy: str) -> dict[str, dict[str, dict[str, str]]]:
    customers, touchpoints = written_keys(world, policy)
    records = cj_records(world)
    keys = [r["external_key"] for r in records["CJ_Touchpoints"].values()]
    assert len(keys) == len(set(keys)), "a touchpoint has two records"
    assert set(keys) == touchpoints, f"touchpoint records are not those of {policy}"
    assert len(records["CJ_Journeys"]) == len(customers)
    journey_ids = set(records["CJ_Journeys"])
    assert all(r["journey_id"] in journey_ids for r in records["CJ_Touchpoints"].values())
    return records


def test_the_default_writes_a_few_touchpoints_per_customer_and_the_panel_data(
    world: World,
) -> None:
    prepared(world)
    first = push_with(world, api_writer(world), touchpoint_records="milestones")
    assert first.failed == []
    records = assert_written_as(world, "milestones")
    customers, every_tp = written_keys(world, "all")
    per_customer: dict[str, int] = {}
    for r in records["CJ_Touchpoints"].values():
        per_customer[r["journey_id"]] = per_customer.get(r["journey_id"], 0) + 1
    assert max(per_customer.values()) <= 8
    assert len(records["CJ_Touchpoints"]) < len(every_tp) / 2
    assert all(r["timeline_json"] for r in records["CJ_Journeys"].values())
    assert first.written_journeys == first.journeys == len(customers)

    again = push_with(world, api_writer(world), touchpoint_records="milestones")
    assert again.written == 0 and again.operations == 0 and not again.full_pass


def test_changing_the_setting_converges_without_duplicates_or_failures(world: World) -> None:
    prepared(world)
    push_with(world, api_writer(world), touchpoint_records="milestones")
    for policy in ("all", "none", "milestones", "all"):
        report = push_with(world, api_writer(world), touchpoint_records=policy, concurrency=3,
                           connect=lambda: api_writer(world))
        assert report.failed == [], report.failed[:3]
        assert report.full_pass and not report.stopped
        assert report.updated["CJ_Journeys"] == 0, "journey records did not change"
        assert_written_as(world, policy)
        # Records deleted earlier and needed again are created under a new id.
        assert push_with(world, api_writer(world), touchpoint_records=policy).operations == 0


def test_a_state_written_before_the_setting_existed_is_brought_to_it(world: World) -> None:
    prepared(world)
    push_with(world, api_writer(world), touchpoint_records="all")
    with world.db.begin() as conn:  # as an older connector left it
        conn.execute(delete(SettingRow.__table__).where(SettingRow.name == SETTING_META))
    report = push_with(world, api_writer(world), touchpoint_records="milestones")
    assert report.full_pass and report.deleted["CJ_Touchpoints"] > 0
    assert_written_as(world, "milestones")


def test_a_stop_records_what_was_written_and_the_next_push_finishes(world: World) -> None:
    prepared(world)
    units = 0

    def stop_after_three() -> bool:
        nonlocal units
        units += 1
        return units > 3

    stopped = push_with(world, api_writer(world), should_stop=stop_after_three)
    assert stopped.stopped and 0 < stopped.journeys < stopped.total
    assert stopped.remaining == stopped.total - stopped.journeys
    w = WritebackRow.__table__
    with world.db.read() as conn:
        done = conn.execute(
            select(w.c.key).where(w.c.kind == "journey", w.c.source_hash.is_not(None))
        ).all()
    assert len(done) == stopped.journeys, "every journey reported written is recorded"

    rest = push_with(world, api_writer(world))
    assert not rest.stopped and rest.journeys == stopped.total - stopped.journeys
    assert rest.failed == []
    assert_written_as(world, "all")


def test_the_batch_writer_in_parallel_writes_the_same_records(world: World) -> None:
    prepared(world)
    report = push_with(world, bulk_writer(world), touchpoint_records="milestones",
                       concurrency=2, connect=lambda: bulk_writer(world))
    assert report.failed == []
    assert_written_as(world, "milestones")
    assert report.operations < report.written / 5, "set_entries carries many records"


def test_a_touchpoint_that_moves_to_another_customer_keeps_one_record(world: World) -> None:
    prepared(world)
    push_with(world, api_writer(world), batch=1)  # every journey in a batch of its own
    t = TouchpointRow.__table__
    w = WritebackRow.__table__
    with world.db.read() as conn:  # calls that have a record (planned or not held: none)
        calls = conn.execute(
            select(t.c.source_id, t.c.customer_key)
            .select_from(t.join(w, (w.c.kind == "touchpoint") & (w.c.key == t.c.key)))
            .where(t.c.module == "Calls", t.c.customer_key.like("Accounts:%"))
            .order_by(t.c.key)
        ).all()
    moved = calls[0]
    target = next(c.customer_key for c in calls if c.customer_key != moved.customer_key)
    world.sleep(120)
    world.sandbox.control.update_record(
        "Calls", moved.source_id, {"parent_type": "Accounts", "parent_id": target.split(":")[1]}
    )
    world.sleep(60)
    assert world.pull().status == "ok"
    classify(world)

    report = push_with(world, api_writer(world), batch=1)
    assert report.failed == []
    records = assert_written_as(world, "all")
    journeys = {r["account_id"]: i for i, r in records["CJ_Journeys"].items()}
    record = next(r for r in records["CJ_Touchpoints"].values()
                  if r["external_key"] == f"Calls:{moved.source_id}")
    assert record["journey_id"] == journeys[target.split(":")[1]]
    assert report.deleted["CJ_Touchpoints"] == 0, "moved, not deleted and created again"
