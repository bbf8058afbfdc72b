"""Corrections made in SuiteCRM win, on the sandbox over real HTTP.

A stage edited on a CJ_Touchpoints record through the V8 API survives two syncs
and a full reclassification, shows in the timeline, survives a lost state
database; deleting the correction returns to the rule's stage; a correction made
as the panel makes it (a CJ_Corrections record) can take a touchpoint out.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from connector.crm.records import Query
from connector.journey import journey_to_dict, load_mapping, render_timeline_text
from connector.secrets import Secret
from connector.store.corrections import Correction, load_corrections
from connector.store.database import StateDB
from connector.store.models import JourneyRow
from connector.sync.classify import classify_customers, journey_of
from connector.sync.corrections import CorrectionsReport, read_corrections
from connector.writeback.payload import record_id
from connector.writeback.push import PushReport
from tests.integration.conftest import World
from tests.integration.writeback.conftest import MAPPING, NAMESPACE, api_writer, push_with

SARAH = "seed_sarah_id"  # a sales user of the sandbox (Sarah Smith)
RULES = load_mapping(MAPPING)


def sync_once(world: World, db: StateDB | None = None, *, full: bool = False) -> PushReport:
    """What `suitejourney sync` does: pull, read corrections back, classify, push."""
    target = db or world.db
    if db is None:
        world.pull()
    else:
        World(world.sandbox, db).pull()
    client = world.v8()
    try:
        corrections = read_corrections(
            client, target, NAMESPACE, world.sandbox.control.now, full=full
        )
    finally:
        client.close()
    assert corrections.available and not corrections.problems, corrections.problems
    classify_customers(
        target, RULES, world.sandbox.control.now(), refresh_after=timedelta(days=3650)
    )
    world.sleep(60)
    if db is not None:
        return PushReport()
    return push_with(world, api_writer(world))


def last_corrections(world: World) -> CorrectionsReport:
    client = world.v8()
    try:
        return read_corrections(client, world.db, NAMESPACE, world.sandbox.control.now)
    finally:
        client.close()


def corrections_in(db: StateDB) -> dict[str, Correction]:
    with db.read() as conn:
        return load_corrections(conn)


def stored(db: StateDB, customer: str) -> dict[str, Any]:
    t = JourneyRow.__table__
    with db.read() as conn:
        text = conn.execute(select(t.c.data_json).where(t.c.customer_key == customer)).scalar()
    data: dict[str, Any] = json.loads(text)
    return data


def touchpoint_of(data: dict[str, Any], key: str) -> dict[str, Any]:
    found = [t for t in (*data["touchpoints"], *data.get("excluded", ())) if t["key"] == key]
    assert found, key
    return found[0]


def pick(world: World) -> tuple[str, str, str]:
    """An account not yet in loyalty, and one of its touchpoints: correcting it to
    loyalty must move the customer's current stage."""
    t = JourneyRow.__table__
    with world.db.read() as conn:
        rows = conn.execute(
            select(t.c.customer_key, t.c.data_json)
            .where(t.c.customer_key.like("Accounts:%"), t.c.stage.in_(["evaluation", "decision"]))
            .order_by(t.c.customer_key)
        ).all()
    customer, text = rows[0]
    data = json.loads(text)
    tp = next(t for t in data["touchpoints"] if t["stage"] != "loyalty")
    return customer, tp["key"], tp["stage"]


def cj_touchpoint(world: World, key: str) -> dict[str, Any]:
    client = world.v8()
    try:
        record = client.get_record("CJ_Touchpoints", record_id(NAMESPACE, "touchpoint", key))
    finally:
        client.close()
    return dict(record.attributes)


def live_corrections(world: World) -> list[dict[str, Any]]:
    client = world.v8()
    try:
        return [
            {"id": r.id, **r.attributes}
            for r in client.iter_records(Query("CJ_Corrections", sort="id"), page_size=100)
        ]
    finally:
        client.close()


