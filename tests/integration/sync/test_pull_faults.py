"""Faults on the wire change nothing in what the pull stores."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from connector.sandbox import start_sandbox
from connector.secrets import Secret
from connector.store.database import StateDB
from tests.integration.conftest import START, World


@pytest.fixture
def faulty(database_url: Secret) -> Iterator[World]:
    sandbox = start_sandbox(accounts=40, seed=5, now=START, token_ttl=30)
    db = StateDB.open(database_url)
    try:
        yield World(sandbox, db)
    finally:
        db.close()
        sandbox.stop()


def test_faults_change_nothing_in_the_result(world: World, faulty: World) -> None:
    clean = world.pull(deletions=True)
    assert clean.status == "ok"
    expected = world.snapshot()

    control = faulty.sandbox.control
    control.set_faults(fail_rate=0.10, drop_rate=0.01)
    rng = random.Random(8)

    def chaos(module: str, records: int) -> None:
        # Between pages: time passes (tokens live 30 s here), and the next requests
        # may meet a 429 with Retry-After (5 %) or an HTML error page (2 %).
        control.advance_clock(7)
        if rng.random() < 0.05:
            control.queue_fault("429")
        if rng.random() < 0.02:
            control.queue_fault("html")

    control.queue_fault("429", 2)
    control.queue_fault("html")
    report = faulty.pull(deletions=True, page_size=20, progress=chaos)

    assert report.status == "ok"
    assert faulty.snapshot() == expected
    log = control.requests()
    assert log.statuses.get(500, 0) > 0
    assert log.statuses.get(429, 0) > 0
    assert log.statuses.get(401, 0) > 0, "no token expired during the run"
