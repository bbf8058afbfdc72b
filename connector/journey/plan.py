"""What the hot path runs: rules resolved per module and pre-decided per situation.

A ``Candidate`` is a stage rule resolved for one module (rule ``set`` < module
defaults < built-in defaults) with its ``Classification`` objects cached. A
``RulePlan`` is the list of candidates and signal rules for one module in one
journey situation: journey conditions are already decided, so each rule keeps
only its record conditions, cheapest first. A plan also carries a keyword gate:
one search for every keyword its rules look for in the same field; when it
finds nothing, the plan's ``quiet`` twin, without the rules that need one of
those keywords, is used instead, which spares most records several searches.

No I/O; built lazily by ``Mapping.plan`` and cached there.
"""

from __future__ import annotations

import re
from collections import Counter, abc
from dataclasses import dataclass

from connector.journey.conditions import HasKeyword, RuleCondition, TouchpointView
from connector.journey.model import PHASE_OF_STAGE, Classification, JourneyContext
from connector.journey.rule import CURRENT, FROM_RECORD, Rule
from connector.journey.text import keyword_pattern

_RECORD_DIRECTIONS = {
    "inbound": "inbound",
    "outbound": "outbound",
    "out": "outbound",
    "campaign": "outbound",
}


def record_direction(record: TouchpointView) -> str:
    """The direction a Call (``direction``) or an Email (``type``) states itself."""
    value = record.get("direction") or record.get("type")
    return _RECORD_DIRECTIONS.get(value.lower(), "none")


class Candidate:
    """A rule resolved for one module, with its classifications cached."""

    __slots__ = ("_cache", "attributes", "fixed", "rule")

    def __init__(self, rule: Rule, attributes: dict[str, str]) -> None:
        self.rule = rule
        self.attributes = attributes
        self._cache: dict[tuple[str, str], Classification] = {}
        self.fixed: Classification | None = None  # when nothing depends on the record
        if attributes["stage"] != CURRENT and attributes["direction"] != FROM_RECORD:
            self.fixed = self._make(attributes["stage"], attributes["direction"])

    def _make(self, stage: str, direction: str) -> Classification:
        attrs = self.attributes
        return Classification(
            stage=stage,
            phase=attrs.get("phase") or PHASE_OF_STAGE[stage],
            channel=attrs["channel"],
            mode=attrs["mode"],
            managed_by=attrs["managed_by"],
            direction=direction,
            rule_id=self.rule.id,
        )

    def classification(self, record: TouchpointView, context: JourneyContext) -> Classification:
        if self.fixed is not None:
            return self.fixed
        attrs = self.attributes
        stage = attrs["stage"]
        if stage == CURRENT:
            stage = context.stage or "awareness"
        direction = attrs["direction"]
        if direction == FROM_RECORD:
            direction = record_direction(record)
        found = self._cache.get((stage, direction))
        if found is None:
            found = self._cache[(stage, direction)] = self._make(stage, direction)
        return found


Step = tuple[Candidate, tuple[RuleCondition, ...]]
SignalStep = tuple[Rule, tuple[RuleCondition, ...]]


@dataclass(frozen=True, slots=True)
class RulePlan:
    """The rules to try for one module in one journey situation, in order.

    Journey conditions are already decided, so a rule whose journey conditions
    fail is absent and the others keep only their record conditions; the list
    stops at the first rule left without conditions (usually the default).
    """

    stage_rules: tuple[Step, ...]
    signal_rules: tuple[SignalStep, ...]
    gate_field: str = ""
    gate: re.Pattern[str] | None = None  # every keyword the rules look for in gate_field
    quiet: RulePlan | None = None  # the plan for records where the gate finds nothing


def _needs_keyword(conditions: tuple[RuleCondition, ...], field: str) -> bool:
    return any(isinstance(c, HasKeyword) and c.field == field for c in conditions)


def build_plan(
    candidates: abc.Iterable[Candidate], signal_rules: abc.Iterable[Rule], context: JourneyContext
) -> RulePlan:
    """The plan for ``candidates`` (default last) and ``signal_rules`` in ``context``."""
    stage_rules: list[Step] = []
    for candidate in candidates:
        left = candidate.rule.settled_by(context)
        if left is not None:
            stage_rules.append((candidate, left))
            if not left:
                break
    signals: list[SignalStep] = []
    for rule in signal_rules:
        left = rule.settled_by(context)
        if left is not None:
            signals.append((rule, left))
    return _gated(tuple(stage_rules), tuple(signals))


def _gated(stage_rules: tuple[Step, ...], signal_rules: tuple[SignalStep, ...]) -> RulePlan:
    keyed = [
        c
        for _, conditions in (*stage_rules, *signal_rules)
        for c in conditions
        if isinstance(c, HasKeyword)
    ]
    fields = Counter(c.field for c in keyed)
    if not fields or fields.most_common(1)[0][1] < 2:
        return RulePlan(stage_rules, signal_rules)
    field = fields.most_common(1)[0][0]
    words = {w for c in keyed if c.field == field for w in c.words}
    quiet = RulePlan(
        tuple(s for s in stage_rules if not _needs_keyword(s[1], field)),
        tuple(s for s in signal_rules if not _needs_keyword(s[1], field)),
    )
    return RulePlan(stage_rules, signal_rules, field, keyword_pattern(words), quiet)
