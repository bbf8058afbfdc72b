"""The queue: debounced, merged per record, bounded, retried (a fake monotonic clock)."""

from __future__ import annotations

import pytest

from connector.realtime.notification import Change
from connector.realtime.queue import ChangeQueue, QueueFull


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def change(record: str, event: str = "after_save", module: str = "Calls") -> Change:
    return Change(module, record, event, "2026-12-03 10:00:00")


def test_saves_within_the_window_make_one_batch_of_distinct_records() -> None:
    clock = Clock()
    queue = ChangeQueue(capacity=10, debounce=1.0, clock=clock)
    assert queue.offer([change("a")]) == 1
    clock.now += 0.5
    assert queue.offer([change("a"), change("b")]) == 1  # "a" merged
    assert queue.take() == []  # the window is open
    clock.now += 0.5
    batch = queue.take()
    assert [(p.record_id, p.events) for p in batch] == [
        ("a", {"after_save"}),
        ("b", {"after_save"}),
    ]
    assert len(queue) == 0
    assert queue.stats().coalesced == 1


def test_a_full_queue_refuses_the_whole_notification_and_keeps_what_it_had() -> None:
    queue = ChangeQueue(capacity=2, debounce=0.0, clock=Clock())
    queue.offer([change("a")])
    with pytest.raises(QueueFull):
        queue.offer([change("b"), change("c")])
    assert len(queue) == 1
    queue.offer([change("a", "after_delete"), change("b")])  # "a" merges: it fits
    assert queue.peak == 2


def test_only_deletes_need_no_read() -> None:
    queue = ChangeQueue(capacity=5, debounce=0.0, clock=Clock())
    queue.offer([change("gone", "after_delete"), change("back", "after_delete")])
    queue.offer([change("back", "after_save")])
    flags = {p.record_id: p.deleted for p in queue.take()}
    assert flags == {"gone": True, "back": False}


def test_a_retried_batch_waits_its_delay_and_merges_newer_changes() -> None:
    clock = Clock()
    queue = ChangeQueue(capacity=5, debounce=1.0, clock=clock)
    queue.offer([change("a")])
    clock.now += 1
    batch = queue.take()
    queue.offer([change("a", "after_relationship_add")])  # arrived while a was worked on
    queue.retry(batch, delay=30)
    queue.offer([change("b")])
    clock.now += 1
    assert [p.record_id for p in queue.take()] == ["b"]  # a is not due yet
    clock.now += 30
    (retried,) = queue.take()
    assert retried.events == {"after_save", "after_relationship_add"}
    assert retried.attempts == 1


def test_wait_returns_when_due_or_at_the_timeout() -> None:
    clock = Clock()
    queue = ChangeQueue(capacity=5, debounce=0.0, clock=clock)
    assert queue.wait(timeout=0) == []
    queue.offer([change("a")])
    assert [p.record_id for p in queue.wait(timeout=0)] == ["a"]
    queue.close()
    assert queue.wait() == []
