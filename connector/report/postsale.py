"""After the sale: health scores, the customers at risk, and the pain points.

- Health: the scores of the customers that reached purchase, in ten buckets
  (0-9, 10-19, ..., 90-100) with median and 90th percentile.
- At risk: customers with status ``at_risk``, lowest health first (then name),
  each with a link to its record in SuiteCRM; the ``limit`` worst are kept (the
  list is cut back whenever it doubles), the total is counted.
- Pain points: touchpoints carrying the signals of ``PAIN_SIGNALS`` (open cases,
  high-priority cases, complaints, cancellations), per touchpoint stage and per
  channel; ``any`` counts touchpoints with at least one of them. Long waits come
  from ``timing``.

Counters, at most about ``2 x limit`` at-risk entries and one int per purchasing customer. Pure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from connector.journey.model import CHANNELS, STAGES
from connector.report.facts import Facts
from connector.report.figures import AtRiskCustomer, LongWait, PostSale
from connector.report.links import record_url
from connector.report.stats import spread

PAIN_SIGNALS: tuple[str, ...] = ("case_open", "case_high_priority", "complaint", "cancellation")
ANY = "any"
BUCKETS = 10


def health_bucket(score: int) -> int:
    return min(BUCKETS - 1, max(0, score) // 10)


def _pain_table(
    counts: dict[str, Counter[str]], rows: tuple[str, ...]
) -> dict[str, dict[str, int]]:
    names = (*rows, *sorted(k for k in counts if k not in rows))
    return {r: {s: counts[r][s] for s in (*PAIN_SIGNALS, ANY)} for r in names if r in counts}


def _lowest(entries: list[AtRiskCustomer], limit: int) -> list[AtRiskCustomer]:
    return sorted(entries, key=lambda e: (e.health, e.name, e.key))[:limit]


@dataclass
class PostSaleTally:
    crm_url: str | None
    limit: int
    scores: list[float] = field(default_factory=list)
    buckets: list[int] = field(default_factory=lambda: [0] * BUCKETS)
    at_risk_total: int = 0
    worst: list[AtRiskCustomer] = field(default_factory=list)
    by_stage: dict[str, Counter[str]] = field(
        default_factory=lambda: {s: Counter() for s in STAGES}
    )
    by_channel: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, facts: Facts) -> None:
        if facts.entered["purchase"] is not None:
            self.scores.append(float(facts.health))
            self.buckets[health_bucket(facts.health)] += 1
        if facts.status == "at_risk":
            self._at_risk(facts)
        for touch in facts.touches:
            pains = [s for s in PAIN_SIGNALS if s in touch.signals]
            if not pains:
                continue
            stage_counts = self.by_stage.setdefault(touch.stage, Counter())
            channel_counts = self.by_channel.setdefault(touch.channel, Counter())
            for counts in (stage_counts, channel_counts):
                counts.update(pains)
                counts[ANY] += 1

    def _at_risk(self, facts: Facts) -> None:
        self.at_risk_total += 1
        entry = AtRiskCustomer(
            key=facts.key,
            name=facts.name,
            kind=facts.kind,
            stage=facts.current_stage or "",
            health=facts.health,
            reason=facts.reason,
            last_touch=facts.last_touch,
            url=record_url(self.crm_url, facts.key),
        )
        self.worst.append(entry)
        if len(self.worst) >= 2 * self.limit + 64:
            self.worst = _lowest(self.worst, self.limit)  # amortised: memory stays bounded

    def result(self, long_waits: tuple[LongWait, ...]) -> PostSale:
        kept = _lowest(self.worst, self.limit)
        return PostSale(
            customers=len(self.scores),
            health=spread(self.scores, 1),
            health_buckets=tuple(self.buckets),
            at_risk_total=self.at_risk_total,
            at_risk=tuple(kept),
            pain_by_stage=_pain_table(self.by_stage, STAGES),
            pain_by_channel=_pain_table(self.by_channel, CHANNELS),
            long_waits=long_waits,
        )
