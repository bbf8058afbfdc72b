"""Building one customer's journey from its touchpoints.

``build_journey`` sorts the touchpoints by (occurred_at, key), so the result
never depends on input order, then walks them once: each touchpoint is
classified with the context of the touchpoints strictly before it, and may move
the customer's stage. The stage only moves forward unless the mapping's
``allow_backwards`` setting or the winning rule's ``allow_backwards`` says
otherwise (the transition then records why); a purchase more than
``new_cycle_after_days`` after the previous purchase starts a new cycle and
brings the customer back to the purchase stage. Status and health come from
``health``.

Corrections made by people in SuiteCRM (``corrections``: touchpoint key → stage,
or ``not_a_touchpoint``) win over the rules: the touchpoint takes the corrected
stage (its classification keeps the rule and says what the rules gave), or is
left out of the journey. With a ``reviewer``, each touchpoint the rules decided
is also assessed for doubt, in its exact context.

Pure: ``now`` is passed in; no I/O, no clock.
"""

from __future__ import annotations

from collections import abc
from dataclasses import replace
from datetime import datetime, timedelta
from operator import attrgetter

from connector.journey.classify import classify_planned
from connector.journey.health import (
    RISK_SIGNALS,
    Evidence,
    days_between,
    health_score,
    journey_status,
)
from connector.journey.mapping import Mapping
from connector.journey.model import (
    NOT_A_TOUCHPOINT,
    PHASE_OF_STAGE,
    STAGE_RANK,
    STAGES,
    Classification,
    ClassifiedTouchpoint,
    Customer,
    Doubt,
    Journey,
    JourneyContext,
    StageSpan,
    Touchpoint,
    Transition,
)
from connector.journey.plan import Plan
from connector.journey.review import Reviewer

# The one order journeys use: time, then key for touchpoints at the same instant.
# attrgetter rather than a lambda: it runs in C, once per touchpoint.
touchpoint_order = attrgetter("occurred_at", "key")


def initial_context(customer: Customer | None) -> JourneyContext:
    """The context before a customer's first touchpoint (or for an orphan touchpoint)."""
    if customer is None:
        return JourneyContext()
    return JourneyContext(
        customer_kind=customer.kind,
        customer_type=customer.fields.get("account_type", ""),
        industry=customer.fields.get("industry", ""),
    )


_DAY = 86400.0
CORRECTION = "correction"  # the rule id transitions show when a correction moved the stage


def corrected(classification: Classification, stage: str) -> Classification:
    """``classification`` with the stage a person gave it in SuiteCRM (the rules' stage
    kept in ``corrected_from``; a correction equal to it still pins it)."""
    return replace(
        classification,
        stage=stage,
        phase=PHASE_OF_STAGE[stage],
        corrected_from=classification.stage,
    )


