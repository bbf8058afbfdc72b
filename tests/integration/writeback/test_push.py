"""Write-back against the sandbox (and MariaDB for the mysql writer): minimal, idempotent."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, select

from connector.crm.mysql import CjTables
from connector.crm.mysql import connect as connect_mysql
from connector.sandbox import start_sandbox
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import JourneyRow, TouchpointRow, WritebackRow
from connector.writeback.selection import selected_keys
from tests.integration.conftest import START, World
from tests.integration.writeback.conftest import (
    api_writer,
    bulk_writer,
    cj_records,
    classify,
    mysql_records,
    mysql_writer,
    push_with,
)


def written_keys(world: World, policy: str = "all") -> tuple[set[str], set[str]]:
    """What should be in SuiteCRM: (customer keys, touchpoint keys) of written journeys,
    with ``policy`` as the touchpoint_records setting.

    A journey's touchpoints are what happened and reached the customer: upcoming
    ones and those a ``contact: false`` rule keeps aside are not CJ_Touchpoints.
    """
    j = JourneyRow.__table__
    t = TouchpointRow.__table__
    with world.db.read() as conn:
        journeys = {r.customer_key: json.loads(r.data_json)
                    for r in conn.execute(select(j.c.customer_key, j.c.data_json))
                    if r.customer_key.startswith(("Accounts:", "Contacts:"))}
        touchpoints = {r.key for r in conn.execute(select(t.c.key, t.c.customer_key))
                       if r.customer_key in journeys}
    chosen = set().union(*(selected_keys(d, policy) for d in journeys.values()))
    assert chosen <= touchpoints
    return set(journeys), chosen


def prepared(world: World) -> World:
    assert world.pull(deletions=True).status == "ok"
    classify(world)
    return world


def test_first_push_writes_every_journey_and_the_second_nothing(world: World) -> None:
    prepared(world)
    first = push_with(world, api_writer(world))
    customers, touchpoints = written_keys(world)
    assert first.failed == []
    assert first.created == {"CJ_Journeys": len(customers), "CJ_Touchpoints": len(touchpoints)}
    records = cj_records(world)
    assert {r["external_key"] for r in records["CJ_Touchpoints"].values()} == touchpoints
    assert len(records["CJ_Journeys"]) == len(customers)
    journey_ids = set(records["CJ_Journeys"])
    assert all(r["journey_id"] in journey_ids for r in records["CJ_Touchpoints"].values())

    second = push_with(world, api_writer(world))
    assert second.written == 0 and sum(second.deleted.values()) == 0
    assert second.operations == 0, "a push with nothing to write sends no request"
    assert cj_records(world) == records


def test_only_the_affected_journeys_and_touchpoints_are_written(world: World) -> None:
    prepared(world)
    push_with(world, api_writer(world))
    before = cj_records(world)
    t = TouchpointRow.__table__
    _, written = written_keys(world)
    with world.db.read() as conn:
        calls = [c for c in conn.execute(select(t.c.key, t.c.source_id, t.c.customer_key).where(
            t.c.module == "Calls", t.c.customer_key.like("Accounts:%"))).all() if c.key in written]
    edited, removed = calls[0], next(c for c in calls if c.customer_key != calls[0].customer_key)
    control = world.sandbox.control
    world.sleep(120)
    control.update_record("Calls", edited.source_id, {"name": "Renamed call about the offer"})
    control.delete_record("Calls", removed.source_id)
    world.sleep(60)
    assert world.pull(deletions=True).status == "ok"
    classify(world)

    report = push_with(world, api_writer(world))

    assert report.failed == []
    assert report.journeys == 2
    assert report.updated["CJ_Journeys"] == 2
    assert report.deleted["CJ_Touchpoints"] == 1
    after = cj_records(world)
    changed_tps = {i for i in set(before["CJ_Touchpoints"]) | set(after["CJ_Touchpoints"])
                   if before["CJ_Touchpoints"].get(i) != after["CJ_Touchpoints"].get(i)}
    keys = {before["CJ_Touchpoints"].get(i, after["CJ_Touchpoints"].get(i))["external_key"]
            for i in changed_tps}
    assert keys == {f"Calls:{edited.source_id}", f"Calls:{removed.source_id}"}
    changed_journeys = {i for i in before["CJ_Journeys"]
                        if before["CJ_Journeys"][i] != after["CJ_Journeys"].get(i)}
    assert len(changed_journeys) == 2


@pytest.fixture
def twin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A second sandbox with the same seed, to receive another writer's records."""
    sandbox = start_sandbox(accounts=40, seed=5, now=START)
    db = StateDB.open(Secret(f"sqlite:///{tmp_path_factory.mktemp('twin')}/twin.db"))
    try:
        yield World(sandbox, db)
    finally:
        db.close()
        sandbox.stop()


def reset_writeback(world: World) -> None:
    with world.db.begin() as conn:
        conn.execute(delete(WritebackRow.__table__))


def test_the_three_writers_write_identical_records(
    world: World, twin: World, crm_database: Secret
) -> None:
    prepared(world)
    api = push_with(world, api_writer(world))
    by_api = cj_records(world)

    reset_writeback(world)
    into_twin = World(twin.sandbox, world.db)  # same journeys, written into the twin
    bulk = push_with(into_twin, bulk_writer(twin))
    by_bulk = cj_records(twin)

    reset_writeback(world)
    mysql = push_with(world, mysql_writer(crm_database))
    reader = CjTables(connect_mysql(crm_database))
    try:
        by_mysql = mysql_records(reader)
    finally:
        reader.close()

    assert api.failed == bulk.failed == mysql.failed == []
    assert api.created == bulk.created == mysql.created
    # The data holds HTML-like subjects (which SuiteCRM's save cleans): stored alike.
    assert any("\u2039" in r["name"] for r in by_api["CJ_Touchpoints"].values())
    owners = {r["assigned_user_id"] for m in by_api.values() for r in m.values()}
    assert owners == {"1"}, "every record is owned by the API user"
    assert by_bulk == by_api
    assert by_mysql == by_api
    # Each set_entries is read back (a real SuiteCRM may store nothing and answer 200).
    assert bulk.operations < api.operations / 5, (bulk.operations, api.operations)
