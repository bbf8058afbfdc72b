"""Nine hand-made customer journeys, shaped like ``journey_to_dict``, for the report tests.

Day 0 is 2025-01-01 (UTC) and the report's ``now`` is day 200. Each touchpoint
is (day, stage, channel, moves the customer into its stage?, signals). Mode
follows the channel (phone, meeting, event and support are offline) and every
touchpoint is company-managed except Echo's trade-show event (third party).

    customer    kind     industry  type      source      touchpoints (day stage channel)  status
    A Alpha     account  Banking   Customer  Web Site    0 aw campaign, 10 ev phone,      won 80
                                                         30 dec email, 40 pur document,
                                                         50 loy support [case_open]
    B Bravo     account  Banking   Customer  Campaign    0 aw web, 20 ev meeting,         at_risk 30
                                                         60 dec meeting, 100 pur document,
                                                         110 loy support [case_open,
                                                         case_high_priority]
    C Charlie   account  Retail    Prospect  Campaign    0 aw campaign, 5 ev email,       lost
                                                         15 dec phone [lost]
    D Delta     account  Retail    Prospect  Web Site    0 aw web, 20 ev email            stalled
    E Echo      contact  -         -         Trade Show  0 aw event, 3 pur document       won 70
    F Foxtrot   lead     -         -         Web Site    190 aw web                       active
    G Golf      account  Banking   Customer  -           0 pur document,                 at_risk 45
                                                         5 loy email [complaint]
    H <hostile> account  <hostile> Prospect  -           150 aw email                     stalled
    I India     account  Banking   -         -           no touchpoints                   active

(the number after a status is the health score; 50 when not given)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from connector.journey.model import STAGES
from connector.report.inputs import JourneyInput

T0 = datetime(2025, 1, 1, tzinfo=UTC)
NOW = T0 + timedelta(days=200)
CRM = "https://crm.example.com"
HOSTILE_NAME = '<script>alert("x")</script> & Co'
HOSTILE_INDUSTRY = "<img src=x onerror=alert(1)>"
OFFLINE = {"phone", "meeting", "event", "support"}

Touch = tuple[int, str, str, bool, tuple[str, ...]]


def iso(day: float) -> str:
    return (T0 + timedelta(days=day)).isoformat().replace("+00:00", "Z")


def journey(
    key: str,
    name: str,
    kind: str,
    status: str,
    touches: list[Touch],
    health: int = 50,
    third_party: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """A journey dictionary with spans and transitions derived from the touchpoints."""
    moves = [
        (day, stage, f"{key}:t{i}") for i, (day, stage, _, move, _) in enumerate(touches) if move
    ]
    stages: dict[str, dict[str, Any]] = {
        s: {"entered_at": None, "left_at": None, "days": 0.0} for s in STAGES
    }
    transitions = []
    previous: str | None = None
    for n, (day, stage, touch_key) in enumerate(moves):
        following = moves[n + 1][0] if n + 1 < len(moves) else 200
        span = stages[stage]
        span["entered_at"] = span["entered_at"] or iso(day)
        span["left_at"] = iso(following) if n + 1 < len(moves) else None
        span["days"] += float(following - day)
        transitions.append(
            {"from": previous, "to": stage, "at": iso(day), "touchpoint_key": touch_key,
             "rule_id": "r", "reason": "", "cycle": 1}
        )  # fmt: skip
        previous = stage
    points = [
        {
            "key": f"{key}:t{i}", "module": "Calls", "source_id": f"t{i}",
            "occurred_at": iso(day), "subject": "", "stage": stage, "phase": "",
            "channel": channel, "mode": "offline" if channel in OFFLINE else "online",
            "managed_by": "third_party" if f"{key}:t{i}" in third_party else "company",
            "direction": "none", "rule_id": "r", "signals": list(signals),
            "journey_stage": stage, "cycle": 1,
        }
        for i, (day, stage, channel, _, signals) in enumerate(touches)
    ]  # fmt: skip
    return {
        "customer_key": key,
        "customer_kind": kind,
        "customer_name": name,
        "as_of": iso(200),
        "current_stage": previous,
        "status": status,
        "status_reason": f"{status} for a reason",
        "cycle": 1,
        "health": {
            "score": health,
            "recency": 0,
            "engagement": 0,
            "cases": 1,
            "resolution": 1,
            "renewals": 0.5,
        },
        "days_in_stage": 0.0,
        "first_touch": iso(touches[0][0]) if touches else None,
        "last_touch": iso(touches[-1][0]) if touches else None,
        "last_channel": touches[-1][2] if touches else None,
        "touchpoint_count": len(touches),
        "stages": stages,
        "transitions": transitions,
        "touchpoints": points,
    }


def profile(industry: str = "", account_type: str = "", lead_source: str = "") -> dict[str, str]:
    fields = {"industry": industry, "account_type": account_type, "lead_source": lead_source}
    return {k: v for k, v in fields.items() if v}


def journeys() -> list[JourneyInput]:
    """The nine customers of the module docstring."""
    return [
        JourneyInput(journey("Accounts:aaaa-1", "Alpha", "account", "won", [
            (0, "awareness", "campaign", True, ()),
            (10, "evaluation", "phone", True, ()),
            (30, "decision", "email", True, ()),
            (40, "purchase", "document", True, ()),
            (50, "loyalty", "support", True, ("case_open",)),
        ], health=80), profile("Banking", "Customer", "Web Site")),
        JourneyInput(journey("Accounts:bbbb-2", "Bravo", "account", "at_risk", [
            (0, "awareness", "web", True, ()),
            (20, "evaluation", "meeting", True, ()),
            (60, "decision", "meeting", True, ()),
            (100, "purchase", "document", True, ()),
            (110, "loyalty", "support", True, ("case_open", "case_high_priority")),
        ], health=30), profile("Banking", "Customer", "Campaign")),
        JourneyInput(journey("Accounts:cccc-3", "Charlie", "account", "lost", [
            (0, "awareness", "campaign", True, ()),
            (5, "evaluation", "email", True, ()),
            (15, "decision", "phone", True, ("lost",)),
        ]), profile("Retail", "Prospect", "Campaign")),
        JourneyInput(journey("Accounts:dddd-4", "Delta", "account", "stalled", [
            (0, "awareness", "web", True, ()),
            (20, "evaluation", "email", True, ()),
        ]), profile("Retail", "Prospect", "Web Site")),
        JourneyInput(journey("Contacts:eeee-5", "Echo", "contact", "won", [
            (0, "awareness", "event", True, ()),
            (3, "purchase", "document", True, ()),
        ], health=70, third_party=frozenset({"Contacts:eeee-5:t0"})),
            profile(lead_source="Trade Show")),
        JourneyInput(journey("Leads:ffff-6", "Foxtrot", "lead", "active", [
            (190, "awareness", "web", True, ()),
        ]), profile(lead_source="Web Site")),
        JourneyInput(journey("Accounts:gggg-7", "Golf", "account", "at_risk", [
            (0, "purchase", "document", True, ()),
            (5, "loyalty", "email", True, ("complaint",)),
        ], health=45), profile("Banking", "Customer")),
        JourneyInput(journey("Accounts:bad id<x>", HOSTILE_NAME, "account", "stalled", [
            (150, "awareness", "email", True, ()),
        ]), profile(HOSTILE_INDUSTRY, "Prospect")),
        JourneyInput(journey("Accounts:iiii-9", "India", "account", "active", []),
                     profile("Banking")),
    ]  # fmt: skip