class _Walk:
    """The mutable state of one pass over a customer's touchpoints."""

    def __init__(
        self,
        customer: Customer,
        mapping: Mapping,
        corrections: abc.Mapping[str, str] | None = None,
        reviewer: Reviewer | None = None,
    ) -> None:
        self.mapping = mapping
        self.corrections = corrections or {}
        self.reviewer = reviewer
        self.excluded: list[ClassifiedTouchpoint] = []
        self.doubts: list[Doubt] = []
        self.settings = mapping.settings
        self.closed = mapping.closed_sales_stages
        self.backwards_rules = mapping.backwards_rule_ids
        self.cycle_gap = timedelta(days=self.settings.new_cycle_after_days)
        self.dirty = False  # the context no longer describes the journey so far
        self.context = initial_context(customer)
        self.stage: str | None = None
        self.since: datetime | None = None
        self.cycle = 1
        self.last_purchase: datetime | None = None
        self.open_opportunities: set[str] = set()
        self.entered: dict[str, datetime] = {}
        self.left: dict[str, datetime] = {}
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.transitions: list[Transition] = []
        self.classified: list[ClassifiedTouchpoint] = []
        self.cases: dict[str, tuple[str, ...]] = {}
        self.renewal: datetime | None = None
        self.cancellation: datetime | None = None
        self.risk: tuple[datetime, str, str] | None = None
        self.plans: dict[str, Plan] = {}  # per module, for the current context

    def step(self, touchpoint: Touchpoint) -> None:
        module = touchpoint.module
        plan = self.plans.get(module)
        if plan is None:
            plan = self.plans[module] = self.mapping.plan(module, self.context)
        classification = classify_planned(touchpoint, self.context, self.mapping, plan)
        correction = self.corrections.get(touchpoint.key) if self.corrections else None
        if correction is not None:
            if correction == NOT_A_TOUCHPOINT:
                self.excluded.append(
                    ClassifiedTouchpoint(
                        touchpoint, classification, self.stage or classification.stage, self.cycle
                    )
                )
                return
            classification = corrected(classification, correction)
        elif self.reviewer is not None:
            doubt = self.reviewer.assess(touchpoint, self.context, classification)
            if doubt is not None:
                self.doubts.append(doubt)
        target = classification.stage
        if target != self.stage or target == "purchase":
            self._advance(touchpoint, classification)
        if module == "Opportunities":
            self._track_opportunity(touchpoint)
        if classification.signals:
            self._track_signals(touchpoint, classification.signals)
        self.classified.append(
            ClassifiedTouchpoint(touchpoint, classification, self.stage or target, self.cycle)
        )
        if self.dirty:
            self._refresh_context()

    def _refresh_context(self) -> None:
        context = self.context
        self.dirty = False
        self.plans = {}
        self.context = JourneyContext(
            stage=self.stage,
            purchased=self.last_purchase is not None,
            open_opportunity=bool(self.open_opportunities),
            customer_kind=context.customer_kind,
            customer_type=context.customer_type,
            industry=context.industry,
            cycle=self.cycle,
        )

    def _advance(self, touchpoint: Touchpoint, classification: Classification) -> None:
        target = classification.stage
        at = touchpoint.occurred_at
        current = self.stage
        rule_id = CORRECTION if classification.corrected_from else classification.rule_id
        if target == "purchase":
            previous = self.last_purchase
            self.last_purchase = at
            self.dirty = self.dirty or previous is None
            if previous is not None and at - previous > self.cycle_gap:
                self.cycle += 1
                reason = (
                    f"a new purchase {days_between(previous, at):.0f} days after the "
                    f"previous one starts cycle {self.cycle}"
                )
                self._move(target, touchpoint, rule_id, reason)
                return
        if current is None:
            self._move(target, touchpoint, rule_id, "first touchpoint of the journey")
        elif STAGE_RANK[target] > STAGE_RANK[current]:
            self._move(target, touchpoint, rule_id, _gives(classification))
        elif STAGE_RANK[target] < STAGE_RANK[current]:
            self._maybe_back(target, touchpoint, rule_id)

    def _maybe_back(self, target: str, touchpoint: Touchpoint, rule_id: str) -> None:
        if rule_id in self.backwards_rules:
            self._move(
                target, touchpoint, rule_id, f"moved back: rule {rule_id} sets allow_backwards"
            )
        elif self.settings.allow_backwards:
            self._move(target, touchpoint, rule_id, "moved back: the mapping sets allow_backwards")

    def _move(self, target: str, touchpoint: Touchpoint, rule_id: str, reason: str) -> None:
        at = touchpoint.occurred_at
        if self.stage is not None and self.since is not None:
            self.seconds[self.stage] += max(0.0, (at - self.since).total_seconds())
            self.left[self.stage] = at
        self.entered.setdefault(target, at)
        self.left.pop(target, None)
        self.transitions.append(
            Transition(self.stage, target, at, touchpoint.key, rule_id, reason, self.cycle)
        )
        self.stage = target
        self.since = at
        self.dirty = True

    def _track_opportunity(self, touchpoint: Touchpoint) -> None:
        was_open = bool(self.open_opportunities)
        if touchpoint.fields.get("sales_stage", "").lower() in self.closed:
            self.open_opportunities.discard(touchpoint.key)
        else:
            self.open_opportunities.add(touchpoint.key)
        if was_open is not bool(self.open_opportunities):
            self.dirty = True

    def _track_signals(self, touchpoint: Touchpoint, signals: tuple[str, ...]) -> None:
        at = touchpoint.occurred_at
        if any(s.startswith("case_") for s in signals):
            self.cases[touchpoint.key] = signals
        if "renewal" in signals:
            self.renewal = at
        if "cancellation" in signals:
            self.cancellation = at
        risky = [s for s in signals if s in RISK_SIGNALS]
        if risky and self.last_purchase is not None:
            self.risk = (at, touchpoint.key, risky[0])

    def evidence(self, customer_signals: tuple[str, ...]) -> Evidence:
        cases = self.cases
        return Evidence(
            times=tuple([c.touchpoint.occurred_at for c in self.classified]),
            last_key=self.classified[-1].touchpoint.key if self.classified else None,
            last_signals=customer_signals,
            purchased=self.last_purchase is not None,
            open_cases=sum(1 for s in cases.values() if "case_open" in s),
            high_priority_cases=tuple(k for k, s in cases.items() if "case_high_priority" in s),
            reopened_cases=tuple(k for k, s in cases.items() if "case_reopened" in s),
            closed_cases=sum(1 for s in cases.values() if "case_closed" in s),
            last_renewal=self.renewal,
            last_cancellation=self.cancellation,
            last_risk=self.risk,
        )

    def spans(self, now: datetime) -> tuple[StageSpan, ...]:
        seconds = dict(self.seconds)
        if self.stage is not None and self.since is not None:
            seconds[self.stage] += max(0.0, (now - self.since).total_seconds())
        entered = self.entered
        left = self.left
        return tuple(
            [
                StageSpan(
                    stage, entered.get(stage), left.get(stage), round(seconds[stage] / _DAY, 3)
                )
                for stage in STAGES
            ]
        )


