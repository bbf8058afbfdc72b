"""The writers against what a real SuiteCRM 7.14.6 does, as the sandbox does it by
default: text cleaned on save, set_entries creating nothing without new_with_id,
400 on a create with an existing id, the owner left empty unless sent."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from connector.sandbox import start_sandbox
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import JourneyRow, SettingRow, TouchpointRow, WritebackRow
from connector.writeback.payload import (
    JOURNEYS,
    TIMELINE_PREFIX,
    CjRecord,
    content_hash,
    decode_timeline,
    journey_record,
    timeline,
)
from connector.writeback.repair import META
from tests.integration.conftest import START, World
from tests.integration.writeback.conftest import (
    NAMESPACE,
    api_writer,
    bulk_writer,
    cj_records,
    classify,
    push_with,
)

T = TouchpointRow.__table__


@pytest.fixture
def lite(tmp_path: Path) -> Iterator[World]:
    sandbox = start_sandbox(accounts=40, seed=5, now=START)
    db = StateDB.open(Secret(f"sqlite:///{tmp_path}/state.db"))
    try:
        yield World(sandbox, db)
    finally:
        db.close()
        sandbox.stop()


def prepared(world: World) -> World:
    assert world.pull().status == "ok"
    classify(world)
    return world


def expected_timelines(world: World) -> dict[str, dict[str, object]]:
    """CJ_Journeys id → the timeline its journey should draw."""
    with world.db.read() as conn:
        rows = conn.execute(select(JourneyRow.__table__.c.data_json)).scalars().all()
    found = {}
    for data in rows:
        journey = json.loads(data)
        if journey.get("customer_kind") in ("account", "contact"):
            found[journey_record(journey, NAMESPACE).id] = timeline(journey)
    return found


def stored_timelines(world: World) -> dict[str, str]:
    client = world.v8()
    try:
        from connector.crm.records import Query

        return {
            r.id: str(r.get("timeline_json") or "")
            for r in client.iter_records(Query(JOURNEYS, sort="id"), page_size=500)
        }
    finally:
        client.close()


def test_timelines_with_html_like_subjects_survive_suitecrms_cleaning(lite: World) -> None:
    prepared(lite)
    expected = expected_timelines(lite)
    subjects = [tp[3] for t in expected.values() for tp in t["tp"]]  # type: ignore[attr-defined]
    assert any("<" in s and ">" in s for s in subjects), "the data holds HTML-like subjects"

    report = push_with(lite, api_writer(lite))

    assert report.failed == []
    stored = stored_timelines(lite)
    assert set(stored) == set(expected)
    for record_id, text in stored.items():
        assert text.startswith(TIMELINE_PREFIX)
        assert decode_timeline(text) == expected[record_id], record_id
    names = [r["name"] for r in cj_records(lite)["CJ_Touchpoints"].values()]
    assert any("\u2039" in n for n in names), "<...> kept as look-alikes"
    assert not any("<" in n or ">" in n for n in names)


def test_an_update_costs_one_request_and_a_lost_state_still_converges(lite: World) -> None:
    prepared(lite)
    first = push_with(lite, api_writer(lite))
    assert first.failed == []
    # One request per record, plus one to give the first record its owner.
    assert first.operations == first.written + 1, (first.operations, first.written)
    before = cj_records(lite)

    # A call that has a CJ_Touchpoints record (planned and not-held calls have none).
    call = min(r["source_id"] for r in before["CJ_Touchpoints"].values()
               if r["source_module"] == "Calls")
    lite.sleep(300)
    lite.sandbox.control.update_record("Calls", call, {"name": "Renamed call <offer@acme.it>"})
    lite.sleep(120)
    assert lite.pull().status == "ok"
    classify(lite)
    second = push_with(lite, api_writer(lite))
    assert second.failed == [] and second.updated["CJ_Touchpoints"] == 1
    assert second.operations == second.written, "one PATCH per update"

    with lite.db.begin() as conn:  # the state database is lost
        conn.execute(delete(WritebackRow.__table__))
    again = push_with(lite, api_writer(lite))
    assert again.failed == []
    assert again.operations <= 2 * again.written + 1  # create, 400, update
    after = cj_records(lite)
    assert set(after["CJ_Touchpoints"]) == set(before["CJ_Touchpoints"])
    for module in after:
        total = lite.sandbox.control.count(module, include_deleted=True)
        assert total == len(after[module]), "nothing duplicated"


def test_the_bulk_writer_creates_what_it_claims_and_survives_a_lost_state(lite: World) -> None:
    prepared(lite)
    first = push_with(lite, bulk_writer(lite))
    assert first.failed == []
    records = cj_records(lite)
    assert len(records["CJ_Touchpoints"]) == first.created["CJ_Touchpoints"] > 0
    assert len(records["CJ_Journeys"]) == first.created["CJ_Journeys"] > 0
    assert all(r["assigned_user_id"] == "1" for m in records.values() for r in m.values())

    with lite.db.begin() as conn:
        conn.execute(delete(WritebackRow.__table__))
    again = push_with(lite, bulk_writer(lite))  # creates meet existing ids
    assert again.failed == []
    assert cj_records(lite) == records


def test_a_record_stored_otherwise_than_sent_is_a_failure_not_a_success(lite: World) -> None:
    account = lite.sandbox.control.ids("Accounts", limit=1)[0]
    raw = {
        "name": "Re: <john@example.com> & <b>bold</b>",
        "account_id": account,
        "timeline_json": '{"subject":"<img src=x onerror=alert(1)>"}',
    }
    record = CjRecord(JOURNEYS, str(uuid.uuid4()), "k", "k", raw, content_hash(raw))
    for make in (api_writer, bulk_writer):
        writer = make(lite)
        try:
            outcome = writer.upsert([record], "2026-11-20 09:00:00")
        finally:
            writer.close()
        assert outcome.written == [], make.__name__
        [(module, record_id, message)] = outcome.failed
        assert (module, record_id) == (JOURNEYS, record.id)
        assert "stored CJ_Journeys" in message and "differently" in message
        assert "name" in message and "timeline_json" in message


def test_journeys_written_in_an_older_form_are_written_again(lite: World) -> None:
    prepared(lite)
    push_with(lite, api_writer(lite))
    stored = stored_timelines(lite)
    # As version 1 left them: plain JSON, broken by SuiteCRM where a subject held <…>,
    # and a state database that never heard of payload versions.
    for record_id in stored:
        lite.sandbox.control.update_record(
            JOURNEYS, record_id, {"timeline_json": '{"v":1,"tp":[["<a@b.c>"]]}'}
        )
    w = WritebackRow.__table__
    with lite.db.begin() as conn:
        conn.execute(delete(SettingRow.__table__).where(SettingRow.__table__.c.name == META))
        conn.execute(update(w).where(w.c.kind == "journey").values(content_hash="v1 form"))

    report = push_with(lite, api_writer(lite))

    assert report.failed == []
    assert report.updated[JOURNEYS] == len(stored)
    expected = expected_timelines(lite)
    assert {i: decode_timeline(t) for i, t in stored_timelines(lite).items()} == expected
    assert push_with(lite, api_writer(lite)).written == 0, "once is enough"
