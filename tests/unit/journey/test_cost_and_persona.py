"""Cost to serve, won revenue and personas: hand-computed on small journeys, and the
``personas:``/``costs:`` blocks of a mapping checked like the rules."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from textwrap import dedent

import pytest

from connector.errors import ConfigurationProblems
from connector.journey import Customer, Touchpoint, build_journey, journey_to_dict, load_mapping
from connector.journey.cost import CostTable
from connector.journey.render import render_timeline_text

from .factories import START, account, default_mapping, touchpoint
from .test_builder import b2b_story, build, day


def with_amounts() -> list[Touchpoint]:
    """The B2B story with amounts on its opportunities (o1 is still open: no revenue)."""
    story = b2b_story()
    amounts = {
        "Opportunities:o1": {"amount": "9000"},
        "Opportunities:o2": {"amount": "11000", "amount_usdollar": "12000.000000"},
        "Opportunities:o3": {"amount": "3,500"},
    }
    return [
        replace(t, fields={**t.fields, **amounts[t.key]}) if t.key in amounts else t for t in story
    ]


def test_cost_to_serve_of_the_b2b_story_by_hand() -> None:
    # default.yaml prices: Leads (web) 0, CampaignLog 0.2, Calls 15, Opportunities 0,
    # Meetings 120 (not on the web), Emails 1, AOS_Quotes 45, Cases 60.
    # Until the accepted quote q1 (the move into purchase), inclusive:
    #   0 + 0.2 + 15 + 0 + 120 + 1 + 15 + 45 = 196.2 acquisition;
    # after it: o2 0, case 60, meeting 120, o3 0 = 180 service.
    journey = build(with_amounts())
    cost = journey.cost
    assert cost is not None
    assert (cost.currency, cost.total, cost.acquisition, cost.service) == (
        "EUR", 376.2, 196.2, 180.0,
    )  # fmt: skip
    # By the customer's stage right after each touchpoint: the second call (k2) is
    # classified evaluation but the customer was in decision, so it costs decision.
    assert cost.by_stage == (0.2, 135.0, 16.0, 45.0, 180.0)
    assert cost.priced == 8
    # Won opportunities o2 (amount_usdollar 12,000 wins over amount) and o3 (3,500).
    assert journey.revenue == 15500.0


def test_a_customer_that_never_bought_costs_only_acquisition() -> None:
    touchpoints = [t for t in b2b_story() if t.occurred_at < day(17)]
    journey = build(touchpoints, now_day=30)
    assert journey.cost is not None
    assert (journey.cost.acquisition, journey.cost.service) == (151.2, 0.0)
    assert journey.revenue is None


@pytest.mark.parametrize(
    ("module", "channel", "price"),
    [
        ("Meetings", "web", 40.0),  # the kind's price for that channel
        ("Meetings", "meeting", 120.0),  # the kind's default
        ("Calls", "event", 15.0),  # a kind with one price keeps it on any channel
        ("Leads", "event", 150.0),  # a kind not listed: the channel's price
        ("Leads", "web", 0.0),  # neither: the table's default
        ("Opportunities", "other", 0.0),
    ],
)
def test_price_precedence(module: str, channel: str, price: float) -> None:
    assert default_mapping().costs.price(module, channel) == price


def test_an_empty_table_prices_nothing() -> None:
    table = CostTable(currency="USD", default=2.5)
    assert table.price("Calls", "phone") == 2.5
    assert CostTable().price("Calls", "phone") == 0.0


def customer(kind: str, **fields: str) -> Customer:
    return Customer(key=f"{kind.title()}s:x", kind=kind, name="X", fields=fields)


@pytest.mark.parametrize(
    ("kind", "fields", "persona"),
    [
        ("lead", {"employees": "5000"}, "prospects"),
        ("contact", {}, "consumers"),
        ("account", {"account_type": "Reseller", "employees": "5000"}, "partners"),
        ("account", {"employees": "5000"}, "enterprise"),
        ("account", {"employees": "1,000"}, "enterprise"),
        ("account", {"annual_revenue": "250,000,000"}, "enterprise"),
        ("account", {"employees": "999"}, "mid-market"),
        ("account", {"employees": "40", "annual_revenue": "12000000"}, "mid-market"),
        ("account", {"employees": "10"}, "small-business"),
        ("account", {"employees": "50-200"}, "accounts-unknown-size"),
        ("account", {}, "accounts-unknown-size"),
    ],
)
def test_default_personas(kind: str, fields: dict[str, str], persona: str) -> None:
    one = touchpoint("Calls", "hello", status="Held", direction="Inbound")
    journey = build_journey(customer(kind, **fields), [one], default_mapping(), START)
    assert journey.persona == persona


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    return path


COMPANY = """
extends: {default}
personas:
  - id: web-italy
    label: Italian web leads
    when:
      lead_source: Web Site
      billing_address_country: {{in: [Italy, Italia]}}
  - id: rest
    label: Everyone else
