"""The sandbox's request log: what was asked, of which endpoint, with what result.

Benchmarks and tests read the counts per endpoint (for example, how many list
pages a sync fetched) and reset them between phases. Bounded in memory; no I/O.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from dataclasses import dataclass


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    endpoint: str
    module: str | None
    status: int
    elapsed_ms: float
    fault: str | None = None


@dataclass(frozen=True)
class RequestLogSnapshot:
    total: int
    counts: dict[str, int]
    statuses: dict[int, int]
    entries: tuple[LoggedRequest, ...]

    def count(self, endpoint: str, module: str | None = None) -> int:
        if module is None:
            return self.counts.get(endpoint, 0)
        return sum(1 for e in self.entries if e.endpoint == endpoint and e.module == module)

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "counts": dict(self.counts),
            "statuses": {str(k): v for k, v in self.statuses.items()},
        }


class RequestLog:
    """Thread-safe counts per endpoint and status, plus the latest entries."""

    def __init__(self, keep: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[LoggedRequest] = deque(maxlen=keep)
        self._counts: Counter[str] = Counter()
        self._statuses: Counter[int] = Counter()
        self._total = 0

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)
            self._counts[entry.endpoint] += 1
            self._statuses[entry.status] += 1
            self._total += 1

    def snapshot(self) -> RequestLogSnapshot:
        with self._lock:
            return RequestLogSnapshot(
                self._total, dict(self._counts), dict(self._statuses), tuple(self._entries)
            )

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts.clear()
            self._statuses.clear()
            self._total = 0
