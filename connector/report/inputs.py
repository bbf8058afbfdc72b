"""What the report reads: one journey with its customer's profile, and the period.

``JourneyInput`` bundles a journey as ``journey_to_dict`` shaped it with the
customer's segment fields (industry, account type, lead source), picked by the
reader from the customer's own SuiteCRM record. ``Period`` decides which
journeys a report covers.

The period rule: a journey is in the report when its touchpoints overlap the
period, that is its first touch is before the end of ``until`` (inclusive, to
midnight UTC after that day) and its last touch is on or after ``since``
(00:00 UTC). A journey without touchpoints overlaps no period, so it is only in
a report without ``--since`` and ``--until``. An included journey counts whole:
its stages, times and touchpoints as of the time it was built.

Values only; no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

SEGMENT_FIELDS: tuple[str, ...] = ("industry", "account_type", "lead_source")
SEGMENT_LABELS: dict[str, str] = {
    "industry": "Industry",
    "account_type": "Account type",
    "lead_source": "Lead source",
}
UNKNOWN = "(unknown)"
OTHER = "(other)"


@dataclass(frozen=True, slots=True)
class JourneyInput:
    """One customer's journey (``journey_to_dict`` output) and its segment fields."""

    journey: Mapping[str, Any]
    profile: Mapping[str, str] = field(default_factory=dict)

    def segment(self, name: str) -> str:
        """The customer's value of a segment field; ``(unknown)`` when empty."""
        value = (self.profile.get(name) or "").strip()
        return value or UNKNOWN


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 timestamp of ``journey_to_dict`` as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Period:
    """The dates a report covers, both inclusive; ``None`` leaves that side open."""

    since: date | None = None
    until: date | None = None

    @property
    def start(self) -> datetime | None:
        return None if self.since is None else datetime.combine(self.since, time(), UTC)

    @property
    def end(self) -> datetime | None:
        """The first instant after the period (midnight UTC after ``until``)."""
        if self.until is None:
            return None
        return datetime.combine(self.until + timedelta(days=1), time(), UTC)

    @property
    def open(self) -> bool:
        return self.since is None and self.until is None

    def overlaps(self, first_touch: datetime | None, last_touch: datetime | None) -> bool:
        """Whether a journey from ``first_touch`` to ``last_touch`` is in the period."""
        if self.open:
            return True
        if first_touch is None or last_touch is None:
            return False
        start, end = self.start, self.end
        return (end is None or first_touch < end) and (start is None or last_touch >= start)