def test_a_stage_edited_on_a_touchpoint_record_survives_syncs_and_reclassification(
    world: World, tmp_path: Path
) -> None:
    sync_once(world)
    customer, key, rule_stage = pick(world)
    before = stored(world.db, customer)
    assert before["current_stage"] != "loyalty"
    record = cj_touchpoint(world, key)
    assert (record["stage"], record["rule_stage"], record["corrected_stage"]) == (
        rule_stage,
        rule_stage,
        "",
    )

    # A salesperson changes the stage on the record, through the V8 API.
    client = world.v8()
    try:
        client.update_record(
            "CJ_Touchpoints",
            record_id(NAMESPACE, "touchpoint", key),
            {"stage": "loyalty", "modified_user_id": SARAH},
        )
    finally:
        client.close()
    world.sleep(90)

    first = sync_once(world)
    correction = corrections_in(world.db)[key]
    assert (correction.stage, correction.previous_stage, correction.corrected_by) == (
        "loyalty",
        rule_stage,
        SARAH,
    )
    assert correction.corrected_by_name == "Sarah Smith" and correction.origin == "record"
    data = stored(world.db, customer)
    assert touchpoint_of(data, key)["stage"] == "loyalty"
    assert touchpoint_of(data, key)["corrected_from"] == rule_stage
    assert data["current_stage"] == "loyalty"
    assert first.updated["CJ_Journeys"] >= 1
    record = cj_touchpoint(world, key)
    assert (record["stage"], record["rule_stage"], record["corrected_stage"]) == (
        "loyalty",
        rule_stage,
        "loyalty",
    )
    [made] = live_corrections(world)
    assert (made["touchpoint_key"], made["stage"], made["corrected_by"]) == (key, "loyalty", SARAH)

    # Two more syncs: the connector's own rewrite is not taken for a new edit.
    again = sync_once(world)
    assert again.written == 0
    sync_once(world)
    assert len(live_corrections(world)) == 1
    assert touchpoint_of(stored(world.db, customer), key)["stage"] == "loyalty"

    # A full reclassification keeps it; the timeline shows it.
    classify_customers(world.db, RULES, world.sandbox.control.now(), everything=True)
    assert touchpoint_of(stored(world.db, customer), key)["stage"] == "loyalty"
    with world.db.read() as conn:
        journey = journey_of(conn, customer, RULES, world.sandbox.control.now())
    assert journey is not None
    assert f"corrected in SuiteCRM (rules: {rule_stage})" in render_timeline_text(journey)
    assert touchpoint_of(journey_to_dict(journey), key)["stage"] == "loyalty"

    # A lost state database: the correction is read back from SuiteCRM.
    fresh = StateDB.open(Secret(f"sqlite:///{tmp_path / 'fresh.db'}"))
    try:
        sync_once(world, fresh, full=True)
        assert touchpoint_of(stored(fresh, customer), key)["stage"] == "loyalty"
        assert corrections_in(fresh)[key].stage == "loyalty"
    finally:
        fresh.close()

    # Deleting the correction in SuiteCRM returns the touchpoint to the rule's stage.
    client = world.v8()
    try:
        client.delete_record("CJ_Corrections", made["id"])
    finally:
        client.close()
    world.sleep(90)
    sync_once(world)
    assert key not in corrections_in(world.db)
    data = stored(world.db, customer)
    assert touchpoint_of(data, key)["stage"] == rule_stage
    assert "corrected_from" not in touchpoint_of(data, key)
    assert data["current_stage"] == before["current_stage"]
    record = cj_touchpoint(world, key)
    assert (record["stage"], record["rule_stage"], record["corrected_stage"]) == (
        rule_stage,
        rule_stage,
        "",
    )
    sync_once(world)  # and it stays deleted
    assert live_corrections(world) == []


def test_an_edit_back_to_the_rules_stage_withdraws_the_correction(world: World) -> None:
    sync_once(world)
    customer, key, rule_stage = pick(world)
    tp_id = record_id(NAMESPACE, "touchpoint", key)
    client = world.v8()
    try:
        client.update_record("CJ_Touchpoints", tp_id, {"stage": "purchase"})
        world.sleep(90)
        sync_once(world)
        assert touchpoint_of(stored(world.db, customer), key)["stage"] == "purchase"
        client.update_record("CJ_Touchpoints", tp_id, {"stage": rule_stage})
    finally:
        client.close()
    world.sleep(90)
    report = last_corrections(world)
    assert (report.edits, report.deleted, report.changed) == (1, 1, 1)
    assert live_corrections(world) == []
    classify_customers(world.db, RULES, world.sandbox.control.now())
    assert touchpoint_of(stored(world.db, customer), key)["stage"] == rule_stage


