"""Doubtful classifications: which touchpoints a person should look at, and why.

A classification is doubtful when

* ``fallback``: no specific rule matched; the mapping's default decided, or a
  module's catch-all (a rule with no condition on the record) that comes after
  rules for the same module that look for keywords in the text ("any other
  call": the text said nothing the rules recognise). A catch-all after rules on
  fields only (status, sales stage) is the module's plain case, not a guess;
* ``keyword``: the winning rule's only evidence on the record is a keyword found
  in its text ("demo" in a subject can be a demo, or a call to cancel one);
* ``conflict``: another rule for the module that looks at the record matched
  too and gives a different stage (the winner only won by coming first). A
  catch-all matching too says nothing, and neither does a rule the winner
  refines (the same conditions on the record, plus a journey condition, as a
  lost opportunity after a purchase refines a lost opportunity).

``Reviewer.assess`` answers for one touchpoint in its journey context; the
builder calls it as it walks (``build_journey(..., reviewer=...)``), so the
context is exact. Rules before the winner are not tried again (they failed,
which is why the winner won); rules after it are, when they could give another
stage. ``influence`` measures what a doubt can change: the customer's journey
rebuilt without the touchpoint (or, for a conflict, with the rival's stage).

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections import abc
from dataclasses import dataclass
from datetime import datetime

from connector.journey.conditions import HasKeyword, RuleCondition, TouchpointView
from connector.journey.mapping import Mapping
from connector.journey.model import (
    NOT_A_TOUCHPOINT,
    Classification,
    Customer,
    Doubt,
    Journey,
    JourneyContext,
    Touchpoint,
)
from connector.journey.plan import Candidate
from connector.journey.rule import CURRENT, Rule


def record_conditions(rule: Rule) -> tuple[RuleCondition, ...]:
    """The rule's conditions on the record (its journey conditions left out)."""
    return tuple(c for c in rule.conditions if not c.journey)


def reads_keywords(rule: Rule) -> bool:
    """Whether the rule looks for keywords in the record's text."""
    return any(isinstance(c, HasKeyword) for c in record_conditions(rule))


def refines(winner: Rule, rival: Rule) -> bool:
    """Whether ``winner`` holding on the record guarantees that ``rival`` does."""
    conditions = record_conditions(winner)
    return all(c.implied_by_all(conditions) for c in record_conditions(rival))


