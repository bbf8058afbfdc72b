"""Journeys built from realistic touchpoints: stages, transitions, cycles, status, health."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from connector.journey import (
    Customer,
    Journey,
    Mapping,
    Touchpoint,
    build_journey,
    context_at,
    journey_to_dict,
    load_mapping,
)

from .factories import DEFAULT_MAPPING, START, account, default_mapping, touchpoint


def day(n: float) -> datetime:
    return START + timedelta(days=n)


def b2b_story() -> list[Touchpoint]:
    """A customer found through the web site, who buys, then buys again a year later."""
    return [
        touchpoint(
            "Leads",
            "Modulo web: richiesta informazioni",
            day=0,
            ident="l1",
            lead_source="Web Site",
            status="Converted",
        ),
        touchpoint("CampaignLog", "Webinar", day=2, ident="c1", activity_type="link"),
        touchpoint(
            "Calls", "Chiamata conoscitiva", day=5, ident="k1", status="Held", direction="Outbound"
        ),
        touchpoint(
            "Opportunities", "Gestionale 50 utenti", day=6, ident="o1", sales_stage="Prospecting"
        ),
        touchpoint("Meetings", "Demo del prodotto", day=10, ident="m1", status="Held"),
        touchpoint("Emails", "Il vostro preventivo", day=15, ident="e1", type="out", status="sent"),
        touchpoint(
            "Calls", "Left a message", day=16, ident="k2", status="Held", direction="Outbound"
        ),
        touchpoint("AOS_Quotes", "Q-2025-17", day=20, ident="q1", stage="Closed Accepted"),
        touchpoint(
            "Opportunities",
            "Gestionale 50 utenti - firma",
            day=22,
            ident="o2",
            sales_stage="Closed Won",
        ),
        touchpoint(
            "Cases",
            "Impossibile accedere",
            day=40,
            ident="s1",
            state="Open",
            status="Open_Assigned",
            priority="P2",
        ),
        touchpoint("Meetings", "Revisione trimestrale", day=60, ident="m2", status="Held"),
        touchpoint("Opportunities", "Modulo HR", day=400, ident="o3", sales_stage="Closed Won"),
    ]


def build(
    touchpoints: list[Touchpoint], now_day: float = 410, mapping: Mapping | None = None
) -> Journey:
    return build_journey(
        account(account_type="Customer"),
        touchpoints,
        mapping or default_mapping(),
        START + timedelta(days=now_day),
    )


def test_the_story_of_a_customer() -> None:
    journey = build(b2b_story())
    stages = [
        (item.touchpoint.key, item.classification.stage, item.journey_stage)
        for item in journey.touchpoints
    ]
    assert stages == [
        ("Leads:l1", "awareness", "awareness"),
        ("CampaignLog:c1", "awareness", "awareness"),
        ("Calls:k1", "evaluation", "evaluation"),
        ("Opportunities:o1", "evaluation", "evaluation"),
        ("Meetings:m1", "evaluation", "evaluation"),
        ("Emails:e1", "decision", "decision"),
        ("Calls:k2", "evaluation", "decision"),  # the stage does not move back
        ("AOS_Quotes:q1", "purchase", "purchase"),
        ("Opportunities:o2", "purchase", "purchase"),  # the same deal: no new cycle
        ("Cases:s1", "loyalty", "loyalty"),
        ("Meetings:m2", "loyalty", "loyalty"),
        ("Opportunities:o3", "purchase", "purchase"),  # a year later: cycle 2
    ]
    moves = [
        (t.from_stage, t.to_stage, t.touchpoint_key, t.rule_id, t.cycle)
        for t in journey.transitions
    ]
    assert moves == [
        (None, "awareness", "Leads:l1", "lead-from-web", 1),
        ("awareness", "evaluation", "Calls:k1", "call-demo", 1),
        ("evaluation", "decision", "Emails:e1", "email-decision", 1),
        ("decision", "purchase", "AOS_Quotes:q1", "quote-accepted", 1),
        ("purchase", "loyalty", "Cases:s1", "case-after-purchase", 1),
        ("loyalty", "purchase", "Opportunities:o3", "opportunity-won", 2),
    ]
    assert journey.transitions[-1].reason == (
        "a new purchase 378 days after the previous one starts cycle 2"
    )
    assert journey.current_stage == "purchase"
    assert journey.cycle == 2
    assert journey.status == "won"
    assert journey.days_in_stage == 10
    assert journey.first_touch == day(0)
    assert journey.last_touch == day(400)
    assert journey.last_channel == "other"
    assert journey.touchpoint_count == 12
    spans = {s.stage: (s.entered_at, s.left_at, s.days) for s in journey.stages}
    assert spans == {
        "awareness": (day(0), day(5), 5.0),
        "evaluation": (day(5), day(15), 10.0),
        "decision": (day(15), day(20), 5.0),
        "purchase": (day(20), None, 20.0 + 10.0),
        "loyalty": (day(40), day(400), 360.0),
    }


def test_the_journey_is_json_ready() -> None:
    data = journey_to_dict(build(b2b_story()))
    text = json.dumps(data)
    assert json.loads(text) == data
    assert data["stages"]["awareness"]["entered_at"] == "2025-01-06T09:00:00Z"
    assert data["transitions"][0] == {
        "from": None,
        "to": "awareness",
        "at": "2025-01-06T09:00:00Z",
        "touchpoint_key": "Leads:l1",
        "rule_id": "lead-from-web",
        "reason": "first touchpoint of the journey",
        "cycle": 1,
    }
    assert data["touchpoints"][9]["signals"] == ["case_open"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "company.yaml"
    path.write_text(f"extends: {DEFAULT_MAPPING}\n{text}", encoding="utf-8")
    return path


def test_a_mapping_may_let_the_stage_move_back(tmp_path: Path) -> None:
    mapping = load_mapping(write(tmp_path, "settings: {allow_backwards: true}\n"))
    journey = build(b2b_story()[:7], now_day=17, mapping=mapping)
    assert journey.current_stage == "evaluation"
    last = journey.transitions[-1]
    assert (last.from_stage, last.to_stage, last.touchpoint_key) == (
        "decision",
        "evaluation",
        "Calls:k2",
    )
    assert last.reason == "moved back: the mapping sets allow_backwards"


def test_a_rule_may_let_the_stage_move_back(tmp_path: Path) -> None:
    mapping = load_mapping(
        write(
            tmp_path,
            """
