"""Time in each stage, and the customers waiting longer than usual.

A *completed* stay is a stage the customer has left (``left_at`` set): its days
are final. An *ongoing* stay is the customer's current stage, measured up to the
time the journey was built; journeys that ended lost are left out of it, since
nobody is waiting there any more. Medians and 90th percentiles are over the
customers, one value per customer and stage (a stage visited twice adds up).

A *long wait* is an ongoing stay longer than the 90th percentile of the completed
stays of the same stage: the customers stuck where others have moved on.

Keeps one float per customer and stage: fine up to ~100,000 customers (a few
MB). Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connector.journey.model import STAGES
from connector.report.facts import Facts
from connector.report.figures import LongWait, StageTime
from connector.report.stats import spread


@dataclass
class TimeTally:
    completed: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STAGES})
    ongoing: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STAGES})

    def add(self, facts: Facts) -> None:
        for stage in STAGES:
            if facts.entered[stage] is None:
                continue
            if facts.left[stage] is not None and stage != facts.current_stage:
                self.completed[stage].append(facts.days[stage])
            elif stage == facts.current_stage and facts.status != "lost":
                self.ongoing[stage].append(facts.days[stage])

    def stage_times(self) -> tuple[StageTime, ...]:
        return tuple(
            StageTime(stage, spread(self.completed[stage]), spread(self.ongoing[stage]))
            for stage in STAGES
        )

    def long_waits(self, times: tuple[StageTime, ...]) -> tuple[LongWait, ...]:
        waits = []
        for item in times:
            threshold = item.completed.p90
            count = 0
            if threshold is not None:
                count = sum(1 for days in self.ongoing[item.stage] if days > threshold)
            waits.append(LongWait(item.stage, threshold, count))
        return tuple(waits)
