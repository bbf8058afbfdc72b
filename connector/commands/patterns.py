"""The ``patterns`` command: prevailing journey patterns, cost to serve and revenue per persona.

Reads the journeys the last ``classify`` stored (it does not talk to SuiteCRM),
groups them with ``connector.report.compute_personas`` and prints one block per
persona, or the JSON the report carries under ``personas``. A persona that no
journey has exits with code 2 and names the ones there are.
"""

from __future__ import annotations

import json

import click

from connector.app import open_state
from connector.commands.common import State
from connector.errors import EXIT_OK, UsageError
from connector.report import Personas, compute_personas, iter_journey_summaries, personas_dict
from connector.report.figures import Pattern, PersonaFigures
from connector.report.patterns import path_text
from connector.report.personas import COVERAGE, LIMIT, TOLERANCE


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def _money(value: float | None, currency: str = "") -> str:
    return "-" if value is None else f"{value:,.2f} {currency}".rstrip()


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _days(value: float | None) -> str:
    return "-" if value is None else f"{value:g} days"


def pattern_lines(pattern: Pattern, currency: str) -> list[str]:
    dropped = ", ".join(f"{stage} {n:,}" for stage, n in pattern.dropoff.items()) or "none"
    return [
        f"  #{pattern.rank}  {_count(pattern.customers, 'customer')} ({_pct(pattern.share)}, "
        f"{_count(pattern.variants, 'path')}): {_pct(pattern.conversion)} bought, median "
        f"{_days(pattern.to_purchase.median)} to purchase, dropped off: {dropped}, "
        f"on their way {pattern.in_progress:,}, cost to serve "
        f"{_money(pattern.cost_per_customer, currency)} per customer",
        f"      {path_text(pattern.steps)}",
    ]


def persona_lines(figures: PersonaFigures) -> list[str]:
    cost = figures.cost
    revenue = figures.revenue
    lines = [
        f"{figures.label} ({figures.id}): {_count(figures.customers, 'customer')} "
        f"({_pct(figures.share)}), {_pct(figures.conversion)} bought, median "
        f"{_days(figures.to_purchase.median)} to purchase, median health "
        f"{'-' if figures.health.median is None else f'{figures.health.median:g}'}",
        f"  cost to serve {_money(cost.per_customer, cost.currency)} per customer "
        f"(per purchase: acquisition {_money(cost.acquisition_per_purchase)}, service "
        f"{_money(cost.service_per_purchase)}); won revenue "
        f"{_money(revenue.per_customer)} per customer ({revenue.customers:,}), "
        f"cost/revenue {_pct(revenue.cost_to_revenue)}",
    ]
    for pattern in figures.patterns:
        lines += pattern_lines(pattern, cost.currency)
    lines.append(
        f"  {_count(len(figures.patterns), 'pattern')} cover {_pct(figures.covered)} of "
        f"{_count(figures.customers, 'customer')} ({_count(figures.paths, 'distinct path')})"
    )
    return lines


def render_patterns(personas: Personas) -> str:
    head = (
        f"Prevailing journey patterns per persona (tolerance {personas.tolerance:g}; listed "
        f"until {personas.coverage * 100:.0f}% of a persona, at most {personas.limit})"
    )
    blocks = [head, *("\n".join(persona_lines(p)) for p in personas.personas)]
    return "\n\n".join(blocks) + "\n"


def select(personas: Personas, wanted: str) -> Personas:
    """Only the persona whose id or label is ``wanted`` (any case)."""
    key = wanted.casefold()
    found = [p for p in personas.personas if key in (p.id.casefold(), p.label.casefold())]
    if not found:
        known = ", ".join(p.id for p in personas.personas) or "none yet"
        raise UsageError(
            f"no journey belongs to persona {wanted!r}; the journeys have: {known} "
            "(personas are defined in the mapping's personas: and set by `suitejourney classify`)"
        )
    return Personas(
        personas.tolerance, personas.coverage, personas.limit, personas.overall, tuple(found)
    )


@click.command("patterns")
@click.option("--persona", help="Only this persona (its id or label).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the report's `personas`).")
@click.option(
    "--tolerance",
    type=click.FloatRange(min=0),
    default=TOLERANCE,
    show_default=True,
    help="How far apart two paths may be and still merge: a step added, removed or in "
    "another stage counts 1, the same stage through another channel 0.5.",
)
@click.option(
    "--coverage",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=COVERAGE,
    show_default=True,
    help="List patterns until they cover this share of a persona's customers.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=LIMIT,
    show_default=True,
    help="At most this many patterns per persona.",
)
@click.pass_obj
def patterns_command(
    state: State,
    /,
    persona: str | None,
    as_json: bool,
    tolerance: float,
    coverage: float,
    limit: int,
) -> int:
    """Show the prevailing journey patterns of each persona, with cost to serve and revenue.

    A pattern is a route through the stages with the channel that moved the
    customer into each one; near routes merge into the most common one. For
    each: its share of the persona, conversion to purchase, median days to
    purchase, where the others dropped off, and the cost to serve. Personas and
    costs are defined in the mapping (personas:, costs:) and computed by
    `classify`; this command reads the state database only.
    """
    settings = state.settings()
    db = open_state(settings)
    try:
        personas = compute_personas(
            iter_journey_summaries(db), tolerance=tolerance, coverage=coverage, limit=limit
        )
    finally:
        db.close()
    if persona is not None:
        personas = select(personas, persona)
    if as_json:
        click.echo(json.dumps(personas_dict(personas), indent=2, ensure_ascii=False))
    elif not personas.personas:
        click.echo("no journeys yet: run `suitejourney sync` (or `classify`) first")
    else:
        click.echo(render_patterns(personas), nl=False)
    return EXIT_OK
