"""``suitejourney schedule``: runs syncs on its interval and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from connector.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, start_sandbox
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import LockRow, SyncRunRow
from connector.store.queries import count_by_module

COMMAND = shutil.which("suitejourney")


def runs(db: StateDB) -> list[str]:
    table = SyncRunRow.__table__
    with db.read() as conn:
        return list(conn.execute(select(table.c.status).order_by(table.c.id)).scalars())


@pytest.mark.slow
def test_two_scheduled_syncs_then_sigterm_during_the_third(tmp_path: Path) -> None:
    sandbox = start_sandbox(accounts=30, seed=6, latency_ms=25)
    url = f"sqlite:///{tmp_path / 'state.db'}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SUITEJOURNEY_")},
        "SUITEJOURNEY_URL": sandbox.url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": url,
        "SUITEJOURNEY_SCHEDULE": "every 1s",
        "SUITEJOURNEY_PAGE_SIZE": "10",
    }
    command = [COMMAND] if COMMAND else [sys.executable, "-m", "connector"]
    process = subprocess.Popen(
        [*command, "--log-level", "info", "schedule"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    db = StateDB.open(Secret(url))
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            seen = runs(db)
            if len(seen) >= 3 and seen[2] == "running" and seen[:2] == ["ok", "ok"]:
                break
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            time.sleep(0.05)
        else:
            raise AssertionError(f"never saw a third run in progress: {runs(db)}")
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=60)
        log = err.decode()
        assert process.returncode == 0, log
        assert "stop requested" in log
        assert "scheduled sync finished with exit code 0" in log

        statuses = runs(db)
        assert statuses[:2] == ["ok", "ok"]
        assert statuses[2] == "interrupted"
        assert "running" not in statuses
        with db.read() as conn:
            assert conn.execute(select(LockRow.__table__)).first() is None  # lock released
            touchpoints = sum(n for n, _ in count_by_module(conn).values())
            from connector.store.meta import read_meta

            heartbeat = json.loads(read_meta(conn, "scheduler") or "{}")
        assert touchpoints > 0
        assert heartbeat["stopped"] is True and heartbeat["runs"] >= 2
    finally:
        if process.poll() is None:
            process.kill()
        db.close()
        sandbox.stop()
