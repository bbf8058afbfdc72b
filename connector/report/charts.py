"""The report's charts, as inline SVG strings built from its figures.

Funnel, horizontal stacked bars (status by stage, channel mix, splits), time
ranges (median and 90th percentile), a histogram, grouped bars (attribution)
and the process map (stage-to-stage moves). Every bar carries a ``<title>``, the
tooltip a browser shows on hover, so exact numbers are one pointer away without
any script.

Markup only; all text goes through ``svg.esc``. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from connector.journey.model import STAGES
from connector.report.figures import DropOff, Funnel, StageTime
from connector.report.stats import Spread
from connector.report.svg import (
    MUTED,
    NO_DATA,
    STAGE_COLOURS,
    STATUS_COLOURS,
    colour,
    esc,
    num,
    pct,
    rect,
    svg,
    text,
)

WIDTH = 760
LABEL = 110  # room for the row labels on the left


def funnel_chart(funnel: Funnel) -> str:
    """Centred bars, one per stage, width by customers reached; conversions between."""
    top = max((row.reached for row in funnel.stages), default=0) or 1
    row_h, gap = 38, 22
    inner = WIDTH - 2 * LABEL
    parts: list[str] = []
    for i, row in enumerate(funnel.stages):
        y = i * (row_h + gap)
        w = max(2.0, inner * row.reached / top)
        x = LABEL + (inner - w) / 2
        tip = f"{row.stage}: {row.reached:,} reached, {row.entered:,} entered"
        parts.append(rect(x, y, w, row_h, STAGE_COLOURS[row.stage], tip, 4))
        parts.append(text(LABEL - 10, y + 24, row.stage.title(), anchor="end", size=14))
        share = pct(row.reached / funnel.stages[0].reached) if funnel.stages[0].reached else NO_DATA
        parts.append(
            text(WIDTH - LABEL + 10, y + 24, f"{row.reached:,} ({share})", size=14, weight="bold")
        )
        if row.conversion_to_next is not None:
            parts.append(
                text(
                    WIDTH / 2,
                    y + row_h + 16,
                    f"↓ {pct(row.conversion_to_next)} go on",
                    anchor="middle",
                    size=12,
                    fill=MUTED,
                )
            )
    height = len(funnel.stages) * (row_h + gap) - gap
    return svg(WIDTH, height, "Funnel: customers reaching each stage", parts)


def stacked_bars(
    rows: Mapping[str, Mapping[str, int]],
    palette: dict[str, str],
    label: str,
    *,
    normalise: bool = False,
    width: int = WIDTH,
    label_width: int = LABEL,
) -> str:
    """One horizontal bar per row, split by column; ``normalise`` makes each 100%."""
    totals = {r: sum(cols.values()) for r, cols in rows.items()}
    top = max(totals.values(), default=0) or 1
    inner = width - label_width - 60
    row_h, gap = 24, 10
    parts: list[str] = []
    for i, (row, cols) in enumerate(rows.items()):
        y = i * (row_h + gap)
        total = totals[row]
        scale = inner / (total if normalise else top) if total else 0.0
        x = float(label_width)
        parts.append(text(label_width - 8, y + 16, row.replace("_", " "), anchor="end"))
        for name, value in cols.items():
            if not value:
                continue
            w = value * scale
            share = value / total if total else 0
            tip = f"{row} · {name}: {value:,} ({pct(share)})"
            parts.append(rect(x, y, w, row_h, colour(name, palette), tip, 0))
            if w > 34:
                shown = pct(share) if normalise else f"{value:,}"
                parts.append(text(x + w / 2, y + 16, shown, anchor="middle", size=11, fill="#fff"))
            x += w
        parts.append(text(x + 6, y + 16, f"{total:,}", size=11, fill=MUTED))
    height = max(1, len(rows)) * (row_h + gap) - gap
    return svg(width, height, label, parts)


def time_chart(times: Sequence[StageTime], to_purchase: Spread) -> str:
    """Per stage: a solid bar to the median and a light one on to the 90th percentile."""
    rows: list[tuple[str, Spread, str]] = [
        (t.stage.title(), t.completed, STAGE_COLOURS[t.stage]) for t in times
    ]
    rows.append(("To purchase", to_purchase, "#59a14f"))
    top = max((s.p90 or 0.0 for _, s, _ in rows), default=0.0) or 1.0
    inner = WIDTH - LABEL - 230
    row_h, gap = 22, 14
    parts: list[str] = []
    for i, (name, s, fill) in enumerate(rows):
        y = i * (row_h + gap)
        weight = "bold" if name == "To purchase" else "normal"
        parts.append(text(LABEL - 8, y + 15, name, anchor="end", weight=weight))
        if s.n == 0 or s.median is None or s.p90 is None:
            parts.append(text(LABEL, y + 15, "no finished stays yet", fill=MUTED, size=11))
            continue
        tip = f"{name}: median {num(s.median)} days, 90th percentile {num(s.p90)} days, n={s.n}"
        parts.append(rect(LABEL, y + 5, inner * s.p90 / top, row_h - 10, fill, tip, 2))
        parts.append(rect(LABEL, y, inner * s.median / top, row_h, fill, tip, 2))
        parts[-2] = parts[-2].replace("<rect ", '<rect opacity="0.35" ', 1)
        caption = f"median {num(s.median)} d · p90 {num(s.p90)} d · n={s.n:,}"
        parts.append(text(LABEL + inner * s.p90 / top + 8, y + 15, caption, size=11, fill=MUTED))
    height = len(rows) * (row_h + gap) - gap
    return svg(WIDTH, height, "Days in each stage: median and 90th percentile", parts)


def histogram(buckets: Sequence[int], label: str) -> str:
    """Vertical bars for the ten health buckets, red (0) to green (100)."""
    top = max(buckets, default=0) or 1
    bar_w, gap, plot_h = 58, 12, 150
    hues = [int(120 * i / (len(buckets) - 1)) for i in range(len(buckets))]
    parts: list[str] = []
    for i, count in enumerate(buckets):
        x = 40 + i * (bar_w + gap)
        h = plot_h * count / top
        low = i * 10
        high = 100 if i == len(buckets) - 1 else low + 9
        tip = f"health {low}-{high}: {count:,} customers"
        parts.append(rect(x, 20 + plot_h - h, bar_w, h, f"hsl({hues[i]},55%,50%)", tip, 2))
        parts.append(text(x + bar_w / 2, 14 + plot_h - h, f"{count:,}", anchor="middle", size=11))
        parts.append(text(x + bar_w / 2, plot_h + 38, f"{low}-{high}", anchor="middle", size=11))
    parts.append(
        f'<line x1="36" y1="{20 + plot_h}" x2="{WIDTH - 10}" y2="{20 + plot_h}" stroke="#cbd2d9"/>'
    )
    return svg(WIDTH, plot_h + 48, label, parts)


def grouped_bars(
    groups: Mapping[str, Mapping[str, float]], series: Sequence[tuple[str, str]], label: str
) -> str:
    """Per group (a channel) one thin bar per series (a model), lengths as shares 0..1."""
    top = max((v for g in groups.values() for v in g.values()), default=0.0) or 1.0
    inner = WIDTH - LABEL - 70
    bar_h, gap = 9, 12
    group_h = bar_h * len(series) + gap
    parts: list[str] = []
    for i, (group, values) in enumerate(groups.items()):
        y0 = i * group_h
        parts.append(text(LABEL - 8, y0 + bar_h * len(series) / 2 + 4, group, anchor="end"))
        for j, (name, fill) in enumerate(series):
            value = values.get(name, 0.0)
            y = y0 + j * bar_h
            tip = f"{group} · {name.replace('_', ' ')}: {pct(value, 1)}"
            parts.append(rect(LABEL, y, inner * value / top, bar_h - 1, fill, tip, 1))
            if value:
                x = LABEL + inner * value / top + 4
                parts.append(text(x, y + bar_h - 1, pct(value), size=9, fill=MUTED))
    height = max(1, len(groups)) * group_h - gap
    return svg(WIDTH, height, label, parts)


def process_map(dropoff: DropOff, entered: Mapping[str, int]) -> str:
    """The five stages as boxes; arrows for every move, thicker for more customers;
    under each box, where customers stopped (lost, stalled) or still are."""
    box_w, box_h, top_y = 104, 54, 130
    step = (WIDTH - box_w) / (len(STAGES) - 1)
    centre = {s: box_w / 2 + i * step for i, s in enumerate(STAGES)}
    most = max((t.count for t in dropoff.transitions), default=0) or 1
    parts: list[str] = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
        'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" '
        'fill="#52606d"/></marker></defs>'
    ]
    for t in dropoff.transitions:
        width = 1.5 + 10 * t.count / most
        tip = f"{t.from_stage} → {t.to_stage}: {t.count:,} moves"
        parts.append(_arc(t.from_stage, t.to_stage, centre, top_y, box_h, box_w, width, tip))
        parts.append(_arc_label(t.from_stage, t.to_stage, centre, top_y, box_h, box_w, t.count))
    for stage in STAGES:
        x = centre[stage] - box_w / 2
        tip = f"{stage}: entered by {entered.get(stage, 0):,} customers"
        parts.append(rect(x, top_y, box_w, box_h, STAGE_COLOURS[stage], tip, 8))
        dark = stage in ("decision", "purchase", "loyalty")
        ink = "#fff" if dark else "#102a43"
        parts.append(
            text(
                centre[stage],
                top_y + 22,
                stage.title(),
                anchor="middle",
                size=14,
                fill=ink,
                weight="bold",
            )
        )
        parts.append(
            text(
                centre[stage],
                top_y + 41,
                f"{entered.get(stage, 0):,} entered",
                anchor="middle",
                size=11,
                fill=ink,
            )
        )
        statuses = dropoff.status_by_stage.get(stage, {})
        for k, status in enumerate(("lost", "stalled", "at_risk", "won", "active")):
            count = statuses.get(status, 0)
            y = top_y + box_h + 62 + k * 16
            parts.append(
                text(
                    centre[stage],
                    y,
                    f"{status.replace('_', ' ')} {count:,}",
                    anchor="middle",
                    size=11,
                    fill=STATUS_COLOURS[status] if count else "#cbd2d9",
                    weight="bold" if count else "normal",
                )
            )
    return svg(WIDTH, top_y + box_h + 140, "Process map: moves between stages", parts)


def _arc(
    a: str,
    b: str,
    centre: Mapping[str, float],
    top_y: float,
    box_h: float,
    box_w: float,
    width: float,
    tip: str,
) -> str:
    path = _arc_path(a, b, centre, top_y, box_h, box_w)
    return (
        f'<path d="{path}" fill="none" stroke="#52606d" stroke-opacity="0.55" '
        f'stroke-width="{width:.1f}" marker-end="url(#arrow)"><title>{esc(tip)}</title></path>'
    )


def _arc_path(
    a: str, b: str, centre: Mapping[str, float], top_y: float, box_h: float, box_w: float
) -> str:
    xb = centre[b]
    if a == "start":
        return f"M{xb - 20:.1f},{top_y - 70:.1f} L{xb - 20:.1f},{top_y - 2:.1f}"
    xa = centre[a]
    if STAGES.index(b) == STAGES.index(a) + 1:
        y = top_y + box_h / 2
        return f"M{xa + box_w / 2:.1f},{y:.1f} L{xb - box_w / 2 - 3:.1f},{y:.1f}"
    forward = xb > xa
    span = abs(STAGES.index(b) - STAGES.index(a))
    if forward:  # skips arc above the boxes
        y = top_y
        lift = 22 + 16 * span
        return _curve(xa + 12, y, xb + 12, y - lift, y - 2)
    y = top_y + box_h  # moves back arc below
    drop = 18 + 10 * span
    return _curve(xa, y, xb, y + drop, y + 3)


def _curve(xa: float, y: float, xb: float, bend: float, end: float) -> str:
    return f"M{xa:.1f},{y:.1f} C{xa:.1f},{bend:.1f} {xb:.1f},{bend:.1f} {xb:.1f},{end:.1f}"


def _arc_label(
    a: str,
    b: str,
    centre: Mapping[str, float],
    top_y: float,
    box_h: float,
    box_w: float,
    count: int,
) -> str:
    xb = centre[b]
    if a == "start":
        return text(xb - 30, top_y - 40, f"new {count:,}", anchor="end", size=11, fill=MUTED)
    xa = centre[a]
    span = abs(STAGES.index(b) - STAGES.index(a))
    if span == 1 and xb > xa:
        return text(
            (xa + xb) / 2,
            top_y + box_h / 2 - 9,
            f"{count:,}",
            anchor="middle",
            size=12,
            weight="bold",
        )
    if xb > xa:
        lift = 22 + 16 * span
        return text(
            (xa + xb) / 2,
            top_y - lift * 0.75 - 3,
            f"skip {count:,}",
            anchor="middle",
            size=10,
            fill=MUTED,
        )
    drop = 18 + 10 * span
    return text(
        (xa + xb) / 2,
        top_y + box_h + drop * 0.75 + 12,
        f"back {count:,}",
        anchor="middle",
        size=10,
        fill=MUTED,
    )
