"""The review queue: classifications the engine is unsure of, most influential first.

Every customer's journey is rebuilt from the state database as ``classify``
builds it (corrections applied), with a detailed ``Reviewer``; each doubt is
weighed by ``influence``: the journey rebuilt with the doubt gone the other way
(without the touchpoint, or with the rival rule's stage). Doubts that change the
customer's current stage come first, then those that change its status, then
those that moved a stage, then the rest, newest first within each. Touchpoints a
person already corrected are never listed. Reads only; writes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connector.journey import (
    Customer,
    Doubt,
    Influence,
    Journey,
    Mapping,
    Reviewer,
    Touchpoint,
    build_journey,
    influence,
)
from connector.store.database import StateDB
from connector.sync.classify import iter_customers


@dataclass(frozen=True)
class ReviewItem:
    """One doubtful classification, its customer, and what it can change."""

    doubt: Doubt
    touchpoint: Touchpoint
    customer: Customer
    current_stage: str | None
    status: str
    weight: Influence

    def as_dict(self) -> dict[str, Any]:
        tp = self.touchpoint
        w = self.weight
        return {
            "customer_key": self.customer.key,
            "customer_name": self.customer.name,
            "current_stage": self.current_stage,
            "status": self.status,
            "touchpoint_key": tp.key,
            "module": tp.module,
            "subject": tp.subject,
            "occurred_at": tp.occurred_at.isoformat().replace("+00:00", "Z"),
            "stage": self.doubt.stage,
            "rule_id": self.doubt.rule_id,
            "reason": self.doubt.reason,
            "reasons": list(self.doubt.reasons),
            "evidence": list(self.doubt.evidence),
            "rivals": [{"rule_id": r, "stage": s} for r, s in self.doubt.rivals],
            "influence": {
                "rank": w.rank,
                "changes_stage": w.changes_stage,
                "stage_after": w.stage_after,
                "changes_status": w.changes_status,
                "status_after": w.status_after,
                "moved_stage": w.moved_stage,
            },
        }


@dataclass
class ReviewQueue:
    """The doubts found, sorted, with counts."""

    items: list[ReviewItem] = field(default_factory=list)
    customers: int = 0
    touchpoints: int = 0

    @property
    def by_reason(self) -> dict[str, int]:
        return dict(Counter(item.doubt.reason for item in self.items))

    @property
    def by_rank(self) -> dict[int, int]:
        return dict(Counter(item.weight.rank for item in self.items))


def _items(
    journey: Journey,
    customer: Customer,
    touchpoints: Sequence[Touchpoint],
    mapping: Mapping,
    now: datetime,
    corrections: dict[str, str],
    reasons: frozenset[str] | None,
) -> Iterable[ReviewItem]:
    by_key = {tp.key: tp for tp in touchpoints}
    for doubt in journey.doubts:
        if reasons is not None and not reasons.intersection(doubt.reasons):
            continue
        weight = influence(doubt, journey, customer, touchpoints, mapping, now, corrections)
        yield ReviewItem(
            doubt,
            by_key[doubt.touchpoint_key],
            customer,
            journey.current_stage,
            journey.status,
            weight,
        )


def review_queue(
    db: StateDB,
    mapping: Mapping,
    now: datetime,
    *,
    customers: Sequence[str] | None = None,
    reasons: Iterable[str] | None = None,
) -> ReviewQueue:
    """Every doubtful classification (of ``customers``, or all), most influential first;
    ``reasons`` keeps the doubts with one of those reasons."""
    wanted = frozenset(reasons) if reasons else None
    reviewer = Reviewer(mapping)
    queue = ReviewQueue()
    for customer, touchpoints, corrections in iter_customers(db, customers):
        journey = build_journey(
            customer, touchpoints, mapping, now, corrections=corrections, reviewer=reviewer
        )
        queue.customers += 1
        queue.touchpoints += journey.touchpoint_count
        queue.items.extend(
            _items(journey, customer, touchpoints, mapping, now, corrections, wanted)
        )
    queue.items.sort(
        key=lambda i: (i.weight.rank, -i.touchpoint.occurred_at.timestamp(), i.touchpoint.key)
    )
    return queue
