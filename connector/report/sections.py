"""The HTML sections of the report page: funnel, time, drop-off, channels, paths,
post-sale, and how to read it. Each function takes figures and returns markup.

All customer-supplied text (names, segment values, reasons) goes through
``esc``; links to SuiteCRM come only from ``links.record_url`` and are escaped
again as attributes. The page shows the largest segments and the top paths;
the CSV and JSON carry all of them.

Markup only; no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from connector.journey.model import MANAGERS, MODES, STAGES, STATUSES
from connector.report import charts
from connector.report.dropoff import STALLED_BUCKETS
from connector.report.figures import PathCount, Report, SegmentFigures
from connector.report.inputs import SEGMENT_LABELS
from connector.report.postsale import ANY, PAIN_SIGNALS
from connector.report.svg import (
    CHANNEL_COLOURS,
    NO_DATA,
    STAGE_COLOURS,
    STATUS_COLOURS,
    colour,
    esc,
    heat,
    legend,
    num,
    pct,
)

SEGMENTS_SHOWN = 6  # segment values with their own paths on the page
PATHS_SHOWN = 3
AT_RISK_SHOWN = 25
HALF: dict[str, Any] = {"normalise": True, "width": 470, "label_width": 90}
SPLIT_COLOURS = {"online": "#4e79a7", "offline": "#f28e2b", "company": "#59a14f",
                 "third_party": "#b07aa1"}  # fmt: skip


def section(anchor: str, title: str, lead: str, *body: str) -> str:
    return (
        f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2><p class="lead">{esc(lead)}</p>'
        + "".join(body)
        + "</section>"
    )


def card(title: str, *body: str, wide: bool = False) -> str:
    cls = "card wide" if wide else "card"
    return f'<div class="{cls}"><h3>{esc(title)}</h3>{"".join(body)}</div>'


def table(head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """An HTML table; ``head`` is text (escaped here), ``rows`` cells already markup."""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(cells) + "</tr>" for cells in rows)
    return f'<table class="{esc(cls)}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def td(content: object, style: str = "", cls: str = "num") -> str:
    attr = f' style="{esc(style)}"' if style else ""
    return f'<td class="{esc(cls)}"{attr}>{esc(content)}</td>'


def kpis(report: Report) -> str:
    s = report.summary
    f = report.overall.funnel
    items = [
        ("Customers", num(s.customers), f"{num(s.touchpoints)} touchpoints"),
        ("Reached purchase", pct(f.purchase_rate), f"{num(s.purchased)} customers"),
        ("Days to purchase", num(report.overall.to_purchase.median), "median, first touch on"),
        ("At risk", num(s.by_status.get("at_risk", 0)), "after a purchase"),
        ("Lost", num(s.by_status.get("lost", 0)), "before a purchase"),
        ("Stalled", num(s.by_status.get("stalled", 0)), "no touchpoint for a while"),
    ]
    cells = "".join(
        f'<div class="kpi"><span>{esc(label)}</span><b>{esc(value)}</b><small>{esc(note)}</small>'
        "</div>"
        for label, value, note in items
    )
    return f'<div class="kpis">{cells}</div>'


def segment_table(values: Mapping[str, SegmentFigures]) -> str:
    """Rows: segment values; columns: share reaching each stage, purchase rate, days."""
    rows = []
    for value, figures in values.items():
        funnel = figures.funnel
        total = funnel.customers
        cells = [f'<td class="name">{esc(value)}</td>', td(num(total))]
        for row in funnel.stages:
            share = row.reached / total if total else 0.0
            tip = f' title="{esc(value)}: {row.reached:,} of {total:,} reached {row.stage}"'
            cells.append(f'<td class="num" style="{heat(share, 1.0)}"{tip}>{pct(share)}</td>')
        cells.append(td(num(figures.to_purchase.median)))
        rows.append(cells)
    head = ["Segment", "Customers", *[f"{s.title()} reached" for s in STAGES],
            "Median days to purchase"]  # fmt: skip
    return table(head, rows, "heat")


def funnel_section(report: Report) -> str:
    cards = [card("All customers", charts.funnel_chart(report.overall.funnel), wide=True)]
    for name, values in report.segments.items():
        cards.append(card(f"By {SEGMENT_LABELS[name].lower()}", segment_table(values), wide=True))
    return section(
        "funnel",
        "Funnel",
        "Customers that reached each stage (or a later one) and the share that went on to the "
        "next. Prospects that never converted count from awareness.",
        *cards,
    )


def time_section(report: Report) -> str:
    waits = {w.stage: w for w in report.postsale.long_waits}
    rows = []
    for t in report.time:
        w = waits[t.stage]
        rows.append([
            f'<td class="name">{esc(t.stage.title())}</td>',
            td(num(t.completed.n)), td(num(t.completed.median)), td(num(t.completed.p90)),
            td(num(t.ongoing.n)), td(num(t.ongoing.median)),
            td(num(w.customers), heat(w.customers, max(1, t.ongoing.n), (242, 142, 43))),
        ])  # fmt: skip
    head = ["Stage", "Finished stays", "Median days", "p90 days", "Now in stage",
            "Median days so far", "Waiting > p90"]  # fmt: skip
    return section(
        "time",
        "Time",
        "How long customers stay in each stage before moving on (finished stays), and how long "
        "the ones still there have waited. The last bar is the time from first touch to the "
        "first purchase.",
        card("Days in stage: median (solid) and 90th percentile (light)",
             charts.time_chart(report.time, report.overall.to_purchase), wide=True),
        card("Stays in progress", table(head, rows), wide=True),
    )  # fmt: skip


def dropoff_section(report: Report) -> str:
    d = report.dropoff
    entered = {row.stage: row.entered for row in report.overall.funnel.stages}
    status_rows = {s: {k: d.status_by_stage[s].get(k, 0) for k in STATUSES} for s in STAGES}
    top = max((n for row in d.stalled_days.values() for n in row.values()), default=0)
    rows = []
    for stage in STAGES:
        cells = [f'<td class="name">{esc(stage.title())}</td>']
        for bucket, _ in STALLED_BUCKETS:
            n = d.stalled_days[stage].get(bucket, 0)
            cells.append(td(num(n), heat(n, top, (225, 87, 89))))
        cells.append(td(num(d.stalled_median_days.get(stage))))
        rows.append(cells)
    head = ["Stage", *[b for b, _ in STALLED_BUCKETS], "Median days silent"]
    status_legend = legend((s.replace("_", " "), STATUS_COLOURS[s]) for s in STATUSES)
    return section(
        "dropoff",
        "Drop-off",
        "Where journeys are now and where they ended: lost customers sit in the stage where the "
        "deal was lost, stalled ones where they went quiet.",
        card("Process map: every move between stages", charts.process_map(d, entered), wide=True),
        card(
            "Customers by current stage and status",
            status_legend,
            charts.stacked_bars(status_rows, STATUS_COLOURS, "Status by stage"),
            wide=True,
        ),
        card("Stalled customers: days since the last touchpoint", table(head, rows, "heat"),
             wide=True),
    )  # fmt: skip


def channels_section(report: Report) -> str:
    c = report.channels
    a = c.attribution
    used = [ch for ch in CHANNEL_COLOURS if any(c.by_stage[s].get(ch) for s in STAGES)]
    used += sorted({ch for s in STAGES for ch in c.by_stage[s]} - set(CHANNEL_COLOURS))
    mix = {s: {ch: c.by_stage[s].get(ch, 0) for ch in used} for s in STAGES}
    modes = {s: {m: c.mode[s].get(m, 0) for m in MODES} for s in STAGES}
    managers = {s: {m: c.managed_by[s].get(m, 0) for m in MANAGERS} for s in STAGES}
    shares = _attribution_shares(report)
    series = [("first_touch", "#4e79a7"), ("last_touch", "#f28e2b"), ("linear", "#59a14f")]
    return section(
        "channels",
        "Channels",
        "Which channels customers meet in each stage, online or offline, run by the company or "
        "by third parties (partners, resellers), and which channels lead to a purchase.",
        card("Channel mix per stage (share of touchpoints)",
             legend((ch, colour(ch, CHANNEL_COLOURS)) for ch in used),
             charts.stacked_bars(mix, CHANNEL_COLOURS, "Channel mix", normalise=True), wide=True),
        '<div class="pair">',
        card("Online vs offline", legend((m, SPLIT_COLOURS[m]) for m in MODES),
             charts.stacked_bars(modes, SPLIT_COLOURS, "Online vs offline", **HALF)),
        card("Company vs third party",
             legend((m.replace("_", " "), SPLIT_COLOURS[m]) for m in MANAGERS),
             charts.stacked_bars(managers, SPLIT_COLOURS, "Managed by", **HALF)),
        "</div>",
        card(
            f"What precedes a purchase: attribution of {a.attributed:,} first purchases",
            legend((n.replace("_", " "), col) for n, col in series),
            charts.grouped_bars(shares, series, "Attribution"),
            '<p class="note">First touch: the whole purchase to the channel of the customer\'s '
            "first touchpoint. Last touch: to the last touchpoint before the purchase. Linear: "
            "an equal share to every touchpoint before it. Shares are of purchases with at "
            f"least one earlier touchpoint ({a.attributed:,} of {a.purchases:,}).</p>",
            wide=True,
        ),
    )  # fmt: skip


def _attribution_shares(report: Report) -> dict[str, dict[str, float]]:
    a = report.channels.attribution
    models = {"first_touch": a.first_touch, "last_touch": a.last_touch, "linear": a.linear}
    out: dict[str, dict[str, float]] = {}
    for model, credits in models.items():
        for channel, credit in credits.items():
            if credit and a.attributed:
                out.setdefault(channel, {})[model] = credit / a.attributed
    return dict(sorted(out.items(), key=lambda kv: -max(kv[1].values())))


def path_list(
    paths: Sequence[PathCount], palette: Mapping[str, str], limit: int, total: int
) -> str:
    """The top paths with their counts; the small bar is the share of ``total`` customers."""
    if not paths:
        return '<p class="note">No journeys.</p>'
    top = total or 1
    rows = []
    for path in paths[:limit]:
        chips = '<span class="arrow">→</span>'.join(
            f'<span class="chip" style="border-color:{colour(step, dict(palette))}">'
            f"{esc(step)}</span>"
            for step in path.steps
        )
        outcomes = ", ".join(
            f'<span style="color:{STATUS_COLOURS.get(s, "#52606d")}">{esc(s.replace("_", " "))} '
            f"{n:,}</span>"
            for s, n in sorted(path.outcomes.items(), key=lambda kv: -kv[1])
        )
        bar = f'<i class="bar" style="width:{100 * path.count / top:.0f}%"></i>'
        rows.append(
            f'<li><div class="count">{path.count:,}{bar}</div><div class="steps">{chips}'
            f'<div class="outcomes">{outcomes}</div></div></li>'
        )
    return f'<ol class="paths">{"".join(rows)}</ol>'


def segment_paths(value: str, figures: SegmentFigures) -> str:
    total = figures.funnel.customers
    return (
        f'<div class="segment"><h4>{esc(value)} <small>{total:,} customers</small></h4>'
        f"<h5>Stages</h5>{path_list(figures.stage_paths, STAGE_COLOURS, PATHS_SHOWN, total)}"
        f"<h5>Channels</h5>{path_list(figures.channel_paths, CHANNEL_COLOURS, PATHS_SHOWN, total)}"
        "</div>"
    )


def paths_section(report: Report) -> str:
    overall = report.overall
    customers = overall.funnel.customers
    cards = [
        '<div class="pair">',
        card(
            "Most common stage sequences",
            path_list(overall.stage_paths, STAGE_COLOURS, 8, customers),
        ),
        card(
            "Most common channel sequences",
            '<p class="note">The channel of the touchpoint that brought the customer into each '
            "stage it reached.</p>",
            path_list(overall.channel_paths, CHANNEL_COLOURS, 8, customers),
        ),
        "</div>",
    ]
    for name, values in report.segments.items():
        shown = list(values.items())[:SEGMENTS_SHOWN]
        blocks = "".join(segment_paths(value, figures) for value, figures in shown)
        title = f"By {SEGMENT_LABELS[name].lower()}: the {len(shown)} largest segments"
        cards.append(card(title, f'<div class="segments">{blocks}</div>', wide=True))
    return section(
        "paths",
        "Paths",
        "The routes customers take through the stages, with how each group ended up, overall "
        "and for each customer profile.",
        *cards,
    )


def postsale_section(report: Report) -> str:
    p = report.postsale
    at_risk_rows = []
    for a in p.at_risk[:AT_RISK_SHOWN]:
        name = esc(a.name)
        link = f'<a href="{esc(a.url)}">{name}</a>' if a.url else name
        last = NO_DATA if a.last_touch is None else f"{a.last_touch:%Y-%m-%d}"
        at_risk_rows.append([
            f'<td class="name">{link}</td>', td(a.stage, cls="text"),
            td(a.health, heat(100 - a.health, 100, (225, 87, 89))), td(a.reason, cls="text"),
            td(last, cls="text"),
        ])  # fmt: skip
    shown = min(len(p.at_risk), AT_RISK_SHOWN)
    waits = {w.stage: w.customers for w in p.long_waits}
    more = f" (the {shown} with the lowest health)" if p.at_risk_total > shown else ""
    at_risk = (
        table(["Customer", "Stage", "Health", "Why", "Last touch"], at_risk_rows, "list")
        if at_risk_rows
        else '<p class="note">No customer is at risk.</p>'
    )
    return section(
        "postsale",
        "After the sale",
        "Health of the customers that bought, the ones at risk, and where the pain is: open and "
        "high-priority cases, complaints and cancellations, and customers waiting longer than "
        "most.",
        card(f"Health score of {p.customers:,} customers that bought "
             f"(median {num(p.health.median)})",
             charts.histogram(p.health_buckets, "Health score distribution"), wide=True),
        card(f"At risk: {p.at_risk_total:,} customers{more}", at_risk, wide=True),
        '<div class="pair">',
        card("Pain points by stage", pain_table(p.pain_by_stage, waits)),
        card("Pain points by channel", pain_table(p.pain_by_channel, {})),
        "</div>",
    )  # fmt: skip


def pain_table(rows: Mapping[str, Mapping[str, int]], waits: Mapping[str, int]) -> str:
    """Touchpoints with each pain signal per row; with ``waits``, a column of long waits."""
    shown = {r: cols for r, cols in rows.items() if cols.get(ANY) or waits.get(r)}
    if not shown:
        return '<p class="note">No case, complaint, cancellation or long wait.</p>'
    top = max(n for cols in shown.values() for n in cols.values()) or 1
    top_wait = max(waits.values(), default=0)
    body = []
    for row, cols in sorted(shown.items(), key=lambda kv: (-kv[1].get(ANY, 0), kv[0])):
        cells = [f'<td class="name">{esc(row)}</td>']
        cells += [td(num(cols.get(s, 0)), heat(cols.get(s, 0), top, (225, 87, 89)))
                  for s in (*PAIN_SIGNALS, ANY)]  # fmt: skip
        if waits:
            n = waits.get(row, 0)
            cells.append(td(num(n), heat(n, top_wait, (242, 142, 43))))
        body.append(cells)
    head = ["", "Open cases", "High priority", "Complaints", "Cancellations", "Any"]
    return table([*head, "Waiting > p90"] if waits else head, body, "heat")
