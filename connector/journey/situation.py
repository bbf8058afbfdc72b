"""Conditions on the customer's journey so far (the ``journey:`` block of a rule).

``purchase: before|after|window|after_window`` (relative to the purchases),
``open_opportunity:
true|false``, and ``stage``, ``customer_type``, ``industry``, ``customer_kind``
(one value or a list). They read only the ``JourneyContext`` the builder passes,
which describes the touchpoints strictly earlier in time, so a classification
never depends on the future. No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from connector.journey.conditions import RuleCondition, TouchpointView
from connector.journey.model import JourneyContext

PURCHASE_MOMENTS: dict[str, str] = {
    "before": "before any purchase",
    "after": "after the first purchase",
    "window": "within the purchase window",
    "after_window": "after the purchase window",
}


class PurchaseIs(RuleCondition):
    """``purchase: before|after|window|after_window``, relative to the customer's purchases.

    ``after`` is any time after the first purchase; ``window`` narrows it to the
    ``purchase_window_days`` after the purchase that opened the current cycle (the
    deal being billed and signed), ``after_window`` to the time after that.
    """

    __slots__ = ("moment",)
    cost = 0
    journey = True

    def __init__(self, moment: str) -> None:
        if moment not in PURCHASE_MOMENTS:
            raise ValueError(f"unknown purchase moment {moment!r}")
        self.moment = moment

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        return self.holds(context)

    def holds(self, context: JourneyContext) -> bool:
        moment = self.moment
        if moment == "before":
            return not context.purchased
        if moment == "after":
            return context.purchased
        return context.purchased and context.purchase_window is (moment == "window")

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        if not context.purchased:
            fact = PURCHASE_MOMENTS["before"]
        elif context.purchase_window:
            fact = "after the first purchase, within the purchase window"
        else:
            fact = "after the first purchase, past the purchase window"
        return f"journey is {fact} (wanted {PURCHASE_MOMENTS[self.moment]})"

    def signature(self) -> tuple[object, ...]:
        return ("purchase", self.moment)

    def implied_by(self, other: RuleCondition) -> bool:
        if not isinstance(other, PurchaseIs):
            return False
        if self.moment == "after":
            return other.moment in ("after", "window", "after_window")
        return other.moment == self.moment


class OpenOpportunity(RuleCondition):
    """``open_opportunity: true|false``: an opportunity seen so far is still open."""

    __slots__ = ("wanted",)
    cost = 0
    journey = True

    def __init__(self, wanted: bool) -> None:
        self.wanted = wanted

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        return self.holds(context)

    def holds(self, context: JourneyContext) -> bool:
        return context.open_opportunity is self.wanted

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        fact = "an open opportunity" if context.open_opportunity else "no open opportunity"
        return f"journey has {fact} (wanted {'one' if self.wanted else 'none'})"

    def signature(self) -> tuple[object, ...]:
        return ("open_opportunity", self.wanted)


CONTEXT_FIELDS: tuple[str, ...] = ("stage", "customer_type", "industry", "customer_kind")


def context_value(context: JourneyContext, name: str) -> str:
    """One of ``CONTEXT_FIELDS`` read from the context ("" when unknown)."""
    if name == "stage":
        return context.stage or ""
    if name == "customer_type":
        return context.customer_type
    if name == "industry":
        return context.industry
    return context.customer_kind


class ContextIn(RuleCondition):
    """``stage|customer_type|industry|customer_kind: value or [values]``."""

    __slots__ = ("name", "values", "wanted")
    cost = 0
    journey = True

    def __init__(self, name: str, values: Sequence[str]) -> None:
        self.name = name
        self.values = tuple(values)
        self.wanted = frozenset(v.lower() for v in values)

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        return self.holds(context)

    def holds(self, context: JourneyContext) -> bool:
        return context_value(context, self.name).lower() in self.wanted

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        value = context_value(context, self.name) or "(none)"
        wanted = ", ".join(f"'{v}'" for v in self.values)
        return f"customer {self.name} is '{value}' (wanted {wanted})"

    def signature(self) -> tuple[object, ...]:
        return ("context", self.name, self.wanted)

    def implied_by(self, other: RuleCondition) -> bool:
        return (
            isinstance(other, ContextIn)
            and other.name == self.name
            and (other.wanted <= self.wanted)
        )
