"""Commands about people's judgement: ``review`` and ``corrections export|import``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from connector import __version__
from connector.app import import_corrections_configured, load_rules, open_state, utc_now
from connector.commands.common import State, connection_options
from connector.errors import EXIT_OK, UsageError
from connector.journey import DOUBTS

RANKS = {
    0: "changes the current stage",
    1: "changes the status",
    2: "moved a stage",
    3: "changes nothing now",
}


@click.command()
@click.option(
    "--reason",
    "reasons",
    multiple=True,
    type=click.Choice(DOUBTS),
    help="Only doubts for this reason (repeatable): conflict, keyword or fallback.",
)
@click.option("--customer", help="Only this customer (an id, Accounts:<id> or a name).")
@click.option(
    "--limit",
    type=click.IntRange(0),
    default=20,
    show_default=True,
    help="How many to list (0: all).",
)
@click.option("--mapping", help="Mapping file (overrides `mapping`).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def review(
    state: State,
    /,
    reasons: tuple[str, ...],
    customer: str | None,
    limit: int,
    mapping: str | None,
    as_json: bool,
) -> int:
    """List the classifications the rules are unsure of, most influential first.

    A classification is doubtful when a fallback rule decided it (no specific rule
    matched), when a keyword in the text was the only evidence, or when another
    rule of a different stage matched too (conflict). Each is shown with the rule
    and the text that matched, and weighed by what it changes if it is wrong: its
    customer's current stage first, then the status. Correct the wrong ones in
    SuiteCRM (the journey panel, or the Touchpoints record's stage): corrections
    win from the next sync on. Reads the state database only.
    """
    from connector.sync.classify import find_customers
    from connector.sync.review import review_queue

    settings = state.settings()
    rules = load_rules(settings, mapping)
    db = open_state(settings)
    try:
        keys = None
        if customer:
            with db.read() as conn:
                matches, _ = find_customers(conn, customer.strip(), limit=1000)
            if not matches:
                raise UsageError(f"no customer matches {customer!r}.")
            keys = [key for key, _ in matches]
        queue = review_queue(db, rules, utc_now(), customers=keys, reasons=reasons)
    finally:
        db.close()
    shown = queue.items[:limit] if limit else queue.items
    if as_json:
        data = {
            "customers": queue.customers,
            "touchpoints": queue.touchpoints,
            "doubtful": len(queue.items),
            "by_reason": queue.by_reason,
            "by_influence": {RANKS[r]: n for r, n in sorted(queue.by_rank.items())},
            "items": [item.as_dict() for item in shown],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK
    reasons_text = ", ".join(f"{r} {n:,}" for r, n in sorted(queue.by_reason.items()))
    click.echo(
        f"review: {len(queue.items):,} doubtful classifications of {queue.touchpoints:,} "
        f"touchpoints ({queue.customers:,} customers){': ' + reasons_text if reasons_text else ''}"
    )
    ranks = ", ".join(f"{RANKS[r]} {n:,}" for r, n in sorted(queue.by_rank.items()))
    if ranks:
        click.echo(f"  {ranks}")
    for number, item in enumerate(shown, 1):
        click.echo("")
        click.echo(_render_item(number, item))
    if len(shown) < len(queue.items):
        click.echo(f"\n… {len(queue.items) - len(shown):,} more (--limit 0 lists them all)")
    return EXIT_OK


def _render_item(number: int, item: Any) -> str:
    doubt = item.doubt
    tp = item.touchpoint
    weight = item.weight
    if weight.changes_stage:
        why = f"changes the current stage ({item.current_stage} -> {weight.stage_after})"
    elif weight.changes_status:
        why = f"changes the status ({item.status} -> {weight.status_after})"
    else:
        why = RANKS[weight.rank]
    lines = [
        f"{number:>3}. {doubt.reason:<8}  {why}",
        f"     {item.customer.name} ({item.customer.key}), now {item.current_stage or '-'}, "
        f"{item.status}",
        f"     {tp.occurred_at:%Y-%m-%d}  {tp.key}  {tp.subject[:60]!r}",
        f"     stage {doubt.stage} by rule {doubt.rule_id} ({', '.join(doubt.reasons)})",
    ]
    if "fallback" in doubt.reasons:
        lines.append("       no specific rule matched: the module's fallback decided")
    lines.extend(f"       {text}" for text in doubt.evidence)
    lines.extend(
        f"       if {rule} were right: stage {stage}"
        for rule, stage in doubt.rivals
        if not any(text.startswith(rule) for text in doubt.evidence)
    )
    return "\n".join(lines)


@click.group("corrections")
def corrections_group() -> None:
    """Move the stage corrections made in SuiteCRM between instances (YAML)."""


@corrections_group.command("export")
@click.option(
    "--out",
    "target",
    default="-",
    show_default=True,
    help="File to write ('-': standard output).",
)
@click.pass_obj
def corrections_export(state: State, /, target: str) -> int:
    """Write the corrections as YAML, with each touchpoint's subject and customer.

    Exports what the last sync read from SuiteCRM's CJ_Corrections (run `sync`
    first for the newest). Reads the state database only.
    """
    from connector.sync.exchange import export_yaml

    settings = state.settings()
    db = open_state(settings)
    try:
        header = (
            f"Stage corrections made in SuiteCRM, exported by suitejourney {__version__} "
            f"on {utc_now():%Y-%m-%d %H:%M} UTC from {settings.url or db.shown_url}.\n"
            "Import into another instance: suitejourney corrections import FILE"
        )
        text, count = export_yaml(db, header)
    finally:
        db.close()
    if target == "-":
        click.echo(text, nl=False)
    else:
        Path(target).write_text(text, encoding="utf-8")
        click.echo(f"exported {count:,} corrections to {target}", err=True)
    return EXIT_OK


@corrections_group.command("import")
@connection_options
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would be written; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def corrections_import(
    state: State, /, file: str, dry_run: bool, as_json: bool, **flags: Any
) -> int:
    """Write corrections from a YAML file into SuiteCRM (CJ_Corrections).

    FILE is what `corrections export` wrote. A touchpoint's live correction is
    updated, the others are created; corrections of touchpoints the state database
    does not hold yet are kept (they apply once pulled). The next `classify` (or
    `sync`) rebuilds the journeys they change. Exit code 2 when the file has a
    problem (every one is listed with its line).
    """
    from connector.sync.exchange import parse_yaml

    settings = state.settings(**flags)
    corrections = parse_yaml(Path(file))
    report = import_corrections_configured(settings, corrections, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        verb = "would write" if dry_run else "wrote"
        click.echo(
            f"corrections import: {verb} {report.created:,} new and {report.updated:,} changed, "
            f"{report.unchanged:,} already there"
        )
        if report.unknown:
            click.echo(
                f"  {len(report.unknown):,} touchpoints are not in the state database yet "
                "(kept: they apply once pulled)"
            )
        if report.mirrored is not None:
            click.echo(
                f"  {report.mirrored.customers:,} journeys to rebuild at the next classify or sync"
            )
        for failure in report.failed[:20]:
            click.secho(f"  failed: {failure}", fg="red", err=True)
    return 1 if report.failed else EXIT_OK
