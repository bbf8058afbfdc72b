"""The pull against what a real SuiteCRM 7.14.6 does (and the sandbox now does too):
v4_1 cannot list deleted Emails, and demo data puts 200 Tasks and 200 Emails at
one instant."""

from __future__ import annotations

from sqlalchemy import select

from connector.crm.records import parse_datetime
from connector.store.models import CursorRow, RunErrorRow, TouchpointRow
from connector.sync.runner import run_pull
from tests.integration.conftest import MODULES, World

T = TouchpointRow.__table__
TIE_INSTANT = "2026-11-01 09:00:00"  # the generator's anchor: its demo data's install time


def keys(world: World, module: str) -> set[str]:
    with world.db.read() as conn:
        return set(conn.execute(select(T.c.source_id).where(T.c.module == module)).scalars())


def test_v4_1_deletions_go_on_without_an_emails_listing(world: World) -> None:
    first = world.pull(deletions=True)
    assert first.status == "ok"
    assert first.failures == ()
    assert [m for m, _ in first.warnings] == ["Emails"]
    assert "daily id reconciliation" in first.warnings[0][1]
    with world.db.read() as conn:
        kinds = conn.execute(
            select(RunErrorRow.__table__.c.kind).where(
                RunErrorRow.__table__.c.run_id == first.run_id
            )
        ).all()
    assert [k for (k,) in kinds] == ["warning"]
    emails = world.sandbox.control.count("Emails")
    assert {m.module: m.created for m in first.modules}["Emails"] == emails

    control = world.sandbox.control
    world.sleep(300)
    email, call = control.ids("Emails", limit=1)[0], control.ids("Calls", limit=1)[0]
    control.delete_record("Emails", email)
    control.delete_record("Calls", call)
    world.sleep(120)
    second = world.pull(deletions=True)
    assert second.status == "ok" and len(second.warnings) == 1
    assert call not in keys(world, "Calls"), "v4_1 still reports other modules' deletions"
    assert email in keys(world, "Emails"), "Emails wait for the daily reconciliation"

    world.sleep(2 * 3600)
    third = world.pull(deletions=True, reconcile_hours=1)
    assert {m.module: m.deleted for m in third.modules}["Emails"] == 1
    assert email not in keys(world, "Emails")


def test_v4_1_as_the_main_api_reads_emails_without_their_deleted_rows(world: World) -> None:
    client = world.legacy()
    try:
        report = run_pull(client, world.db, MODULES, clock=world.sandbox.control.now)
    finally:
        client.close()
    assert report.status == "ok"
    assert [m for m, _ in report.warnings] == ["Emails"]
    by_module = {m.module: m for m in report.modules}
    for module in MODULES:
        assert by_module[module].created == world.sandbox.control.count(module), module


def test_a_second_sync_after_an_incremental_change_rereads_no_tie_group(world: World) -> None:
    control = world.sandbox.control
    tied = {
        module: control.count(module) for module in ("Tasks", "Emails")
    }  # sanity: the generated data has its tie groups
    first = world.pull(deletions=True)
    assert first.status == "ok"
    with world.db.read() as conn:
        at_tie = {
            module: conn.execute(
                select(T.c.source_id).where(
                    T.c.module == module, T.c.date_modified == parse_datetime(TIE_INSTANT)
                )
            ).all()
            for module in tied
        }
        sealed = dict(
            conn.execute(
                select(CursorRow.__table__.c.module, CursorRow.__table__.c.sealed_at).where(
                    CursorRow.__table__.c.module.in_(tied)
                )
            ).all()
        )
    assert all(len(rows) >= 40 for rows in at_tie.values()), {
        m: len(r) for m, r in at_tie.items()
    }
    assert sealed == {m: parse_datetime(TIE_INSTANT) for m in tied}

    world.sleep(600)
    task = at_tie["Tasks"][0].source_id
    control.update_record("Tasks", task, {"description": "changed after the install"})
    call = control.ids("Calls", limit=1)[0]
    control.update_record("Calls", call, {"description": "an incremental change"})
    world.sleep(120)

    second = world.pull(deletions=True)
    stats = {m.module: m for m in second.modules}
    assert stats["Tasks"].read == 1 and stats["Tasks"].updated == 1
    assert stats["Emails"].read == 0
    assert stats["Calls"].read == 1
    # One list request per stream (v4_1's deletion stream counts too): no walk by id.
    assert stats["Tasks"].requests <= 2, stats["Tasks"]
    assert stats["Emails"].requests <= 2, stats["Emails"]
