"""Which touchpoints get a CJ_Touchpoints record of their own (``touchpoint_records``).

Every save costs a real SuiteCRM 120-180 ms (issue 18: 21,090 touchpoint
records took 43 minutes), while the panel draws the whole timeline from the
journey's ``timeline_json`` and the list filters work on CJ_Journeys. So a
touchpoint record is written only where a record helps people: in the
subpanels, in reports built in SuiteCRM, as a link to the source.

* ``milestones`` (default): the touchpoints that moved the journey to a stage
  (those of its last ``MILESTONES`` transitions) and the ``RECENT`` most recent
  ones: at most eight per customer, whatever its history;
* ``none``: no touchpoint records (the journey record carries everything);
* ``all``: one record per classified touchpoint.

Pure functions of a built journey (``journey_to_dict``'s shape); no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TOUCHPOINT_RECORDS = ("milestones", "none", "all")
DEFAULT_TOUCHPOINT_RECORDS = "milestones"
MILESTONES = 5
RECENT = 3


def selected_keys(journey: Mapping[str, Any], policy: str) -> set[str]:
    """The keys of the touchpoints that get a record under ``policy``."""
    touchpoints = journey.get("touchpoints") or []
    if policy == "all":
        return {str(tp["key"]) for tp in touchpoints}
    if policy == "none":
        return set()
    if policy != "milestones":
        raise ValueError(f"unknown touchpoint_records {policy!r}")
    present = {str(tp["key"]) for tp in touchpoints}
    moved = [
        str(t["touchpoint_key"])
        for t in journey.get("transitions") or []
        if t.get("touchpoint_key") and str(t["touchpoint_key"]) in present
    ]
    keys = set(moved[-MILESTONES:])
    keys.update(str(tp["key"]) for tp in (touchpoints[-RECENT:] if RECENT else []))
    # A stage a person corrected keeps its record, so the correction shows in SuiteCRM.
    keys.update(str(tp["key"]) for tp in touchpoints if tp.get("corrected_from"))
    return keys


def selected(journey: Mapping[str, Any], policy: str) -> dict[str, Any]:
    """The journey with only the touchpoints that get a record (the rest untouched)."""
    if policy == "all":
        return dict(journey)
    keys = selected_keys(journey, policy)
    return {**journey, "touchpoints": [tp for tp in journey["touchpoints"] if tp["key"] in keys]}
