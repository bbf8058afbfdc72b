"""The value types of the journey engine: what goes in, what comes out.

Inputs are ``Touchpoint`` (one SuiteCRM record, normalised by the pull layer) and
``Customer`` (an account, or a contact without account for B2C). Outputs are a
``Classification`` per touchpoint and a ``Journey`` per customer. The closed
vocabularies (stages, phases, channels, modes, managers, directions, signals) are
declared here once, so the mapping validator and the builder agree on them.

This module holds data only: no parsing, no rules, no I/O, no clock.
"""

from __future__ import annotations

from collections import abc
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

STAGES: tuple[str, ...] = ("awareness", "evaluation", "decision", "purchase", "loyalty")
STAGE_RANK: dict[str, int] = {stage: rank for rank, stage in enumerate(STAGES)}
PHASES: tuple[str, ...] = ("pre-purchase", "purchase", "post-purchase")
PHASE_OF_STAGE: dict[str, str] = {
    "awareness": "pre-purchase",
    "evaluation": "pre-purchase",
    "decision": "pre-purchase",
    "purchase": "purchase",
    "loyalty": "post-purchase",
}
CHANNELS: tuple[str, ...] = (
    "email", "phone", "meeting", "web", "social", "campaign",
    "event", "store", "support", "document", "other",
)  # fmt: skip
MODES: tuple[str, ...] = ("online", "offline")
MANAGERS: tuple[str, ...] = ("company", "third_party")
DIRECTIONS: tuple[str, ...] = ("inbound", "outbound", "none")
STATUSES: tuple[str, ...] = ("active", "won", "lost", "stalled", "at_risk")
# What a user can correct a touchpoint to in SuiteCRM: a stage, or "not a touchpoint"
# (the record did not reach the customer; the journey leaves it out).
NOT_A_TOUCHPOINT = "not_a_touchpoint"
CORRECTIONS: tuple[str, ...] = (*STAGES, NOT_A_TOUCHPOINT)
# Why a classification is doubtful, most worrying first (``suitejourney review``).
DOUBTS: tuple[str, ...] = ("conflict", "keyword", "fallback")

# Facts a signal rule can attach to a touchpoint; the builder reads them for the
# status (lost, at risk) and the health score (cases, resolution, renewals).
SIGNALS: tuple[str, ...] = (
    "lost",  # the deal or lead was lost (Closed Lost, Dead)
    "at_risk",  # a post-purchase warning: opt-out, bad survey
    "complaint",  # the customer complains
    "cancellation",  # the customer cancels or threatens to
    "renewal",  # a renewal or a signed renewal contract
    "expansion",  # upsell or cross-sell after a purchase
    "case_open",  # a support case still open
    "case_high_priority",  # an open case with high priority (P1)
    "case_reopened",  # an open case that already has a resolution
    "case_closed",  # a support case closed
)


@dataclass(frozen=True, slots=True)
class Touchpoint:
    """One SuiteCRM record seen as a moment in a customer's journey."""

    key: str  # "<source_module>:<source_id>", e.g. "Calls:4b1f..."
    module: str  # SuiteCRM module name: "Calls", "Opportunities", "AOS_Quotes", ...
    source_id: str
    customer_key: str | None  # "Accounts:<id>" or "Contacts:<id>" (B2C); None for orphans
    occurred_at: datetime  # aware, UTC
    subject: str
    fields: abc.Mapping[str, str]  # SuiteCRM attributes as strings, entities unescaped


@dataclass(frozen=True, slots=True)
class Customer:
    """The party a journey belongs to: an account, or a contact without account."""

    key: str  # "Accounts:<id>" or "Contacts:<id>"
    kind: str  # "account" | "contact"
    name: str
    fields: abc.Mapping[str, str]  # account_type, industry, lead_source, ...


@dataclass(frozen=True, slots=True)
class Classification:
    """The stage and attributes one rule gave one touchpoint."""

    stage: str
    phase: str
    channel: str
    mode: str
    managed_by: str
    direction: str
    rule_id: str
    signals: tuple[str, ...] = ()
    signal_rule_ids: tuple[str, ...] = ()
    # The rules' stage when a correction made in SuiteCRM overrode it ("" otherwise).
    corrected_from: str = ""


@dataclass(frozen=True, slots=True)
class JourneyContext:
    """What the journey looked like just before a touchpoint, for journey conditions."""

    stage: str | None = None  # the customer's stage so far; None before the first touchpoint
    purchased: bool = False  # a purchase happened before this touchpoint
    # within the mapping's purchase_window_days of the purchase that opened the cycle
    purchase_window: bool = False
    open_opportunity: bool = False  # an opportunity seen so far is still open
    customer_kind: str = ""
    customer_type: str = ""  # the account's account_type
    industry: str = ""
    cycle: int = 1


