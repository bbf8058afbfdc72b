"""The compiled conditions of the rule language, and how each explains itself.

A condition answers three questions: ``test`` (does it hold for this record in
this journey context; the hot path, so everything is precompiled), ``describe``
(what the record holds, in words, for ``mappings explain``) and ``implied_by``
(does another condition guarantee this one; the validator uses it to find rules
an earlier rule always beats).

Field conditions read a ``TouchpointView``: the touchpoint's fields plus the
pseudo-fields ``subject`` and ``text`` (subject and description together).
Journey conditions read the ``JourneyContext``. Nothing here parses YAML or
does I/O.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence

from connector.journey.model import JourneyContext, Touchpoint
from connector.journey.text import normalise

PSEUDO_FIELDS = frozenset({"subject", "text"})


class TouchpointView:
    """A touchpoint as the conditions see it, with its normalised text cached."""

    __slots__ = ("fields", "folded_cache", "touchpoint")

    def __init__(self, touchpoint: Touchpoint) -> None:
        self.touchpoint = touchpoint
        self.fields = touchpoint.fields
        self.folded_cache: dict[str, str] = {}

    def get(self, name: str) -> str:
        if name == "subject":
            return self.touchpoint.subject
        if name == "text":
            return f"{self.touchpoint.subject}\n{self.fields.get('description', '')}"
        return self.fields.get(name, "")

    def folded(self, name: str) -> str:
        """The field's value lower-cased without accents, computed once per record."""
        value = self.folded_cache.get(name)
        if value is None:
            value = self.folded_cache[name] = normalise(self.get(name))
        return value


