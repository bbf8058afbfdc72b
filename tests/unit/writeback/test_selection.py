"""Which touchpoints get a CJ_Touchpoints record under each touchpoint_records setting."""

from __future__ import annotations

from typing import Any

import pytest

from connector.writeback.selection import MILESTONES, RECENT, selected, selected_keys


def journey(touchpoints: int, moved_by: list[int]) -> dict[str, Any]:
    return {
        "touchpoints": [{"key": f"Calls:{n}"} for n in range(touchpoints)],
        "transitions": [{"touchpoint_key": f"Calls:{n}"} for n in moved_by]
        + [{"touchpoint_key": None}],  # a transition no touchpoint made (e.g. a stall)
    }


@pytest.mark.parametrize(
    ("touchpoints", "moved_by", "expected"),
    [
        (0, [], set()),
        (3, [0], {0, 1, 2}),
        (40, [0, 7, 20], {0, 7, 20, 37, 38, 39}),
        (40, [38, 39], {37, 38, 39}),
        (40, [1, 2, 3, 4, 5, 6, 7], {3, 4, 5, 6, 7, 37, 38, 39}),  # the last 5 moves
    ],
)
def test_milestones_are_the_stage_moves_and_the_most_recent(
    touchpoints: int, moved_by: list[int], expected: set[int]
) -> None:
    assert selected_keys(journey(touchpoints, moved_by), "milestones") == {
        f"Calls:{n}" for n in expected
    }


def test_milestones_are_bounded_whatever_the_history() -> None:
    big = journey(20_000, list(range(0, 20_000, 100)))
    assert len(selected_keys(big, "milestones")) <= MILESTONES + RECENT


def test_none_and_all() -> None:
    j = journey(12, [0, 5])
    assert selected_keys(j, "none") == set()
    assert selected_keys(j, "all") == {f"Calls:{n}" for n in range(12)}
    assert selected(j, "all")["touchpoints"] == j["touchpoints"]
    assert [tp["key"] for tp in selected(j, "none")["touchpoints"]] == []


def test_a_transition_to_a_touchpoint_not_in_the_journey_is_ignored() -> None:
    j = journey(2, [])
    j["transitions"] = [{"touchpoint_key": "Calls:elsewhere"}]
    assert selected_keys(j, "milestones") == {"Calls:0", "Calls:1"}


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="touchpoint_records"):
        selected_keys(journey(1, []), "some")
