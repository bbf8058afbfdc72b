"""Small building blocks of hand-written inline SVG, and the report's colours.

Every piece of text that reaches the markup goes through ``esc`` (element text
and attribute values alike); numbers are formatted here, never interpolated raw
from input. Charts scale with the page (``viewBox`` and ``width: 100%``), so
they stay sharp on screen and in print.

Markup strings only; no I/O.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

STAGE_COLOURS: dict[str, str] = {
    "awareness": "#9ecae1",
    "evaluation": "#6baed6",
    "decision": "#3182bd",
    "purchase": "#31a354",
    "loyalty": "#006d2c",
}
STATUS_COLOURS: dict[str, str] = {
    "active": "#4e79a7",
    "won": "#59a14f",
    "at_risk": "#f28e2b",
    "stalled": "#bab0ac",
    "lost": "#e15759",
}
CHANNEL_COLOURS: dict[str, str] = {
    "email": "#4e79a7",
    "phone": "#f28e2b",
    "meeting": "#e15759",
    "web": "#76b7b2",
    "social": "#ff9da7",
    "campaign": "#59a14f",
    "event": "#edc948",
    "store": "#9c755f",
    "support": "#b07aa1",
    "document": "#17becf",
    "other": "#bab0ac",
}
SPARE_COLOURS = ("#8c564b", "#7f7f7f", "#bcbd22", "#1f77b4")
INK = "#1f2933"
MUTED = "#616e7c"
NO_DATA = "\u2013"  # an en dash


def esc(value: object) -> str:
    """Text made safe for HTML and SVG, inside elements and quoted attributes."""
    return html.escape(str(value), quote=True)


def colour(name: str, palette: dict[str, str]) -> str:
    if name in palette:
        return palette[name]
    return SPARE_COLOURS[sum(map(ord, name)) % len(SPARE_COLOURS)]


def num(value: float | None, digits: int = 1) -> str:
    """A number for people: thousands separated, ``-`` for no data."""
    if value is None:
        return NO_DATA
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


def pct(value: float | None, digits: int = 0) -> str:
    return NO_DATA if value is None else f"{value * 100:.{digits}f}%"


def svg(width: float, height: float, label: str, parts: Iterable[str]) -> str:
    """An SVG element that scales to its container's width."""
    body = "".join(parts)
    return (
        f'<svg class="chart" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'height="{height:g}" role="img" aria-label="{esc(label)}">{body}</svg>'
    )


def rect(
    x: float, y: float, w: float, h: float, fill: str, tip: str = "", radius: float = 2
) -> str:
    title = f"<title>{esc(tip)}</title>" if tip else ""
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
        f'rx="{radius:g}" fill="{esc(fill)}">{title}</rect>'
    )


def text(
    x: float,
    y: float,
    content: object,
    *,
    anchor: str = "start",
    size: float = 12,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size:g}" '
        f'fill="{esc(fill)}" font-weight="{weight}">{esc(content)}</text>'
    )


def legend(items: Iterable[tuple[str, str]]) -> str:
    """An HTML legend: a coloured swatch and a label per item."""
    spans = "".join(
        f'<span class="key"><i style="background:{esc(c)}"></i>{esc(label)}</span>'
        for label, c in items
    )
    return f'<div class="legend">{spans}</div>'


def heat(value: float, top: float, rgb: tuple[int, int, int] = (49, 130, 189)) -> str:
    """A cell background whose strength follows ``value / top``."""
    strength = 0.0 if top <= 0 else max(0.0, min(1.0, value / top))
    r, g, b = rgb
    return f"background:rgba({r},{g},{b},{0.08 + 0.62 * strength:.2f})" if value else ""
