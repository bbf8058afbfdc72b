"""The "Personas" section of the report page: economics per persona, cost by stage, and
each persona's prevailing patterns drawn as small path diagrams.

A path diagram is a row of stage boxes (the stage colours of the other charts)
joined by arrows, with the channel that moved the customer into each stage
written under its box in the channel's colour; it is inline SVG with a
``<title>`` per box, like every chart of the page. All text goes through
``svg.esc``. Markup only; no I/O.
"""

from __future__ import annotations

from connector.journey.model import STAGES
from connector.report import charts
from connector.report.figures import Pattern, PersonaFigures, Personas, Report, Step
from connector.report.sections import card, section, table, td
from connector.report.svg import (
    CHANNEL_COLOURS,
    NO_DATA,
    STAGE_COLOURS,
    colour,
    esc,
    legend,
    num,
    pct,
    rect,
    text,
)

PERSONAS_SHOWN = 8  # personas with their own patterns card on the page
BOX_W, BOX_H, GAP = 86, 24, 26
DARK_STAGES = frozenset({"decision", "purchase", "loyalty"})


def money(value: float | None, currency: str = "") -> str:
    """An amount for people: no decimals from 100 up, two below."""
    if value is None:
        return NO_DATA
    shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return f"{shown} {currency}".strip()


def path_diagram(steps: tuple[Step, ...], label: str) -> str:
    """The compact diagram of one path (see the module docstring)."""
    parts: list[str] = []
    for i, (stage, channel) in enumerate(steps):
        x = i * (BOX_W + GAP)
        if i:
            tip_x = x - 3
            parts.append(
                f'<path d="M{x - GAP + 3:.0f},{BOX_H / 2:.0f} L{tip_x - 5:.0f},{BOX_H / 2:.0f}" '
                'stroke="#9aa5b1" stroke-width="1.5"/>'
                f'<path d="M{tip_x - 6:.0f},{BOX_H / 2 - 4:.0f} L{tip_x:.0f},{BOX_H / 2:.0f} '
                f'L{tip_x - 6:.0f},{BOX_H / 2 + 4:.0f}z" fill="#9aa5b1"/>'
            )
        fill = STAGE_COLOURS.get(stage, "#cbd2d9")
        tip = f"{stage} via {channel}" if channel else stage
        parts.append(rect(x, 0, BOX_W, BOX_H, fill, tip, 5))
        ink = "#fff" if stage in DARK_STAGES else "#102a43"
        parts.append(text(x + BOX_W / 2, 16, stage.title(), anchor="middle", size=11, fill=ink))
        if channel:
            parts.append(
                text(
                    x + BOX_W / 2,
                    BOX_H + 13,
                    channel,
                    anchor="middle",
                    size=10,
                    fill=colour(channel, CHANNEL_COLOURS),
                    weight="bold",
                )
            )
    width = max(1, len(steps)) * (BOX_W + GAP) - GAP
    height = BOX_H + 18
    return (
        f'<svg class="path" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{esc(label)}">{"".join(parts)}</svg>'
    )


def _dropoff(pattern: Pattern) -> str:
    parts = [f"{stage} {n:,}" for stage, n in pattern.dropoff.items()]
    dropped = "dropped at " + ", ".join(parts) if parts else "nobody dropped off"
    return f"{dropped} · {pattern.in_progress:,} on their way"


