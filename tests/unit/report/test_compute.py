"""The report's figures on the nine hand-made journeys of ``fixtures``, computed by hand.

Each expected number below is worked out in the comment next to it from the
table in ``fixtures``' docstring (day 0 = 2025-01-01, now = day 200).
"""

from __future__ import annotations

from datetime import date

import pytest

from connector.report import Period, compute_report
from connector.report.figures import PathCount, Report, StageFunnel
from connector.report.stats import Spread, quantile, spread
from tests.unit.report.fixtures import CRM, HOSTILE_INDUSTRY, NOW, journeys


@pytest.fixture(scope="module")
def report() -> Report:
    return compute_report(journeys(), now=NOW, crm_url=CRM)


def test_summary_counts_every_kind_of_customer(report: Report) -> None:
    s = report.summary
    assert s.customers == 9
    assert s.by_kind == {"account": 7, "contact": 1, "lead": 1}
    assert s.touchpoints == 5 + 5 + 3 + 2 + 2 + 1 + 2 + 1
    assert s.without_touchpoints == 1  # India
    assert s.purchased == 4  # Alpha, Bravo, Echo, Golf
    assert s.by_status == {"active": 1, "won": 2, "lost": 1, "stalled": 2, "at_risk": 2}


def test_funnel_counts_a_customer_in_every_stage_up_to_its_highest(report: Report) -> None:
    funnel = report.overall.funnel
    assert funnel.customers == 8  # India has no touchpoint
    assert funnel.stages == (
        # reached: all 8 / A,B,C,D,E,G (E and G skipped stages but went further) / A,B,C,E,G
        # / A,B,E,G / A,B,G; entered: G skipped awareness, E skipped evaluation and decision
        StageFunnel("awareness", 8, 7, 0.75),  # 6 / 8
        StageFunnel("evaluation", 6, 4, 0.8333),  # 5 / 6
        StageFunnel("decision", 5, 3, 0.8),  # 4 / 5
        StageFunnel("purchase", 4, 4, 0.75),  # 3 / 4
        StageFunnel("loyalty", 3, 3, None),
    )
    assert funnel.purchase_rate == 0.5  # 4 / 8; Foxtrot, a lead, counts from awareness


def test_funnel_per_industry(report: Report) -> None:
    industry = report.segments["industry"]
    assert list(industry) == ["Banking", "Retail", HOSTILE_INDUSTRY, "(unknown)"]
    banking = industry["Banking"].funnel  # Alpha, Bravo, Golf (India has no touchpoint)
    assert [r.reached for r in banking.stages] == [3, 3, 3, 3, 3]
    assert banking.purchase_rate == 1.0
    retail = industry["Retail"].funnel  # Charlie (decision), Delta (evaluation)
    assert [r.reached for r in retail.stages] == [2, 2, 1, 0, 0]
    assert [r.conversion_to_next for r in retail.stages] == [1.0, 0.5, 0.0, None, None]
    assert industry["Banking"].to_purchase == Spread(3, 40.0, 88.0)  # [0, 40, 100]
    assert set(report.segments) == {"industry", "account_type", "lead_source"}
    sources = report.segments["lead_source"]
    assert [(k, v.funnel.customers) for k, v in sources.items()] == [
        ("Web Site", 3),  # Alpha, Delta, Foxtrot
        ("Campaign", 2),
        ("Trade Show", 1),
        ("(unknown)", 2),  # Golf, the hostile one
    ]


def test_time_in_stage_uses_finished_stays_and_shows_ongoing_ones(report: Report) -> None:
    times = {t.stage: t for t in report.time}
    # finished awareness stays: A 10, B 20, C 5, D 20, E 3 -> [3, 5, 10, 20, 20]
    # p90 at position 4 x 0.9 = 3.6, between 20 and 20
    assert times["awareness"].completed == Spread(5, 10.0, 20.0)
    # ongoing: Foxtrot 10, the hostile one 50
    assert times["awareness"].ongoing == Spread(2, 30.0, 46.0)
    # A 20, B 40, C 10 -> [10, 20, 40]; p90 at 1.8: 20 + 0.8 x 20
    assert times["evaluation"].completed == Spread(3, 20.0, 36.0)
    assert times["evaluation"].ongoing == Spread(1, 180.0, 180.0)  # Delta, stalled
    # A 10, B 40 -> median 25, p90 at 0.9: 10 + 0.9 x 30
    assert times["decision"].completed == Spread(2, 25.0, 37.0)
    assert times["decision"].ongoing == Spread(0, None, None)  # Charlie is lost: not waiting
    assert times["purchase"].completed == Spread(3, 10.0, 10.0)  # A 10, B 10, G 5
    assert times["loyalty"].completed == Spread(0, None, None)
    # A 150, B 90, G 195 -> [90, 150, 195]; p90 at 1.8: 150 + 0.8 x 45
    assert times["loyalty"].ongoing == Spread(3, 150.0, 186.0)


