"""The report as a JSON document: the shape ``schema.json`` describes.

``report_to_dict`` turns a ``Report`` into plain JSON types, keys in a stable
order; ``render_json`` writes it as text. Durations are days, shares fractions
of 1, times ISO 8601 UTC. The document carries the rules it was computed with
(period rule, attribution models) so a reader of the file alone can tell what
the numbers mean.

Formatting only; no I/O, no clock.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from connector.report.dropoff import STALLED_BUCKETS
from connector.report.figures import (
    Attribution,
    Funnel,
    PathCount,
    Pattern,
    PersonaFigures,
    Personas,
    Report,
    SegmentFigures,
)
from connector.report.personas import PersonaBook
from connector.report.postsale import PAIN_SIGNALS
from connector.report.stats import Spread

JSONDict = dict[str, Any]
FORMAT = "suitejourney-report"
VERSION = 1
PERIOD_RULE = (
    "a journey is included when its first touch is before the end of `until` and its last "
    "touch is on or after `since` (dates inclusive, UTC); it then counts whole"
)
ATTRIBUTION_RULE = (
    "for each customer that reached purchase, the touchpoints before the one that moved it "
    "into purchase share one purchase: first_touch gives it all to the first one's channel, "
    "last_touch to the last one's, linear equal parts to each; share = credit / attributed"
)


PATTERN_RULE = (
    "a path is the stage sequence with the channel of the touchpoint that moved the customer "
    "into each stage; paths within `tolerance` of a more common one join it (a step added or "
    "removed or in another stage costs 1, the same stage through another channel 0.5); the "
    "largest groups are listed until they cover `coverage` of the persona or `limit` are listed"
)
COST_RULE = (
    "acquisition: touchpoints up to and including the first purchase; service: after it; "
    "by_stage: by the customer's stage after each touchpoint; prices from the mapping's costs"
)


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def spread_dict(value: Spread) -> JSONDict:
    return {"n": value.n, "median": value.median, "p90": value.p90}


def funnel_dict(funnel: Funnel) -> JSONDict:
    return {
        "customers": funnel.customers,
        "purchase_rate": funnel.purchase_rate,
        "stages": [
            {
                "stage": row.stage,
                "reached": row.reached,
                "entered": row.entered,
                "conversion_to_next": row.conversion_to_next,
            }
            for row in funnel.stages
        ],
    }


def path_dict(path: PathCount) -> JSONDict:
    return {"steps": list(path.steps), "count": path.count, "outcomes": dict(path.outcomes)}


def paths_dict(figures: SegmentFigures) -> JSONDict:
    return {
        "stages": [path_dict(p) for p in figures.stage_paths],
        "channels": [path_dict(p) for p in figures.channel_paths],
    }


def table(rows: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    return {row: dict(columns) for row, columns in rows.items()}


def attribution_dict(value: Attribution) -> JSONDict:
    models = {
        "first_touch": value.first_touch,
        "last_touch": value.last_touch,
        "linear": value.linear,
    }
    return {
        "rule": ATTRIBUTION_RULE,
        "purchases": value.purchases,
        "attributed": value.attributed,
        "models": {
            name: {
                channel: {
                    "credit": credit,
                    "share": round(credit / value.attributed, 4) if value.attributed else None,
                }
                for channel, credit in credits.items()
            }
            for name, credits in models.items()
        },
    }


def by_segment(report: Report, part: str) -> dict[str, dict[str, JSONDict]]:
    out: dict[str, dict[str, JSONDict]] = {}
    for name, values in report.segments.items():
        out[name] = {}
        for value, figures in values.items():
            if part == "funnel":
                out[name][value] = funnel_dict(figures.funnel)
            elif part == "to_purchase":
                out[name][value] = spread_dict(figures.to_purchase)
            else:
                out[name][value] = paths_dict(figures)
    return out


def pattern_dict(pattern: Pattern) -> JSONDict:
    return {
        "rank": pattern.rank,
        "steps": [{"stage": stage, "channel": channel} for stage, channel in pattern.steps],
        "customers": pattern.customers,
        "share": pattern.share,
        "variants": pattern.variants,
        "purchased": pattern.purchased,
        "conversion": pattern.conversion,
        "to_purchase": spread_dict(pattern.to_purchase),
        "dropoff": dict(pattern.dropoff),
        "in_progress": pattern.in_progress,
        "outcomes": dict(pattern.outcomes),
        "cost_per_customer": pattern.cost_per_customer,
    }


def persona_dict(figures: PersonaFigures) -> JSONDict:
    cost = figures.cost
    revenue = figures.revenue
    return {
        "id": figures.id,
        "label": figures.label,
        "customers": figures.customers,
        "share": figures.share,
        "purchased": figures.purchased,
        "conversion": figures.conversion,
        "to_purchase": spread_dict(figures.to_purchase),
        "health": spread_dict(figures.health),
        "cost": {
            "currency": cost.currency,
            "customers": cost.customers,
            "total": cost.total,
            "acquisition": cost.acquisition,
            "service": cost.service,
            "per_customer": cost.per_customer,
            "acquisition_per_purchase": cost.acquisition_per_purchase,
            "service_per_purchase": cost.service_per_purchase,
            "by_stage": dict(cost.by_stage),
        },
        "revenue": {
            "customers": revenue.customers,
            "total": revenue.total,
            "per_customer": revenue.per_customer,
            "cost_to_revenue": revenue.cost_to_revenue,
        },
        "paths": figures.paths,
        "covered": figures.covered,
        "patterns": [pattern_dict(p) for p in figures.patterns],
    }


def personas_dict(personas: Personas | None) -> JSONDict:
    """The persona figures as JSON types (the report's ``personas``, ``patterns --json``)."""
    personas = personas or PersonaBook().result()
    return {
        "rule": PATTERN_RULE,
        "cost_rule": COST_RULE,
        "tolerance": personas.tolerance,
        "coverage": personas.coverage,
        "limit": personas.limit,
        "overall": persona_dict(personas.overall),
        "personas": [persona_dict(p) for p in personas.personas],
    }


def report_to_dict(report: Report) -> JSONDict:
    """The whole report as JSON types (see ``schema.json``)."""
    s = report.summary
    d = report.dropoff
    c = report.channels
    p = report.postsale
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": iso(report.generated_at),
        "period": {
            "since": None if report.period.since is None else report.period.since.isoformat(),
            "until": None if report.period.until is None else report.period.until.isoformat(),
            "rule": PERIOD_RULE,
        },
        "segment_fields": list(report.segment_fields),
        "crm_url": report.crm_url,
        "summary": {
            "customers": s.customers,
            "by_kind": dict(s.by_kind),
            "touchpoints": s.touchpoints,
            "without_touchpoints": s.without_touchpoints,
            "outside_period": s.outside_period,
            "purchased": s.purchased,
            "by_status": dict(s.by_status),
        },
        "funnel": {
            "overall": funnel_dict(report.overall.funnel),
            "segments": by_segment(report, "funnel"),
        },
        "time": {
            "stages": [
                {
                    "stage": t.stage,
                    "completed": spread_dict(t.completed),
                    "ongoing": spread_dict(t.ongoing),
                }
                for t in report.time
            ],
            "to_purchase": spread_dict(report.overall.to_purchase),
            "to_purchase_by_segment": by_segment(report, "to_purchase"),
        },
        "dropoff": {
            "status_by_stage": table(d.status_by_stage),
            "stalled": {
                "buckets": [name for name, _ in STALLED_BUCKETS],
                "by_stage": table(d.stalled_days),
                "median_days": dict(d.stalled_median_days),
            },
            "transitions": [
                {"from": t.from_stage, "to": t.to_stage, "count": t.count} for t in d.transitions
            ],
        },
        "channels": {
            "by_stage": table(c.by_stage),
            "mode": table(c.mode),
            "managed_by": table(c.managed_by),
            "attribution": attribution_dict(c.attribution),
        },
        "paths": {
            "overall": paths_dict(report.overall),
            "segments": by_segment(report, "paths"),
        },
        "postsale": {
            "customers": p.customers,
            "health": {
                **spread_dict(p.health),
                "buckets": [
                    {"from": i * 10, "to": 100 if i == 9 else i * 10 + 9, "count": n}
                    for i, n in enumerate(p.health_buckets)
                ],
            },
            "at_risk": {
                "total": p.at_risk_total,
                "customers": [
                    {
                        "key": a.key,
                        "name": a.name,
                        "kind": a.kind,
                        "stage": a.stage,
                        "health": a.health,
                        "reason": a.reason,
                        "last_touch": iso(a.last_touch),
                        "url": a.url,
                    }
                    for a in p.at_risk
                ],
            },
            "pain": {
                "signals": list(PAIN_SIGNALS),
                "by_stage": table(p.pain_by_stage),
                "by_channel": table(p.pain_by_channel),
                "long_waits": [
                    {"stage": w.stage, "threshold_days": w.threshold_days, "customers": w.customers}
                    for w in p.long_waits
                ],
            },
        },
        "personas": personas_dict(report.personas),
    }


def render_json(report: Report) -> str:
    """The JSON document as indented UTF-8 text, ending with a newline."""
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
