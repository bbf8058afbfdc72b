"""Properties of journeys that must hold for any touchpoints (hypothesis)."""

from __future__ import annotations

import itertools
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
    every = [*journey.touchpoints, *journey.upcoming, *journey.not_contact]
    assert sorted(i.touchpoint.key for i in every) == sorted(t.key for t in touchpoints)
    assert all(i.touchpoint.occurred_at > NOW for i in journey.upcoming)
    happened = [*journey.touchpoints, *journey.not_contact]
    assert all(i.touchpoint.occurred_at <= NOW for i in happened)
    aside = mapping.not_contact_rule_ids
    assert all(i.classification.rule_id in aside for i in journey.not_contact)
    for item in every:
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


# Records that must never move a stage, reset a clock or decide a status: a call
# not held, a meeting still planned after its date, the creation of the records.
NOT_CONTACT: list[tuple[str, str, dict[str, str]]] = [
    ("Calls", "Firma del contratto", {"status": "Not Held", "direction": "Outbound"}),
    ("Calls", "Renewal call", {"status": "Planned", "direction": "Outbound"}),
    ("Meetings", "Closing meeting: order", {"status": "Planned"}),
    ("Meetings", "Demo del prodotto", {"status": "Not Held"}),
    ("Emails", "Your quote", {"type": "draft", "status": "draft"}),
    ("Accounts", "Acme S.r.l.", {"account_type": "Customer"}),
    ("Contacts", "Maria Rossi", {"lead_source": "Web Site"}),
]


def _verdict(touchpoints: list[Touchpoint]) -> tuple[object, ...]:
    j = build_journey(account(), touchpoints, default_mapping(), NOW)
    return (
        j.current_stage, j.status, j.status_reason, j.health, j.stages, j.visits,
        j.transitions, j.last_touch, j.touchpoint_count, j.days_in_stage,
    )  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(
    touchpoint_specs,
    st.integers(0, len(TEMPLATES) - 1),
    st.integers(1, 24 * 400),
    st.integers(0, len(NOT_CONTACT) - 1),
    st.integers(0, 500 * 24),
)
def test_nothing_upcoming_or_not_contact_changes_the_journey(
    specs: list[tuple[int, int]], template: int, hours_ahead: int, odd: int, odd_hours: int
) -> None:
    touchpoints = make(specs)
    module, subject, fields = TEMPLATES[template]
    planned = Touchpoint(
        f"{module}:planned", module, "planned", "Accounts:acme",
        NOW + timedelta(hours=hours_ahead), subject, fields,
    )  # fmt: skip
    module, subject, fields = NOT_CONTACT[odd]
    aside = Touchpoint(
        f"{module}:aside", module, "aside", "Accounts:acme",
        START + timedelta(hours=odd_hours), subject, fields,
    )  # fmt: skip
    assert _verdict([*touchpoints, planned, aside]) == _verdict(touchpoints)


@settings(max_examples=100, deadline=None)
@given(touchpoint_specs)
def test_each_stay_in_a_stage_has_days_that_match_its_dates(specs: list[tuple[int, int]]) -> None:
    journey = build_journey(account(), make(specs), default_mapping(), NOW)
    visits = journey.visits
    assert len(visits) == len(journey.transitions)
    for visit, following in itertools.pairwise(visits):
        assert visit.left_at == following.entered_at
        assert visit.cycle <= following.cycle
    for visit in visits:
        end = visit.left_at or NOW
        assert abs(visit.days - (end - visit.entered_at).total_seconds() / 86400) < 0.001
    if visits:
        assert visits[-1].left_at is None and visits[-1].stage == journey.current_stage
        assert visits[-1].cycle == journey.cycle
