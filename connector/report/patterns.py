"""Journey paths, how far apart two of them are, and grouping near paths into patterns.

- A journey's **path** is its stage sequence with, for each stage, the channel
  of the touchpoint that moved the customer into it: ``awareness/campaign >
  evaluation/meeting > decision/email > purchase/document``. A stage entered
  again right after itself (a new purchase cycle) is one step; a move back
  shows as a repeated stage; after ``MAX_STEPS`` steps the rest is ``…``.
- The **distance** between two paths is an edit distance over their steps: a
  step added or removed costs 1, a step in another stage 1, the same stage
  reached through another channel 0.5.
- **Grouping** (``group_paths``): exact paths from the most to the least
  common; each joins the nearest group whose first (most common) path is within
  the tolerance (on a tie, the group of the more common path), or starts a group of its own. Only
  the first ``CENTRE_LIMIT`` groups are started; a rarer path near none of
  them goes to ``rest``. So a pattern is named after its most common path and
  never drifts: every member is within the tolerance of that path.

Each exact path keeps a ``PathStats`` (counters and two small histograms), so
memory follows the number of distinct paths, not the number of customers.
Pure; no I/O.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from connector.report.figures import Step
from connector.report.stats import Spread

MAX_STEPS = 8
MORE: Step = ("…", "")
CENTRE_LIMIT = 200
Path = tuple[Step, ...]


def journey_path(journey: Mapping[str, Any]) -> Path:
    """The path of one ``journey_to_dict`` dictionary (see the module docstring)."""
    moves = [t for t in journey.get("transitions") or () if t.get("to")]
    keys = {t.get("touchpoint_key") for t in moves}
    channel_of = {
        tp.get("key"): str(tp.get("channel") or "other")
        for tp in journey.get("touchpoints") or ()
        if tp.get("key") in keys
    }
    steps: list[Step] = []
    for move in moves:
        stage = str(move["to"])
        if steps and steps[-1][0] == stage:
            continue
        steps.append((stage, channel_of.get(move.get("touchpoint_key"), "other")))
    if len(steps) > MAX_STEPS:
        return (*steps[:MAX_STEPS], MORE)
    return tuple(steps)


def path_text(path: Iterable[Step]) -> str:
    """``awareness (campaign) > evaluation (meeting)``: a path as one line of text."""
    return " > ".join(stage if not channel else f"{stage} ({channel})" for stage, channel in path)


def path_distance(a: Path, b: Path, limit: float = math.inf) -> float:
    """The edit distance of two paths; stops early (returning more than ``limit``) once
    it cannot come back under it."""
    previous = [float(j) for j in range(len(b) + 1)]
    for i, (stage_a, channel_a) in enumerate(a, 1):
        current = [float(i)]
        for j, (stage_b, channel_b) in enumerate(b, 1):
            swap = 1.0 if stage_a != stage_b else (0.0 if channel_a == channel_b else 0.5)
            current.append(min(previous[j] + 1.0, current[j - 1] + 1.0, previous[j - 1] + swap))
        if min(current) > limit:
            return min(current)
        previous = current
    return previous[-1]


class Histogram:
    """Values counted at a fixed resolution; quantiles as ``stats.quantile`` would give
    for the rounded values (linear interpolation between the closest ranks)."""

    __slots__ = ("counts", "digits", "n")

    def __init__(self, digits: int = 1) -> None:
        self.digits = digits
        self.counts: Counter[float] = Counter()
        self.n = 0

    def add(self, value: float) -> None:
        self.counts[round(value, self.digits)] += 1
        self.n += 1

    def merge(self, other: Histogram) -> None:
        self.counts.update(other.counts)
        self.n += other.n

    def quantile(self, q: float) -> float | None:
        if not self.n:
            return None
        values = sorted(self.counts)
        ends: list[int] = []  # ends[i]: how many values are <= values[i]
        total = 0
        for value in values:
            total += self.counts[value]
            ends.append(total)

        def at(rank: int) -> float:
            return values[bisect_right(ends, rank)]

        position = (self.n - 1) * q
        low, high = math.floor(position), math.ceil(position)
        return at(low) + (at(high) - at(low)) * (position - low)

    def spread(self, digits: int = 2) -> Spread:
        median, p90 = self.quantile(0.5), self.quantile(0.9)
        return Spread(
            self.n,
            None if median is None else round(median, digits),
            None if p90 is None else round(p90, digits),
        )


@dataclass
class PathStats:
    """What the customers of one path (or of a group of paths) did."""

    customers: int = 0
    purchased: int = 0
    days: Histogram = field(default_factory=Histogram)  # first touch to first purchase
    dropoff: Counter[str] = field(default_factory=Counter)  # stage -> lost or stalled there
    in_progress: int = 0  # not bought yet and still active
    outcomes: Counter[str] = field(default_factory=Counter)  # status -> customers
    cost: float = 0.0
    costed: int = 0  # customers whose journey carries a cost

    def add(self, status: str, stage: str | None, days: float | None, cost: float | None) -> None:
        self.customers += 1
        self.outcomes[status] += 1
        if days is not None:
            self.purchased += 1
            self.days.add(days)
        elif status in ("lost", "stalled") and stage is not None:
            self.dropoff[stage] += 1
        else:
            self.in_progress += 1
        if cost is not None:
            self.cost += cost
            self.costed += 1

    def merge(self, other: PathStats) -> None:
        self.customers += other.customers
        self.purchased += other.purchased
        self.days.merge(other.days)
        self.dropoff.update(other.dropoff)
        self.in_progress += other.in_progress
        self.outcomes.update(other.outcomes)
        self.cost += other.cost
        self.costed += other.costed


@dataclass
class Group:
    """Paths grouped around the most common one (``steps``)."""

    steps: Path
    stats: PathStats
    variants: int = 1


def group_paths(
    paths: Mapping[Path, PathStats], tolerance: float, centre_limit: int = CENTRE_LIMIT
) -> tuple[list[Group], PathStats]:
    """The groups, largest first, and the paths left out (see the module docstring)."""
    groups: list[Group] = []
    rest = PathStats()
    for path, stats in sorted(paths.items(), key=lambda kv: (-kv[1].customers, kv[0])):
        best: Group | None = None
        best_distance = math.inf
        for group in groups:
            if abs(len(group.steps) - len(path)) > tolerance:
                continue
            distance = path_distance(group.steps, path, tolerance)
            if distance <= tolerance and distance < best_distance:
                best, best_distance = group, distance
        if best is not None:
            best.stats.merge(stats)
            best.variants += 1
        elif len(groups) < centre_limit:
            own = PathStats()
            own.merge(stats)
            groups.append(Group(path, own))
        else:
            rest.merge(stats)
    groups.sort(key=lambda g: (-g.stats.customers, g.steps))
    return groups, rest
