"""The loaded mapping: rules in file order, signal rules, the default, settings.

A ``Mapping`` is what ``load_mapping`` returns and what ``classify`` and
``build_journey`` read. It indexes the rules by SuiteCRM module once, so the hot
path only tries the rules that can apply to a record, and it resolves each
rule's attributes (rule ``set`` < module defaults < built-in defaults) once per
module, caching the resulting ``Classification`` objects.

Pure data and look-ups; parsing lives in ``parser``/``loader``, matching in
``classify``. No I/O.
"""

from __future__ import annotations

from collections import abc
from dataclasses import dataclass, field

from connector.journey.conditions import Condition, Record
from connector.journey.model import PHASE_OF_STAGE, Classification, JourneyContext

ATTRIBUTES: tuple[str, ...] = ("stage", "phase", "channel", "mode", "managed_by", "direction")
BUILT_IN_ATTRIBUTES: dict[str, str] = {
    "channel": "other",
    "mode": "offline",
    "managed_by": "company",
    "direction": "none",
}
CURRENT = "current"  # stage: the customer's stage so far (awareness at the start)
FROM_RECORD = "from_record"  # direction: the record's direction (Calls) or type (Emails)
_RECORD_DIRECTIONS = {
    "inbound": "inbound",
    "outbound": "outbound",
    "out": "outbound",
    "campaign": "outbound",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """Journey-wide knobs; every one can be set under ``settings:`` in a mapping."""

    allow_backwards: bool = False
    stalled_after_days: float = 60
    stalled_after_days_post_purchase: float = 180
    risk_window_days: float = 90
    recency_days: float = 90
    engagement_target: float = 6
    new_cycle_after_days: float = 30
    closed_sales_stages: tuple[str, ...] = ("Closed Won", "Closed Lost")


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as written: conditions, what it sets, and where it was written."""

    id: str
    description: str
    modules: frozenset[str] | None  # None: every module
    conditions: tuple[Condition, ...]
    attributes: abc.Mapping[str, str]  # the subset of ATTRIBUTES the rule sets
    signals: tuple[str, ...]  # for signal rules: the signals it adds
    allow_backwards: bool
    file: str
    line: int

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"

    def applies_to(self, module: str) -> bool:
        return self.modules is None or module in self.modules

    def matches(self, record: Record, context: JourneyContext) -> bool:
        return all(c.test(record, context) for c in self.conditions)


def record_direction(record: Record) -> str:
    """The direction a Call (``direction``) or an Email (``type``) states itself."""
    value = record.get("direction") or record.get("type")
    return _RECORD_DIRECTIONS.get(value.lower(), "none")


class Candidate:
    """A rule resolved for one module, with its classifications cached."""

    __slots__ = ("_cache", "attributes", "conditions", "rule")

    def __init__(self, rule: Rule, attributes: dict[str, str]) -> None:
        self.rule = rule
        self.conditions = rule.conditions
        self.attributes = attributes
        self._cache: dict[tuple[str, str], Classification] = {}

    def classification(self, record: Record, context: JourneyContext) -> Classification:
        attrs = self.attributes
        stage = attrs["stage"]
        if stage == CURRENT:
            stage = context.stage or "awareness"
        direction = attrs["direction"]
        if direction == FROM_RECORD:
            direction = record_direction(record)
        found = self._cache.get((stage, direction))
        if found is None:
            found = Classification(
                stage=stage,
                phase=attrs.get("phase") or PHASE_OF_STAGE[stage],
                channel=attrs["channel"],
                mode=attrs["mode"],
                managed_by=attrs["managed_by"],
                direction=direction,
                rule_id=self.rule.id,
            )
            self._cache[(stage, direction)] = found
        return found


@dataclass(frozen=True)
class Mapping:
    """A loaded, validated mapping: the input of ``classify`` and ``build_journey``."""

    rules: tuple[Rule, ...]
    signal_rules: tuple[Rule, ...]
    default: Rule
    settings: Settings
    module_attributes: abc.Mapping[str, abc.Mapping[str, str]]
    keywords: abc.Mapping[str, tuple[str, ...]]
    files: tuple[str, ...]
    _candidates: dict[str, tuple[Candidate, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _signals: dict[str, tuple[Rule, ...]] = field(default_factory=dict, repr=False, compare=False)

    def rule(self, rule_id: str) -> Rule | None:
        """The stage rule (or the default) with this id."""
        if rule_id == self.default.id:
            return self.default
        return next((r for r in self.rules if r.id == rule_id), None)

    def candidates(self, module: str) -> tuple[Candidate, ...]:
        """The rules that can apply to ``module``, in order, the default last."""
        found = self._candidates.get(module)
        if found is None:
            rules = [r for r in self.rules if r.applies_to(module)] + [self.default]
            found = tuple(Candidate(r, self.resolve(r, module)) for r in rules)
            self._candidates[module] = found
        return found

    def signal_candidates(self, module: str) -> tuple[Rule, ...]:
        """The signal rules that can apply to ``module``, in order."""
        found = self._signals.get(module)
        if found is None:
            found = tuple(r for r in self.signal_rules if r.applies_to(module))
            self._signals[module] = found
        return found

    def resolve(self, rule: Rule, module: str) -> dict[str, str]:
        """The rule's attributes over the module's defaults over the built-in ones."""
        attrs = dict(BUILT_IN_ATTRIBUTES)
        attrs.update(self.module_attributes.get(module, {}))
        attrs.update(rule.attributes)
        attrs.setdefault("stage", CURRENT)
        return attrs
