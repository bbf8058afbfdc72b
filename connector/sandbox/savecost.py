"""What a save costs a real SuiteCRM: a delay per record saved, few saves at once.

A real SuiteCRM spends 120-180 ms of server time on every bean it saves (logic
hooks, AOD's search index; measured, see shared/suitecrm/README.md), and a small
server (2 cores) runs only about two saves at a time: more requests in flight
queue behind them. The sandbox's own writes cost microseconds, which hid the
cost of writing one record per touchpoint; with ``latency_ms`` set, every
record the APIs create, update or delete holds one of ``slots`` save slots for
that long. Failed writes (a create whose id exists, an unknown id) cost
nothing, as in SuiteCRM, which refuses them before saving. Zero by default, so
tests stay fast; sleeping is injectable.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

DEFAULT_SLOTS = 2


class SaveCost:
    """The per-save delay and the bound on concurrent saves."""

    def __init__(
        self,
        latency_ms: float = 0.0,
        slots: int = DEFAULT_SLOTS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if latency_ms < 0 or slots < 1:
            raise ValueError("save latency must be >= 0 and concurrent saves >= 1")
        self.latency_ms = latency_ms
        self.slots = slots
        self.sleep = sleep
        self._slots = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.saves = 0

    def update(self, latency_ms: float | None = None, slots: int | None = None) -> dict[str, float]:
        """Change the cost while serving (saves under way finish at the old one)."""
        latency = self.latency_ms if latency_ms is None else float(latency_ms)
        count = self.slots if slots is None else int(slots)
        if latency < 0 or count < 1:
            raise ValueError("save latency must be >= 0 and concurrent saves >= 1")
        with self._lock:
            if count != self.slots:
                self._slots = threading.BoundedSemaphore(count)
            self.latency_ms, self.slots = latency, count
        return self.as_dict()

    def as_dict(self) -> dict[str, float]:
        return {"latency_ms": self.latency_ms, "slots": self.slots, "saves": self.saves}

    def pay(self, records: int = 1) -> None:
        """Spend the server time of ``records`` saves, one slot at a time."""
        with self._lock:
            self.saves += records
        if self.latency_ms <= 0:
            return
        for _ in range(records):
            slots, seconds = self._slots, self.latency_ms / 1000.0
            with slots:
                self.sleep(seconds)
