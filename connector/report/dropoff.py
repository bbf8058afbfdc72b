"""Where journeys end: status by current stage, how long the stalled have been
silent, and the stage-to-stage moves that make the process map.

- ``status_by_stage``: every customer with touchpoints, by its current stage and
  status (active, won, lost, stalled, at_risk). Lost customers sit in the stage
  where they were lost; stalled ones where they stopped.
- ``stalled_days``: for stalled customers, the days from the last touch to the
  report's ``now``, in the buckets of ``STALLED_BUCKETS``, per stage, and the
  median per stage.
- ``transitions``: counts of every move (``start`` → first stage, then stage →
  stage, moves back and new purchase cycles included).

Counters, and one float per stalled customer. Pure; ``now`` is passed in.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from connector.journey.model import STAGE_RANK, STAGES, STATUSES
from connector.report.facts import Facts
from connector.report.figures import DropOff, Transition
from connector.report.stats import spread

STALLED_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under 90 days", 90.0),
    ("90-179 days", 180.0),
    ("180-364 days", 365.0),
    ("365 days or more", float("inf")),
)
START = "start"


def stalled_bucket(days: float) -> str:
    return next(name for name, below in STALLED_BUCKETS if days < below)


@dataclass
class DropOffTally:
    now: datetime
    status: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in STAGES})
    stalled: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in STAGES})
    stalled_days: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STAGES})
    moves: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, facts: Facts) -> None:
        stage = facts.current_stage
        if stage is None:
            return
        self.status[stage][facts.status] += 1
        if facts.status == "stalled" and facts.last_touch is not None:
            days = max(0.0, (self.now - facts.last_touch).total_seconds() / 86400.0)
            self.stalled[stage][stalled_bucket(days)] += 1
            self.stalled_days[stage].append(days)
        for move in facts.moves:
            self.moves[(move.from_stage or START, move.to_stage)] += 1

    def result(self) -> DropOff:
        order = {START: -1, **STAGE_RANK}
        moves = sorted(self.moves.items(), key=lambda kv: (order[kv[0][0]], order[kv[0][1]]))
        return DropOff(
            status_by_stage={s: {k: self.status[s][k] for k in STATUSES} for s in STAGES},
            stalled_days={
                s: {name: self.stalled[s][name] for name, _ in STALLED_BUCKETS} for s in STAGES
            },
            stalled_median_days={s: spread(self.stalled_days[s], 1).median for s in STAGES},
            transitions=tuple(Transition(a, b, n) for (a, b), n in moves),
        )
