"""A journey's summary: the few facts the persona figures and patterns read.

``journey_summary`` takes a ``journey_to_dict`` dictionary and keeps its
persona, cost to serve, won revenue, status, current stage, health score, first
touch, first purchase and path; ``classify`` stores it beside the journey so
``suitejourney patterns`` reads a few hundred bytes per customer instead of
every touchpoint.

The **path** is the stage sequence with, for each stage, the channel of the
touchpoint that moved the customer into it. A stage entered again right after
itself (a new purchase cycle) is one step; a move back shows as a repeated
stage; after ``MAX_STEPS`` steps the rest is ``MORE``.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SUMMARY_VERSION = 1
MAX_STEPS = 8
MORE: tuple[str, str] = ("…", "")
Step = tuple[str, str]


def journey_path(journey: Mapping[str, Any]) -> tuple[Step, ...]:
    """The path of one ``journey_to_dict`` dictionary (see the module docstring)."""
    moves = [t for t in journey.get("transitions") or () if t.get("to")]
    keys = {t.get("touchpoint_key") for t in moves}
    channel_of = {
        tp.get("key"): str(tp.get("channel") or "other")
        for tp in journey.get("touchpoints") or ()
        if tp.get("key") in keys
    }
    steps: list[Step] = []
    for move in moves:
        stage = str(move["to"])
        if steps and steps[-1][0] == stage:
            continue
        steps.append((stage, channel_of.get(move.get("touchpoint_key"), "other")))
    if len(steps) > MAX_STEPS:
        return (*steps[:MAX_STEPS], MORE)
    return tuple(steps)


def journey_summary(journey: Mapping[str, Any]) -> dict[str, Any]:
    """The summary of one ``journey_to_dict`` dictionary, as JSON types."""
    stages: Mapping[str, Any] = journey.get("stages") or {}
    health: Mapping[str, Any] = journey.get("health") or {}
    return {
        "v": SUMMARY_VERSION,
        "persona": journey.get("persona"),
        "cost": journey.get("cost"),
        "revenue": journey.get("revenue"),
        "status": journey.get("status"),
        "current_stage": journey.get("current_stage"),
        "health": health.get("score"),
        "first_touch": journey.get("first_touch"),
        "purchase_at": (stages.get("purchase") or {}).get("entered_at"),
        "path": [list(step) for step in journey_path(journey)],
    }