class ClassifiedTouchpoint(NamedTuple):
    """A touchpoint, its classification, and the customer's stage right after it.

    A NamedTuple rather than a frozen dataclass: the builder makes one per
    touchpoint, a million per run, and a tuple is built three times faster.
    """

    touchpoint: Touchpoint
    classification: Classification
    journey_stage: str
    cycle: int


@dataclass(frozen=True, slots=True)
class Doubt:
    """Why the engine is unsure of one touchpoint's classification.

    ``reasons`` are among ``DOUBTS``: ``fallback`` (no specific rule matched: the
    default or a module's catch-all decided), ``keyword`` (a keyword in the text
    was the only evidence), ``conflict`` (another rule of a different stage matched
    too). ``evidence`` says what matched, in words; ``rivals`` are the other
    matching rules and the stage each would give.
    """

    touchpoint_key: str
    reasons: tuple[str, ...]
    rule_id: str
    stage: str
    evidence: tuple[str, ...] = ()
    rivals: tuple[tuple[str, str], ...] = ()

    @property
    def reason(self) -> str:
        """The most worrying reason (the order of ``DOUBTS``)."""
        return min(self.reasons, key=DOUBTS.index)


@dataclass(frozen=True, slots=True)
class Transition:
    """A move of the customer's stage, with the touchpoint and rule that caused it."""

    from_stage: str | None
    to_stage: str
    at: datetime
    touchpoint_key: str
    rule_id: str
    reason: str
    cycle: int


class StageSpan(NamedTuple):
    """When a stage was first entered and last left, and the days spent in it
    over every cycle (``Journey.visits`` has each stay on its own).

    A NamedTuple, like ``ClassifiedTouchpoint``: five per journey, built fast.
    """

    stage: str
    entered_at: datetime | None
    left_at: datetime | None
    days: float


class StageVisit(NamedTuple):
    """One stay in a stage: entered, left (None while the customer is still there),
    and the days between the two (or until ``now``), in one cycle."""

    stage: str
    cycle: int
    entered_at: datetime
    left_at: datetime | None
    days: float


@dataclass(frozen=True, slots=True)
class Health:
    """The health score and its five components, each between 0 and 1."""

    score: int
    recency: float
    engagement: float
    cases: float
    resolution: float
    renewals: float


@dataclass(frozen=True, slots=True)
class CostToServe:
    """What serving one customer has cost, in ``currency`` (see ``journey.cost``)."""

    currency: str
    total: float
    acquisition: float  # up to and including the first purchase
    service: float  # after it
    by_stage: tuple[float, ...]  # per stage of ``STAGES``, by the customer's stage
    priced: int  # touchpoints with a price above zero


@dataclass(frozen=True, slots=True)
class Journey:
    """Everything the product shows about one customer's journey at ``now``."""

    customer_key: str
    customer_kind: str
    customer_name: str
    now: datetime
    touchpoints: tuple[ClassifiedTouchpoint, ...]
    current_stage: str | None
    stages: tuple[StageSpan, ...]
    transitions: tuple[Transition, ...]
    status: str
    status_reason: str
    health: Health
    days_in_stage: float
    first_touch: datetime | None
    last_touch: datetime | None
    last_channel: str | None
    touchpoint_count: int
    cycle: int
    # Every stay in a stage, in order, each in its cycle (the timeline's table).
    visits: tuple[StageVisit, ...] = ()
    # Touchpoints dated after ``now`` (planned calls, meetings, tasks): shown, never
    # counted; classified as what they will be if they happen.
    upcoming: tuple[ClassifiedTouchpoint, ...] = ()
    # Records that did not reach the customer (not held, not sent, record creation):
    # kept aside by a rule with ``contact: false``.
    not_contact: tuple[ClassifiedTouchpoint, ...] = ()
    persona: str = "other"  # the id of the customer's persona (``journey.persona``)
    persona_label: str = "Other customers"
    cost: CostToServe | None = None
    revenue: float | None = None  # won opportunities' amounts, base currency
    # Touchpoints a user marked "not a touchpoint" in SuiteCRM: left out of the journey.
    excluded: tuple[ClassifiedTouchpoint, ...] = ()
    # Classifications the engine is unsure of (when built with a reviewer).
    doubts: tuple[Doubt, ...] = ()

    def span(self, stage: str) -> StageSpan:
        """The span of one of the five stages."""
        return self.stages[STAGE_RANK[stage]]
