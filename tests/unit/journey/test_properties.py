"""Properties of journeys that must hold for any touchpoints (hypothesis)."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from connector.journey import STAGES, Touchpoint, build_journey, journey_to_dict

from .factories import NOW, START, account, default_mapping

# Records that reach most default rules: (module, subject, fields).
TEMPLATES: list[tuple[str, str, dict[str, str]]] = [
    ("Leads", "Modulo web", {"lead_source": "Web Site", "status": "New"}),
    ("Leads", "Partner lead", {"lead_source": "Partner", "status": "Dead"}),
    ("CampaignLog", "Newsletter", {"activity_type": "targeted"}),
    ("CampaignLog", "Newsletter", {"activity_type": "removed"}),
    ("Calls", "Chiamata conoscitiva", {"status": "Held", "direction": "Outbound"}),
    ("Calls", "Left a message", {"status": "Held", "direction": "Inbound"}),
    ("Calls", "Reclamo", {"status": "Not Held", "direction": "Inbound"}),
    ("Meetings", "Demo del prodotto", {"status": "Held"}),
    ("Meetings", "Rinnovo annuale", {"status": "Held"}),
    ("Emails", "Il vostro preventivo", {"type": "out", "status": "sent"}),
    ("Emails", "Disdetta del contratto", {"type": "inbound", "status": "read"}),
    ("Opportunities", "Deal", {"sales_stage": "Prospecting"}),
    ("Opportunities", "Deal", {"sales_stage": "Negotiation/Review"}),
    ("Opportunities", "Deal", {"sales_stage": "Closed Won"}),
    ("Opportunities", "Deal", {"sales_stage": "Closed Lost"}),
    ("AOS_Quotes", "Q", {"stage": "Delivered"}),
    ("AOS_Quotes", "Q", {"stage": "Closed Accepted"}),
    ("AOS_Invoices", "INV", {"status": "Paid"}),
    ("AOS_Contracts", "Contratto", {"status": "Signed"}),
    ("Cases", "Server down", {"state": "Open", "priority": "P1"}),
    ("Cases", "Slow", {"state": "Closed", "priority": "P3", "resolution": "ok"}),
    ("Tasks", "Send proposal", {"status": "Completed"}),
    ("Notes", "Call notes", {}),
]

touchpoint_specs = st.lists(
    st.tuples(st.integers(0, len(TEMPLATES) - 1), st.integers(0, 400 * 24)),
    min_size=0,
    max_size=25,
)


def make(specs: list[tuple[int, int]]) -> list[Touchpoint]:
    found = []
    for number, (template, hours) in enumerate(specs):
        module, subject, fields = TEMPLATES[template]
        found.append(
            Touchpoint(
                key=f"{module}:{number:03d}",
                module=module,
                source_id=f"{number:03d}",
                customer_key="Accounts:acme",
                occurred_at=START + timedelta(hours=hours),
                subject=subject,
                fields=fields,
            )
        )
    return found


def journey_of(touchpoints: list[Touchpoint]) -> dict[str, object]:
    return journey_to_dict(build_journey(account(), touchpoints, default_mapping(), NOW))


@settings(max_examples=150, deadline=None)
@given(touchpoint_specs)
def test_entry_dates_follow_the_order_of_the_stages(specs: list[tuple[int, int]]) -> None:
    journey = build_journey(account(), make(specs), default_mapping(), NOW)
    entered = [s.entered_at for s in journey.stages if s.entered_at is not None]
    assert entered == sorted(entered)
    assert 0 <= journey.health.score <= 100


@settings(max_examples=150, deadline=None)
@given(touchpoint_specs)
def test_every_touchpoint_gets_one_stage_and_one_rule(specs: list[tuple[int, int]]) -> None:
    mapping = default_mapping()
    touchpoints = make(specs)
    journey = build_journey(account(), touchpoints, mapping, NOW)
    rule_ids = {r.id for r in mapping.rules} | {mapping.default.id}
    assert sorted(i.touchpoint.key for i in journey.touchpoints) == sorted(
        t.key for t in touchpoints
    )
    for item in journey.touchpoints:
        assert item.classification.stage in STAGES
        assert item.classification.rule_id in rule_ids
    times = [(i.touchpoint.occurred_at, i.touchpoint.key) for i in journey.touchpoints]
    assert times == sorted(times)
    stage_after = {i.touchpoint.key: i.journey_stage for i in journey.touchpoints}
    for transition in journey.transitions:
        assert stage_after[transition.touchpoint_key] == transition.to_stage
    if journey.transitions:
        assert journey.current_stage == journey.transitions[-1].to_stage


@settings(max_examples=100, deadline=None)
@given(touchpoint_specs, st.randoms(use_true_random=False))
def test_journeys_do_not_depend_on_input_order(
    specs: list[tuple[int, int]], rng: random.Random
) -> None:
    touchpoints = make(specs)
    shuffled = list(touchpoints)
    rng.shuffle(shuffled)
    assert journey_of(shuffled) == journey_of(touchpoints)


@settings(max_examples=100, deadline=None)
@given(touchpoint_specs, st.integers(0, len(TEMPLATES) - 1), st.integers(1, 24 * 30))
def test_a_later_touchpoint_never_changes_earlier_ones(
    specs: list[tuple[int, int]], template: int, hours_after: int
) -> None:
    touchpoints = make(specs)
    last = max((t.occurred_at for t in touchpoints), default=START)
    module, subject, fields = TEMPLATES[template]
    later = Touchpoint(
        key=f"{module}:zzz",
        module=module,
        source_id="zzz",
        customer_key="Accounts:acme",
        occurred_at=last + timedelta(hours=hours_after),
        subject=subject,
        fields=fields,
    )
    # No default rule depends on the future, so nothing earlier may change.
    before = build_journey(account(), touchpoints, default_mapping(), NOW).touchpoints
    after = build_journey(account(), [*touchpoints, later], default_mapping(), NOW).touchpoints
    assert after[: len(before)] == before
