"""Commands about journeys and their rules: ``classify``, ``timeline``, ``mappings …``."""

from __future__ import annotations

import json

import click

from connector.app import classify_configured, load_rules, mapping_path, open_state, utc_now
from connector.commands.common import State, meter, stop_on_signals
from connector.errors import EXIT_CONFIGURATION, EXIT_OK, UsageError
from connector.journey import (
    context_at,
    explain,
    initial_context,
    journey_to_dict,
    render_explanation,
    render_timeline_text,
    validate_mapping,
)
from connector.store.customers import find_touchpoint
from connector.sync.classify import (
    customer_from_row,
    find_customers,
    journey_of,
    load_customers,
    touchpoint_from_row,
)
from connector.sync.job import stop_message


@click.command()
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Rebuild every journey, not only those whose touchpoints changed.",
)
@click.option("--mapping", help="Mapping file (overrides `mapping`).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def classify(state: State, /, everything: bool, mapping: str | None, as_json: bool) -> int:
    """Place every touchpoint in a stage and rebuild the customers' journeys.

    Works on the state database only (run `pull` first). Only customers whose
    touchpoints changed since the last run are rebuilt, plus journeys older than a
    day (time alone makes a customer stalled); --all rebuilds everything, e.g.
    after changing the mapping. Ctrl-C or SIGTERM stops after the current batch
    (exit 130); the rest is rebuilt by the next run.
    """
    settings = state.settings()
    rules = load_rules(settings, mapping)
    run_id, report = classify_configured(
        settings, rules, everything=everything, should_stop=stop_on_signals(), meter=meter
    )
    stopped = stop_message("classify", report) if report.stopped else ""
    if as_json:
        click.echo(json.dumps({"run": run_id, **report.__dict__, "stopped": stopped or None}))
    else:
        click.echo(
            f"classify: {report.rebuilt:,} journeys rebuilt ({report.changed:,} changed), "
            f"{report.removed:,} removed, {report.touchpoints:,} touchpoints"
        )
    if stopped:
        if not as_json:
            click.secho(f"stopped: {stopped}", fg="yellow", err=True)
        return 130
    return EXIT_OK


@click.command()
@click.argument("customer")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Text for people, JSON for machines.",
)
@click.option("--mapping", help="Mapping file (overrides `mapping`).")
@click.pass_obj
def timeline(state: State, /, customer: str, fmt: str, mapping: str | None) -> int:
    """Print one customer's journey: stages, transitions, every touchpoint.

    CUSTOMER is an account or contact id, a key such as Accounts:<id>, or a name
    (or part of one). Built from the state database as it is now.
    """
    if not customer.strip():
        raise UsageError(
            "name a customer: an account or contact id, Accounts:<id>, or (part of) a name."
        )
    settings = state.settings()
    rules = load_rules(settings, mapping)
    db = open_state(settings)
    try:
        with db.read() as conn:
            matches, total = find_customers(conn, customer.strip())
            if total > 1:
                names = "\n".join(f"  {key}  {name}" for key, name in matches)
                more = f"\n  … and {total - len(matches):,} more" if total > len(matches) else ""
                raise UsageError(
                    f"{total:,} customers match {customer!r}; name one by key:\n{names}{more}"
                )
            if not matches:
                raise UsageError(
                    f"no customer matches {customer!r} (run `suitejourney sync` first, or "
                    "give an id or Accounts:<id>)."
                )
            journey = journey_of(conn, matches[0][0], rules, utc_now())
    finally:
        db.close()
    if journey is None:
        raise UsageError(f"{matches[0][0]} is no longer a customer (merged or deleted).")
    if fmt == "json":
        click.echo(json.dumps(journey_to_dict(journey), indent=2, ensure_ascii=False))
    else:
        click.echo(render_timeline_text(journey))
    return EXIT_OK


@click.group("mappings")
def mappings_group() -> None:
    """Check, explain and compare the stage rules."""


