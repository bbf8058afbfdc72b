"""A rule as written in a mapping file, and the settings a mapping carries.

A ``Rule`` keeps its conditions in file order (for explanations), what it sets
(stage and attributes, or signals), and the file and line it came from.
``JourneySettings`` are the journey-wide knobs of the ``settings:`` block.

Data only; no parsing, no matching loop, no I/O.
"""

from __future__ import annotations

from collections import abc
from dataclasses import dataclass, field

from connector.journey.conditions import RuleCondition
from connector.journey.model import JourneyContext

ATTRIBUTES: tuple[str, ...] = ("stage", "phase", "channel", "mode", "managed_by", "direction")
BUILT_IN_ATTRIBUTES: dict[str, str] = {
    "channel": "other",
    "mode": "offline",
    "managed_by": "company",
    "direction": "none",
}
CURRENT = "current"  # stage: the customer's stage so far (awareness at the start)
FROM_RECORD = "from_record"  # direction: the record's direction (Calls) or type (Emails)
# Days without contact after which a customer counts as stalled, per current stage,
# when the mapping says nothing (the mapping's ``stalled_after_days`` overrides them).
STALL_DAYS: abc.Mapping[str, float] = {
    "awareness": 60,
    "evaluation": 60,
    "decision": 60,
    "purchase": 180,
    "loyalty": 180,
}
PRE_PURCHASE_STAGES = ("awareness", "evaluation", "decision")
POST_PURCHASE_STAGES = ("purchase", "loyalty")


@dataclass(frozen=True, slots=True)
class JourneySettings:
    """Journey-wide knobs; every one can be set under ``settings:`` in a mapping."""

    allow_backwards: bool = False
    # Per stage; a mapping may give one number (the pre-purchase stages) or a table.
    stalled_after_days: abc.Mapping[str, float] = field(default_factory=lambda: dict(STALL_DAYS))
    risk_window_days: float = 90
    recency_days: float = 90
    engagement_target: float = 6
    new_cycle_after_days: float = 30
    # Records of the purchase (invoice, contract) within this many days of the
    # purchase that opened the cycle are part of it, not loyalty.
    purchase_window_days: float = 30
    # An open opportunity this many days past its expected close date, with no
    # contact since that date, stalls a customer who has not purchased yet.
    overdue_opportunity_days: float = 30
    closed_sales_stages: tuple[str, ...] = ("Closed Won", "Closed Lost")

    def stall_days(self, stage: str | None) -> float:
        """Days without contact after which a customer in ``stage`` is stalled."""
        found = self.stalled_after_days.get(stage or "awareness")
        return float(found) if found is not None else STALL_DAYS[stage or "awareness"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as written: conditions, what it sets, and where it was written."""

    id: str
    description: str
    modules: frozenset[str] | None  # None: every module
    conditions: tuple[RuleCondition, ...]
    attributes: abc.Mapping[str, str]  # the subset of ATTRIBUTES the rule sets
    signals: tuple[str, ...]  # for signal rules: the signals it adds
    allow_backwards: bool
    file: str
    line: int
    # Rules are tried from the highest priority down, in file order within one.
    priority: int = 0
    # False: what the rule matches did not reach the customer (a call not held,
    # an e-mail never sent, a record created in the CRM): it is kept aside and
    # moves no stage, resets no clock and is no evidence for the status.
    contact: bool = True

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"

    def applies_to(self, module: str) -> bool:
        return self.modules is None or module in self.modules

    def settled_by(self, context: JourneyContext) -> tuple[RuleCondition, ...] | None:
        """The record conditions left once the journey conditions are decided.

        None if a journey condition fails in ``context``; otherwise the field
        conditions, cheapest first (an "and" does not depend on the order).
        """
        if not all(c.holds(context) for c in self.conditions if c.journey):
            return None
        left = (c for c in self.conditions if not c.journey)
        return tuple(sorted(left, key=lambda c: c.cost))
