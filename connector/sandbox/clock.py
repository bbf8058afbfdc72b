"""The sandbox's clock: the one source of "now" for timestamps, tokens and rate limits.

Tests start it frozen at a given instant and move it by hand, so nothing in the
sandbox depends on the wall clock unless asked to. It does no I/O.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

DB_FORMAT = "%Y-%m-%d %H:%M:%S"


def parse_instant(value: str | datetime) -> datetime:
    """A datetime or a DB/ISO string → aware UTC datetime (naive values are UTC)."""
    if isinstance(value, datetime):
        parsed = value
    else:
        text = value.strip().replace("Z", "+00:00")
        parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def to_db(value: datetime) -> str:
    """SuiteCRM's storage format: UTC, seconds, no zone."""
    return value.astimezone(UTC).strftime(DB_FORMAT)


class SandboxClock:
    """Wall time plus an offset, or a frozen instant moved only by ``set``/``advance``."""

    def __init__(
        self,
        start: str | datetime | None = None,
        *,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._wall = wall
        self._lock = threading.Lock()
        self._frozen: datetime | None = parse_instant(start) if start is not None else None
        self._offset = 0.0

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def now(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.fromtimestamp(self._wall() + self._offset, UTC)

    def timestamp(self) -> float:
        return self.now().timestamp()

    def db_now(self) -> str:
        return to_db(self.now())

    def set(self, instant: str | datetime) -> datetime:
        target = parse_instant(instant)
        with self._lock:
            if self._frozen is not None:
                self._frozen = target
            else:
                self._offset = target.timestamp() - self._wall()
        return target

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            if self._frozen is not None:
                self._frozen = self._frozen + timedelta(seconds=seconds)
                return self._frozen
            self._offset += seconds
        return self.now()