def keyword_only(rule: Rule) -> bool:
    """Whether the rule's only evidence on the record is keywords in its text."""
    conditions = record_conditions(rule)
    return bool(conditions) and all(isinstance(c, HasKeyword) for c in conditions)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the reviewer precomputes for one module: candidate order and catch-alls."""

    candidates: tuple[Candidate, ...]
    position: abc.Mapping[str, int]  # rule id → index in candidates
    fallbacks: frozenset[str]  # rule ids that decide only when nothing specific did
    keyword_rules: frozenset[str]
    # Rules that can be rivals: they look at the record (a catch-all matching too
    # says nothing), in candidate order.
    specific: frozenset[str]


class Reviewer:
    """Tells, for each classified touchpoint, whether and why it is doubtful.

    With ``detail`` False (what ``classify`` uses on every touchpoint) a doubt
    carries its reasons and rivals but no ``evidence`` text, which is costly to
    write; ``suitejourney review`` asks for the detail.
    """

    def __init__(self, mapping: Mapping, *, detail: bool = True) -> None:
        self.mapping = mapping
        self.detail = detail
        self._shapes: dict[str, _Shape] = {}

    def _shape(self, module: str) -> _Shape:
        found = self._shapes.get(module)
        if found is None:
            candidates = self.mapping.candidates(module)
            fallbacks = {self.mapping.default.id}
            keywords_before = False
            for candidate in candidates:
                if reads_keywords(candidate.rule):
                    keywords_before = True
                elif keywords_before and not record_conditions(candidate.rule):
                    fallbacks.add(candidate.rule.id)
            found = _Shape(
                candidates,
                {c.rule.id: i for i, c in enumerate(candidates)},
                frozenset(fallbacks),
                frozenset(c.rule.id for c in candidates if keyword_only(c.rule)),
                frozenset(c.rule.id for c in candidates if record_conditions(c.rule)),
            )
            self._shapes[module] = found
        return found

    def assess(
        self, touchpoint: Touchpoint, context: JourneyContext, classification: Classification
    ) -> Doubt | None:
        """The doubt about ``classification`` of ``touchpoint`` in ``context``, or None."""
        shape = self._shape(touchpoint.module)
        rule_id = classification.rule_id
        reasons: list[str] = []
        evidence: list[str] = []
        record: TouchpointView | None = None
        if rule_id in shape.keyword_rules:
            reasons.append("keyword")
            if self.detail:
                record = TouchpointView(touchpoint)
                winner = shape.candidates[shape.position[rule_id]].rule
                evidence.extend(c.describe(record, context) for c in record_conditions(winner))
        elif rule_id in shape.fallbacks:
            reasons.append("fallback")
        rivals = self._rivals(touchpoint, context, classification, shape, record)
        if rivals:
            reasons.insert(0, "conflict")
        if not reasons:
            return None
        if self.detail:
            evidence.extend(f"{rule.id} also matches: {text}" for rule, _, text in rivals)
        return Doubt(
            touchpoint.key,
            tuple(reasons),
            rule_id,
            classification.stage,
            tuple(evidence),
            tuple((rule.id, stage) for rule, stage, _ in rivals),
        )

    def _rivals(
        self,
        touchpoint: Touchpoint,
        context: JourneyContext,
        classification: Classification,
        shape: _Shape,
        record: TouchpointView | None,
    ) -> list[tuple[Rule, str, str]]:
        """Later rules for the module that match too and give another stage."""
        start = shape.position.get(classification.rule_id)
        if start is None:
            return []
        stage = classification.corrected_from or classification.stage
        specific = shape.specific
        winner = shape.candidates[start].rule
        found: list[tuple[Rule, str, str]] = []
        for candidate in shape.candidates[start + 1 :]:
            rule = candidate.rule
            if rule.id not in specific or refines(winner, rule):
                continue
            fixed = candidate.fixed
            if fixed is not None and fixed.stage == stage:
                continue
            if candidate.attributes["stage"] == CURRENT and (context.stage or "awareness") == stage:
                continue
            if record is None:
                record = TouchpointView(touchpoint)
            if not all(c.test(record, context) for c in rule.conditions):
                continue
            other = candidate.classification(record, context).stage
            if other != stage:
                text = ""
                if self.detail:
                    conditions = record_conditions(rule)
                    text = "; ".join(c.describe(record, context) for c in conditions)
                found.append((rule, other, text))
        return found


@dataclass(frozen=True, slots=True)
class Influence:
    """What a doubtful touchpoint can change in its customer's journey."""

    moved_stage: bool  # the touchpoint made one of the journey's transitions
    stage_after: str | None  # the current stage if the doubt went the other way
    status_after: str  # the status if the doubt went the other way
    changes_stage: bool
    changes_status: bool

    @property
    def rank(self) -> int:
        """0: changes the current stage; 1: the status; 2: moved a stage; 3: neither."""
        if self.changes_stage:
            return 0
        if self.changes_status:
            return 1
        return 2 if self.moved_stage else 3


def alternative(doubt: Doubt) -> str:
    """What the classification would be if the doubt went the other way: the first
    rival's stage for a conflict, otherwise no touchpoint at all."""
    if doubt.rivals:
        return doubt.rivals[0][1]
    return NOT_A_TOUCHPOINT


def influence(
    doubt: Doubt,
    journey: Journey,
    customer: Customer,
    touchpoints: abc.Sequence[Touchpoint],
    mapping: Mapping,
    now: datetime,
    corrections: abc.Mapping[str, str] | None = None,
) -> Influence:
    """The journey rebuilt with ``doubt`` gone the other way (``alternative``), compared
    with ``journey``. Only touchpoints that moved the stage, conflicts and the last
    touchpoint (the status reads it) are rebuilt; the others cannot move the stage."""
    from connector.journey.builder import build_journey  # the builder imports this module

    moved = any(t.touchpoint_key == doubt.touchpoint_key for t in journey.transitions)
    last = journey.touchpoints[-1].touchpoint.key if journey.touchpoints else None
    if not (moved or doubt.rivals or doubt.touchpoint_key == last):
        return Influence(False, journey.current_stage, journey.status, False, False)
    changed = {**(corrections or {}), doubt.touchpoint_key: alternative(doubt)}
    other = build_journey(customer, touchpoints, mapping, now, corrections=changed)
    return Influence(
        moved,
        other.current_stage,
        other.status,
        other.current_stage != journey.current_stage,
        other.status != journey.status,
    )
