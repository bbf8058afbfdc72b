"""Corrections win over the rules; doubtful classifications are found; mappings compare."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from connector.journey import (
    NOT_A_TOUCHPOINT,
    Journey,
    Mapping,
    MappingDiff,
    Reviewer,
    Touchpoint,
    build_journey,
    compare_journeys,
    diff_to_dict,
    influence,
    journey_to_dict,
    load_mapping,
    render_diff,
    render_timeline_text,
)

from .factories import DEFAULT_MAPPING, START, account, default_mapping, touchpoint

NOW = START + timedelta(days=30)


def story() -> list[Touchpoint]:
    """A web lead, a discovery call, then a call about a partner's quote (decision)."""
    return [
        touchpoint("Leads", "Web form", day=0, ident="l1", lead_source="Web Site"),
        touchpoint("Calls", "Discovery", day=2, ident="k1", status="Held", direction="Outbound"),
        touchpoint(
            "Calls", "Quote for our partner", day=5, ident="k2", status="Held", direction="Outbound"
        ),
        touchpoint("Calls", "Left a message", day=8, ident="k3", status="Held"),
    ]


def build(
    corrections: dict[str, str] | None = None,
    mapping: Mapping | None = None,
    reviewer: Reviewer | None = None,
) -> Journey:
    return build_journey(
        account(),
        story(),
        mapping or default_mapping(),
        NOW,
        corrections=corrections,
        reviewer=reviewer,
    )


def stage_of(journey: Journey, key: str) -> str:
    return next(i.classification.stage for i in journey.touchpoints if i.touchpoint.key == key)


def test_without_corrections_the_rules_decide() -> None:
    journey = build()
    assert stage_of(journey, "Calls:k2") == "decision"
    assert journey.current_stage == "decision"


def test_a_corrected_stage_wins_and_says_what_the_rules_gave() -> None:
    journey = build({"Calls:k2": "evaluation"})
    item = next(i for i in journey.touchpoints if i.touchpoint.key == "Calls:k2")
    assert item.classification.stage == "evaluation"
    assert item.classification.phase == "pre-purchase"
    assert item.classification.corrected_from == "decision"
    assert item.classification.rule_id == "call-decision"  # the rule is still explained
    assert journey.current_stage == "evaluation"
    data = journey_to_dict(journey)
    entry = next(t for t in data["touchpoints"] if t["key"] == "Calls:k2")
    assert entry["stage"] == "evaluation" and entry["corrected_from"] == "decision"
    assert "corrected in SuiteCRM (rules: decision)" in render_timeline_text(journey)


def test_a_correction_moving_the_stage_forward_is_the_transitions_reason() -> None:
    journey = build({"Calls:k3": "purchase"})
    last = journey.transitions[-1]
    assert (last.to_stage, last.touchpoint_key, last.rule_id) == (
        "purchase",
        "Calls:k3",
        "correction",
    )
    assert "correction made in SuiteCRM" in last.reason
    assert journey.status == "won"


def test_not_a_touchpoint_leaves_it_out_of_the_journey() -> None:
    plain = build()
    journey = build({"Calls:k2": NOT_A_TOUCHPOINT})
    assert journey.touchpoint_count == plain.touchpoint_count - 1
    assert "Calls:k2" not in {i.touchpoint.key for i in journey.touchpoints}
    assert journey.current_stage == "evaluation"
    data = journey_to_dict(journey)
    assert [(e["key"], e["stage"], e["corrected_from"]) for e in data["excluded"]] == [
        ("Calls:k2", NOT_A_TOUCHPOINT, "decision")
    ]
    assert "not touchpoints (corrected in SuiteCRM)" in render_timeline_text(journey)


def test_journeys_without_corrections_keep_their_shape() -> None:
    data = journey_to_dict(build())
    assert "excluded" not in data
    assert all("corrected_from" not in t for t in data["touchpoints"])


def changed_mapping(tmp_path: Path, rule: str) -> Mapping:
    path = tmp_path / "company.yaml"
    path.write_text(f"extends: {DEFAULT_MAPPING}\n{rule}", encoding="utf-8")
    return load_mapping(path)


DEMO_IS_DECISION = """
rules:
  - id: call-demo
    description: Demos are decisions here.
    module: Calls
    when:
      text: {keywords: [demo, discovery]}
    set: {stage: decision}
"""


def test_a_correction_survives_a_rule_change(tmp_path: Path) -> None:
    mapping = changed_mapping(tmp_path, DEMO_IS_DECISION)
    assert build(mapping=mapping).current_stage == "decision"
    journey = build({"Calls:k1": "evaluation", "Calls:k2": "evaluation"}, mapping=mapping)
    assert journey.current_stage == "evaluation"
    # A correction equal to what the rules gave still pins the stage.
    pinned = build({"Calls:k1": "evaluation"})
    assert stage_of(pinned, "Calls:k1") == "evaluation"
    assert (
        next(
            i for i in pinned.touchpoints if i.touchpoint.key == "Calls:k1"
        ).classification.corrected_from
        == "evaluation"
    )


