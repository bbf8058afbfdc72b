"""Persona figures and prevailing patterns, computed by hand on ``persona_fixtures``."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connector.journey.summary import journey_summary
from connector.report import JourneyInput, compute_report, render_html, render_report_csv
from connector.report.document import personas_dict
from connector.report.figures import PersonaFigures, Personas
from connector.report.patterns import (
    Group,
    Histogram,
    PathStats,
    group_paths,
    path_distance,
    path_text,
)
from connector.report.patterns import Path as Steps
from connector.report.personas import compute_personas
from connector.report.stats import spread
from tests.unit.report.fixtures import NOW
from tests.unit.report.persona_fixtures import persona_journeys

P1 = (("awareness", "campaign"), ("evaluation", "meeting"), ("decision", "email"),
      ("purchase", "document"))  # fmt: skip
P5 = (("awareness", "web"), ("evaluation", "email"))


def summaries() -> list[dict[str, Any]]:
    return [journey_summary(j) for j in persona_journeys()]


def by_id(personas: Personas) -> dict[str, PersonaFigures]:
    return {p.id: p for p in personas.personas}


@pytest.fixture(scope="module")
def personas() -> Personas:
    return compute_personas(summaries())


def test_personas_in_order_with_their_share(personas: Personas) -> None:
    assert [(p.id, p.customers, p.share) for p in personas.personas] == [
        ("smb", 10, 0.7692), ("ent", 2, 0.1538), ("(unknown)", 1, 0.0769),
    ]  # fmt: skip
    assert by_id(personas)["(unknown)"].label == "Persona not computed yet"
    overall = personas.overall
    assert (overall.customers, overall.purchased, overall.conversion) == (13, 6, 0.4615)
    assert overall.patterns == ()  # patterns are per persona
    assert (overall.cost.customers, overall.cost.total, overall.cost.currency) == (
        12, 2920.2, "EUR",
    )  # fmt: skip
    assert (overall.revenue.customers, overall.revenue.total) == (5, 200_000.0)


def test_small_business_economics_by_hand(personas: Personas) -> None:
    smb = by_id(personas)["smb"]
    assert (smb.purchased, smb.conversion) == (5, 0.5)
    # days to purchase 40, 50, 60, 30, 60 -> 30 40 50 60 60
    assert (smb.to_purchase.n, smb.to_purchase.median, smb.to_purchase.p90) == (5, 50.0, 60.0)
    # health 20 30 40 50 55 60 70 80 80 90: median (55 + 60) / 2, p90 at 8.1 -> 80 + 0.1 x 10
    assert (smb.health.median, smb.health.p90) == (57.5, 81.0)
    c = smb.cost
    assert (c.currency, c.customers, c.total, c.acquisition, c.service) == (
        "EUR", 10, 1820.2, 1540.2, 280.0,
    )  # fmt: skip
    assert (c.per_customer, c.acquisition_per_purchase, c.service_per_purchase) == (
        182.02, 308.04, 56.0,
    )  # fmt: skip
    assert c.by_stage == {"awareness": 80.2, "evaluation": 765.0, "decision": 325.0,
                          "purchase": 490.0, "loyalty": 160.0}  # fmt: skip
    r = smb.revenue
    # s1-s3 10,000 each and s7 20,000; their costs 3 x 300 + 420 = 1,320
    assert (r.customers, r.total, r.per_customer, r.cost_to_revenue) == (
        4, 50_000.0, 12_500.0, 0.0264,
    )  # fmt: skip


def test_small_business_patterns_by_hand(personas: Personas) -> None:
    smb = by_id(personas)["smb"]
    assert smb.paths == 6
    first, second = smb.patterns
    # P1 (3 customers) takes P3 (one step less), P2 (one more) and P4 (another channel).
    assert first.steps == P1
    assert (first.rank, first.customers, first.share, first.variants) == (1, 7, 0.7, 4)
    assert (first.purchased, first.conversion) == (5, 0.7143)
    assert (first.to_purchase.median, first.to_purchase.p90) == (50.0, 60.0)
    assert (dict(first.dropoff), first.in_progress) == ({"decision": 2}, 0)
    assert dict(first.outcomes) == {"lost": 1, "stalled": 1, "won": 5}
    assert first.cost_per_customer == 254.29  # (900 + 360 + 420 + 100) / 7
    # P5 (2) is two steps from P1 and takes P6 (one step less).
    assert second.steps == P5
    assert (second.customers, second.share, second.variants, second.conversion) == (
        3, 0.3, 2, 0.0,
    )  # fmt: skip
    assert (dict(second.dropoff), second.in_progress, second.cost_per_customer) == (
        {"evaluation": 1}, 2, 13.4,
    )  # fmt: skip
    assert second.to_purchase.n == 0 and second.to_purchase.median is None
    assert smb.covered == 1.0  # 7 < 80% of 10, so the second pattern is listed too


def test_tolerance_zero_lists_exact_paths_until_the_coverage(personas: Personas) -> None:
    exact = by_id(compute_personas(summaries(), tolerance=0))["smb"]
    assert [(p.customers, p.variants) for p in exact.patterns] == [(3, 1), (2, 1), (2, 1), (1, 1)]
    assert exact.patterns[0].steps == P1 and exact.patterns[2].steps == P5
    assert exact.covered == 0.8
    one = by_id(compute_personas(summaries(), limit=1))["smb"]
    assert [p.customers for p in one.patterns] == [7] and one.covered == 0.7


def test_enterprise_patterns_and_costs(personas: Personas) -> None:
    ent = by_id(personas)["ent"]
    assert ent.label == "Enterprise <b>&</b> co"
    assert [(len(p.steps), p.customers, p.conversion) for p in ent.patterns] == [
        (2, 1, 0.0), (5, 1, 1.0),
    ]  # fmt: skip
    assert (ent.cost.total, ent.cost.acquisition_per_purchase, ent.revenue.cost_to_revenue) == (
        1100.0, 1000.0, 0.0053,
    )  # fmt: skip
    assert (ent.health.median, ent.health.p90) == (55.0, 67.0)


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        (P1, P1, 0.0),
        (P1, (P1[0], ("evaluation", "phone"), *P1[2:]), 0.5),  # another channel
        (P1, (P1[0], ("decision", "meeting"), *P1[2:]), 1.0),  # another stage
        (P1, P1[:3], 1.0),  # a step less
        (P1, (*P1, ("loyalty", "support")), 1.0),  # a step more
        (P5, P5[::-1], 2.0),  # two steps in the other order
        ((), P1, 4.0),
    ],
)
def test_path_distance(a: Steps, b: Steps, distance: float) -> None:
    assert path_distance(a, b) == distance == path_distance(b, a)


def test_distance_stops_early_beyond_the_limit() -> None:
    assert path_distance(P1, P5, limit=1.0) > 1.0
    assert path_text(P5) == "awareness (web) > evaluation (email)"


@given(st.lists(st.floats(min_value=0, max_value=900, allow_nan=False), max_size=40))
def test_histogram_quantiles_equal_the_exact_ones_on_rounded_values(values: list[float]) -> None:
    histogram = Histogram(1)
    for value in values:
        histogram.add(value)
    assert histogram.spread() == spread([round(v, 1) for v in values])


def test_the_report_carries_the_personas_in_every_format() -> None:
    report = compute_report([JourneyInput(j) for j in persona_journeys()], now=NOW)
    assert report.personas == compute_personas(summaries())
    rows = list(csv.DictReader(io.StringIO(render_report_csv(report))))
    cell = {(r["section"], r["segment"], r["metric"], r["key"]): r["value"] for r in rows}
    pattern = (
        "1. awareness (campaign) > evaluation (meeting) > decision (email) > purchase (document)"
    )
    assert cell[("patterns", "persona=smb", "conversion", pattern)] == "0.7143"
    assert cell[("patterns", "persona=smb", "dropoff", pattern + "/decision")] == "2"
    assert cell[("personas", "persona=smb", "cost_per_customer", "EUR")] == "182.02"
    assert cell[("personas", "persona=smb", "customers", "Small businesses")] == "10"
    assert cell[("personas", "all", "revenue_total", "")] == "200000.0"
    page = render_html(report)
    assert '<section id="personas">' in page and page.count('<svg class="path"') == 5  # 2 + 2 + 1
    assert "Enterprise &lt;b&gt;&amp;&lt;/b&gt; co" in page and "<b>&</b>" not in page
    assert "182 EUR" in page and "254 EUR" in page  # per customer; per customer of pattern 1
    assert personas_dict(report.personas)["personas"][0]["patterns"][0]["steps"][0] == {
        "stage": "awareness", "channel": "campaign",
    }  # fmt: skip


def brute_force_groups(paths: dict[Steps, PathStats], tolerance: float) -> list[Group]:
    """The grouping rule written plainly: every path against every group started so far."""
    groups: list[Group] = []
    for path, stats in sorted(paths.items(), key=lambda kv: (-kv[1].customers, kv[0])):
        near = [(path_distance(g.steps, path), g.order) for g in groups]
        within = [(d, order) for d, order in near if d <= tolerance]
        if within:
            group = groups[min(within)[1]]
            group.stats.merge(stats)
            group.variants += 1
        else:
            own = PathStats()
            own.merge(stats)
            groups.append(Group(path, own, len(groups)))
    return sorted(groups, key=lambda g: (-g.stats.customers, g.steps))


STEPS = st.tuples(
    st.sampled_from(["awareness", "evaluation", "decision", "purchase", "loyalty"]),
    st.sampled_from(["email", "phone", "meeting"]),
)


@given(
    st.dictionaries(st.lists(STEPS, max_size=5).map(tuple), st.integers(1, 4), max_size=25),
    st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 2.5]),
)
def test_grouping_by_stage_sequence_finds_what_a_full_scan_finds(
    counts: dict[Steps, int], tolerance: float
) -> None:
    paths: dict[Steps, PathStats] = {}
    for path, n in counts.items():
        stats = paths[path] = PathStats()
        for _ in range(n):
            stats.add("active", None, None, None)
    groups, rest = group_paths(paths, tolerance)
    assert rest.customers == 0
    found = [(g.steps, g.stats.customers, g.variants) for g in groups]
    expected = brute_force_groups(paths, tolerance)
    assert found == [(g.steps, g.stats.customers, g.variants) for g in expected]
