"""The report as one long CSV table: ``section,segment,metric,key,value``.

Every figure of the JSON document is one row, so spreadsheets and BI tools can
pivot it: ``segment`` is ``all``, ``<field>=<value>`` (``industry=Banking``) or
``persona=<id>``, ``key`` names the row of a figure (a stage, a channel,
``decision/lost`` for a cell of a stage x status table, a path joined with
`` > ``, a pattern as ``<rank>. <stage> (<channel>) > …``, a persona's label on
its ``customers`` row, the currency on its ``cost_*`` rows), ``value`` is the
number (empty for "no data") or, for at-risk customers' names, reasons and
links, the text. Same numbers as ``document.report_to_dict``.

Formatting only; no I/O beyond the string it returns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from connector.report.document import report_to_dict
from connector.report.figures import Report

HEADER = ("section", "segment", "metric", "key", "value")
ALL = "all"
Row = tuple[str, str, str, str, Any]
SUMMARY_COUNTS = ("customers", "touchpoints", "without_touchpoints", "outside_period", "purchased")


def _cells(section: str, segment: str, metric: str, rows: Mapping[str, Any]) -> Iterator[Row]:
    for row, columns in rows.items():
        for column, value in columns.items():
            yield section, segment, metric, f"{row}/{column}", value


def _spread(section: str, segment: str, metric: str, key: str, spread: Any) -> Iterator[Row]:
    for part in ("n", "median", "p90"):
        yield section, segment, f"{metric}_{part}", key, spread[part]


def _funnel(segment: str, funnel: Any) -> Iterator[Row]:
    yield "funnel", segment, "customers", "", funnel["customers"]
    yield "funnel", segment, "purchase_rate", "", funnel["purchase_rate"]
    for row in funnel["stages"]:
        for metric in ("reached", "entered", "conversion_to_next"):
            yield "funnel", segment, metric, row["stage"], row[metric]


def _paths(segment: str, paths: Any) -> Iterator[Row]:
    for kind in ("stages", "channels"):
        for path in paths[kind]:
            key = " > ".join(path["steps"])
            yield "paths", segment, f"{kind}_path", key, path["count"]
            for status, count in path["outcomes"].items():
                yield "paths", segment, f"{kind}_path_outcome", f"{key}/{status}", count


def _segments(doc_part: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    for name, values in doc_part.items():
        for value, figures in values.items():
            yield f"{name}={value}", figures


def iter_rows(doc: Mapping[str, Any]) -> Iterator[Row]:
    """The rows of the table from the JSON document (``report_to_dict``)."""
    s = doc["summary"]
    for metric in SUMMARY_COUNTS:
        yield "summary", ALL, metric, "", s[metric]
    for metric in ("by_kind", "by_status"):
        for key, value in s[metric].items():
            yield "summary", ALL, metric, key, value
    yield from _funnel(ALL, doc["funnel"]["overall"])
    for segment, funnel in _segments(doc["funnel"]["segments"]):
        yield from _funnel(segment, funnel)
    t = doc["time"]
    for row in t["stages"]:
        yield from _spread("time", ALL, "completed", row["stage"], row["completed"])
        yield from _spread("time", ALL, "ongoing", row["stage"], row["ongoing"])
    yield from _spread("time", ALL, "to_purchase", "", t["to_purchase"])
    for segment, spread in _segments(t["to_purchase_by_segment"]):
        yield from _spread("time", segment, "to_purchase", "", spread)
    d = doc["dropoff"]
    yield from _cells("dropoff", ALL, "status_by_stage", d["status_by_stage"])
    yield from _cells("dropoff", ALL, "stalled_days", d["stalled"]["by_stage"])
    for stage, value in d["stalled"]["median_days"].items():
        yield "dropoff", ALL, "stalled_median_days", stage, value
    for move in d["transitions"]:
        yield "dropoff", ALL, "transitions", f"{move['from']}/{move['to']}", move["count"]
    c = doc["channels"]
    for metric in ("by_stage", "mode", "managed_by"):
        yield from _cells("channels", ALL, metric, c[metric])
    a = c["attribution"]
    yield "channels", ALL, "attribution_purchases", "", a["purchases"]
    yield "channels", ALL, "attribution_attributed", "", a["attributed"]
    for model, credits in a["models"].items():
        for channel, value in credits.items():
            yield "channels", ALL, f"{model}_credit", channel, value["credit"]
            yield "channels", ALL, f"{model}_share", channel, value["share"]
    yield from _paths(ALL, doc["paths"]["overall"])
    for segment, paths in _segments(doc["paths"]["segments"]):
        yield from _paths(segment, paths)
    yield from _postsale(doc["postsale"])
    yield from _personas(doc["personas"])


def _postsale(p: Mapping[str, Any]) -> Iterator[Row]:
    yield "postsale", ALL, "customers", "", p["customers"]
    yield from _spread("postsale", ALL, "health", "", p["health"])
    for bucket in p["health"]["buckets"]:
        yield "postsale", ALL, "health_bucket", f"{bucket['from']}-{bucket['to']}", bucket["count"]
    yield "postsale", ALL, "at_risk_total", "", p["at_risk"]["total"]
    for customer in p["at_risk"]["customers"]:
        for field in ("health", "name", "kind", "stage", "reason", "last_touch", "url"):
            yield "postsale", ALL, f"at_risk_{field}", customer["key"], customer[field]
    pain = p["pain"]
    yield from _cells("postsale", ALL, "pain_by_stage", pain["by_stage"])
    yield from _cells("postsale", ALL, "pain_by_channel", pain["by_channel"])
    for wait in pain["long_waits"]:
        yield "postsale", ALL, "long_wait_threshold_days", wait["stage"], wait["threshold_days"]
        yield "postsale", ALL, "long_wait_customers", wait["stage"], wait["customers"]


def _economics(segment: str, p: Mapping[str, Any]) -> Iterator[Row]:
    yield "personas", segment, "customers", p["label"], p["customers"]
    for metric in ("share", "purchased", "conversion", "paths", "covered"):
        yield "personas", segment, metric, "", p[metric]
    yield from _spread("personas", segment, "to_purchase", "", p["to_purchase"])
    yield from _spread("personas", segment, "health", "", p["health"])
    cost = p["cost"]
    for metric in ("customers", "total", "acquisition", "service", "per_customer",
                   "acquisition_per_purchase", "service_per_purchase"):  # fmt: skip
        yield "personas", segment, f"cost_{metric}", cost["currency"], cost[metric]
    for stage, value in cost["by_stage"].items():
        yield "personas", segment, "cost_by_stage", stage, value
    for metric, value in p["revenue"].items():
        yield "personas", segment, f"revenue_{metric}", "", value


def _patterns(segment: str, patterns: Any) -> Iterator[Row]:
    for pattern in patterns:
        steps = " > ".join(
            f"{s['stage']} ({s['channel']})" if s["channel"] else s["stage"]
            for s in pattern["steps"]
        )
        key = f"{pattern['rank']}. {steps}"
        for metric in ("rank", "customers", "share", "variants", "purchased", "conversion",
                       "in_progress", "cost_per_customer"):  # fmt: skip
            yield "patterns", segment, metric, key, pattern[metric]
        yield from _spread("patterns", segment, "to_purchase", key, pattern["to_purchase"])
        for stage, count in pattern["dropoff"].items():
            yield "patterns", segment, "dropoff", f"{key}/{stage}", count
        for status, count in pattern["outcomes"].items():
            yield "patterns", segment, "outcome", f"{key}/{status}", count


def _personas(doc: Mapping[str, Any]) -> Iterator[Row]:
    for metric in ("tolerance", "coverage", "limit"):
        yield "personas", ALL, metric, "", doc[metric]
    yield from _economics(ALL, doc["overall"])
    for persona in doc["personas"]:
        segment = f"persona={persona['id']}"
        yield from _economics(segment, persona)
        yield from _patterns(segment, persona["patterns"])


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    # a cell starting with = + - @ is a formula to a spreadsheet: customer names must not run
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def render_csv(doc: Mapping[str, Any]) -> str:
    """The CSV text (RFC 4180, ``\\r\\n`` line ends) of a report document."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in iter_rows(doc):
        writer.writerow([_text(cell) for cell in row])
    return out.getvalue()


def render_report_csv(report: Report) -> str:
    """The CSV text of a ``Report``."""
    return render_csv(report_to_dict(report))
