"""A journey's status and health score, from the evidence its touchpoints left.

The builder gathers an ``Evidence`` (times, case counts, signals, open
opportunities) while it walks the touchpoints that happened and reached the
customer (never the upcoming ones, nor those a ``contact: false`` rule keeps
aside); ``journey_status`` and ``health_score`` turn it into the status and the
score at ``now``.

Status, first that applies:
  lost      no purchase yet, and the last touchpoint carries the ``lost`` signal
            (an opportunity Closed Lost, a dead lead or quote) with nothing after it;
  at_risk   after a purchase: an open high-priority or reopened case, or a
            cancellation, complaint or at-risk signal within ``risk_window_days``;
  stalled   no purchase yet and an open opportunity more than
            ``overdue_opportunity_days`` past its expected close date with no
            touchpoint since that date; or no touchpoint for more than the current
            stage's ``stalled_after_days`` (a table per stage: a prospect goes cold
            in weeks, a customer in loyalty renews once a year);
  won       a purchase happened;
  active    otherwise.

Health score, 0 to 100, a weighted sum of five components between 0 and 1:
  recency     = max(0, 1 - days since the last touchpoint / recency_days)
  engagement  = min(1, touchpoints in the last recency_days / engagement_target)
  cases       = max(0, 1 - 0.25 x (open cases + open high-priority cases
                                    + reopened cases))
  resolution  = closed cases / all cases (1 when there are no cases)
  renewals    = 1 if the latest of renewal and cancellation signals is a renewal,
                0 if it is a cancellation, 0.5 if neither was seen
  score = round(30 x recency + 25 x engagement + 20 x cases
                + 15 x resolution + 10 x renewals)
recency_days (default 90) and engagement_target (default 6) are mapping
settings; case counts come from the signals case_open, case_high_priority,
case_reopened and case_closed that the mapping's signal rules attach.

Pure arithmetic; ``now`` is passed in, never read from a clock.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta

from connector.journey.model import Health
from connector.journey.rule import JourneySettings

WEIGHTS: dict[str, int] = {
    "recency": 30,
    "engagement": 25,
    "cases": 20,
    "resolution": 15,
    "renewals": 10,
}
RISK_SIGNALS = frozenset({"at_risk", "complaint", "cancellation"})
_DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the touchpoints of one journey say about its status and health."""

    times: tuple[datetime, ...]  # every touchpoint's time, ascending
    last_key: str | None
    last_signals: tuple[str, ...]
    purchased: bool
    open_cases: int
    high_priority_cases: tuple[str, ...]  # keys of open high-priority cases
    reopened_cases: tuple[str, ...]
    closed_cases: int
    last_renewal: datetime | None
    last_cancellation: datetime | None
    last_risk: tuple[datetime, str, str] | None  # (when, touchpoint key, signal)
    stage: str | None = None  # the current stage
    # the open opportunities with an expected close date, (key, end of that day), oldest first
    open_opportunities: tuple[tuple[str, datetime], ...] = ()


def days_between(earlier: datetime, later: datetime) -> float:
    """Days from ``earlier`` to ``later``, never negative."""
    return max(0.0, (later - earlier).total_seconds() / _DAY)


def journey_status(evidence: Evidence, settings: JourneySettings, now: datetime) -> tuple[str, str]:
    """The status and a sentence saying why."""
    if not evidence.times:
        return "active", "no touchpoints yet"
    if not evidence.purchased and "lost" in evidence.last_signals:
        return "lost", f"lost at {evidence.last_key} with nothing after it"
    if evidence.purchased:
        if evidence.high_priority_cases:
            return "at_risk", f"open high-priority case {evidence.high_priority_cases[0]}"
        if evidence.reopened_cases:
            return "at_risk", f"reopened case {evidence.reopened_cases[0]}"
        risk = evidence.last_risk
        if risk is not None and days_between(risk[0], now) <= settings.risk_window_days:
            return "at_risk", f"{risk[2]} signal at {risk[1]} on {risk[0]:%Y-%m-%d}"
    overdue = None if evidence.purchased else overdue_opportunity(evidence, settings, now)
    if overdue is not None:
        return "stalled", overdue
    idle = days_between(evidence.times[-1], now)
    stage = evidence.stage or "awareness"
    limit = settings.stall_days(stage)
    if idle > limit:
        return "stalled", f"no touchpoint for {idle:.0f} days ({stage} stalls after {limit:g})"
    if evidence.purchased:
        return "won", "purchased"
    return "active", f"last touchpoint {idle:.0f} days ago ({stage} stalls after {limit:g})"


def overdue_opportunity(evidence: Evidence, settings: JourneySettings, now: datetime) -> str | None:
    """Why an overdue open opportunity stalls the journey, or None.

    The clearest stall signal a CRM holds: the deal was expected to close more than
    ``overdue_opportunity_days`` ago, and nothing has happened since that date.
    """
    last = evidence.times[-1]
    for key, closes in evidence.open_opportunities:
        if days_between(closes, now) > settings.overdue_opportunity_days and last < closes:
            day = closes - timedelta(days=1)  # ``closes`` is the end of that day
            return (
                f"open opportunity {key} was expected to close on {day:%Y-%m-%d}, "
                f"{days_between(day, now):.0f} days ago, with no touchpoint since"
            )
    return None


def health_score(evidence: Evidence, settings: JourneySettings, now: datetime) -> Health:
    """The 0-100 health score and its components (formula in the module docstring)."""
    times = evidence.times
    recency = 0.0
    engagement = 0.0
    if times:
        recency = max(0.0, 1.0 - days_between(times[-1], now) / settings.recency_days)
        since = now - timedelta(days=settings.recency_days)
        recent = bisect_right(times, now) - bisect_left(times, since)
        engagement = min(1.0, recent / settings.engagement_target)
    troubles = (
        evidence.open_cases + len(evidence.high_priority_cases) + len(evidence.reopened_cases)
    )
    cases = max(0.0, 1.0 - 0.25 * troubles)
    total = evidence.open_cases + evidence.closed_cases
    resolution = evidence.closed_cases / total if total else 1.0
    renewals = _renewals(evidence.last_renewal, evidence.last_cancellation)
    w = WEIGHTS
    score = round(
        w["recency"] * recency
        + w["engagement"] * engagement
        + w["cases"] * cases
        + w["resolution"] * resolution
        + w["renewals"] * renewals
    )
    return Health(
        score=max(0, min(100, score)),
        recency=round(recency, 4),
        engagement=round(engagement, 4),
        cases=round(cases, 4),
        resolution=round(resolution, 4),
        renewals=renewals,
    )


def _renewals(renewal: datetime | None, cancellation: datetime | None) -> float:
    if renewal is None and cancellation is None:
        return 0.5
    if cancellation is None:
        return 1.0
    if renewal is None:
        return 0.0
    return 1.0 if renewal > cancellation else 0.0
