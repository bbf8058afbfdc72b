"""Real data never stops a sync: every oddity of old SuiteCRM databases in the sandbox.

``suitejourney sync`` runs (in this process, as the console script) against a
sandbox generated with ``oddities``: zero dates, a date that does not exist,
absurd dates, control characters, HTML entities. Two syncs in a row both finish
with exit 1 and list the bad records; ``status --json`` shows them; fixing one in
the sandbox heals it at the next sync; nothing else is lost or duplicated.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    RunningSandbox,
    start_sandbox,
)
from connector.sandbox.oddities import BAD_KINDS, CONTROL_NAME, ODD_IDS
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import TouchpointRow, WritebackRow
from connector.store.writeback import TOMBSTONE
from tests.climain import Outcome, invoke
from tests.integration.conftest import START

BAD = {
    ODD_IDS["impossible_date"]: ("Meetings", "date_start", "not a real date"),
    ODD_IDS["absurd_future"]: ("Calls", "date_start", "more than a year in the future"),
    ODD_IDS["absurd_past"]: ("Calls", "date_start", "before 1990"),
}


@pytest.fixture
def odd_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    sandbox = start_sandbox(accounts=6, seed=11, now=START, generator={"oddities": True})
    # The connector's clock is the sandbox's: the sane window of dates must not
    # depend on the day the test runs.
    monkeypatch.setattr("connector.app.utc_now", sandbox.control.now)
    try:
        yield sandbox
    finally:
        sandbox.stop()


def test_every_oddity_is_survived_listed_and_healed(
    odd_sandbox: RunningSandbox,
    database_url: Secret,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = {
        "SUITEJOURNEY_URL": odd_sandbox.url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": database_url.reveal(),
        "SUITEJOURNEY_PAGE_SIZE": "40",
    }
    control = odd_sandbox.control
    assert set(BAD_KINDS) == {k for k, i in ODD_IDS.items() if i in BAD}

    def run(*args: str) -> Outcome:
        return invoke(list(args), env, tmp_path, monkeypatch, capsys)

    first = run("sync")
    assert first.code == 1, first.err
    assert "Traceback" not in first.err
    assert "skipped: 3 records could not be read" in first.out
    for record_id, (module, field, reason) in BAD.items():
        assert f"{module} {record_id}: {field}" in first.out
        assert reason in first.out
    snapshot = touchpoints(database_url)

    control.advance_clock(3600)  # an hour later, the scheduler's next run
    second = run("sync")
    assert second.code == 1, second.err
    assert "skipped: 3 records could not be read" in second.out
    assert touchpoints(database_url) == snapshot  # re-read, nothing changed or doubled

    status = run("status", "--json")
    assert status.code == 0, status.err
    data = json.loads(status.out)
    held = data["quarantine"]
    assert held["total"] == 3
    assert {(q["module"], q["id"], q["field"]) for q in held["records"]} == {
        (module, record_id, field) for record_id, (module, field, _) in BAD.items()
    }
    assert all(q["attempts"] == 2 for q in held["records"])
    syncs = [r for r in data["runs"] if r["kind"] == "sync"]
    assert [(r["status"], r["skipped"]) for r in syncs] == [("partial", 3), ("partial", 3)]
    assert all(r["classify"] and r["push"] is not None for r in syncs)

    # What is only odd was taken, cleaned, and not quarantined.
    odd_ok = {
        f"Meetings:{ODD_IDS['zero_date']}",
        f"AOS_Invoices:{ODD_IDS['zero_date_only']}",
        f"Accounts:{ODD_IDS['control_chars']}",
        f"Notes:{ODD_IDS['html_entities']}",
    }
    assert odd_ok <= set(snapshot)
    assert not {f"{m}:{i}" for i, (m, _, _) in BAD.items()} & set(snapshot)
    subjects = subjects_of(database_url, odd_ok)
    assert subjects[f"Accounts:{ODD_IDS['control_chars']}"] == "Odd Trading Co."
    assert subjects[f"Notes:{ODD_IDS['html_entities']}"] == 'Q&A "pricing" <draft>'
    written = [control.get_record("CJ_Journeys", i) for i in control.ids("CJ_Journeys")]
    assert not any("\x00" in str(r) for r in written if r)
    assert not any(CONTROL_NAME in str(r) for r in written if r)

    # Fixed in SuiteCRM: the next sync takes it, the others stay skipped.
    control.advance_clock(3600)
    control.update_record(
        "Meetings", ODD_IDS["impossible_date"], {"date_start": "2026-02-27 10:00:00"}
    )
    third = run("sync")
    assert third.code == 1, third.err
    assert "skipped: 2 records could not be read" in third.out
    healed = touchpoints(database_url)
    assert set(healed) == set(snapshot) | {f"Meetings:{ODD_IDS['impossible_date']}"}
    held = json.loads(run("status", "--json").out)["quarantine"]
    assert held["total"] == 2 and ODD_IDS["impossible_date"] not in {
        q["id"] for q in held["records"]
    }

    # Nothing duplicated in SuiteCRM: one CJ record per written key.
    keys = [control.get_record("CJ_Touchpoints", i) for i in control.ids("CJ_Touchpoints")]
    external = [k["external_key"] for k in keys if k]
    assert len(external) == len(set(external))
    assert len(external) == written_touchpoints(database_url)


def touchpoints(database_url: Secret) -> dict[str, str]:
    db = StateDB.open(database_url)
    try:
        t = TouchpointRow.__table__
        with db.read() as conn:
            return {r.key: r.content_hash for r in conn.execute(select(t.c.key, t.c.content_hash))}
    finally:
        db.close()


def subjects_of(database_url: Secret, keys: set[str]) -> dict[str, str]:
    db = StateDB.open(database_url)
    try:
        t = TouchpointRow.__table__
        with db.read() as conn:
            rows = conn.execute(select(t.c.key, t.c.subject).where(t.c.key.in_(keys)))
            return {r.key: r.subject for r in rows}
    finally:
        db.close()


def written_touchpoints(database_url: Secret) -> int:
    db = StateDB.open(database_url)
    try:
        w = WritebackRow.__table__
        with db.read() as conn:
            live = (w.c.kind == "touchpoint") & (w.c.content_hash != TOMBSTONE)  # not deleted
            return len(conn.execute(select(w.c.key).where(live)).all())
    finally:
        db.close()
