"""Explanations, the timeline text, and keyword matching without case or accents."""

from __future__ import annotations

from datetime import timedelta

import pytest

from connector.journey import (
    JourneyContext,
    build_journey,
    classify,
    explain,
    render_explanation,
    render_timeline_text,
)
from connector.journey.text import keyword_pattern, normalise

from .factories import CONTEXTS, DEFAULT_MAPPING, START, account, default_mapping, touchpoint


def test_explain_lists_the_rules_tried_and_why() -> None:
    call = touchpoint("Calls", "Demo del prodotto", status="Held", direction="Outbound")
    explanation = explain(call, CONTEXTS["pre"], default_mapping())
    tried = [(a.rule_id, a.priority, a.matched) for a in explanation.attempts]
    assert tried == [
        ("call-not-held", 100, False),
        ("call-planned-past", 100, False),
        ("call-demo", 50, True),
    ]
    assert [a.rule_id for a in explanation.outranked] == ["call-prospecting"]
    assert explanation.classification == classify(call, CONTEXTS["pre"], default_mapping())
    text = render_explanation(explanation)
    assert "rules tried, highest priority first, then in file order" in text
    assert "no    call-not-held [priority 100, contact: false]" in text
    assert "status is 'Held' (wanted 'Not Held')" in text
    assert "journey is before any purchase (wanted after the first purchase)" in text
    assert "MATCH call-demo [priority 50]" in text
    assert f"({DEFAULT_MAPPING}:" in text
    assert "text contains 'demo' (keyword list demo, discovery)" in text
    assert "result: stage evaluation, phase pre-purchase, channel phone" in text
    assert "not contact: the winning rule" not in text


@pytest.mark.parametrize(
    ("subject", "winner", "outranked"),
    [
        ("Product demo: order tracking", "meeting-demo", "meeting-decision"),
        ("Demo: tracciamento ordini", "meeting-demo", "meeting-decision"),
        ("Webinar: contract management", "meeting-demo", "meeting-decision"),
        ("Reclamo sul preventivo", "activity-complaint", "meeting-decision"),
        ("Complaint about the order", "activity-complaint", "meeting-decision"),
    ],
)
def test_a_specific_activity_outranks_a_generic_keyword(
    subject: str, winner: str, outranked: str
) -> None:
    meeting = touchpoint("Meetings", subject, status="Held")
    explanation = explain(meeting, CONTEXTS["open"], default_mapping())
    assert explanation.classification.rule_id == winner
    assert outranked in [a.rule_id for a in explanation.outranked]
    text = render_explanation(explanation)
    assert f"MATCH {winner} [priority 50]" in text
    assert "also matching, outranked by the winner" in text
    assert f"  {outranked}  (" in text


def test_explain_a_record_that_is_not_contact_and_one_upcoming() -> None:
    planned = touchpoint("Meetings", "Product demo", status="Planned")
    past = explain(planned, CONTEXTS["pre"], default_mapping())
    assert (past.classification.rule_id, past.contact) == ("meeting-planned-past", False)
    assert "not contact: the winning rule sets contact: false" in render_explanation(past)
    ahead = explain(planned, CONTEXTS["pre"], default_mapping(), upcoming=True)
    assert (ahead.classification.rule_id, ahead.contact) == ("meeting-demo", True)
    assert "meeting-planned-past" not in [a.rule_id for a in ahead.attempts]
    assert "upcoming: dated after now" in render_explanation(ahead)


def test_explain_shows_signal_rules() -> None:
    case = touchpoint("Cases", "Reclamo", state="Open", priority="P1")
    text = render_explanation(explain(case, CONTEXTS["post"], default_mapping()))
    assert "ADDS  case-high-priority" in text
    assert "ADDS  complaint" in text
    assert "signals: case_open, case_high_priority, complaint" in text


def test_an_orphan_gets_the_empty_context() -> None:
    orphan = touchpoint("Calls", "Left a message", customer=None, status="Held")
    assert classify(orphan, JourneyContext(), default_mapping()).stage == "awareness"


def test_timeline_text() -> None:
    story = [
        touchpoint("Leads", "Modulo web", day=0, ident="l1", lead_source="Web Site"),
        touchpoint("AOS_Quotes", "Q-1", day=3, ident="q1", stage="Closed Accepted"),
        touchpoint("Accounts", "Acme S.r.l.", day=4, ident="a1", account_type="Customer"),
        touchpoint("Meetings", "Kick-off", day=9, ident="m1", status="Planned"),
    ]
    journey = build_journey(account(), story, default_mapping(), START + timedelta(days=5))
    text = render_timeline_text(journey)
    assert text.splitlines()[0] == "Acme S.r.l. (Accounts:acme)"
    assert "stage purchase for 2 days, cycle 1, status won (purchased)" in text
    assert "2 touchpoints from 2025-01-06 to 2025-01-09, last channel document; 1 upcoming" in text
    assert "2025-01-06  (start) -> awareness  Leads:l1 [lead-from-web]" in text
    assert "    1  awareness   2025-01-06 2025-01-09      3.0" in text
    assert "    1  purchase    2025-01-09 -               2.0" in text
    assert "upcoming (after 2025-01-11 09:00 UTC, not counted yet):" in text
    assert "'Kick-off' [meeting-after-purchase]" in text
    assert "not contact (kept aside: moved no stage, reset no clock):" in text
    assert "'Acme S.r.l.' [account-record]" in text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Il vostro PREVENTIVO", "preventivo"),
        ("Offérta economica", "offerta"),
        ("preventivi allegati", "preventivi"),
        ("Prova   gratuita attivata", "prova   gratuita"),
        ("unpreventivo", None),
        ("Quotes", "quotes"),
        ("quoted", None),
    ],
)
def test_keywords_ignore_case_and_accents_and_match_whole_words(
    text: str, found: str | None
) -> None:
    pattern = keyword_pattern(
        ("preventiv*", "offerta", "prova", "prova gratuita", "quote", "quotes")
    )
    match = pattern.search(normalise(text))
    assert (match.group(0) if match else None) == found


def test_normalise() -> None:
    assert normalise("Disdétta PERCHÉ") == "disdetta perche"
    assert normalise("Straße") == "strasse"
