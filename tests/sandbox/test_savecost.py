"""The cost of a save: a delay per record saved through the APIs, two saves at a time."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest

from connector.sandbox import RunningSandbox, start_sandbox
from connector.sandbox.savecost import SaveCost
from tests.sandbox.conftest import FROZEN_AT, Api


def test_no_more_than_the_slots_save_at_once() -> None:
    inside = threading.Semaphore(0)
    release = threading.Event()
    cost = SaveCost(120, slots=2, sleep=lambda seconds: (inside.release(), release.wait(10)))
    threads = [threading.Thread(target=cost.pay) for _ in range(4)]
    for thread in threads:
        thread.start()
    assert inside.acquire(timeout=10) and inside.acquire(timeout=10)
    assert not cost._slots.acquire(blocking=False), "a third save found a free slot"
    release.set()
    for thread in threads:
        thread.join(timeout=10)
    assert cost.saves == 4


def test_without_latency_nothing_sleeps() -> None:
    cost = SaveCost(0, sleep=lambda seconds: pytest.fail("slept"))
    cost.pay(3)
    assert cost.saves == 3


@pytest.fixture
def costly() -> Iterator[tuple[RunningSandbox, list[float]]]:
    with start_sandbox(accounts=2, seed=3, now=FROZEN_AT, save_latency_ms=120) as running:
        slept: list[float] = []
        running.app.services.saves.sleep = slept.append
        yield running, slept


def test_every_record_saved_through_an_api_costs_the_latency(
    costly: tuple[RunningSandbox, list[float]],
) -> None:
    sandbox, slept = costly
    api = Api(sandbox)
    chosen = str(uuid.uuid4())
    body = {"data": {"type": "Notes", "id": chosen, "attributes": {"name": "a"}}}
    assert api.v8("POST", "module", body=body).status_code == 201
    assert api.v8("POST", "module", body=body).status_code == 400  # refused: no save
    patch = {"data": {"type": "Notes", "id": chosen, "attributes": {"name": "b"}}}
    assert api.v8("PATCH", "module", body=patch).status_code == 201
    assert api.v8("DELETE", f"module/Notes/{chosen}").status_code == 200
    assert slept == [0.12, 0.12, 0.12]

    session = api.session()
    rows = [[{"name": "name", "value": f"n{i}"}] for i in range(3)]
    api.legacy("set_entries", [session, "Notes", rows])
    assert slept == [0.12] * 6, "set_entries saves each record"


def test_the_cost_changes_while_serving(costly: tuple[RunningSandbox, list[float]]) -> None:
    sandbox, slept = costly
    answer = Api(sandbox).http.patch(
        f"{sandbox.url}/sandbox/admin/saves", json={"latency_ms": 5, "slots": 1}, timeout=10
    )
    assert answer.json() == {"latency_ms": 5.0, "slots": 1, "saves": 0}
    sandbox.control.add_record("Notes", {"name": "by the test"})  # controls cost nothing
    assert slept == []
    bad = Api(sandbox).http.patch(f"{sandbox.url}/sandbox/admin/saves", json={"slots": 0})
    assert bad.status_code == 400
