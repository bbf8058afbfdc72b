"""Medians and percentiles of durations, the one way every report figure uses.

Percentiles interpolate linearly between the closest ranks (the "inclusive"
method: numpy's default, Excel's PERCENTILE.INC): for sorted values
``v[0..n-1]`` the q-quantile sits at position ``(n - 1) * q``. The median is the
0.5 quantile, so for an even count it is the mean of the two middle values.

Pure arithmetic; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Spread:
    """How many values, their median and 90th percentile (``None`` when there are none)."""

    n: int
    median: float | None
    p90: float | None


def quantile(ordered: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of values already sorted ascending; at least one value."""
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = math.ceil(position)
    fraction = position - low
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


def spread(values: Iterable[float], digits: int = 2) -> Spread:
    """Count, median and 90th percentile of ``values``, rounded to ``digits``."""
    ordered = sorted(values)
    if not ordered:
        return Spread(0, None, None)
    return Spread(
        len(ordered),
        round(quantile(ordered, 0.5), digits),
        round(quantile(ordered, 0.9), digits),
    )
