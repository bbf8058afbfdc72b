"""Progress of a long phase (pull, classify, push) on a terminal, on one line.

``Progress(label, total, stream)`` draws ``label  1,234 / 5,000  25%`` and
redraws it in place as ``advance(n)`` is called (at most ten times a second),
then ``done()`` ends the line. It draws only when the stream is a terminal:
piped output, cron mail and log files get nothing from it. It does no other I/O
and knows nothing of what it counts, so any phase can use it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

REDRAW_EVERY = 0.1  # seconds


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class Progress:
    """A counter towards ``total`` (None when unknown), drawn on a terminal only."""

    def __init__(
        self,
        label: str,
        total: int | None = None,
        stream: TextIO | None = None,
        *,
        unit: str = "",
        clock: Callable[[], float] = time.monotonic,
        enabled: bool | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self.count = 0
        self._drawn_at: float | None = None
        self._width = 0
        self._finished = False

    def advance(self, n: int = 1) -> None:
        self.count += n
        if not self.enabled:
            return
        now = self.clock()
        if self._drawn_at is None or now - self._drawn_at >= REDRAW_EVERY:
            self._draw()
            self._drawn_at = now

    def done(self) -> None:
        """Draw the final count and end the line (once)."""
        if self._finished:
            return
        self._finished = True
        if self.enabled and (self.count or self._drawn_at is not None):
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.total:
            share = min(100, self.count * 100 // self.total)
            return f"  {self.label:<16} {self.count:>9,} / {self.total:,}{unit}  {share:>3}%"
        return f"  {self.label:<16} {self.count:>9,}{unit}"

    def _draw(self) -> None:
        text = self.line()
        pad = " " * max(0, self._width - len(text))
        self._width = len(text)
        self.stream.write(f"\r{text}{pad}")
        self.stream.flush()
