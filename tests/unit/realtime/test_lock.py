"""serve and a sync share the instance lock: a sync waits out serve's short lease."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connector.secrets import Secret
from connector.store.database import StateDB
from connector.sync.runner import DEFAULT_LEASE, SHORT_LEASE, Lease, SyncLockedError

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> StateDB:
    return StateDB.open(Secret(f"sqlite:///{tmp_path / 'state.db'}"))


def test_a_sync_waits_for_serve_to_finish_its_batch(db: StateDB) -> None:
    serve = Lease(db, lambda: NOW, SHORT_LEASE, owner="web-1:10")
    serve.acquire()
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        if len(waited) == 3:
            serve.release()  # serve's batch is done

    sync = Lease(db, lambda: NOW, DEFAULT_LEASE, sleep=sleep, owner="web-1:20")
    sync.acquire()
    assert len(waited) == 3
    # ... and while the sync holds it, serve is refused at once (it retries later).
    again = Lease(db, lambda: NOW, SHORT_LEASE, sleep=waited.append, owner="web-1:10")
    with pytest.raises(SyncLockedError, match="another sync"):
        again.acquire()
    assert len(waited) == 3


def test_a_sync_does_not_wait_for_another_sync(db: StateDB) -> None:
    Lease(db, lambda: NOW, DEFAULT_LEASE, owner="web-2:1").acquire()
    slept: list[float] = []
    with pytest.raises(SyncLockedError):
        Lease(db, lambda: NOW, DEFAULT_LEASE, sleep=slept.append, owner="web-2:2").acquire()
    assert slept == []


def test_waiting_for_a_stuck_serve_ends(db: StateDB) -> None:
    Lease(db, lambda: NOW, SHORT_LEASE, owner="web-3:1").acquire()
    slept: list[float] = []
    with pytest.raises(SyncLockedError):
        Lease(db, lambda: NOW, DEFAULT_LEASE, sleep=slept.append, owner="web-3:2").acquire()
    assert 0 < sum(slept) <= SHORT_LEASE.total_seconds() + 1
