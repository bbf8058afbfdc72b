"""The worker's failure handling: retried, waited, dropped, never raised."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from connector.errors import AuthenticationError, ConnectionFailedError
from connector.realtime.counters import Counters
from connector.realtime.notification import Change
from connector.realtime.queue import ChangeQueue
from connector.realtime.worker import Worker
from connector.sync.refresh import RecordRef, RefreshReport
from connector.sync.runner import SyncLockedError


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


class Refresh:
    def __init__(self, *outcomes: BaseException | None) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[list[RecordRef]] = []

    def __call__(self, refs: Sequence[RecordRef]) -> RefreshReport:
        self.calls.append(list(refs))
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        return RefreshReport(read=len(refs), customers=["Accounts:a"])


def setup(*outcomes: BaseException | None) -> tuple[Worker, ChangeQueue, Refresh, Clock]:
    clock = Clock()
    queue = ChangeQueue(capacity=10, debounce=0.0, clock=clock)
    refresh = Refresh(*outcomes)
    worker = Worker(queue, refresh, Counters(), max_attempts=3, clock=clock)
    queue.offer([Change("Calls", "c1", "after_save", "2026-12-03 10:00:00")])
    return worker, queue, refresh, clock


def test_a_batch_becomes_record_refs() -> None:
    worker, queue, refresh, _ = setup()
    queue.offer([Change("Calls", "c2", "after_delete", "2026-12-03 10:00:00")])
    assert worker.run_once(timeout=0)
    assert refresh.calls == [[RecordRef("Calls", "c1"), RecordRef("Calls", "c2", deleted=True)]]
    assert worker.counters.get("customers_updated") == 1
    assert worker.state.processed == worker.state.batches == 1


def test_a_running_sync_makes_the_batch_wait_without_giving_up() -> None:
    locked = SyncLockedError("another sync of this instance is running")
    worker, _queue, refresh, clock = setup(*[locked] * 5)
    for _ in range(5):
        clock.now += worker.lock_retry
        assert worker.run_once(timeout=0)
    clock.now += worker.lock_retry
    assert worker.run_once(timeout=0)
    assert len(refresh.calls) == 6
    assert worker.counters.get("batches_waiting_for_sync") == 5
    assert worker.counters.get("records_dropped") == 0


def test_an_unreachable_suitecrm_is_retried_with_backoff_then_given_up() -> None:
    down = ConnectionFailedError("SuiteCRM cannot be reached")
    worker, queue, _refresh, clock = setup(down, down, down)
    assert worker.run_once(timeout=0)
    assert worker.run_once(timeout=0) is False  # waits its delay
    clock.now += 2
    assert worker.run_once(timeout=0)
    clock.now += 4
    assert worker.run_once(timeout=0)
    assert len(queue) == 0
    assert worker.counters.get("records_dropped") == 1
    assert "cannot be reached" in worker.state.last_error


@pytest.mark.parametrize(
    "error", [AuthenticationError("SuiteCRM refused the OAuth2 client"), RuntimeError("a bug")]
)
def test_configuration_errors_and_bugs_drop_the_batch_and_go_on(error: BaseException) -> None:
    worker, queue, _refresh, _ = setup(error)
    assert worker.run_once(timeout=0)
    assert worker.counters.get("batches_failed") == 1
    queue.offer([Change("Calls", "c9", "after_save", "2026-12-03 10:00:00")])
    assert worker.run_once(timeout=0)
    assert worker.counters.get("batches") == 1


def test_stop_refreshes_what_is_waiting() -> None:
    worker, _queue, refresh, _ = setup()
    assert worker.stop() == 0
    assert len(refresh.calls) == 1
