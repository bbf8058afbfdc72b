"""Commands that move data: ``pull``, ``sync``, ``schedule``; and ``status``, ``db upgrade``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from connector.app import (
    open_existing_state,
    open_state,
    pull_configured,
    push_configured,
    sync_configured,
)
from connector.commands.common import (
    ProgressLine,
    State,
    connection_options,
    meter,
    stop_on_signals,
)
from connector.commands.pushview import PushProgressLine, print_push
from connector.errors import (
    EXIT_OK,
)
from connector.journey import STAGES
from connector.status import collect_status, render_status
from connector.store.quarantine import Quarantined
from connector.sync.corrections import CorrectionsReport
from connector.sync.job import SyncReport
from connector.sync.runner import PullReport
from connector.writeback.push import PushReport

SHOWN_SKIPPED = 20


@click.command()
@connection_options
@click.option(
    "--full",
    is_flag=True,
    help="Read everything again (ignore the cursors) and reconcile deletions.",
)
@click.option(
    "--modules",
    "modules_flag",
    help="Comma-separated modules to pull (default: the `modules` setting).",
)
@click.option("--page-size", type=int, help="Records per list request.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.pass_obj
def pull(state: State, /, full: bool, modules_flag: str | None, as_json: bool, **flags: Any) -> int:
    """Read what changed in SuiteCRM into the state database.

    Per module, only records modified since the last pull are read (with a small
    overlap), page by page; each page is committed with its cursor, so an
    interrupted pull resumes where it stopped. Deleted records are removed: through
    REST v4_1 when a username and password are configured, otherwise by a daily
    reconciliation of ids (and always with --full).

    Records that cannot be read (a date that does not exist, a broken encoding)
    are skipped, listed and kept in quarantine: every later pull reads them again,
    so fixing them in SuiteCRM is enough.

    Exit code 0 when everything was read, 1 when some records were skipped or
    modules failed (listed), 2 for a configuration error (such as an unknown
    module), 3 when SuiteCRM cannot be reached, 130 when stopped (Ctrl-C, SIGTERM).
    """
    settings = state.settings(modules=modules_flag, **flags)
    settings.require_crm()
    db = open_state(settings)
    progress = ProgressLine()
    try:
        report = pull_configured(
            settings, db, full=full, progress=progress, should_stop=stop_on_signals()
        )
    finally:
        progress.finish()
        db.close()
    _print_pull(report, as_json)
    if report.stopped and not as_json:
        click.secho(f"stopped: {report.stopped}", fg="yellow", err=True)
    return report.exit_code


def _print_pull(report: PullReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, default=str))
        return
    click.echo(f"pull #{report.run_id}: {report.status}")
    click.echo(
        f"  {'module':<16} {'read':>8} {'created':>8} {'updated':>8} {'deleted':>8} "
        f"{'orphans':>8} {'skipped':>8} {'requests':>8}"
    )
    for m in report.modules:
        click.echo(
            f"  {m.module:<16} {m.read:>8,} {m.created:>8,} {m.updated:>8,} "
            f"{m.deleted:>8,} {m.orphans:>8,} {m.skipped:>8,} {m.requests:>8,}"
        )
    for module, message in report.failures:
        click.secho(f"  failed: {module}: {message}", fg="red", err=True)
    print_skipped(report.skipped, report.quarantined)
    for module, message in report.warnings:
        click.secho(f"  warning: {module}: {message}", fg="yellow", err=True)
    if any(m.orphans for m in report.modules):
        click.echo(
            "  orphans: touchpoints whose parent record is missing or not a customer; "
            "`suitejourney status` counts them per module."
        )


def print_skipped(total: int, held: tuple[Quarantined, ...]) -> None:
    """The records this run skipped, each with what is wrong with it."""
    if not total:
        return
    click.echo(
        f"  skipped: {total:,} records could not be read; they stay in quarantine and are "
        "read again at every pull, so a fix in SuiteCRM is enough:"
    )
    for q in held[:SHOWN_SKIPPED]:
        value = f" {q.value!r}" if q.value else ""
        click.echo(f"    {q.module} {q.record_id}: {q.field}{value} is {q.reason}")
    if total > min(len(held), SHOWN_SKIPPED):
        click.echo(f"    … and {total - min(len(held), SHOWN_SKIPPED):,} more: suitejourney status")


@click.command()
@connection_options
@click.option("--full", is_flag=True, help="Read everything again and reconcile deletions.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.pass_obj
def sync(state: State, /, full: bool, as_json: bool, **flags: Any) -> int:
    """Pull what changed, classify it into journeys, write the journeys back.

    The job `schedule` runs; run it from cron instead if you prefer
    (`*/30 * * * * suitejourney sync`). Only one sync of an instance runs at a
    time: a second one exits with code 3 and says so. Ctrl-C or SIGTERM stops at
    the next checkpoint (a page, a batch, a journey) and says where.

    Exit code 0 done, 1 done with failures or skipped records (listed),
    2 configuration error, 3 SuiteCRM unreachable or another sync running,
    130 stopped on request.
    """
    settings = state.settings(**flags)
    progress = ProgressLine()
    push_line = PushProgressLine()

    def push_progress(pushed: PushReport) -> None:
        if progress.module:  # the pull's last line stays
            progress.finish()
            progress.module = ""
        push_line(pushed)

    try:
        report = sync_configured(
            settings,
            full=full,
            progress=progress,
            should_stop=stop_on_signals(),
            meter=meter,
            push_progress=push_progress,
        )
    finally:
        progress.finish()
        push_line.finish()
    print_sync(report, as_json)
    return report.exit_code


def sync_dict(report: SyncReport) -> dict[str, Any]:
    return {
        "run": report.run_id,
        "status": report.pull.status,
        "exit_code": report.exit_code,
        "pull": [m.__dict__ for m in report.pull.modules],
        "skipped": report.pull.skipped,
        "quarantined": [q.as_dict() for q in report.pull.quarantined],
        "failures": [{"module": m, "message": msg} for m, msg in report.pull.failures],
        "warnings": [{"module": m, "message": msg} for m, msg in report.pull.warnings],
        "classify": report.classified.__dict__ if report.classified else None,
        "corrections": report.corrections.as_dict() if report.corrections else None,
        "customers": report.customers,
        "push": report.pushed.as_dict() if report.pushed else None,
        "stopped": report.stopped or None,
    }


def print_sync(report: SyncReport, as_json: bool) -> None:
    """The sync summary: what was read, what was rebuilt, customers per stage, a stop."""
    if as_json:
        click.echo(json.dumps(sync_dict(report), indent=2, default=str))
        return
    _print_pull(report.pull, as_json=False)
    if report.corrections is not None:
        print_corrections(report.corrections)
    c = report.classified
    if c is not None:
        click.echo(
            f"classify: {c.rebuilt:,} journeys rebuilt ({c.changed:,} changed), "
            f"{c.removed:,} removed"
        )
    stages = report.customers["stage"]
    statuses = report.customers["status"]
    total = sum(stages.values())
    click.echo(f"customers: {total:,}")
    for stage in STAGES:
        click.echo(f"  {stage:<11} {stages.get(stage, 0):>8,}")
    click.echo("  " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())))
    if report.pushed is not None:
        print_push(report.pushed)
    if report.stopped:
        click.secho(f"stopped: {report.stopped}", fg="yellow", err=True)


def print_corrections(report: CorrectionsReport) -> None:
    """One line on the corrections read back from SuiteCRM, and their problems."""
    for problem in report.problems[:20]:
        click.secho(f"  corrections: {problem}", fg="yellow", err=True)
    if not report.available:
        return
    click.echo(
        f"corrections: {report.corrections:,} in SuiteCRM, {report.edits:,} stage edits read "
        f"back from CJ_Touchpoints, {report.changed:,} changed "
        f"({report.customers:,} journeys to rebuild)"
    )


@click.command("push")
@connection_options
@click.option("--dry-run", is_flag=True, help="List what would be written; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def push_command(state: State, /, dry_run: bool, as_json: bool, **flags: Any) -> int:
    """Write the journeys that changed into SuiteCRM (CJ_Journeys, CJ_Touchpoints).

    Only journeys whose content changed since they were last written are sent, and
    of their touchpoints only the changed ones; CJ records of deleted touchpoints
    are deleted. Records have fixed ids, so running push again (or after a crash)
    never duplicates anything. The writer is the `writer` setting: api (V8, one
    request per record), bulk (REST v4_1 set_entries) or mysql (SuiteCRM's
    database directly). Source records are never modified.

    Which touchpoints get a record of their own is the `touchpoint_records`
    setting (milestones, none, all); `write_concurrency` requests are in flight.
    Each journey is recorded as soon as it is written, so a stop or a crash loses
    at most the journeys in flight.

    Exit code 0 done, 1 some records were rejected (listed), 2 configuration
    error, 3 SuiteCRM unreachable, 130 stopped (Ctrl-C, SIGTERM).
    """
    settings = state.settings(**flags)
    settings.require_crm()
    line = PushProgressLine()
    report: PushReport | None = None
    try:
        run_id, report, stopped = push_configured(
            settings, dry_run=dry_run, should_stop=stop_on_signals(), progress=line
        )
    finally:
        line.finish(report)
    if as_json:
        click.echo(
            json.dumps({"run": run_id or None, **report.as_dict(), "stopped": stopped or None})
        )
    else:
        print_push(report)
    if stopped:
        if not as_json:
            click.secho(f"stopped: {stopped}", fg="yellow", err=True)
        return 130
    return 1 if report.failed else EXIT_OK


@click.command()
@connection_options
@click.option(
    "--max-runs", type=click.IntRange(1), help="Stop after this many runs (for testing a schedule)."
)
@click.pass_obj
def schedule(state: State, /, max_runs: int | None, **flags: Any) -> int:
    """Run sync on the `schedule` setting until stopped (SIGTERM or Ctrl-C).

    `schedule` is 'every 30m' (s, m, h, d) or a cron line in UTC such as
    '0 */2 * * *'. A run starts at once, then on schedule; runs missed while the
    machine slept are coalesced into one. Stopping finishes the current page
    first. A failing run is logged and retried on schedule; a configuration error
    (bad credentials, unknown module) stops the scheduler with exit code 2 or 3.
    `suitejourney status` shows the scheduler's heartbeat.
    """
    from connector.scheduler import SyncScheduler, parse_schedule

    settings = state.settings(**flags)
    trigger = parse_schedule(settings.schedule, f"schedule ({settings.source_of('schedule')})")
    settings.require_crm()
    db = open_state(settings)

    def job(should_stop: Callable[[], bool]) -> int:
        report = sync_configured(settings, should_stop=should_stop, kind="scheduled")
        return report.exit_code

    scheduler = SyncScheduler(job, trigger, db, max_runs=max_runs)
    scheduler.install_signal_handlers()
    click.echo(f"scheduling sync: {settings.schedule} (UTC); Ctrl-C or SIGTERM stops", err=True)
    try:
        return scheduler.run()
    finally:
        db.close()


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option(
    "--runs",
    type=click.IntRange(1, 1000),
    default=5,
    show_default=True,
    help="How many recent runs to show (1-1000).",
)
@click.pass_obj
def status(state: State, /, as_json: bool, runs: int) -> int:
    """Show recent runs (sync, scheduled, pull, classify, push) with their counts,
    skipped records and errors; the records in quarantine; each module's cursor
    and the touchpoints stored.

    Reads only the state database (it never creates one); does not contact SuiteCRM.
    """
    settings = state.settings()
    db = open_existing_state(settings)
    try:
        data = collect_status(db, runs=runs)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        click.echo(render_status(data))
    return EXIT_OK


@click.group("db")
def db_group() -> None:
    """Manage the state database."""


@db_group.command("upgrade")
@click.pass_obj
def db_upgrade(state: State, /) -> int:
    """Create the state database or migrate it to the newest schema."""
    from connector.store.schema import upgrade

    settings = state.settings()
    db = open_state(settings, migrate=False)
    try:
        before, after = upgrade(db.engine)
    finally:
        db.close()
    if before == after:
        click.echo(f"{db.shown_url}: already at schema {after}")
    else:
        click.echo(f"{db.shown_url}: migrated from {before or 'empty'} to {after}")
    return EXIT_OK