def pattern_list(figures: PersonaFigures, currency: str) -> str:
    if not figures.patterns:
        return '<p class="note">No journeys.</p>'
    rows = []
    for p in figures.patterns:
        steps = " → ".join(
            f"{stage} ({channel})" if channel else stage for stage, channel in p.steps
        )
        merged = f", {p.variants:,} paths merged" if p.variants > 1 else ""
        facts = (
            f"<b>{p.customers:,}</b> customer{'' if p.customers == 1 else 's'} "
            f"({pct(p.share)}{merged}) · "
            f"<b>{pct(p.conversion)}</b> bought · median {num(p.to_purchase.median)} days to "
            f"purchase · {esc(_dropoff(p))} · cost to serve "
            f"{esc(money(p.cost_per_customer, currency))} per customer"
        )
        rows.append(
            f'<li><div class="count">#{p.rank}</div><div class="steps">'
            f'{path_diagram(p.steps, steps)}<div class="outcomes">{facts}</div></div></li>'
        )
    shown = len(figures.patterns)
    these = "This pattern covers" if shown == 1 else f"These {shown} patterns cover"
    paths = "1 distinct path" if figures.paths == 1 else f"{figures.paths:,} distinct paths"
    covered = f"{these} {pct(figures.covered)} of the {figures.customers:,} customers ({paths})."
    return f'<ol class="paths patterns">{"".join(rows)}</ol><p class="note">{esc(covered)}</p>'


def economics_table(personas: Personas) -> str:
    rows = []
    for f in (*personas.personas, personas.overall):
        c = f.cost
        r = f.revenue
        name = esc(f.label) if f.id != "all" else f"<b>{esc(f.label)}</b>"
        rows.append([
            f'<td class="name" title="{esc(f.id)}">{name}</td>',
            td(f"{num(f.customers)} ({pct(f.share)})"),
            td(f"{num(f.purchased)} ({pct(f.conversion)})"),
            td(num(f.to_purchase.median)), td(num(f.health.median)),
            td(money(c.per_customer, c.currency)),
            td(money(c.acquisition_per_purchase, c.currency)),
            td(money(c.service_per_purchase, c.currency)),
            td(money(r.per_customer) + (f" ({r.customers:,})" if r.customers else "")),
            td(pct(r.cost_to_revenue, 1)),
        ])  # fmt: skip
    head = ["Persona", "Customers", "Bought", "Median days to purchase", "Median health",
            "Cost to serve per customer", "Acquisition per purchase", "Service per purchase",
            "Won revenue per customer (n)", "Cost / revenue"]  # fmt: skip
    return table(head, rows)


def cost_by_stage(personas: Personas) -> str:
    rows: dict[str, dict[str, int]] = {}
    for f in personas.personas:
        if f.cost.customers:
            rows[f.label] = {s: round(f.cost.by_stage[s] / f.cost.customers) for s in STAGES}
    if not rows:
        return '<p class="note">No journey carries a cost yet: run `suitejourney classify`.</p>'
    return legend((s, STAGE_COLOURS[s]) for s in STAGES) + charts.stacked_bars(
        rows, STAGE_COLOURS, "Cost to serve per customer by stage", label_width=170
    )


def personas_section(report: Report) -> str:
    personas = report.personas
    if personas is None or not personas.personas:
        return ""
    currency = personas.overall.cost.currency
    cards = [
        card("Cost, health and revenue by persona", economics_table(personas), wide=True),
        card(
            f"Cost to serve per customer by stage{' (' + currency + ')' if currency else ''}",
            cost_by_stage(personas),
            '<p class="note">Acquisition is every touchpoint up to and including the first '
            "purchase, service every one after it; a stage counts what was spent while the "
            "customer was in it. Prices per touchpoint kind and channel come from the "
            "mapping's <code>costs:</code>.</p>",
            wide=True,
        ),
    ]
    for f in personas.personas[:PERSONAS_SHOWN]:
        title = f"{f.label}: prevailing patterns of {f.customers:,} customers"
        cards.append(card(title, pattern_list(f, f.cost.currency), wide=True))
    return section(
        "personas",
        "Personas",
        "The customer groups the mapping defines, what serving them costs, what they bring, "
        "and the few routes that most of each group follows: a route is the stage sequence "
        "with the channel that moved the customer into each stage; near routes are merged "
        f"(tolerance {personas.tolerance:g}).",
        *cards,
    )
