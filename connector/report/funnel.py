"""The funnel, the time to purchase and the common paths of a group of customers.

One ``SegmentTally`` per group (all customers, and each value of each segment
field) takes journeys one at a time and keeps counters only, plus one float per
purchasing customer for the time to purchase.

- Funnel: a customer *reached* a stage when it entered that stage or any later
  one (a customer can skip a stage, e.g. buy straight after a campaign), so the
  counts never grow down the funnel; *entered* counts the stage itself.
  Conversion from a stage = reached the next / reached this one. Customers of
  kind "lead" (prospects that never converted) count like any other: their
  first touchpoint puts them in awareness.
- Time to purchase: days from the first touch to the first entry into purchase.
- Stage path: the stages in the order the customer entered them (a move back,
  or a new purchase cycle, shows as a repeated stage), at most ``MAX_STEPS``.
- Channel path: the channel of the touchpoint that moved the customer into each
  of those stages, so the first step is the first touch's channel.

Memory: counters bounded by the number of distinct paths, and a list of floats
per group (a few MB at 100,000 customers). Pure; no I/O.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from connector.journey.model import STAGE_RANK, STAGES
from connector.report.facts import Facts
from connector.report.figures import Funnel, PathCount, SegmentFigures, StageFunnel
from connector.report.stats import spread

MAX_STEPS = 8
MORE = "…"
PURCHASE = STAGE_RANK["purchase"]


def days_to_purchase(facts: Facts) -> float | None:
    """Days from the first touch to the first purchase; None without a purchase."""
    bought = facts.entered["purchase"]
    if bought is None or facts.first_touch is None:
        return None
    return max(0.0, (bought - facts.first_touch).total_seconds() / 86400.0)


def _capped(steps: list[str]) -> tuple[str, ...]:
    if len(steps) > MAX_STEPS:
        return (*steps[:MAX_STEPS], MORE)
    return tuple(steps)


def paths_of(facts: Facts) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The stage path and the channel path of one journey (see the module docstring)."""
    channel_of = {t.key: t.channel for t in facts.touches}
    stages: list[str] = []
    channels: list[str] = []
    for move in facts.moves:
        if stages and stages[-1] == move.to_stage:
            continue
        stages.append(move.to_stage)
        channels.append(channel_of.get(move.touchpoint_key, "other"))
    return _capped(stages), _capped(channels)


@dataclass
class SegmentTally:
    customers: int = 0
    reached: list[int] = field(default_factory=lambda: [0] * len(STAGES))
    entered: list[int] = field(default_factory=lambda: [0] * len(STAGES))
    purchase_days: list[float] = field(default_factory=list)
    stage_paths: Counter[tuple[str, ...]] = field(default_factory=Counter)
    channel_paths: Counter[tuple[str, ...]] = field(default_factory=Counter)
    outcomes: dict[tuple[str, ...], Counter[str]] = field(default_factory=dict)
    channel_outcomes: dict[tuple[str, ...], Counter[str]] = field(default_factory=dict)

    def add(self, facts: Facts) -> None:
        if facts.reached < 0:
            return
        self.customers += 1
        for rank in range(facts.reached + 1):
            self.reached[rank] += 1
        for rank, stage in enumerate(STAGES):
            if facts.entered[stage] is not None:
                self.entered[rank] += 1
        days = days_to_purchase(facts)
        if days is not None:
            self.purchase_days.append(days)
        stage_path, channel_path = paths_of(facts)
        self.stage_paths[stage_path] += 1
        self.outcomes.setdefault(stage_path, Counter())[facts.status] += 1
        self.channel_paths[channel_path] += 1
        self.channel_outcomes.setdefault(channel_path, Counter())[facts.status] += 1

    def merge(self, other: SegmentTally) -> None:
        self.customers += other.customers
        self.reached = [a + b for a, b in zip(self.reached, other.reached, strict=True)]
        self.entered = [a + b for a, b in zip(self.entered, other.entered, strict=True)]
        self.purchase_days.extend(other.purchase_days)
        self.stage_paths.update(other.stage_paths)
        self.channel_paths.update(other.channel_paths)
        for path, counts in other.outcomes.items():
            self.outcomes.setdefault(path, Counter()).update(counts)
        for path, counts in other.channel_outcomes.items():
            self.channel_outcomes.setdefault(path, Counter()).update(counts)

    def funnel(self) -> Funnel:
        rows = []
        for rank, stage in enumerate(STAGES):
            following = self.reached[rank + 1] if rank + 1 < len(STAGES) else None
            here = self.reached[rank]
            conversion = None if following is None or not here else round(following / here, 4)
            rows.append(StageFunnel(stage, here, self.entered[rank], conversion))
        top = self.reached[0]
        rate = round(self.reached[PURCHASE] / top, 4) if top else None
        return Funnel(self.customers, tuple(rows), rate)

    def figures(self, path_limit: int) -> SegmentFigures:
        return SegmentFigures(
            funnel=self.funnel(),
            to_purchase=spread(self.purchase_days),
            stage_paths=_top(self.stage_paths, self.outcomes, path_limit),
            channel_paths=_top(self.channel_paths, self.channel_outcomes, path_limit),
        )


def _top(
    paths: Counter[tuple[str, ...]],
    outcomes: dict[tuple[str, ...], Counter[str]],
    limit: int,
) -> tuple[PathCount, ...]:
    ranked = sorted(paths.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return tuple(
        PathCount(steps, count, dict(sorted(outcomes.get(steps, Counter()).items())))
        for steps, count in ranked
    )
