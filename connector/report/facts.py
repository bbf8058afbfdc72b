"""One journey dictionary read once into the facts every report section needs.

``journey_to_dict`` gives strings and nested dictionaries; ``read_facts`` turns
them into typed values (datetimes, the highest stage reached, touchpoints as
small tuples) so that each section of the report reads the journey without
parsing it again. Fields the reader does not know are ignored; missing ones get
neutral defaults, so a journey stored by an older version still reads.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

from connector.journey.model import STAGE_RANK, STAGES
from connector.report.inputs import parse_time


class Touch(NamedTuple):
    """The attributes of one classified touchpoint that the report counts."""

    key: str
    occurred_at: datetime | None
    stage: str
    channel: str
    mode: str
    managed_by: str
    signals: tuple[str, ...]


class Move(NamedTuple):
    """One stage transition: where from (``None`` at the start), where to, by what."""

    from_stage: str | None
    to_stage: str
    at: datetime | None
    touchpoint_key: str


class Facts(NamedTuple):
    """A journey as the report sees it."""

    key: str
    kind: str
    name: str
    status: str
    reason: str
    current_stage: str | None
    health: int
    first_touch: datetime | None
    last_touch: datetime | None
    touchpoint_count: int
    entered: dict[str, datetime | None]
    left: dict[str, datetime | None]
    days: dict[str, float]
    reached: int  # rank of the highest stage entered; -1 when none
    touches: tuple[Touch, ...]
    moves: tuple[Move, ...]


def _touch(item: Mapping[str, Any]) -> Touch:
    return Touch(
        str(item.get("key", "")),
        parse_time(item.get("occurred_at")),
        str(item.get("stage") or ""),
        str(item.get("channel") or "other"),
        str(item.get("mode") or ""),
        str(item.get("managed_by") or ""),
        tuple(str(s) for s in item.get("signals") or ()),
    )


def _move(item: Mapping[str, Any]) -> Move | None:
    to_stage = item.get("to")
    if to_stage not in STAGE_RANK:
        return None
    from_stage = item.get("from")
    return Move(
        from_stage if from_stage in STAGE_RANK else None,
        str(to_stage),
        parse_time(item.get("at")),
        str(item.get("touchpoint_key", "")),
    )


def read_facts(journey: Mapping[str, Any]) -> Facts:
    """The facts of one ``journey_to_dict`` dictionary."""
    stages: Mapping[str, Any] = journey.get("stages") or {}
    entered: dict[str, datetime | None] = {}
    left: dict[str, datetime | None] = {}
    days: dict[str, float] = {}
    reached = -1
    for rank, stage in enumerate(STAGES):
        span: Mapping[str, Any] = stages.get(stage) or {}
        entered[stage] = parse_time(span.get("entered_at"))
        left[stage] = parse_time(span.get("left_at"))
        days[stage] = float(span.get("days") or 0.0)
        if entered[stage] is not None:
            reached = rank
    moves = tuple(m for m in (_move(t) for t in journey.get("transitions") or ()) if m)
    current = journey.get("current_stage")
    health: Mapping[str, Any] = journey.get("health") or {}
    touches = tuple(_touch(t) for t in journey.get("touchpoints") or ())
    return Facts(
        key=str(journey.get("customer_key", "")),
        kind=str(journey.get("customer_kind") or "account"),
        name=str(journey.get("customer_name") or journey.get("customer_key") or ""),
        status=str(journey.get("status") or "active"),
        reason=str(journey.get("status_reason") or ""),
        current_stage=current if current in STAGE_RANK else None,
        health=int(health.get("score") or 0),
        first_touch=parse_time(journey.get("first_touch")),
        last_touch=parse_time(journey.get("last_touch")),
        touchpoint_count=int(journey.get("touchpoint_count") or len(touches)),
        entered=entered,
        left=left,
        days=days,
        reached=reached,
        touches=touches,
        moves=moves,
    )