def _gives(classification: Classification) -> str:
    if classification.corrected_from:
        return (
            f"a correction made in SuiteCRM gives stage {classification.stage} "
            f"(rule {classification.rule_id} gave {classification.corrected_from})"
        )
    return f"rule {classification.rule_id} gives stage {classification.stage}"


def build_journey(
    customer: Customer,
    touchpoints: abc.Iterable[Touchpoint],
    mapping: Mapping,
    now: datetime,
    *,
    corrections: abc.Mapping[str, str] | None = None,
    reviewer: Reviewer | None = None,
) -> Journey:
    """The journey of ``customer`` at ``now`` from its touchpoints, in any order.

    ``corrections`` (touchpoint key → stage or ``not_a_touchpoint``) win over the
    rules; a ``reviewer`` lists the doubtful classifications in ``Journey.doubts``."""
    walk = _Walk(customer, mapping, corrections, reviewer)
    for touchpoint in sorted(touchpoints, key=touchpoint_order):
        walk.step(touchpoint)
    classified = walk.classified
    last = classified[-1] if classified else None
    evidence = walk.evidence(last.classification.signals if last else ())
    status, reason = journey_status(evidence, mapping.settings, now)
    return Journey(
        customer_key=customer.key,
        customer_kind=customer.kind,
        customer_name=customer.name,
        now=now,
        touchpoints=tuple(classified),
        current_stage=walk.stage,
        stages=walk.spans(now),
        transitions=tuple(walk.transitions),
        status=status,
        status_reason=reason,
        health=health_score(evidence, mapping.settings, now),
        days_in_stage=round(days_between(walk.since, now), 3) if walk.since else 0.0,
        first_touch=classified[0].touchpoint.occurred_at if classified else None,
        last_touch=last.touchpoint.occurred_at if last else None,
        last_channel=last.classification.channel if last else None,
        touchpoint_count=len(classified),
        cycle=walk.cycle,
        excluded=tuple(walk.excluded),
        doubts=tuple(walk.doubts),
    )


def context_at(
    customer: Customer | None,
    touchpoints: abc.Iterable[Touchpoint],
    mapping: Mapping,
    key: str,
    corrections: abc.Mapping[str, str] | None = None,
) -> JourneyContext:
    """The context a touchpoint (by key) is classified with: its customer's journey before it.

    For ``mappings explain``: pass the customer's touchpoints (the one named by
    ``key`` among them); an orphan (``customer`` None) gets the empty context.
    """
    if customer is None:
        return JourneyContext()
    walk = _Walk(customer, mapping, corrections)
    for touchpoint in sorted(touchpoints, key=touchpoint_order):
        if touchpoint.key == key:
            break
        walk.step(touchpoint)
    return walk.context
