"""A journey's summary: the path with the channels that moved it, and the facts beside it."""

from __future__ import annotations

from connector.journey import journey_to_dict
from connector.journey.summary import MAX_STEPS, MORE, journey_path, journey_summary

from .test_builder import b2b_story, build


def test_the_summary_of_the_b2b_story() -> None:
    data = journey_to_dict(build(b2b_story()))
    summary = journey_summary(data)
    # Moves: lead (web) -> call -> e-mail -> accepted quote -> case -> a new cycle's purchase
    # (opportunity, channel other) after loyalty: a stage again, not merged with the first.
    assert summary["path"] == [
        ["awareness", "web"], ["evaluation", "phone"], ["decision", "email"],
        ["purchase", "document"], ["loyalty", "support"], ["purchase", "other"],
    ]  # fmt: skip
    assert summary["persona"] == data["persona"] and summary["cost"] == data["cost"]
    assert (summary["status"], summary["current_stage"], summary["health"]) == (
        "won", "purchase", data["health"]["score"],
    )  # fmt: skip
    assert summary["first_touch"] == data["first_touch"]
    assert summary["purchase_at"] == data["stages"]["purchase"]["entered_at"]


def move(to: str, key: str) -> dict[str, str]:
    return {"to": to, "touchpoint_key": key}


def test_a_stage_entered_again_right_after_itself_is_one_step() -> None:
    journey = {
        "transitions": [move("awareness", "a"), move("purchase", "b"), move("purchase", "c")],
        "touchpoints": [
            {"key": "a", "channel": "web"},
            {"key": "b", "channel": "document"},
            {"key": "c", "channel": "phone"},
            {"key": "d", "channel": "email"},  # moved nothing
        ],
    }
    assert journey_path(journey) == (("awareness", "web"), ("purchase", "document"))


def test_long_paths_end_with_a_marker_and_missing_channels_are_other() -> None:
    stages = ["awareness", "evaluation"] * 6
    journey = {"transitions": [move(s, f"k{i}") for i, s in enumerate(stages)]}
    path = journey_path(journey)
    assert len(path) == MAX_STEPS + 1 and path[-1] == MORE
    assert path[0] == ("awareness", "other")
    assert journey_path({}) == ()