def test_time_from_first_touch_to_purchase(report: Report) -> None:
    # G 0, E 3, A 40, B 100: median (3 + 40) / 2, p90 at 2.7: 40 + 0.7 x 60
    assert report.overall.to_purchase == Spread(4, 21.5, 82.0)


def test_drop_off_where_journeys_end(report: Report) -> None:
    d = report.dropoff
    assert d.status_by_stage["decision"]["lost"] == 1  # Charlie
    assert d.status_by_stage["evaluation"]["stalled"] == 1  # Delta
    assert d.status_by_stage["awareness"] == {
        "active": 1, "won": 0, "lost": 0, "stalled": 1, "at_risk": 0
    }  # fmt: skip
    assert d.status_by_stage["loyalty"] == {
        "active": 0, "won": 1, "lost": 0, "stalled": 0, "at_risk": 2
    }  # fmt: skip
    assert d.stalled_days["evaluation"]["180-364 days"] == 1  # Delta: day 20 to day 200
    assert d.stalled_days["awareness"]["under 90 days"] == 1  # hostile: day 150 to 200
    assert d.stalled_median_days == {
        "awareness": 50.0, "evaluation": 180.0, "decision": None, "purchase": None,
        "loyalty": None,
    }  # fmt: skip
    moves = {(t.from_stage, t.to_stage): t.count for t in d.transitions}
    assert moves == {
        ("start", "awareness"): 7,
        ("start", "purchase"): 1,  # Golf
        ("awareness", "evaluation"): 4,
        ("awareness", "purchase"): 1,  # Echo
        ("evaluation", "decision"): 3,
        ("decision", "purchase"): 2,
        ("purchase", "loyalty"): 3,
    }


def test_attribution_first_last_and_linear(report: Report) -> None:
    a = report.channels.attribution
    assert (a.purchases, a.attributed) == (4, 3)  # Golf bought on its first touchpoint
    # before the purchase: A campaign, phone, email; B web, meeting, meeting; E event
    assert {k: v for k, v in a.first_touch.items() if v} == {
        "web": 1.0, "campaign": 1.0, "event": 1.0
    }  # fmt: skip
    assert {k: v for k, v in a.last_touch.items() if v} == {
        "email": 1.0, "meeting": 1.0, "event": 1.0
    }  # fmt: skip
    assert {k: v for k, v in a.linear.items() if v} == {
        "email": 0.3333, "phone": 0.3333, "meeting": 0.6667, "web": 0.3333,
        "campaign": 0.3333, "event": 1.0,
    }  # fmt: skip
    assert sum(a.linear.values()) == pytest.approx(3.0, abs=1e-3)


def test_channel_mix_modes_and_managers_per_stage(report: Report) -> None:
    c = report.channels
    assert {k: v for k, v in c.by_stage["awareness"].items() if v} == {
        "email": 1, "web": 3, "campaign": 2, "event": 1
    }  # fmt: skip
    assert c.by_stage["purchase"]["document"] == 4
    assert c.mode["awareness"] == {"online": 6, "offline": 1}
    assert c.mode["loyalty"] == {"online": 1, "offline": 2}
    assert c.managed_by["awareness"] == {"company": 6, "third_party": 1}  # Echo's trade show


def test_paths_with_outcomes(report: Report) -> None:
    stages = report.overall.stage_paths
    full = ("awareness", "evaluation", "decision", "purchase", "loyalty")
    assert stages[:2] == (
        PathCount(("awareness",), 2, {"active": 1, "stalled": 1}),
        PathCount(full, 2, {"at_risk": 1, "won": 1}),
    )
    assert {p.steps for p in stages[2:]} == {
        ("awareness", "evaluation"),
        ("awareness", "evaluation", "decision"),
        ("awareness", "purchase"),
        ("purchase", "loyalty"),
    }
    channels = {p.steps: p.count for p in report.overall.channel_paths}
    assert channels[("campaign", "phone", "email", "document", "support")] == 1  # Alpha
    assert channels[("web", "meeting", "meeting", "document", "support")] == 1  # Bravo
    assert channels[("document", "email")] == 1  # Golf
    assert channels[("web",)] == 1 and channels[("email",)] == 1  # Foxtrot, hostile one