@pytest.mark.parametrize(
    ("key", "reasons", "rule", "rivals"),
    [
        # call-decision won on the keyword "quote"; call-partner-referral matched "partner".
        (
            "Calls:k2",
            ("conflict", "keyword"),
            "call-decision",
            (("call-partner-referral", "awareness"),),
        ),
        ("Calls:k1", ("keyword",), "call-demo", ()),
        # "any other call": the catch-all after the rules that read the record.
        ("Calls:k3", ("fallback",), "call-prospecting", ()),
    ],
)
def test_the_reviewer_finds_doubts_and_says_why(
    key: str, reasons: tuple[str, ...], rule: str, rivals: tuple[tuple[str, str], ...]
) -> None:
    journey = build(reviewer=Reviewer(default_mapping()))
    doubts = {d.touchpoint_key: d for d in journey.doubts}
    doubt = doubts[key]
    assert (doubt.reasons, doubt.rule_id, doubt.rivals) == (reasons, rule, rivals)
    assert doubt.reason == reasons[0]
    if "keyword" in reasons:
        assert any("contains" in text for text in doubt.evidence)
    entry = next(t for t in journey_to_dict(journey)["touchpoints"] if t["key"] == key)
    assert entry["review"] == reasons[0]


def test_sure_and_corrected_classifications_are_not_doubts() -> None:
    journey = build({"Calls:k2": "evaluation"}, reviewer=Reviewer(default_mapping()))
    keys = {d.touchpoint_key for d in journey.doubts}
    assert "Calls:k2" not in keys  # a person decided
    won = build_journey(
        account(),
        [touchpoint("Opportunities", "Deal", ident="o1", sales_stage="Closed Won")],
        default_mapping(),
        NOW,
        reviewer=Reviewer(default_mapping()),
    )
    assert won.doubts == ()


def test_the_default_rule_is_a_fallback() -> None:
    journey = build_journey(
        account(),
        [touchpoint("Bugs", "Crash", ident="b1")],
        default_mapping(),
        NOW,
        reviewer=Reviewer(default_mapping()),
    )
    assert [(d.reasons, d.rule_id) for d in journey.doubts] == [(("fallback",), "stay")]


def test_influence_tells_which_doubts_change_the_current_stage() -> None:
    mapping = default_mapping()
    journey = build(reviewer=Reviewer(mapping))
    doubts = {d.touchpoint_key: d for d in journey.doubts}
    deciding = influence(doubts["Calls:k2"], journey, account(), story(), mapping, NOW)
    assert deciding.changes_stage and deciding.stage_after == "evaluation"
    assert deciding.rank == 0
    quiet = influence(doubts["Calls:k3"], journey, account(), story(), mapping, NOW)
    assert not quiet.changes_stage and quiet.rank > 0


def test_compare_lists_exactly_what_a_changed_rule_changes(tmp_path: Path) -> None:
    old = build()
    new = build(mapping=changed_mapping(tmp_path, DEMO_IS_DECISION))
    changes, customer = compare_journeys(old, new)
    assert [(c.key, c.old_stage, c.new_stage, c.old_rule, c.new_rule) for c in changes] == [
        ("Calls:k1", "evaluation", "decision", "call-demo", "call-demo")
    ]
    assert customer is None  # k2 already made the customer decide
    assert compare_journeys(old, old) == ([], None)


def test_the_diff_adds_up_customers_and_prints(tmp_path: Path) -> None:
    mapping = changed_mapping(tmp_path, DEMO_IS_DECISION)
    early: list[Touchpoint] = story()[:2]  # only the discovery call: evaluation → decision
    diff = MappingDiff(sample=5)
    for touchpoints in (story(), early):
        diff.add(
            build_journey(account(), touchpoints, default_mapping(), NOW),
            build_journey(account(), touchpoints, mapping, NOW),
        )
    assert (diff.customers, diff.changed_touchpoints, diff.changed_customers) == (2, 2, 1)
    assert diff.moves == {("evaluation", "decision"): 2}
    assert diff.stage_moves == {("evaluation", "decision"): 1}
    data = diff_to_dict(diff, "default.yaml", "company.yaml")
    assert data["rule_moves"] == [
        {
            "old_rule": "call-demo",
            "from": "evaluation",
            "new_rule": "call-demo",
            "to": "decision",
            "count": 2,
        }
    ]
    text = render_diff(diff, "default.yaml", "company.yaml")
    assert "touchpoints that change stage: 2" in text
    assert "customers whose current stage changes: 1" in text


def test_an_excluded_touchpoint_counts_as_a_change_of_stage() -> None:
    old = build()
    new = build({"Calls:k3": NOT_A_TOUCHPOINT})
    changes, _ = compare_journeys(old, new)
    assert [(c.key, c.new_stage) for c in changes] == [("Calls:k3", NOT_A_TOUCHPOINT)]


def test_corrections_feed_the_context_of_later_touchpoints() -> None:
    # A purchase corrected in: the case after it is loyalty, not evaluation.
    touchpoints = [
        touchpoint("Calls", "Left a message", day=0, ident="k1", status="Held"),
        touchpoint("Cases", "Login fails", day=3, ident="s1", state="Open", priority="P2"),
    ]
    plain = build_journey(account(), touchpoints, default_mapping(), NOW)
    fixed = build_journey(
        account(), touchpoints, default_mapping(), NOW, corrections={"Calls:k1": "purchase"}
    )
    assert stage_of(plain, "Cases:s1") == "evaluation"
    assert stage_of(fixed, "Cases:s1") == "loyalty"
