"""Building one customer's journey from its touchpoints, as a salesperson reads time.

``build_journey`` sorts the touchpoints by (occurred_at, key), so the result
never depends on input order, and splits them at ``now``: what is dated later
(a planned call or meeting) is *upcoming*, shown but never counted. It walks the
others once: each touchpoint is classified with the context of the touchpoints
strictly before it. A touchpoint whose winning rule says ``contact: false`` (a
call not held, an e-mail never sent, the creation of the Account record) is kept
aside: it moves no stage, resets no clock and is no evidence for the status.
Every other touchpoint may move the customer's stage. The stage only moves
forward unless the mapping's ``allow_backwards`` setting or the winning rule's
``allow_backwards`` says otherwise (the transition then records why); a purchase
more than ``new_cycle_after_days`` after the previous purchase starts a new
cycle and brings the customer back to the purchase stage. Each stay in a stage
is a ``StageVisit`` of its cycle, with days that match its dates. Status and
health come from ``health``;
the persona, the cost to serve and the won revenue from ``persona`` and ``cost``.

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
from datetime import UTC, date, datetime, timedelta
from operator import attrgetter

from connector.journey.classify import classify_planned, classify_upcoming
from connector.journey.cost import cost_to_serve, won_revenue
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
    StageVisit,
    Touchpoint,
    Transition,
)
from connector.journey.persona import assign_persona, customer_profile
from connector.journey.plan import RulePlan
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


def expected_close(touchpoint: Touchpoint) -> datetime | None:
    """An opportunity's expected close date (``date_closed``), end of that day, UTC."""
    text = touchpoint.fields.get("date_closed", "")[:10]
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)


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
        self.not_contact_rules = mapping.not_contact_rule_ids
        self.cycle_gap = timedelta(days=self.settings.new_cycle_after_days)
        self.window = timedelta(days=self.settings.purchase_window_days)
        self.dirty = False  # the context no longer describes the journey so far
        self.context = initial_context(customer)
        self.stage: str | None = None
        self.since: datetime | None = None
        self.cycle = 1
        self.last_purchase: datetime | None = None
        self.cycle_purchase: datetime | None = None  # the purchase that opened the cycle
        self.in_window = False
        self.visit_cycle = 1
        self.visits: list[StageVisit] = []
        self.set_aside: list[ClassifiedTouchpoint] = []
        self.open_opportunities: dict[str, datetime | None] = {}  # key → expected close
        self.entered: dict[str, datetime] = {}
        self.left: dict[str, datetime] = {}
        self.seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
        self.transitions: list[Transition] = []
        self.classified: list[ClassifiedTouchpoint] = []
        self.cases: dict[str, tuple[str, ...]] = {}
        self.renewal: datetime | None = None
        self.cancellation: datetime | None = None
        self.risk: tuple[datetime, str, str] | None = None
        self.plans: dict[str, RulePlan] = {}  # per module, for the current context

    def step(self, touchpoint: Touchpoint) -> None:
        module = touchpoint.module
        if self.cycle_purchase is not None:
            within = self.within_window(touchpoint.occurred_at)
            if within is not self.in_window:
                self.in_window = within
                self._refresh_context()
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
            # A person's stage wins over the rules, a ``contact: false`` rule included.
            classification = corrected(classification, correction)
        elif classification.rule_id in self.not_contact_rules:
            self.set_aside.append(
                ClassifiedTouchpoint(
                    touchpoint, classification, self.stage or classification.stage, self.cycle
                )
            )
            return
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
            purchase_window=self.in_window,
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
            if previous is None:
                self.cycle_purchase = at
                self.in_window = True
                self.dirty = True
            if previous is not None and at - previous > self.cycle_gap:
                self.cycle_purchase = at
                self.in_window = True
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
            self.visits.append(
                StageVisit(
                    self.stage,
                    self.visit_cycle,
                    self.since,
                    at,
                    round(days_between(self.since, at), 3),
                )
            )
        self.entered.setdefault(target, at)
        self.left.pop(target, None)
        self.transitions.append(
            Transition(self.stage, target, at, touchpoint.key, rule_id, reason, self.cycle)
        )
        self.stage = target
        self.since = at
        self.visit_cycle = self.cycle
        self.dirty = True

    def _track_opportunity(self, touchpoint: Touchpoint) -> None:
        was_open = bool(self.open_opportunities)
        if touchpoint.fields.get("sales_stage", "").lower() in self.closed:
            self.open_opportunities.pop(touchpoint.key, None)
        else:
            self.open_opportunities[touchpoint.key] = expected_close(touchpoint)
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
        overdue = sorted(
            ((when, key) for key, when in self.open_opportunities.items() if when is not None),
        )
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
            stage=self.stage,
            open_opportunities=tuple((key, when) for when, key in overdue),
        )

    def all_visits(self, now: datetime) -> tuple[StageVisit, ...]:
        visits = list(self.visits)
        if self.stage is not None and self.since is not None:
            visits.append(
                StageVisit(
                    self.stage,
                    self.visit_cycle,
                    self.since,
                    None,
                    round(days_between(self.since, now), 3),
                )
            )
        return tuple(visits)

    def within_window(self, at: datetime) -> bool:
        """Whether ``at`` falls in the purchase window of the current cycle."""
        return self.cycle_purchase is not None and at - self.cycle_purchase <= self.window

    def context_for(self, touchpoint: Touchpoint) -> JourneyContext:
        """The context ``touchpoint`` is classified with, after the touchpoints walked so far."""
        context = self.context
        within = self.within_window(touchpoint.occurred_at)
        return (
            context
            if within is context.purchase_window
            else replace(context, purchase_window=within)
        )

    def upcoming(self, touchpoints: abc.Sequence[Touchpoint]) -> list[ClassifiedTouchpoint]:
        """Planned touchpoints, classified in the journey's final context as if they happen."""
        found = []
        for touchpoint in touchpoints:
            context = self.context_for(touchpoint)
            classification = classify_upcoming(touchpoint, context, self.mapping)
            found.append(
                ClassifiedTouchpoint(
                    touchpoint, classification, self.stage or classification.stage, self.cycle
                )
            )
        return found

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
    ordered = sorted(touchpoints, key=touchpoint_order)
    split = len(ordered)
    while split and ordered[split - 1].occurred_at > now:
        split -= 1
    for touchpoint in ordered[:split]:
        walk.step(touchpoint)
    classified = walk.classified
    last = classified[-1] if classified else None
    evidence = walk.evidence(last.classification.signals if last else ())
    status, reason = journey_status(evidence, mapping.settings, now)
    profile = customer_profile(customer, [c.touchpoint for c in classified])
    persona = assign_persona(mapping.personas, profile, customer.name)
    bought = next((t.touchpoint_key for t in walk.transitions if t.to_stage == "purchase"), None)
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
        visits=walk.all_visits(now),
        upcoming=tuple(walk.upcoming(ordered[split:])),
        not_contact=tuple(walk.set_aside),
        persona=persona.id,
        persona_label=persona.label,
        cost=cost_to_serve(classified, mapping.costs, bought),
        revenue=won_revenue(classified),
        excluded=tuple(walk.excluded),
        doubts=tuple(walk.doubts),
    )


def context_at(
    customer: Customer | None,
    touchpoints: abc.Iterable[Touchpoint],
    mapping: Mapping,
    key: str,
    now: datetime | None = None,
    corrections: abc.Mapping[str, str] | None = None,
) -> JourneyContext:
    """The context a touchpoint (by key) is classified with: its customer's journey before it.

    For ``mappings explain``: pass the customer's touchpoints (the one named by
    ``key`` among them); an orphan (``customer`` None) gets the empty context.
    With ``now``, touchpoints dated after it (upcoming) are not part of the journey.
    """
    if customer is None:
        return JourneyContext()
    walk = _Walk(customer, mapping, corrections)
    target: Touchpoint | None = None
    for touchpoint in sorted(touchpoints, key=touchpoint_order):
        if touchpoint.key == key:
            target = touchpoint
            break
        if now is None or touchpoint.occurred_at <= now:
            walk.step(touchpoint)
    return walk.context if target is None else walk.context_for(target)
