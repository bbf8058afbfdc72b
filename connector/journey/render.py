"""Journeys as JSON-ready dictionaries and as text for the terminal.

``journey_to_dict`` is the one serialised shape (the CLI's ``--json``, the
``timeline_json`` the CRM panel draws, the reports): datetimes as ISO 8601 UTC
strings, no Python objects. ``render_timeline_text`` is what
``suitejourney timeline`` prints.

Formatting only; no I/O, no clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connector.journey.model import (
    NOT_A_TOUCHPOINT,
    ClassifiedTouchpoint,
    Doubt,
    Journey,
    Transition,
)

JSONDict = dict[str, Any]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def _touchpoint(item: ClassifiedTouchpoint, doubt: Doubt | None = None) -> JSONDict:
    tp = item.touchpoint
    c = item.classification
    found = {
        "key": tp.key,
        "module": tp.module,
        "source_id": tp.source_id,
        "occurred_at": _iso(tp.occurred_at),
        "subject": tp.subject,
        "stage": c.stage,
        "phase": c.phase,
        "channel": c.channel,
        "mode": c.mode,
        "managed_by": c.managed_by,
        "direction": c.direction,
        "rule_id": c.rule_id,
        "signals": list(c.signals),
        "journey_stage": item.journey_stage,
        "cycle": item.cycle,
    }
    # Only when set, so journeys without corrections or doubts keep their shape.
    if c.corrected_from:
        found["corrected_from"] = c.corrected_from
    if doubt is not None:
        found["review"] = doubt.reason
    return found


def _excluded(item: ClassifiedTouchpoint) -> JSONDict:
    """A touchpoint a person marked "not a touchpoint": the rules' stage kept aside."""
    found = _touchpoint(item)
    found["corrected_from"] = found["stage"]
    found["stage"] = NOT_A_TOUCHPOINT
    return found


def _transition(t: Transition) -> JSONDict:
    return {
        "from": t.from_stage,
        "to": t.to_stage,
        "at": _iso(t.at),
        "touchpoint_key": t.touchpoint_key,
        "rule_id": t.rule_id,
        "reason": t.reason,
        "cycle": t.cycle,
    }


def journey_to_dict(journey: Journey) -> JSONDict:
    """The journey as plain JSON types, keys in a stable order."""
    health = journey.health
    doubts = {d.touchpoint_key: d for d in journey.doubts}
    found = {
        "customer_key": journey.customer_key,
        "customer_kind": journey.customer_kind,
        "customer_name": journey.customer_name,
        "as_of": _iso(journey.now),
        "current_stage": journey.current_stage,
        "status": journey.status,
        "status_reason": journey.status_reason,
        "cycle": journey.cycle,
        "health": {
            "score": health.score,
            "recency": health.recency,
            "engagement": health.engagement,
            "cases": health.cases,
            "resolution": health.resolution,
            "renewals": health.renewals,
        },
        "days_in_stage": journey.days_in_stage,
        "first_touch": _iso(journey.first_touch),
        "last_touch": _iso(journey.last_touch),
        "last_channel": journey.last_channel,
        "touchpoint_count": journey.touchpoint_count,
        "stages": {
            span.stage: {
                "entered_at": _iso(span.entered_at),
                "left_at": _iso(span.left_at),
                "days": span.days,
            }
            for span in journey.stages
        },
        "transitions": [_transition(t) for t in journey.transitions],
        "touchpoints": [
            _touchpoint(item, doubts.get(item.touchpoint.key)) for item in journey.touchpoints
        ],
    }
    if journey.excluded:
        found["excluded"] = [_excluded(item) for item in journey.excluded]
    return found


def _date(value: datetime | None) -> str:
    return "-" if value is None else f"{value:%Y-%m-%d}"


def render_timeline_text(journey: Journey) -> str:
    """The journey for a terminal: summary, stages, transitions, then every touchpoint."""
    h = journey.health
    lines = [
        f"{journey.customer_name} ({journey.customer_key})",
        f"stage {journey.current_stage or '-'} for {journey.days_in_stage:.0f} days, "
        f"cycle {journey.cycle}, status {journey.status} ({journey.status_reason})",
        f"health {h.score}/100 (recency {h.recency:.2f}, engagement {h.engagement:.2f}, "
        f"cases {h.cases:.2f}, resolution {h.resolution:.2f}, renewals {h.renewals:.2f})",
        f"{journey.touchpoint_count} touchpoints from {_date(journey.first_touch)} to "
        f"{_date(journey.last_touch)}, last channel {journey.last_channel or '-'}",
        "",
        f"{'stage':<11} {'entered':<10} {'left':<10} {'days':>8}",
    ]
    for span in journey.stages:
        lines.append(
            f"{span.stage:<11} {_date(span.entered_at):<10} "
            f"{_date(span.left_at):<10} {span.days:>8.1f}"
        )
    lines += ["", "transitions:"]
    for t in journey.transitions:
        lines.append(
            f"  {_date(t.at)}  {t.from_stage or '(start)'} -> {t.to_stage}  "
            f"{t.touchpoint_key} [{t.rule_id}] {t.reason}"
        )
    lines += ["", "touchpoints:"]
    for item in journey.touchpoints:
        tp = item.touchpoint
        c = item.classification
        signals = f" !{','.join(c.signals)}" if c.signals else ""
        fixed = f" corrected in SuiteCRM (rules: {c.corrected_from})" if c.corrected_from else ""
        lines.append(
            f"  {tp.occurred_at:%Y-%m-%d %H:%M}  {c.stage:<10} {c.channel:<8} "
            f"{c.direction:<8} {tp.module:<13} {tp.subject[:40]!r} "
            f"[{c.rule_id}]{signals}{fixed}"
        )
    if journey.excluded:
        lines += ["", "not touchpoints (corrected in SuiteCRM):"]
        for item in journey.excluded:
            tp = item.touchpoint
            lines.append(
                f"  {tp.occurred_at:%Y-%m-%d %H:%M}  {tp.module:<13} {tp.subject[:40]!r} "
                f"[{item.classification.rule_id}] rules: {item.classification.stage}"
            )
    return "\n".join(lines)
