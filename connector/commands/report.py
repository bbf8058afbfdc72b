"""The ``report`` command: the journey analytics report as HTML, CSV or JSON.

Reads the journeys the last ``classify`` stored in the state database (it does
not talk to SuiteCRM), computes the figures with ``connector.report`` and writes
one file, or standard output with ``--out -``. Bad options (a date that is not
YYYY-MM-DD, --since after --until, an unknown segment) exit with code 2.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from connector.app import open_state, utc_now
from connector.commands.common import State
from connector.errors import EXIT_OK, ConfigurationError
from connector.report import (
    SEGMENT_FIELDS,
    Period,
    Report,
    compute_report,
    iter_journey_inputs,
    render_html,
    render_json,
    render_report_csv,
)

RENDERERS = {"html": render_html, "csv": render_report_csv, "json": render_json}


def parse_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD.") from None


def summary_line(report: Report) -> str:
    s = report.summary
    if report.empty:
        if report.period.open:
            return "nothing to report yet: no journeys (run `suitejourney sync` first)"
        return "nothing to report: no journey touches this period"
    rate = report.overall.funnel.purchase_rate
    days = report.overall.to_purchase.median
    parts = [
        f"{s.customers:,} customers",
        f"{(rate or 0) * 100:.0f}% reached purchase"
        + (f" (median {days:.0f} days from first touch)" if days is not None else ""),
        f"{s.by_status.get('lost', 0):,} lost",
        f"{s.by_status.get('stalled', 0):,} stalled",
        f"{s.by_status.get('at_risk', 0):,} at risk",
    ]
    return ", ".join(parts)


def write(text: str, out: str) -> None:
    if out == "-":
        click.echo(text, nl=False)
        return
    path = Path(out)
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise ConfigurationError(
            f"cannot write the report to {path}: {exc.strerror or exc}; choose another --out."
        ) from None


@click.command("report")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="html",
    show_default=True,
    help="One HTML page for people; CSV (long format) or JSON for other tools.",
)
@click.option(
    "--out",
    help="File to write [default: journey-report.html, .csv or .json]; - for standard output.",
)
@click.option(
    "--since",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="Only journeys with a touchpoint on or after this day (UTC).",
)
@click.option(
    "--until",
    callback=parse_day,
    metavar="YYYY-MM-DD",
    help="Only journeys with a touchpoint on or before this day (UTC).",
)
@click.option(
    "--segment",
    type=click.Choice(SEGMENT_FIELDS),
    help="Break the figures down by this customer field only [default: all three].",
)
@click.pass_obj
def report_command(
    state: State,
    /,
    fmt: str,
    out: str | None,
    since: date | None,
    until: date | None,
    segment: str | None,
) -> int:
    """Write the journey analytics report: funnel, time in stage, drop-off,
    channels and attribution, common paths, and post-sale health and pain points.

    Built from the journeys in the state database (run `sync` or `classify`
    first). With --since/--until, a journey is included when its touchpoints
    overlap the period. Segments are the customer's industry, account type and
    lead source.
    """
    if since is not None and until is not None and since > until:
        raise click.UsageError(f"--since {since} is after --until {until}.")
    settings = state.settings()
    target = out or f"journey-report.{fmt}"
    db = open_state(settings)
    try:
        report = compute_report(
            iter_journey_inputs(db),
            now=utc_now(),
            period=Period(since, until),
            segment_fields=(segment,) if segment else SEGMENT_FIELDS,
            crm_url=settings.url,
        )
    finally:
        db.close()
    write(RENDERERS[fmt](report), target)
    where = "standard output" if target == "-" else str(Path(target).resolve())
    click.echo(f"report: {fmt} written to {where}", err=target == "-")
    click.echo(f"  {summary_line(report)}", err=target == "-")
    return EXIT_OK
