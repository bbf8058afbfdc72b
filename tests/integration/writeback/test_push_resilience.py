"""A push killed halfway, or pushed through faults, ends with exactly the right records."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from connector.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, start_sandbox
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import WritebackRow
from tests.integration.conftest import START, World
from tests.integration.writeback.conftest import api_writer, cj_records, classify, push_with
from tests.integration.writeback.test_push import written_keys

COMMAND = shutil.which("suitejourney")


@pytest.fixture
def slow(tmp_path: Path) -> Iterator[World]:
    sandbox = start_sandbox(accounts=40, seed=5, now=START, latency_ms=20)
    db = StateDB.open(Secret(f"sqlite:///{tmp_path}/state.db"))
    try:
        yield World(sandbox, db)
    finally:
        db.close()
        sandbox.stop()


def assert_exactly_right(world: World, policy: str = "all") -> None:
    customers, touchpoints = written_keys(world, policy)
    records = cj_records(world)
    keys = [r["external_key"] for r in records["CJ_Touchpoints"].values()]
    assert len(keys) == len(set(keys)), "a touchpoint was written twice"
    assert set(keys) == touchpoints, "touchpoints missing or extra"
    assert len(records["CJ_Journeys"]) == len(customers)
    if policy == "all":
        for module in ("CJ_Journeys", "CJ_Touchpoints"):
            total = world.sandbox.control.count(module, include_deleted=True)
            assert total == len(records[module]), f"{module}: a record was created and deleted"


@pytest.mark.slow
def test_push_killed_halfway_then_sync_has_no_duplicates_and_nothing_missing(
    slow: World, tmp_path: Path
) -> None:
    assert slow.pull().status == "ok"
    classify(slow)
    _, touchpoints = written_keys(slow)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SUITEJOURNEY_")},
        "SUITEJOURNEY_URL": slow.sandbox.url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{tmp_path}/state.db",
        "SUITEJOURNEY_TOUCHPOINT_RECORDS": "all",
        "SUITEJOURNEY_WRITE_CONCURRENCY": "3",
    }
    command = [COMMAND] if COMMAND else [sys.executable, "-m", "connector"]
    control = slow.sandbox.control
    rng = random.Random(4)
    kills = 0
    for _ in range(3):
        process = subprocess.Popen([*command, "push"], cwd=tmp_path, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        target = control.count("CJ_Touchpoints") + rng.randint(20, len(touchpoints) // 5)
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if control.count("CJ_Touchpoints") >= target:
                process.send_signal(signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.02)
        process.wait(timeout=30)
        assert len(unrecorded_journeys(slow)) <= 3, "more than the journeys in flight were lost"
    assert kills >= 2, "the push finished before it could be killed"
    assert control.count("CJ_Touchpoints") < len(touchpoints)

    final = subprocess.run([*command, "sync"], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=300, check=False)
    assert final.returncode == 0, final.stderr
    assert_exactly_right(slow)


def test_sigterm_during_the_push_exits_130_and_says_where_it_stopped(
    slow: World, tmp_path: Path
) -> None:
    assert slow.pull().status == "ok"
    classify(slow)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SUITEJOURNEY_")},
        "SUITEJOURNEY_URL": slow.sandbox.url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{tmp_path}/state.db",
        "SUITEJOURNEY_TOUCHPOINT_RECORDS": "all",
    }
    command = [COMMAND] if COMMAND else [sys.executable, "-m", "connector"]
    control = slow.sandbox.control
    process = subprocess.Popen([*command, "push"], cwd=tmp_path, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if control.count("CJ_Touchpoints") >= 30:
            process.send_signal(signal.SIGTERM)
            break
        time.sleep(0.02)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out, err)
    assert "push stopped on request after" in err and "not written yet" in err
    assert out.startswith("push: wrote ") and "records written" in out

    again = subprocess.run([*command, "push"], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert_exactly_right(slow)


def unrecorded_journeys(world: World) -> set[str]:
    """Journeys with CJ records in SuiteCRM that the state does not know were written."""
    w = WritebackRow.__table__
    with world.db.read() as conn:
        known = set(conn.execute(select(w.c.crm_id).where(w.c.content_hash != "")).scalars())
    records = cj_records(world)
    return {r["journey_id"] for i, r in records["CJ_Touchpoints"].items() if i not in known} | {
        i for i in records["CJ_Journeys"] if i not in known
    }


@pytest.fixture
def faulty(tmp_path: Path) -> Iterator[World]:
    sandbox = start_sandbox(accounts=40, seed=5, now=START, token_ttl=30)
    db = StateDB.open(Secret(f"sqlite:///{tmp_path}/faulty.db"))
    try:
        yield World(sandbox, db)
    finally:
        db.close()
        sandbox.stop()


def test_faults_change_nothing_in_the_written_records(world: World, faulty: World) -> None:
    assert world.pull().status == "ok"
    classify(world)
    assert push_with(world, api_writer(world)).failed == []
    expected = cj_records(world)

    assert faulty.pull().status == "ok"
    classify(faulty)
    control = faulty.sandbox.control
    control.set_faults(fail_rate=0.10, drop_rate=0.01)
    for kind in ("429", "html", "503", "429"):
        control.queue_fault(kind)
    writer = api_writer(faulty)
    original = writer.client.create_record

    def create_with_time_passing(*args, **kwargs):  # type: ignore[no-untyped-def]
        control.advance_clock(1.5)  # tokens (30 s) expire during the push
        return original(*args, **kwargs)

    writer.client.create_record = create_with_time_passing  # type: ignore[method-assign]
    report = push_with(faulty, writer)

    assert report.failed == []
    assert cj_records(faulty) == expected
    assert_exactly_right(faulty)
    statuses = control.requests().statuses
    assert statuses.get(500, 0) > 0 and statuses.get(429, 0) > 0 and statuses.get(401, 0) > 0
