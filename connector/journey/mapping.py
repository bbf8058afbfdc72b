"""The loaded mapping: rules in the order they are tried, signal rules, the default,
settings, the personas and the cost table.

A ``Mapping`` is what ``load_mapping`` returns and what ``classify`` and
``build_journey`` read. It indexes the rules by SuiteCRM module once, and builds
and caches one ``RulePlan`` per module and journey situation, so the hot path only
tries the rules that can still apply to a record.

Pure data and look-ups; parsing lives in ``parser``/``loader``, matching in
``classify``. No I/O.
"""

from __future__ import annotations

from collections import abc
from dataclasses import dataclass, field, replace

from connector.journey.cost import CostTable
from connector.journey.model import Classification, JourneyContext
from connector.journey.persona import Persona
from connector.journey.plan import Candidate, RulePlan, build_plan
from connector.journey.rule import BUILT_IN_ATTRIBUTES, CURRENT, JourneySettings, Rule

PlanKey = tuple[str, str | None, bool, bool, bool, str, str, str]


@dataclass(frozen=True)
class Mapping:
    """A loaded, validated mapping: the input of ``classify`` and ``build_journey``."""

    rules: tuple[Rule, ...]
    signal_rules: tuple[Rule, ...]
    default: Rule
    settings: JourneySettings
    module_attributes: abc.Mapping[str, abc.Mapping[str, str]]
    keywords: abc.Mapping[str, tuple[str, ...]]
    files: tuple[str, ...]
    personas: tuple[Persona, ...] = ()
    costs: CostTable = field(default_factory=CostTable)
    _candidates: dict[str, tuple[Candidate, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _plans: dict[PlanKey, RulePlan] = field(default_factory=dict, repr=False, compare=False)
    _signalled: dict[tuple[int, tuple[str, ...]], Classification] = field(
        default_factory=dict, repr=False, compare=False
    )
    closed_sales_stages: frozenset[str] = field(init=False, repr=False, compare=False)
    backwards_rule_ids: frozenset[str] = field(init=False, repr=False, compare=False)
    not_contact_rule_ids: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        closed = frozenset(s.lower() for s in self.settings.closed_sales_stages)
        backwards = frozenset(r.id for r in (*self.rules, self.default) if r.allow_backwards)
        not_contact = frozenset(r.id for r in (*self.rules, self.default) if not r.contact)
        object.__setattr__(self, "closed_sales_stages", closed)
        object.__setattr__(self, "backwards_rule_ids", backwards)
        object.__setattr__(self, "not_contact_rule_ids", not_contact)

    def rule(self, rule_id: str) -> Rule | None:
        """The stage rule (or the default) with this id."""
        if rule_id == self.default.id:
            return self.default
        return next((r for r in self.rules if r.id == rule_id), None)

    def candidates(self, module: str) -> tuple[Candidate, ...]:
        """The rules that can apply to ``module``, in the order they are tried (priority,
        then file order), the default last."""
        found = self._candidates.get(module)
        if found is None:
            rules = [r for r in self.rules if r.applies_to(module)] + [self.default]
            found = tuple(Candidate(r, self.resolve(r, module)) for r in rules)
            self._candidates[module] = found
        return found

    def signal_rules_for(self, module: str) -> tuple[Rule, ...]:
        """The signal rules that can apply to ``module``, in order."""
        return tuple(r for r in self.signal_rules if r.applies_to(module))

    def plan(self, module: str, context: JourneyContext) -> RulePlan:
        """The plan for ``module`` in ``context``, built once per distinct situation."""
        key = (
            module,
            context.stage,
            context.purchased,
            context.purchase_window,
            context.open_opportunity,
            context.customer_kind,
            context.customer_type,
            context.industry,
        )
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = self._build_plan(module, context)
        return found

    def _build_plan(self, module: str, context: JourneyContext) -> RulePlan:
        return build_plan(self.candidates(module), self.signal_rules_for(module), context)

    def with_signals(
        self, classification: Classification, rules: tuple[Rule, ...]
    ) -> Classification:
        """``classification`` plus the signals of ``rules``, one shared object per combination."""
        rule_ids = tuple(r.id for r in rules)
        key = (id(classification), rule_ids)
        found = self._signalled.get(key)
        if found is None:
            signals = tuple(dict.fromkeys(s for r in rules for s in r.signals))
            found = replace(classification, signals=signals, signal_rule_ids=rule_ids)
            self._signalled[key] = found
        return found

    def resolve(self, rule: Rule, module: str) -> dict[str, str]:
        """The rule's attributes over the module's defaults over the built-in ones."""
        attrs = dict(BUILT_IN_ATTRIBUTES)
        attrs.update(self.module_attributes.get(module, {}))
        attrs.update(rule.attributes)
        attrs.setdefault("stage", CURRENT)
        return attrs
