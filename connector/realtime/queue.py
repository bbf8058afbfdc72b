"""The bounded, debounced queue between the HTTP handler and the worker.

Changes are kept per record (module, id): ten saves of one call while it waits
are one entry. The first change into an empty queue opens a window of
``debounce`` seconds; when it closes, the worker takes everything waiting (up
to a batch), so several saves of one customer within the window make one
update. The queue holds at most ``capacity`` records: a notification whose new
records do not fit is refused whole (the HTTP handler answers 429, the logic
hook keeps it for later, and the scheduled sync is the safety net), so memory
stays bounded however hard SuiteCRM or anyone else floods the service.

A batch that could not be processed (SuiteCRM down, a sync holding the lock)
comes back with ``retry`` and waits ``delay`` seconds; changes that arrived for
the same records meanwhile are merged into it. Thread-safe; the clock is
injected (monotonic seconds).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from connector.realtime.notification import Change


class QueueFull(Exception):
    """No room for the notification's records."""


@dataclass
class Pending:
    """One record waiting: the events seen for it since it was queued."""

    module: str
    record_id: str
    events: set[str] = field(default_factory=set)
    due: float = 0.0
    attempts: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.module, self.record_id)

    @property
    def deleted(self) -> bool:
        """Only deletes were seen: no need to read the record (anything else, read it:
        SuiteCRM's answer says whether it still exists)."""
        return self.events == {"after_delete"}


@dataclass
class QueueStats:
    size: int
    capacity: int
    peak: int
    coalesced: int


class ChangeQueue:
    def __init__(
        self,
        capacity: int = 10_000,
        debounce: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.debounce = debounce
        self.clock = clock
        self._pending: dict[tuple[str, str], Pending] = {}
        self._ready = threading.Condition()
        self._closed = False
        self.peak = 0
        self.coalesced = 0

    def offer(self, changes: Sequence[Change]) -> int:
        """Queue ``changes``; the number of records newly queued (the rest were
        merged into waiting ones). Raises ``QueueFull`` and queues nothing when the
        new records do not fit."""
        with self._ready:
            new = {c.key for c in changes if c.key not in self._pending}
            if len(self._pending) + len(new) > self.capacity:
                raise QueueFull(f"the queue holds {len(self._pending)} of {self.capacity} records")
            now = self.clock()
            # Join the open window (the fresh records' due time), or open one.
            fresh = [p.due for p in self._pending.values() if p.attempts == 0]
            due = min(fresh, default=now + self.debounce)
            for change in changes:
                pending = self._pending.get(change.key)
                if pending is None:
                    pending = Pending(change.module, change.record_id, due=due)
                    self._pending[change.key] = pending
                else:
                    self.coalesced += 1
                pending.events.add(change.event)
            self.peak = max(self.peak, len(self._pending))
            self._ready.notify_all()
            return len(new)

    def take(self, limit: int = 200) -> list[Pending]:
        """Everything waiting, up to ``limit`` records, once the earliest is due;
        otherwise nothing."""
        with self._ready:
            return self._take(limit)

    def _take(self, limit: int) -> list[Pending]:
        now = self.clock()
        if not self._pending or min(p.due for p in self._pending.values()) > now:
            return []
        ordered = sorted(self._pending.values(), key=lambda p: (p.due, p.module, p.record_id))
        batch = [p for p in ordered if p.attempts == 0 or p.due <= now][:limit]
        for pending in batch:
            del self._pending[pending.key]
        return batch

    def wait(self, limit: int = 200, timeout: float | None = None) -> list[Pending]:
        """Block until a batch is due (or ``timeout`` seconds, or ``close``)."""
        deadline = None if timeout is None else self.clock() + timeout
        with self._ready:
            while not self._closed:
                batch = self._take(limit)
                if batch:
                    return batch
                now = self.clock()
                waits = [p.due - now for p in self._pending.values()]
                if deadline is not None:
                    waits.append(deadline - now)
                    if deadline <= now:
                        return []
                self._ready.wait(max(0.0, min(waits)) if waits else None)
            return []

    def retry(self, batch: Iterable[Pending], delay: float) -> int:
        """Put back a batch that failed, due in ``delay`` seconds; merged with any
        change that arrived meanwhile. Returns how many records came back (a full
        queue keeps the newer changes and drops the rest)."""
        with self._ready:
            due = self.clock() + delay
            back = 0
            for pending in batch:
                waiting = self._pending.get(pending.key)
                if waiting is not None:
                    waiting.events |= pending.events
                    waiting.attempts = max(waiting.attempts, pending.attempts + 1)
                    waiting.due = max(waiting.due, due)
                    back += 1
                    continue
                if len(self._pending) >= self.capacity:
                    continue
                pending.attempts += 1
                pending.due = due
                self._pending[pending.key] = pending
                back += 1
            self._ready.notify_all()
            return back

    def drain(self) -> list[Pending]:
        """Everything waiting, due or not (at shutdown)."""
        with self._ready:
            batch = list(self._pending.values())
            self._pending.clear()
            return batch

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()

    def stats(self) -> QueueStats:
        with self._ready:
            return QueueStats(len(self._pending), self.capacity, self.peak, self.coalesced)

    def __len__(self) -> int:
        with self._ready:
            return len(self._pending)