def test_a_correction_made_as_the_panel_does_takes_a_touchpoint_out(world: World) -> None:
    sync_once(world)
    customer, key, rule_stage = pick(world)
    count = stored(world.db, customer)["touchpoint_count"]
    module, _, source_id = key.partition(":")
    client = world.v8()
    try:
        client.create_record(
            "CJ_Corrections",
            {
                "name": "not a touchpoint",
                "touchpoint_key": key,
                "source_module": module,
                "source_id": source_id,
                "account_id": customer.partition(":")[2],
                "stage": "not_a_touchpoint",
                "previous_stage": rule_stage,
                "corrected_by": SARAH,
                "corrected_at": "2026-11-20 09:30:00",
            },
        )
    finally:
        client.close()
    sync_once(world)
    data = stored(world.db, customer)
    assert data["touchpoint_count"] == count - 1
    assert touchpoint_of(data, key)["stage"] == "not_a_touchpoint"
    record = cj_touchpoint(world, key)
    assert (record["stage"], record["rule_stage"], record["corrected_stage"]) == (
        "not_a_touchpoint",
        rule_stage,
        "not_a_touchpoint",
    )
    assert sync_once(world).written == 0  # the record shows the correction: no edit seen


CHANGED_RULE = """
rules:
  - id: email-decision
    description: An e-mail about quotes or contracts only means the customer is evaluating.
    module: Emails
    when:
      text: {keywords: [quote, negotiation, contract, order]}
    set: {stage: evaluation}
"""


def everything_stored(db: StateDB) -> dict[str, dict[str, Any]]:
    t = JourneyRow.__table__
    with db.read() as conn:
        rows = conn.execute(select(t.c.customer_key, t.c.data_json)).all()
    return {r.customer_key: json.loads(r.data_json) for r in rows}


def stages(journeys: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {
        t["key"]: t["stage"]
        for data in journeys.values()
        for t in (*data["touchpoints"], *data.get("excluded", ()))
    }


def test_mappings_diff_reports_exactly_what_classify_then_changes(
    world: World, tmp_path: Path
) -> None:
    from connector.sync.whatif import diff_mappings

    sync_once(world)
    # One e-mail the changed rule would move is pinned at its stage by a correction
    # (as the panel makes one): the correction must win under both mappings.
    key = next(
        t["key"]
        for data in everything_stored(world.db).values()
        for t in data["touchpoints"]
        if t["rule_id"] == "email-decision"
    )
    client = world.v8()
    try:
        client.create_record("CJ_Corrections", {"touchpoint_key": key, "stage": "decision"})
    finally:
        client.close()
    world.sleep(90)
    sync_once(world)
    now = world.sandbox.control.now()
    classify_customers(world.db, RULES, now, everything=True)
    path = tmp_path / "company.yaml"
    path.write_text(f"extends: {Path(MAPPING).resolve()}\n{CHANGED_RULE}", encoding="utf-8")
    changed = load_mapping(path)
    before = everything_stored(world.db)

    diff = diff_mappings(world.db, RULES, changed, now, sample=1_000_000)
    assert everything_stored(world.db) == before  # the what-if wrote nothing

    classify_customers(world.db, changed, now, everything=True)
    after = everything_stored(world.db)
    old, new = stages(before), stages(after)
    moved = {k: (old[k], new[k]) for k in old if old[k] != new.get(k)}
    assert moved, "the changed rule changes nothing in this data: pick another"
    assert {c.key: (c.old_stage, c.new_stage) for c in diff.touchpoint_sample} == moved
    assert diff.changed_touchpoints == len(moved)
    assert key not in moved  # the correction won under both
    customers = {
        k: (
            before[k]["current_stage"],
            after[k]["current_stage"],
            before[k]["status"],
            after[k]["status"],
        )
        for k in before
        if (before[k]["current_stage"], before[k]["status"])
        != (after[k]["current_stage"], after[k]["status"])
    }
    assert {
        c.customer_key: (c.old_stage, c.new_stage, c.old_status, c.new_status)
        for c in diff.customer_sample
    } == customers
    assert diff.changed_customers == len(customers)
    assert diff.changed_stage == sum(1 for a, b, _, _ in customers.values() if a != b)
    assert diff.customers == len(before)