@mappings_group.command("validate")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.pass_obj
def mappings_validate(state: State, /, file: str | None) -> int:
    """Check a mapping file; print every problem with its file:line.

    FILE defaults to the `mapping` setting. Exit code 2 when there is an error
    (warnings, such as a dropdown value SuiteCRM does not ship, do not fail).
    """
    path = mapping_path(state.settings(), file)
    problems = validate_mapping(path)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        click.secho(f"{path}: {len(errors)} error(s)", fg="red", err=True)
        return EXIT_CONFIGURATION
    warnings = len(problems) - len(errors)
    click.echo(f"{path}: ok" + (f" ({warnings} warning(s))" if warnings else ""))
    return EXIT_OK


@mappings_group.command("diff")
@click.argument("new_file", metavar="NEW.yaml", type=click.Path(dir_okay=False))
@click.option("--mapping", help="The mapping to compare with (default: the `mapping` setting).")
@click.option(
    "--sample",
    type=click.IntRange(0),
    default=10,
    show_default=True,
    help="How many changed touchpoints and customers to show.",
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def mappings_diff(
    state: State, /, new_file: str, mapping: str | None, sample: int, as_json: bool
) -> int:
    """Show what a mapping would change: touchpoints and customers that move.

    Replays every touchpoint in the state database under the configured mapping
    and under NEW.yaml (with the corrections made in SuiteCRM, as `classify`
    would), and prints how many touchpoints change stage (from -> to, per rule),
    how many customers change current stage or status, and a sample of each.
    Writes nothing; `classify --all --mapping NEW.yaml` applies it.
    """
    from connector.journey import diff_to_dict, render_diff
    from connector.sync.whatif import diff_mappings

    settings = state.settings()
    old_path = mapping_path(settings, mapping)
    new_path = mapping_path(settings, new_file)
    old_rules = load_rules(settings, mapping)
    new_rules = load_rules(settings, new_file)
    db = open_state(settings)
    try:
        diff = diff_mappings(db, old_rules, new_rules, utc_now(), sample=sample)
    finally:
        db.close()
    if as_json:
        data = diff_to_dict(diff, str(old_path), str(new_path))
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(render_diff(diff, str(old_path), str(new_path)))
    return EXIT_OK


@mappings_group.command("explain")
@click.argument("module")
@click.argument("record_id")
@click.option("--mapping", help="Mapping file (overrides `mapping`).")
@click.pass_obj
def mappings_explain(state: State, /, module: str, record_id: str, mapping: str | None) -> int:
    """Show how one record was classified: every rule tried, and why.

    MODULE is the SuiteCRM module (Calls, Cases, Opportunities, …) and RECORD_ID
    the record's id; the record is read from the state database (pull first).
    """
    settings = state.settings()
    rules = load_rules(settings, mapping)
    db = open_state(settings)
    key = f"{module}:{record_id}"
    try:
        with db.read() as conn:
            row = find_touchpoint(conn, key)
            if row is None:
                raise UsageError(
                    f"{module} record {record_id} is not in the state database: check the "
                    "module name (case matters) and id, or run `suitejourney pull`."
                )
            if row.occurred_at is None:
                raise UsageError(
                    f"{module} record {record_id} has no usable date (date_entered, "
                    "date_modified): it is in no journey, so no rule classified it."
                )
            touchpoint = touchpoint_from_row(row)
            now = utc_now()
            customer = None
            context = initial_context(None)
            if row.customer_key:
                customers, touchpoints = load_customers(conn, [row.customer_key])
                customer = customers.get(row.customer_key)
                if customer is not None:
                    context = context_at(customer, touchpoints[row.customer_key], rules, key, now)
            if customer is None and row.key == row.customer_key:
                customer = customer_from_row(row)
    finally:
        db.close()
    click.echo(
        f"{key}: {touchpoint.subject!r} at {touchpoint.occurred_at:%Y-%m-%d %H:%M} UTC, "
        f"customer {row.customer_key or '(none: orphan)'}"
    )
    upcoming = touchpoint.occurred_at > now
    click.echo(render_explanation(explain(touchpoint, context, rules, upcoming=upcoming)))
    return EXIT_OK