rules:
  - id: requalified
    description: a requalification call sends the deal back to evaluation
    module: Calls
    when:
      text: {contains: [requalification, riqualifica]}
    set: {stage: evaluation}
    allow_backwards: true
""",
        )
    )
    story = [
        *b2b_story()[:6],
        touchpoint("Calls", "Riqualifica del cliente", day=17, ident="k3", status="Held"),
    ]
    journey = build(story, now_day=18, mapping=mapping)
    last = journey.transitions[-1]
    assert (last.to_stage, last.rule_id, last.reason) == (
        "evaluation",
        "requalified",
        "moved back: rule requalified sets allow_backwards",
    )


def test_a_new_opportunity_after_a_purchase_is_expansion() -> None:
    story = [
        *b2b_story()[:9],
        touchpoint(
            "Opportunities", "Licenze aggiuntive", day=30, ident="o9", sales_stage="Qualification"
        ),
    ]
    journey = build(story, now_day=31)
    last = journey.touchpoints[-1].classification
    assert (last.stage, last.rule_id, last.signals) == (
        "loyalty",
        "opportunity-expansion",
        ("expansion",),
    )
    assert journey.current_stage == "loyalty"


@pytest.mark.parametrize(
    ("extra", "now_day", "status", "reason"),
    [
        ([], 25, "won", "purchased"),
        (
            [touchpoint("Cases", "Server down", day=30, ident="s9", state="Open", priority="P1")],
            31,
            "at_risk",
            "open high-priority case Cases:s9",
        ),
        (
            [
                touchpoint(
                    "Cases",
                    "Export",
                    day=30,
                    ident="s9",
                    state="Open",
                    priority="P3",
                    resolution="Fixed in 2.1",
                )
            ],
            31,
            "at_risk",
            "reopened case Cases:s9",
        ),
        (
            [touchpoint("Emails", "Disdetta del contratto", day=30, ident="e9", type="inbound")],
            40,
            "at_risk",
            "cancellation signal at Emails:e9 on 2025-02-05",
        ),
        (
            [touchpoint("Emails", "Reclamo", day=30, ident="e9", type="inbound")],
            215,
            "stalled",
            "no touchpoint for 185 days (threshold 180)",
        ),
    ],
)
def test_status_after_a_purchase(
    extra: list[Touchpoint], now_day: float, status: str, reason: str
) -> None:
    journey = build([*b2b_story()[:9], *extra], now_day=now_day)
    assert (journey.status, journey.status_reason) == (status, reason)


def test_status_before_a_purchase() -> None:
    lost = touchpoint("Opportunities", "Gara", day=18, ident="o1", sales_stage="Closed Lost")
    story = b2b_story()[:6]
    assert build([*story, lost], now_day=19).status == "lost"
    later = touchpoint("Calls", "Left a message", day=19, ident="k9", status="Held")
    assert build([*story, lost, later], now_day=20).status == "active"
    assert build(story, now_day=15 + 61).status == "stalled"
    assert build(story, now_day=16).status == "active"


def test_a_customer_without_touchpoints() -> None:
    journey = build([], now_day=1)
    assert (journey.current_stage, journey.status, journey.touchpoint_count) == (None, "active", 0)
    assert journey.health.score == 40  # no cases (20), nothing to resolve (15), renewals 0.5 (5)
    assert (journey.health.recency, journey.health.engagement) == (0.0, 0.0)


def test_the_health_score_formula() -> None:
    story = [
        touchpoint("AOS_Quotes", "Q-1", day=0, ident="q1", stage="Closed Accepted"),
        touchpoint("Cases", "Server down", day=10, ident="s1", state="Open", priority="P1"),
        touchpoint("Cases", "Slow", day=12, ident="s2", state="Closed", priority="P3"),
        touchpoint("Meetings", "Discussione rinnovo", day=20, ident="m1", status="Held"),
    ]
    health = build(story, now_day=30).health
    assert (
        health.recency,
        health.engagement,
        health.cases,
        health.resolution,
        health.renewals,
    ) == (0.8889, 0.6667, 0.5, 0.5, 1.0)
    # 30 x 0.8889 + 25 x 0.6667 + 20 x 0.5 + 15 x 0.5 + 10 x 1 = 70.8
    assert health.score == 71


def test_cancellation_after_renewal_zeroes_the_renewal_component() -> None:
    story = [
        touchpoint("AOS_Quotes", "Q-1", day=0, ident="q1", stage="Closed Accepted"),
        touchpoint("Meetings", "Rinnovo annuale", day=10, ident="m1", status="Held"),
        touchpoint("Emails", "Disdetta", day=20, ident="e1", type="inbound"),
    ]
    assert build(story, now_day=21).health.renewals == 0.0


def test_b2c_contact_and_context_at() -> None:
    customer = Customer(key="Contacts:c1", kind="contact", name="Maria Rossi", fields={})
    story = [
        touchpoint(
            t.module,
            t.subject,
            day=(t.occurred_at - START).days,
            ident=t.source_id,
            customer="Contacts:c1",
            values=dict(t.fields),
        )
        for t in b2b_story()
    ]
    journey = build_journey(customer, story, default_mapping(), START + timedelta(days=410))
    assert journey.customer_kind == "contact"
    context = context_at(customer, story, default_mapping(), "Cases:s1")
    assert (context.stage, context.purchased, context.customer_kind) == (
        "purchase",
        True,
        "contact",
    )
    before = context_at(customer, story, default_mapping(), "Leads:l1")
    assert (before.stage, before.purchased) == (None, False)