def _quote(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _shown(value: str, limit: int = 60) -> str:
    flat = " ".join(value.split())
    return f"'{flat[:limit]}…'" if len(flat) > limit else f"'{flat}'"


class RuleCondition(ABC):
    """One test of a rule; subclasses precompile what they compare against.

    ``cost`` orders a rule's conditions on the hot path (cheapest first; the
    result of an "and" does not depend on the order); explanations keep the
    order of the file.
    """

    __slots__ = ()
    cost = 1
    journey = False  # True: reads only the context, never the record

    @abstractmethod
    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        """Whether the condition holds for the record in this context (the hot path)."""

    @abstractmethod
    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        """What the record holds, in words, for ``mappings explain``."""

    def holds(self, context: JourneyContext) -> bool:
        """For journey conditions (``journey`` True): the verdict from the context alone."""
        raise TypeError(f"{type(self).__name__} reads the record, not only the journey")

    @abstractmethod
    def signature(self) -> tuple[object, ...]:
        """What makes two conditions the same test (for ``implied_by``)."""

    def implied_by(self, other: RuleCondition) -> bool:
        """Whether ``other`` holding guarantees that this condition holds."""
        return self.signature() == other.signature()

    def implied_by_all(self, conditions: Sequence[RuleCondition]) -> bool:
        """Whether the conjunction ``conditions`` guarantees this condition."""
        for other in conditions:
            if self.implied_by(other):
                return True
            if isinstance(other, AnyOf) and all(self.implied_by_all(g) for g in other.groups):
                return True
        return False


class OneOf(RuleCondition):
    """``field: value`` or ``field: {in: [...]}``: equals one value, ignoring case."""

    __slots__ = ("field", "plain", "values", "wanted")

    def __init__(self, field: str, values: Sequence[str]) -> None:
        self.field = field
        self.plain = field not in PSEUDO_FIELDS
        self.values = tuple(values)
        # MySQL compares dropdown keys case-insensitively, so SuiteCRM data does too.
        self.wanted = frozenset(v.lower() for v in values)

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        if self.plain:
            return record.fields.get(self.field, "").lower() in self.wanted
        return record.get(self.field).lower() in self.wanted

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        wanted = _quote(self.values)
        return f"{self.field} is {_shown(record.get(self.field))} (wanted {wanted})"

    def signature(self) -> tuple[object, ...]:
        return ("in", self.field, self.wanted)

    def implied_by(self, other: RuleCondition) -> bool:
        return (
            isinstance(other, OneOf) and other.field == self.field and (other.wanted <= self.wanted)
        )


class NoneOf(RuleCondition):
    """``field: {not: value or [...]}``: equals none of the values, ignoring case."""

    __slots__ = ("field", "refused", "values")

    def __init__(self, field: str, values: Sequence[str]) -> None:
        self.field = field
        self.values = tuple(values)
        self.refused = frozenset(v.lower() for v in values)

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        return record.get(self.field).lower() not in self.refused

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        refused = _quote(self.values)
        return f"{self.field} is {_shown(record.get(self.field))} (must not be {refused})"

    def signature(self) -> tuple[object, ...]:
        return ("not", self.field, self.refused)

    def implied_by(self, other: RuleCondition) -> bool:
        if isinstance(other, OneOf) and other.field == self.field:
            return not (other.wanted & self.refused)
        return (
            isinstance(other, NoneOf)
            and other.field == self.field
            and (other.refused >= self.refused)
        )


class Matches(RuleCondition):
    """``field: {regex: ...}``: a regular expression found in the value, ignoring case."""

    __slots__ = ("field", "pattern")
    cost = 4

    def __init__(self, field: str, pattern: re.Pattern[str]) -> None:
        self.field = field
        self.pattern = pattern

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        return self.pattern.search(record.get(self.field)) is not None

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        found = self.pattern.search(record.get(self.field))
        where = f"finds '{found.group(0)}'" if found else "finds nothing"
        return f"regex /{self.pattern.pattern}/ on {self.field} {where}"

    def signature(self) -> tuple[object, ...]:
        return ("regex", self.field, self.pattern.pattern)


class HasKeyword(RuleCondition):
    """``field: {keywords: [lists]}`` or ``{contains: [words]}``: any keyword present."""

    __slots__ = ("field", "label", "pattern", "words")
    cost = 3

    def __init__(
        self, field: str, label: str, words: frozenset[str], pattern: re.Pattern[str]
    ) -> None:
        self.field = field
        self.label = label
        self.words = words
        self.pattern = pattern

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        text = record.folded_cache.get(self.field)
        if text is None:
            text = record.folded(self.field)
        return self.pattern.search(text) is not None

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        found = self.pattern.search(record.folded(self.field))
        if found:
            return f"{self.field} contains '{found.group(0)}' ({self.label})"
        return f"{self.field} contains no keyword of {self.label}"

    def signature(self) -> tuple[object, ...]:
        return ("keywords", self.field, self.words)

    def implied_by(self, other: RuleCondition) -> bool:
        return (
            isinstance(other, HasKeyword)
            and other.field == self.field
            and (other.words <= self.words)
        )


class Compare(RuleCondition):
    """``field: {gt|gte|lt|lte: number}``: a numeric comparison; no number never holds."""

    __slots__ = ("field", "limit", "op")
    cost = 2

    def __init__(self, field: str, op: str, limit: float) -> None:
        self.field = field
        self.op = op
        self.limit = limit

    def _number(self, record: TouchpointView) -> float | None:
        try:
            return float(record.get(self.field).replace(",", ""))
        except ValueError:
            return None

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        number = self._number(record)
        if number is None:
            return False
        limit = self.limit
        op = self.op
        if op == "gt":
            return number > limit
        if op == "gte":
            return number >= limit
        if op == "lt":
            return number < limit
        return number <= limit

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        value = record.get(self.field)
        return f"{self.field} is {_shown(value)} (wanted {self.op} {self.limit:g})"

    def signature(self) -> tuple[object, ...]:
        return ("compare", self.field, self.op, self.limit)


class DateCompare(RuleCondition):
    """``field: {before|after: YYYY-MM-DD or occurred_at}``: compares the date part."""

    __slots__ = ("field", "limit", "op")
    cost = 2

    def __init__(self, field: str, op: str, limit: str) -> None:
        self.field = field
        self.op = op
        self.limit = limit  # an ISO date, or "occurred_at"

    def _limit(self, record: TouchpointView) -> str:
        if self.limit == "occurred_at":
            return record.touchpoint.occurred_at.date().isoformat()
        return self.limit

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        value = record.get(self.field)[:10]
        if len(value) != 10:
            return False
        # ISO dates compare correctly as text.
        return value < self._limit(record) if self.op == "before" else value > self._limit(record)

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        value = record.get(self.field)
        return f"{self.field} is {_shown(value)} (wanted {self.op} {self._limit(record)})"

    def signature(self) -> tuple[object, ...]:
        return ("date", self.field, self.op, self.limit)


class IsEmpty(RuleCondition):
    """``field: {empty: true|false}``: the value is blank (or not)."""

    __slots__ = ("field", "wanted")

    def __init__(self, field: str, wanted: bool) -> None:
        self.field = field
        self.wanted = wanted

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        return (not record.get(self.field).strip()) is self.wanted

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        want = "empty" if self.wanted else "not empty"
        return f"{self.field} is {_shown(record.get(self.field))} (wanted {want})"

    def signature(self) -> tuple[object, ...]:
        return ("empty", self.field, self.wanted)

    def implied_by(self, other: RuleCondition) -> bool:
        if not self.wanted and isinstance(other, OneOf) and other.field == self.field:
            return all(v.strip() for v in other.wanted)
        return super().implied_by(other)


class AnyOf(RuleCondition):
    """``any: [ {...}, {...} ]``: at least one group of conditions holds."""

    __slots__ = ("groups",)
    cost = 5

    def __init__(self, groups: Sequence[Sequence[RuleCondition]]) -> None:
        self.groups = tuple(tuple(g) for g in groups)

    def test(self, record: TouchpointView, context: JourneyContext) -> bool:
        for group in self.groups:
            for condition in group:
                if not condition.test(record, context):
                    break
            else:
                return True
        return False

    def describe(self, record: TouchpointView, context: JourneyContext) -> str:
        parts = []
        for group in self.groups:
            mark = "holds" if all(c.test(record, context) for c in group) else "fails"
            parts.append(f"[{'; '.join(c.describe(record, context) for c in group)}: {mark}]")
        return "any of " + " or ".join(parts)

    def signature(self) -> tuple[object, ...]:
        return ("any", tuple(tuple(c.signature() for c in g) for g in self.groups))

    def implied_by_all(self, conditions: Sequence[RuleCondition]) -> bool:
        if any(all(c.implied_by_all(conditions) for c in g) for g in self.groups):
            return True
        return super().implied_by_all(conditions)
