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
    STAGES,
    ClassifiedTouchpoint,
    CostToServe,
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


def cost_to_dict(cost: CostToServe | None) -> JSONDict | None:
    """The cost to serve as JSON types (None when the journey was built without one)."""
    if cost is None:
        return None
    return {
        "currency": cost.currency,
        "total": cost.total,
        "acquisition": cost.acquisition,
        "service": cost.service,
        "by_stage": dict(zip(STAGES, cost.by_stage, strict=True)),
        "priced_touchpoints": cost.priced,
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
        "persona": {"id": journey.persona, "label": journey.persona_label},
        "cost": cost_to_dict(journey.cost),
        "revenue": journey.revenue,
        "stages": {
            span.stage: {
                "entered_at": _iso(span.entered_at),
                "left_at": _iso(span.left_at),
                "days": span.days,
            }
            for span in journey.stages
        },
        "visits": [
            {
                "stage": v.stage,
                "cycle": v.cycle,
                "entered_at": _iso(v.entered_at),
                "left_at": _iso(v.left_at),
                "days": v.days,
            }
            for v in journey.visits
        ],
        "transitions": [_transition(t) for t in journey.transitions],
        "touchpoints": [
            _touchpoint(item, doubts.get(item.touchpoint.key)) for item in journey.touchpoints
        ],
        "upcoming": [_touchpoint(item) for item in journey.upcoming],
        "not_contact": [_touchpoint(item) for item in journey.not_contact],
    }
    if journey.excluded:
        found["excluded"] = [_excluded(item) for item in journey.excluded]
    return found


def _date(value: datetime | None) -> str:
    return "-" if value is None else f"{value:%Y-%m-%d}"


def _touch_line(item: ClassifiedTouchpoint) -> str:
    tp = item.touchpoint
    c = item.classification
    signals = f" !{','.join(c.signals)}" if c.signals else ""
    fixed = f" corrected in SuiteCRM (rules: {c.corrected_from})" if c.corrected_from else ""
    return (
        f"  {tp.occurred_at:%Y-%m-%d %H:%M}  {c.stage:<10} {c.channel:<8} "
        f"{c.direction:<8} {tp.module:<13} {tp.subject[:40]!r} "
        f"[{c.rule_id}]{signals}{fixed}"
    )


def _value_line(journey: Journey) -> str:
    line = f"persona {journey.persona_label} ({journey.persona})"
    cost = journey.cost
    if cost is not None:
        line += (
            f", cost to serve {cost.total:,.2f} {cost.currency} (acquisition "
            f"{cost.acquisition:,.2f}, service {cost.service:,.2f})"
        )
    if journey.revenue is not None:
        line += f", won revenue {journey.revenue:,.2f}"
    return line


def render_timeline_text(journey: Journey) -> str:
    """The journey for a terminal: summary, each stay in a stage (by cycle), transitions,
    every touchpoint, then what is upcoming and what did not count as contact."""
    h = journey.health
    lines = [
        f"{journey.customer_name} ({journey.customer_key})",
        f"stage {journey.current_stage or '-'} for {journey.days_in_stage:.0f} days, "
        f"cycle {journey.cycle}, status {journey.status} ({journey.status_reason})",
        f"health {h.score}/100 (recency {h.recency:.2f}, engagement {h.engagement:.2f}, "
        f"cases {h.cases:.2f}, resolution {h.resolution:.2f}, renewals {h.renewals:.2f})",
        f"{journey.touchpoint_count} touchpoints from {_date(journey.first_touch)} to "
        f"{_date(journey.last_touch)}, last channel {journey.last_channel or '-'}"
        + (f"; {len(journey.upcoming)} upcoming" if journey.upcoming else ""),
        _value_line(journey),
        "",
        f"{'cycle':>5}  {'stage':<11} {'entered':<10} {'left':<10} {'days':>8}",
    ]
    for visit in journey.visits:
        lines.append(
            f"{visit.cycle:>5}  {visit.stage:<11} {_date(visit.entered_at):<10} "
            f"{_date(visit.left_at):<10} {visit.days:>8.1f}"
        )
    lines += ["", "transitions:"]
    for t in journey.transitions:
        lines.append(
            f"  {_date(t.at)}  {t.from_stage or '(start)'} -> {t.to_stage}  "
            f"{t.touchpoint_key} [{t.rule_id}] {t.reason}"
        )
    lines += ["", "touchpoints:"]
    lines.extend(_touch_line(item) for item in journey.touchpoints)
    if journey.upcoming:
        lines += ["", f"upcoming (after {journey.now:%Y-%m-%d %H:%M} UTC, not counted yet):"]
        lines.extend(_touch_line(item) for item in journey.upcoming)
    if journey.not_contact:
        lines += ["", "not contact (kept aside: moved no stage, reset no clock):"]
        lines.extend(_touch_line(item) for item in journey.not_contact)
    if journey.excluded:
        lines += ["", "not touchpoints (corrected in SuiteCRM):"]
        for item in journey.excluded:
            tp = item.touchpoint
            lines.append(
                f"  {tp.occurred_at:%Y-%m-%d %H:%M}  {tp.module:<13} {tp.subject[:40]!r} "
                f"[{item.classification.rule_id}] rules: {item.classification.stage}"
            )
    return "\n".join(lines)
