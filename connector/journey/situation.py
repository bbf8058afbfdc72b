"""Conditions on the customer's journey so far (the ``journey:`` block of a rule).

``purchase: before|after`` (relative to the first purchase), ``open_opportunity:
true|false``, and ``stage``, ``customer_type``, ``industry``, ``customer_kind``
(one value or a list). They read only the ``JourneyContext`` the builder passes,
which describes the touchpoints strictly earlier in time, so a classification
never depends on the future. No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from connector.journey.conditions import Condition, Record
from connector.journey.model import JourneyContext


class PurchaseIs(Condition):
    """``purchase: before|after``: the touchpoint comes before/after the first purchase."""

    __slots__ = ("after",)
    cost = 0
    journey = True

    def __init__(self, after: bool) -> None:
        self.after = after

    def test(self, record: Record, context: JourneyContext) -> bool:
        return self.holds(context)

    def holds(self, context: JourneyContext) -> bool:
        return context.purchased is self.after

    def describe(self, record: Record, context: JourneyContext) -> str:
        fact = "after the first purchase" if context.purchased else "before any purchase"
        wanted = "after" if self.after else "before"
        return f"journey is {fact} (wanted {wanted})"

    def signature(self) -> tuple[object, ...]:
        return ("purchase", self.after)


class OpenOpportunity(Condition):
    """``open_opportunity: true|false``: an opportunity seen so far is still open."""

    __slots__ = ("wanted",)
    cost = 0
    journey = True

    def __init__(self, wanted: bool) -> None:
        self.wanted = wanted

    def test(self, record: Record, context: JourneyContext) -> bool:
        return self.holds(context)

    def holds(self, context: JourneyContext) -> bool:
        return context.open_opportunity is self.wanted

    def describe(self, record: Record, context: JourneyContext) -> str:
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


class ContextIn(Condition):
    """``stage|customer_type|industry|customer_kind: value or [values]``."""

    __slots__ = ("name", "values", "wanted")
    cost = 0
    journey = True

    def __init__(self, name: str, values: Sequence[str]) -> None:
        self.name = name
        self.values = tuple(values)
        self.wanted = frozenset(v.lower() for v in values)

    def test(self, record: Record, context: JourneyContext) -> bool:
        return self.holds(context)

    def holds(self, context: JourneyContext) -> bool:
        return context_value(context, self.name).lower() in self.wanted

    def describe(self, record: Record, context: JourneyContext) -> str:
        value = context_value(context, self.name) or "(none)"
        wanted = ", ".join(f"'{v}'" for v in self.values)
        return f"customer {self.name} is '{value}' (wanted {wanted})"

    def signature(self) -> tuple[object, ...]:
        return ("context", self.name, self.wanted)

    def implied_by(self, other: Condition) -> bool:
        return (
            isinstance(other, ContextIn)
            and other.name == self.name
            and (other.wanted <= self.wanted)
        )