costs:
  currency: USD
  touchpoints:
    Calls: {{phone: 20, default: 5}}
  channels:
    web: 3
"""


def test_a_company_file_replaces_personas_and_overrides_costs_by_name(tmp_path: Path) -> None:
    default = Path(__file__).resolve().parents[3] / "mappings" / "default.yaml"
    mapping = load_mapping(write(tmp_path, "c.yaml", COMPANY.format(default=default)))
    assert [p.id for p in mapping.personas] == ["web-italy", "rest"]
    costs = mapping.costs
    assert costs.currency == "USD"
    assert (costs.price("Calls", "phone"), costs.price("Calls", "email")) == (20.0, 5.0)
    assert costs.price("Meetings", "meeting") == 120.0  # inherited
    assert costs.price("Leads", "web") == 3.0  # a new channel price
    # The lead source of an account comes from its converted lead.
    lead = touchpoint("Leads", "form", ident="l1", day=0, lead_source="Web Site")
    call = touchpoint("Calls", "intro", ident="k1", day=1, status="Held", direction="Outbound")
    italian = account(billing_address_country="Italy")
    journey = build_journey(italian, [call, lead], mapping, day(5))
    assert (journey.persona, journey.persona_label) == ("web-italy", "Italian web leads")
    assert journey.cost is not None and journey.cost.total == 3.0 + 20.0
    assert journey.cost.currency == "USD"
    german = account(billing_address_country="Germany")
    assert build_journey(german, [lead], mapping, day(5)).persona == "rest"


def test_the_journey_dictionary_and_text_carry_persona_cost_and_revenue() -> None:
    journey = build(with_amounts())
    data = journey_to_dict(journey)
    assert data["persona"] == {"id": "accounts-unknown-size", "label": "Accounts of unknown size"}
    assert data["cost"] == {
        "currency": "EUR",
        "total": 376.2,
        "acquisition": 196.2,
        "service": 180.0,
        "by_stage": {
            "awareness": 0.2, "evaluation": 135.0, "decision": 16.0, "purchase": 45.0,
            "loyalty": 180.0,
        },
        "priced_touchpoints": 8,
    }  # fmt: skip
    assert data["revenue"] == 15500.0
    assert (
        "persona Accounts of unknown size (accounts-unknown-size), cost to serve 376.20 EUR "
        "(acquisition 196.20, service 180.00), won revenue 15,500.00"
    ) in render_timeline_text(journey)


BROKEN = """
personas:
  - id: big
    label: Big
    when: {employes: {gte: 1000}}
  - id: kind
    when: {customer_kind: [account, company]}
  - label: no id
  - id: all
    colour: blue
  - id: big
  - id: after-all
    when: {industry: Banking}
costs:
  currency: ''
  default: -1
  touchpoints:
    Phonecalls: 3
    Calls: {fax: 2, default: cheap}
  channels:
    pigeon: 1
  budget: 10
"""


def test_every_problem_of_broken_personas_and_costs_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", BROKEN)
    with pytest.raises(ConfigurationProblems) as caught:
        load_mapping(path)
    found = str(caught.value)
    expected = {
        "unknown customer field 'employes' in a persona": 4,
        "unknown customer_kind 'company'": 6,
        "a persona needs an 'id'": 7,
        "unknown persona key 'colour'": 9,
        "persona id 'big' is already used at line 2": 10,
        "persona 'after-all' can never match: persona 'all' (line 8)": 11,
        "costs.currency should be a currency code": 14,
        "costs.default should be a cost of zero or more, not -1": 15,
        "unknown touchpoint kind 'Phonecalls' in costs": 17,
        "unknown channel 'fax' in costs": 18,
        "costs.touchpoints.Calls.default should be a number": 18,
        "unknown channel 'pigeon' in costs": 20,
        "unknown key 'budget' in costs": 21,
    }
    for message, line in expected.items():
        assert f"{path}:{line}: {message}" in found, (message, found)
