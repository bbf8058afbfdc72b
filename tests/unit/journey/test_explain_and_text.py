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
    tried = [(a.rule_id, a.matched) for a in explanation.attempts]
    assert tried == [
        ("call-not-held", False),
        ("call-after-purchase", False),
        ("call-decision", False),
        ("call-demo", True),
    ]
    assert explanation.classification == classify(call, CONTEXTS["pre"], default_mapping())
    text = render_explanation(explanation)
    assert "status is 'Held' (wanted 'Not Held')" in text
    assert "journey is before any purchase (wanted after)" in text
    assert "text contains no keyword of keyword list quote, negotiation, contract, order" in text
    assert "MATCH call-demo" in text
    assert f"({DEFAULT_MAPPING}:" in text
    assert "text contains 'demo' (keyword list demo, discovery)" in text
    assert "result: stage evaluation, phase pre-purchase, channel phone" in text


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
    ]
    journey = build_journey(account(), story, default_mapping(), START + timedelta(days=5))
    text = render_timeline_text(journey)
    assert text.splitlines()[0] == "Acme S.r.l. (Accounts:acme)"
    assert "stage purchase for 2 days, cycle 1, status won (purchased)" in text
    assert "2025-01-06  (start) -> awareness  Leads:l1 [lead-from-web]" in text
    assert "purchase    2025-01-09 -          " in text


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
