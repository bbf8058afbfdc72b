"""The report's figures as frozen values: what ``compute_report`` returns.

Every renderer (HTML page, CSV table, JSON document) reads these and nothing
else, so the three formats carry the same numbers. Counts are ints, durations
are days (floats rounded to two decimals), shares are fractions between 0 and
1; ``None`` means "no data" (a median of nothing, a conversion from zero).

Data only; no computation beyond trivial accessors, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from connector.report.inputs import Period
from connector.report.stats import Spread

Counts = Mapping[str, int]
Table = Mapping[str, Mapping[str, int]]  # row -> column -> count


@dataclass(frozen=True, slots=True)
class StageFunnel:
    """Customers that reached a stage (it or a later one) and went on to the next."""

    stage: str
    reached: int  # entered this stage or any later one
    entered: int  # entered this very stage (the rest skipped it)
    conversion_to_next: float | None  # reached the next stage / reached this one


@dataclass(frozen=True, slots=True)
class Funnel:
    customers: int  # customers with at least one touchpoint
    stages: tuple[StageFunnel, ...]
    purchase_rate: float | None  # reached purchase / reached awareness


@dataclass(frozen=True, slots=True)
class PathCount:
    """A sequence of steps and how many customers followed it, by their status."""

    steps: tuple[str, ...]
    count: int
    outcomes: Counts


@dataclass(frozen=True, slots=True)
class SegmentFigures:
    """The figures shown for all customers and for each segment value."""

    funnel: Funnel
    to_purchase: Spread  # days from first touch to the first purchase
    stage_paths: tuple[PathCount, ...]
    channel_paths: tuple[PathCount, ...]


@dataclass(frozen=True, slots=True)
class StageTime:
    """Days spent in a stage: finished stays, and stays still going on."""

    stage: str
    completed: Spread
    ongoing: Spread


@dataclass(frozen=True, slots=True)
class Transition:
    from_stage: str  # a stage, or "start"
    to_stage: str
    count: int


@dataclass(frozen=True, slots=True)
class DropOff:
    status_by_stage: Table  # current stage -> status -> customers
    stalled_days: Table  # current stage -> bucket of days since the last touch -> customers
    stalled_median_days: Mapping[str, float | None]
    transitions: tuple[Transition, ...]


@dataclass(frozen=True, slots=True)
class Attribution:
    """Credit for the first purchases, per channel, under three models."""

    purchases: int  # customers that reached purchase
    attributed: int  # ... with at least one touchpoint before the purchase
    first_touch: Mapping[str, float]
    last_touch: Mapping[str, float]
    linear: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class Channels:
    by_stage: Table  # touchpoint stage -> channel -> touchpoints
    mode: Table  # touchpoint stage -> online/offline -> touchpoints
    managed_by: Table  # touchpoint stage -> company/third_party -> touchpoints
    attribution: Attribution


@dataclass(frozen=True, slots=True)
class AtRiskCustomer:
    key: str
    name: str
    kind: str
    stage: str
    health: int
    reason: str
    last_touch: datetime | None
    url: str | None  # the record in SuiteCRM, when the site and the id are known and valid


@dataclass(frozen=True, slots=True)
class LongWait:
    """Customers now in a stage for longer than the 90th percentile of finished stays."""

    stage: str
    threshold_days: float | None
    customers: int


@dataclass(frozen=True, slots=True)
class PostSale:
    customers: int  # customers that reached purchase
    health: Spread
    health_buckets: tuple[int, ...]  # 0-9, 10-19, ..., 90-100
    at_risk_total: int
    at_risk: tuple[AtRiskCustomer, ...]  # lowest health first, at most the report's limit
    pain_by_stage: Table  # touchpoint stage -> signal (and "any") -> touchpoints
    pain_by_channel: Table
    long_waits: tuple[LongWait, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    customers: int  # journeys in the report (in the period)
    by_kind: Counts  # account, contact, lead (a prospect that never converted)
    touchpoints: int
    without_touchpoints: int
    outside_period: int
    purchased: int
    by_status: Counts


Step = tuple[str, str]  # (stage, channel of the touchpoint that moved the customer into it)


@dataclass(frozen=True, slots=True)
class Pattern:
    """A prevailing route through the stages: a common path and the near ones merged into it."""

    rank: int
    steps: tuple[Step, ...]  # the most common exact path of the group
    customers: int
    share: float  # of the persona's customers
    variants: int  # distinct exact paths merged into this one (itself included)
    purchased: int
    conversion: float | None  # purchased / customers
    to_purchase: Spread  # days from the first touch to the first purchase
    dropoff: Counts  # stage -> customers lost or stalled there before any purchase
    in_progress: int  # not bought yet, still active
    outcomes: Counts  # status -> customers
    cost_per_customer: float | None


@dataclass(frozen=True, slots=True)
class CostFigures:
    """The cost to serve a group of customers, in ``currency`` ("mixed" if several)."""

    currency: str
    customers: int  # customers whose journey carries a cost
    total: float
    acquisition: float
    service: float
    per_customer: float | None
    acquisition_per_purchase: float | None  # acquisition cost / customers that bought
    service_per_purchase: float | None  # service cost / customers that bought
    by_stage: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class RevenueFigures:
    """Won opportunities' amounts (SuiteCRM's base currency) of a group of customers."""

    customers: int  # customers with a won amount
    total: float
    per_customer: float | None  # per customer with a won amount
    cost_to_revenue: float | None  # those customers' cost to serve / their revenue


@dataclass(frozen=True, slots=True)
class PersonaFigures:
    id: str
    label: str
    customers: int
    share: float | None  # of all customers
    purchased: int
    conversion: float | None
    to_purchase: Spread
    health: Spread
    cost: CostFigures
    revenue: RevenueFigures
    paths: int  # distinct exact paths
    patterns: tuple[Pattern, ...]  # the few that cover most customers, largest first
    covered: float | None  # share of the persona's customers in ``patterns``


@dataclass(frozen=True, slots=True)
class Personas:
    """Per persona: economics and prevailing patterns; ``overall`` has no patterns."""

    tolerance: float
    coverage: float
    limit: int
    overall: PersonaFigures
    personas: tuple[PersonaFigures, ...]


@dataclass(frozen=True, slots=True)
class Report:
    generated_at: datetime
    period: Period
    segment_fields: tuple[str, ...]
    crm_url: str | None
    summary: Summary
    overall: SegmentFigures
    segments: Mapping[str, Mapping[str, SegmentFigures]]  # field -> value -> figures
    time: tuple[StageTime, ...]
    dropoff: DropOff
    channels: Channels
    postsale: PostSale
    personas: Personas | None = None

    @property
    def empty(self) -> bool:
        return self.summary.customers == 0
