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
        # A customer in loyalty is not stalled inside its stage's threshold (400 days)...
        (
            [touchpoint("Emails", "Reclamo", day=30, ident="e9", type="inbound")],
            335,
            "won",
            "purchased",
        ),
        # ...and is after it.
        (
            [touchpoint("Emails", "Reclamo", day=30, ident="e9", type="inbound")],
            432,
            "stalled",
            "no touchpoint for 402 days (loyalty stalls after 400)",
        ),
        # A customer still in the purchase stage stalls after 90 quiet days.
        ([], 113, "stalled", "no touchpoint for 91 days (purchase stalls after 90)"),
        ([], 111, "won", "purchased"),
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


# ---------------------------------------------------------------- time as a salesperson reads it


def prospect(lang: str) -> list[Touchpoint]:
    """A prospect evaluating since day 0, last heard of on day 10."""
    subjects = {
        "en": ("Web form: request for information", "Discovery call", "Product demo"),
        "it": ("Modulo web: richiesta informazioni", "Chiamata conoscitiva", "Demo del prodotto"),
    }[lang]
    return [
        touchpoint("Leads", subjects[0], day=0, ident="l1", lead_source="Web Site"),
        touchpoint("Calls", subjects[1], day=3, ident="k1", status="Held", direction="Inbound"),
        touchpoint("Meetings", subjects[2], day=10, ident="m1", status="Held"),
    ]


# lang, what is added (module, subject, day, fields), now, stage, status, how many set aside
# and upcoming. The prospect is 70 days quiet at day 80: stalled whatever is added.
# fmt: off
QUIET_ROWS: list[tuple[str, str, str, float, dict[str, str], str, int, int]] = [
    ("en", "Meetings", "Closing meeting: final terms", 95, {"status": "Planned"}, "stalled", 0, 1),
    ("it", "Meetings", "Firma del contratto", 95, {"status": "Planned"}, "stalled", 0, 1),
    ("en", "Calls", "Pricing review", 79, {"status": "Not Held", "direction": "Outbound"},
     "stalled", 1, 0),
    ("it", "Calls", "Revisione prezzi", 79, {"status": "Not Held", "direction": "Outbound"},
     "stalled", 1, 0),
    ("en", "Calls", "Follow-up on the quote", 60, {"status": "Planned", "direction": "Outbound"},
     "stalled", 1, 0),
    ("it", "Meetings", "Presentazione offerta", 60, {"status": "Planned"}, "stalled", 1, 0),
    ("en", "Accounts", "Acme S.r.l.", 79, {"account_type": "Customer"}, "stalled", 1, 0),
    ("it", "Contacts", "Maria Rossi", 79, {"lead_source": "Web Site"}, "stalled", 1, 0),
    ("en", "Emails", "Your quote", 79, {"type": "draft", "status": "draft"}, "stalled", 1, 0),
    ("it", "Calls", "Trattativa sul contratto", 79, {"status": "Held", "direction": "Inbound"},
     "active", 0, 0),
]
# fmt: on


@pytest.mark.parametrize(
    ("lang", "module", "subject", "on_day", "fields", "status", "aside", "upcoming"), QUIET_ROWS
)
def test_only_what_happened_and_reached_the_customer_counts(
    lang: str,
    module: str,
    subject: str,
    on_day: float,
    fields: dict[str, str],
    status: str,
    aside: int,
    upcoming: int,
) -> None:
    story = prospect(lang)
    extra = touchpoint(module, subject, day=on_day, ident="x1", values=fields)
    journey = build([*story, extra], now_day=80)
    assert journey.status == status
    assert (len(journey.not_contact), len(journey.upcoming)) == (aside, upcoming)
    if status == "stalled":
        alone = build(story, now_day=80)
        assert (journey.current_stage, journey.status_reason, journey.last_touch) == (
            alone.current_stage,
            alone.status_reason,
            alone.last_touch,
        )
        assert journey.health == alone.health
        assert journey.status_reason == "no touchpoint for 70 days (evaluation stalls after 60)"


def test_a_planned_meeting_is_upcoming_and_drawn_as_what_it_will_be() -> None:
    story = [
        *prospect("en"),
        touchpoint("Meetings", "Final terms discussion", day=90, ident="m9", status="Planned"),
    ]
    journey = build(story, now_day=20)
    assert journey.current_stage == "evaluation" and journey.last_touch == day(10)
    (planned,) = journey.upcoming
    assert (planned.classification.rule_id, planned.classification.stage) == (
        "meeting-decision",
        "decision",
    )
    assert planned.journey_stage == "evaluation"
    data = journey_to_dict(journey)
    assert [u["key"] for u in data["upcoming"]] == ["Meetings:m9"]
    assert "Meetings:m9" not in [t["key"] for t in data["touchpoints"]]
    # Once its day has passed and it was held, it counts.
    held = [*story[:-1], touchpoint("Meetings", "Final terms discussion", day=90, ident="m9",
                                    status="Held")]  # fmt: skip
    assert build(held, now_day=91).current_stage == "decision"


def test_a_closed_lost_is_the_end_even_after_records_are_created() -> None:
    story = [
        *prospect("it"),
        touchpoint("Opportunities", "Fornitura", day=30, ident="o1", sales_stage="Closed Lost"),
        touchpoint("Accounts", "Rossi S.p.A.", day=200, ident="a1", account_type="Customer"),
        touchpoint("Contacts", "Maria Rossi", day=201, ident="c1", lead_source="Email"),
    ]
    journey = build(story, now_day=202)
    assert (journey.status, journey.last_touch) == ("lost", day(30))
    assert [i.touchpoint.key for i in journey.not_contact] == ["Accounts:a1", "Contacts:c1"]


