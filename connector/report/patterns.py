"""How far apart two journey paths are, and grouping near paths into patterns.

- A journey's **path** (``journey.summary.journey_path``) is its stage
  sequence with, for each stage, the channel of the touchpoint that moved the
  customer into it: ``awareness (campaign) > evaluation (meeting) > decision
  (email) > purchase (document)``.
- The **distance** between two paths is an edit distance over their steps: a
  step added or removed costs 1, a step in another stage 1, the same stage
  reached through another channel 0.5.
- **Grouping** (``group_paths``): exact paths from the most to the least
  common; each joins the nearest group whose first (most common) path is
  within the tolerance (on a tie, the group started first), or starts a group
  of its own. So a pattern is named after its most common path and never
  drifts: every member is within the tolerance of that path. Groups are looked
  up by stage sequence (``Centres``), so a path is compared step by step only
  with the few groups it could join. After ``CENTRE_LIMIT`` groups no new one
  starts; a rarer path near none of them goes to ``rest``.

Each exact path keeps a small ``PathStats`` (counters, a histogram of days), so
memory follows the number of distinct paths, not the number of customers.
Pure; no I/O.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from connector.report.figures import Step
from connector.report.stats import Spread

CENTRE_LIMIT = 2_000
Path = tuple[Step, ...]


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
        self.counts: dict[float, int] = {}
        self.n = 0

    def add(self, value: float) -> None:
        key = round(value, self.digits)
        self.counts[key] = self.counts.get(key, 0) + 1
        self.n += 1

    def merge(self, other: Histogram) -> None:
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
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


class PathStats:
    """What the customers of one path (or of a group of paths) did.

    One per distinct path, so it is small: slots, and the histogram and the
    drop-off counts only once a customer needs them.
    """

    __slots__ = ("cost", "costed", "customers", "days", "dropoff", "in_progress", "outcomes",
                 "purchased")  # fmt: skip

    def __init__(self) -> None:
        self.customers = 0
        self.purchased = 0
        self.days: Histogram | None = None  # first touch to first purchase
        self.dropoff: dict[str, int] | None = None  # stage -> lost or stalled there
        self.in_progress = 0  # not bought yet and still active
        self.outcomes: dict[str, int] = {}  # status -> customers
        self.cost = 0.0
        self.costed = 0  # customers whose journey carries a cost

    def add(self, status: str, stage: str | None, days: float | None, cost: float | None) -> None:
        self.customers += 1
        self.outcomes[status] = self.outcomes.get(status, 0) + 1
        if days is not None:
            self.purchased += 1
            if self.days is None:
                self.days = Histogram()
            self.days.add(days)
        elif status in ("lost", "stalled") and stage is not None:
            if self.dropoff is None:
                self.dropoff = {}
            self.dropoff[stage] = self.dropoff.get(stage, 0) + 1
        else:
            self.in_progress += 1
        if cost is not None:
            self.cost += cost
            self.costed += 1

    def merge(self, other: PathStats) -> None:
        self.customers += other.customers
        self.purchased += other.purchased
        if other.days is not None:
            if self.days is None:
                self.days = Histogram()
            self.days.merge(other.days)
        if other.dropoff:
            if self.dropoff is None:
                self.dropoff = {}
            for stage, n in other.dropoff.items():
                self.dropoff[stage] = self.dropoff.get(stage, 0) + n
        self.in_progress += other.in_progress
        for status, n in other.outcomes.items():
            self.outcomes[status] = self.outcomes.get(status, 0) + n
        self.cost += other.cost
        self.costed += other.costed


@dataclass
class Group:
    """Paths grouped around the most common one (``steps``); ``order``: when it started."""

    steps: Path
    stats: PathStats
    order: int
    variants: int = 1


StageKey = tuple[str, ...]
def stage_key(path: Path) -> StageKey:
    return tuple(stage for stage, _ in path)


def deletions(key: StageKey) -> set[StageKey]:
    """``key`` and every sequence one stage shorter (one step deleted)."""
    return {key, *((*key[:i], *key[i + 1 :]) for i in range(len(key)))}


def _stage_distance(a: StageKey, b: StageKey, limit: float) -> float:
    return path_distance(tuple((s, "") for s in a), tuple((s, "") for s in b), limit)


class Centres:
    """The groups started so far, found by stage sequence.

    A channel changed costs 0.5 and every other edit 1, so two paths within
    ``tolerance`` have stage sequences within ``floor(tolerance)`` whole edits:
    only groups under those stage sequences are compared step by step.
    """

    def __init__(self, tolerance: float) -> None:
        self.tolerance = tolerance
        self.radius = math.floor(tolerance)
        self.groups: list[Group] = []
        self.by_key: dict[StageKey, list[Group]] = {}
        # For one whole edit: two sequences are one insertion, deletion or substitution
        # apart only if one of each's deletions (itself included) are the same sequence.
        self.by_deletion: dict[StageKey, set[StageKey]] = {}

    def nearest(self, path: Path) -> Group | None:
        """The group of the nearest path within the tolerance (the earliest on a tie)."""
        best: Group | None = None
        best_distance = math.inf
        own = stage_key(path)
        for key in self._keys(own):
            # Same stages: only channels differ, and under a tolerance of 2 (what any
            # other alignment costs) the distance is 0.5 per differing channel.
            same = key == own and self.tolerance < 2
            for group in self.by_key[key]:
                if same:
                    pairs = zip(group.steps, path, strict=True)
                    distance = 0.5 * sum(x[1] != y[1] for x, y in pairs)
                else:
                    distance = path_distance(group.steps, path, self.tolerance)
                if distance <= self.tolerance and (
                    distance < best_distance
                    or (distance == best_distance and best is not None and group.order < best.order)
                ):
                    best, best_distance = group, distance
        return best

    def _keys(self, key: StageKey) -> list[StageKey]:
        if self.radius == 0:
            return [key] if key in self.by_key else []
        if self.radius == 1:
            found: set[StageKey] = set()
            for variant in deletions(key):
                found.update(self.by_deletion.get(variant, ()))
            return list(found)
        return [
            k
            for k in self.by_key
            if abs(len(k) - len(key)) <= self.radius
            and _stage_distance(k, key, self.radius) <= self.radius
        ]

    def start(self, path: Path, stats: PathStats) -> None:
        own = PathStats()
        own.merge(stats)
        group = Group(path, own, len(self.groups))
        self.groups.append(group)
        key = stage_key(path)
        if key not in self.by_key:
            self.by_key[key] = []
            for variant in deletions(key):
                self.by_deletion.setdefault(variant, set()).add(key)
        self.by_key[key].append(group)


def group_paths(
    paths: Mapping[Path, PathStats], tolerance: float, centre_limit: int = CENTRE_LIMIT
) -> tuple[list[Group], PathStats]:
    """The groups, largest first, and the paths left out (see the module docstring)."""
    centres = Centres(tolerance)
    rest = PathStats()
    for path, stats in sorted(paths.items(), key=lambda kv: (-kv[1].customers, kv[0])):
        best = centres.nearest(path)
        if best is not None:
            best.stats.merge(stats)
            best.variants += 1
        elif len(centres.groups) < centre_limit:
            centres.start(path, stats)
        else:
            rest.merge(stats)
    groups = sorted(centres.groups, key=lambda g: (-g.stats.customers, g.steps))
    return groups, rest
