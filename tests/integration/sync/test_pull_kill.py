"""A pull killed with SIGKILL at random moments loses nothing and duplicates nothing.

The pull runs as the installed ``suitejourney pull`` command in a child process,
against a sandbox in this process; the test kills it five times once it has
stored a random number of touchpoints, then lets it finish, and compares the
state database with that of an uninterrupted pull.
"""

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
from sqlalchemy import func, select

from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    start_sandbox,
)
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import SyncRunRow, TouchpointRow
from tests.integration.conftest import START, World

COMMAND = shutil.which("suitejourney")


@pytest.fixture
def slow_world(database_url: Secret) -> Iterator[World]:
    sandbox = start_sandbox(accounts=20, seed=5, now=START, latency_ms=25)
    db = StateDB.open(database_url)
    try:
        yield World(sandbox, db)
    finally:
        db.close()
        sandbox.stop()


def stored(db: StateDB) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(TouchpointRow)).scalar_one())


def start_pull(world: World, database_url: Secret, folder: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SUITEJOURNEY_URL": world.sandbox.url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_USERNAME": SANDBOX_USERNAME,
        "SUITEJOURNEY_PASSWORD": SANDBOX_PASSWORD,
        "SUITEJOURNEY_GRANT": "client_credentials",
        # Read through V8 as the reference pull does (REST v4_1's values hash otherwise).
        "SUITEJOURNEY_PULL_API": "v8",
        "SUITEJOURNEY_DATABASE_URL": database_url.reveal(),
        "SUITEJOURNEY_PAGE_SIZE": "10",
    }
    command = [COMMAND] if COMMAND else [sys.executable, "-m", "connector"]
    return subprocess.Popen([*command, "pull"], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(process: subprocess.Popen[bytes], db: StateDB, target: int, limit: float) -> None:
    """Poll until the child stored ``target`` touchpoints or ended."""
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        if stored(db) >= target:
            return
        time.sleep(0.02)


@pytest.mark.slow
def test_sigkill_five_times_then_finish_equals_an_uninterrupted_pull(
    slow_world: World, database_url: Secret, tmp_path: Path
) -> None:
    reference = World(slow_world.sandbox, StateDB.open(Secret(f"sqlite:///{tmp_path}/ref.db")))
    try:
        assert reference.pull(deletions=True).status == "ok"
        expected = reference.snapshot()
    finally:
        reference.db.close()
    total = len(expected)
    rng = random.Random(21)
    kills = 0
    for _ in range(5):
        process = start_pull(slow_world, database_url, tmp_path)
        wait_for(process, slow_world.db, stored(slow_world.db) + rng.randint(5, total // 12), 60)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=30)
    assert kills >= 3, "the pull finished before it could be killed"
    assert stored(slow_world.db) < total

    final = start_pull(slow_world, database_url, tmp_path)
    _, errors = final.communicate(timeout=300)
    assert final.returncode == 0, errors.decode()

    assert slow_world.snapshot() == expected
    with slow_world.db.read() as conn:
        statuses = conn.execute(select(SyncRunRow.__table__.c.status)
                                .order_by(SyncRunRow.__table__.c.id)).scalars().all()
    assert statuses[-1] == "ok"
    assert "running" not in statuses  # killed runs were closed by the next one