def opportunity(
    closes: str, *, day_opened: float = 5, stage: str = "Proposal/Price Quote"
) -> Touchpoint:
    return touchpoint(
        "Opportunities", "Gestionale", day=day_opened, ident="o1", sales_stage=stage,
        date_closed=closes,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "now_day", "status", "reason"),
    [
        # Expected to close on 2025-01-26 (day 20); 40 days later, nothing since: stalled.
        ([], 60, "stalled",
         "open opportunity Opportunities:o1 was expected to close on 2025-01-26, 40 days ago, "
         "with no touchpoint since"),
        # Within the grace of overdue_opportunity_days (30): still active.
        ([], 45, "active", "last touchpoint 35 days ago (decision stalls after 45)"),
        # Something happened after the expected close date: the deal is being worked.
        ([touchpoint("Emails", "R: proposta", day=30, ident="e1", type="inbound")], 60,
         "active", "last touchpoint 30 days ago (decision stalls after 45)"),
        # A planned call does not rescue it.
        ([touchpoint("Calls", "Follow-up", day=70, ident="k9", status="Planned")], 60,
         "stalled",
         "open opportunity Opportunities:o1 was expected to close on 2025-01-26, 40 days ago, "
         "with no touchpoint since"),
    ],
)  # fmt: skip
def test_an_overdue_open_opportunity_stalls(
    extra: list[Touchpoint], now_day: float, status: str, reason: str
) -> None:
    story = [*prospect("en"), opportunity("2025-01-26"), *extra]
    journey = build(story, now_day=now_day)
    assert journey.current_stage == "decision"
    assert (journey.status, journey.status_reason) == (status, reason)


def test_an_open_opportunity_is_dated_when_opened_and_not_by_its_edits() -> None:
    # The pull dates an open opportunity by date_entered: the touchpoint is day 5
    # whatever its date_modified; a future expected close date is no stall.
    journey = build([*prospect("en"), opportunity("2025-12-31")], now_day=40)
    assert (journey.status, journey.last_touch) == ("active", day(10))


def test_the_first_invoice_after_a_won_deal_is_the_purchase_being_billed() -> None:
    story = [
        *prospect("en"),
        touchpoint("AOS_Quotes", "Q-1", day=20, ident="q1", stage="Closed Accepted"),
        touchpoint("AOS_Contracts", "Contratto", day=21, ident="ct1", status="Signed"),
        touchpoint("AOS_Invoices", "Fattura 1", day=40, ident="i1", status="Paid"),
        touchpoint("AOS_Invoices", "Fattura 2", day=71, ident="i2", status="Paid"),
        touchpoint("AOS_Contracts", "Rinnovo contratto", day=385, ident="ct2", status="Signed"),
    ]
    journey = build(story, now_day=400)
    rules = {i.touchpoint.key: (i.classification.rule_id, i.classification.stage)
             for i in journey.touchpoints}  # fmt: skip
    assert rules["AOS_Contracts:ct1"] == ("contract-with-purchase", "purchase")
    assert rules["AOS_Invoices:i1"] == ("invoice-with-purchase", "purchase")
    assert rules["AOS_Invoices:i2"] == ("invoice-after-purchase", "loyalty")
    assert rules["AOS_Contracts:ct2"] == ("contract-after-purchase", "loyalty")
    assert journey.cycle == 1
    assert [(t.to_stage, t.touchpoint_key) for t in journey.transitions][-2:] == [
        ("purchase", "AOS_Quotes:q1"),
        ("loyalty", "AOS_Invoices:i2"),
    ]


def test_a_renewed_customer_in_loyalty_is_not_stalled_within_a_year() -> None:
    story = [
        touchpoint("AOS_Quotes", "Q-1", day=0, ident="q1", stage="Closed Accepted"),
        touchpoint("Meetings", "Onboarding", day=20, ident="m1", status="Held"),
        touchpoint("Meetings", "Discussione rinnovo", day=360, ident="m2", status="Held"),
    ]
    ten_months = build(story, now_day=360 + 300)
    assert (ten_months.current_stage, ten_months.status) == ("loyalty", "won")
    assert ten_months.health.renewals == 1.0
    assert build(story, now_day=360 + 401).status == "stalled"


def test_each_cycle_has_its_own_rows_with_days_that_match() -> None:
    journey = build(b2b_story(), now_day=410)
    rows = [(v.cycle, v.stage, v.entered_at, v.left_at, v.days) for v in journey.visits]
    assert rows == [
        (1, "awareness", day(0), day(5), 5.0),
        (1, "evaluation", day(5), day(15), 10.0),
        (1, "decision", day(15), day(20), 5.0),
        (1, "purchase", day(20), day(40), 20.0),
        (1, "loyalty", day(40), day(400), 360.0),
        (2, "purchase", day(400), None, 10.0),
    ]
    data = journey_to_dict(journey)
    assert data["visits"][-1] == {
        "stage": "purchase",
        "cycle": 2,
        "entered_at": "2026-02-10T09:00:00Z",
        "left_at": None,
        "days": 10.0,
    }