def test_post_sale_health_at_risk_and_pain(report: Report) -> None:
    p = report.postsale
    assert p.customers == 4
    assert p.health == Spread(4, 57.5, 77.0)  # [30, 45, 70, 80]
    assert p.health_buckets == (0, 0, 0, 1, 1, 0, 0, 1, 1, 0)
    assert p.at_risk_total == 2
    assert [(a.name, a.health) for a in p.at_risk] == [("Bravo", 30), ("Golf", 45)]
    assert p.at_risk[0].url == (
        "https://crm.example.com/index.php?module=Accounts&action=DetailView&record=bbbb-2"
    )
    assert p.pain_by_stage["loyalty"] == {
        "case_open": 2, "case_high_priority": 1, "complaint": 1, "cancellation": 0, "any": 3
    }  # fmt: skip
    assert p.pain_by_stage["decision"]["any"] == 0  # "lost" is not a pain signal
    assert p.pain_by_channel == {
        "email": {"case_open": 0, "case_high_priority": 0, "complaint": 1, "cancellation": 0,
                  "any": 1},
        "support": {"case_open": 2, "case_high_priority": 1, "complaint": 0, "cancellation": 0,
                    "any": 2},
    }  # fmt: skip
    # ongoing stays above the p90 of finished ones: hostile 50 > 20, Delta 180 > 36,
    # Echo 197 > 10; decision has no ongoing stay, loyalty no finished one
    waits = {w.stage: (w.threshold_days, w.customers) for w in p.long_waits}
    assert waits == {
        "awareness": (20.0, 1), "evaluation": (36.0, 1), "decision": (37.0, 0),
        "purchase": (10.0, 1), "loyalty": (None, 0),
    }  # fmt: skip


def test_at_risk_list_keeps_the_lowest_health_within_its_limit() -> None:
    report = compute_report(journeys(), now=NOW, at_risk_limit=1)
    assert report.postsale.at_risk_total == 2
    assert [a.name for a in report.postsale.at_risk] == ["Bravo"]
    assert report.postsale.at_risk[0].url is None  # no SuiteCRM site given


@pytest.mark.parametrize(
    ("period", "customers", "outside"),
    [
        (Period(), 9, 0),
        (Period(since=date(2025, 7, 1)), 1, 8),  # day 181: only Foxtrot (day 190)
        (Period(until=date(2025, 1, 1)), 6, 3),  # first touch on day 0; not F, H, India
        (Period(date(2025, 2, 15), date(2025, 4, 15)), 2, 7),  # days 45-104: Alpha, Bravo
        (Period(since=date(2025, 5, 31)), 2, 7),  # day 150 itself: hostile one, Foxtrot
    ],
)
def test_period_keeps_journeys_that_overlap_it(
    period: Period, customers: int, outside: int
) -> None:
    report = compute_report(journeys(), now=NOW, period=period)
    assert (report.summary.customers, report.summary.outside_period) == (customers, outside)


def test_one_segment_field_and_folding_of_small_segments() -> None:
    report = compute_report(journeys(), now=NOW, segment_fields=["industry"], segment_limit=1)
    assert list(report.segments) == ["industry"]
    industry = report.segments["industry"]
    assert list(industry) == ["Banking", "(other)"]  # Retail, unknown, hostile folded
    assert industry["(other)"].funnel.customers == 5


def test_unknown_segment_field_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown segment field"):
        compute_report([], now=NOW, segment_fields=["colour"])


def test_no_journeys_gives_an_empty_report_not_an_error() -> None:
    report = compute_report([], now=NOW)
    assert report.empty
    assert report.overall.funnel.purchase_rate is None
    assert report.overall.to_purchase == Spread(0, None, None)


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([1.0], 0.9, 1.0), ([1.0, 2.0], 0.5, 1.5), ([0.0, 10.0, 20.0, 30.0, 40.0], 0.9, 36.0)],
)
def test_quantile_interpolates_between_ranks(
    values: list[float], q: float, expected: float
) -> None:
    assert quantile(values, q) == pytest.approx(expected)
    assert spread(reversed(values)).n == len(values)
