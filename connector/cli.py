"""The ``suitejourney`` command line: a thin shell over the composition root.

Each command parses its flags, loads ``Settings`` (file < environment < flags),
asks ``app`` for what it needs, and prints. There is one ``except ConnectorError``
(in ``main``): it prints the error's message and exits with its code (0 done,
1 done with failures, 2 usage or configuration, 3 SuiteCRM unreachable or
refusing us). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from types import FrameType
from typing import Any, TypeVar

import click

from connector import __version__
from connector.app import connect_client, connect_legacy, open_state
from connector.config import KEYS, Settings, load_settings, secret_values
from connector.crm.probe import ProbeReport, probe
from connector.errors import (
    EXIT_CONFIGURATION,
    EXIT_OK,
    ConfigurationError,
    ConnectorError,
    TransientError,
)
from connector.logs import ScrubFilter, setup_logging
from connector.sandbox.cli import sandbox_command
from connector.status import collect_status, render_status
from connector.sync.job import run_sync
from connector.sync.pull import PullOptions
from connector.sync.runner import PullReport, run_pull

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """What the group's options leave for the commands."""

    def __init__(self, config: str | None, instance: str | None, log_filter: ScrubFilter) -> None:
        self.config = config
        self.instance = instance
        self.log_filter = log_filter

    def settings(self, **flags: Any) -> Settings:
        settings = load_settings(config_path=self.config, flags=flags, instance=self.instance)
        self.log_filter.secrets = secret_values(settings)
        for warning in settings.warnings:
            click.secho(f"warning: {warning}", fg="yellow", err=True)
        return settings


def connection_options(func: F) -> F:
    """Flags that override the connection keys (secrets only from the file or env)."""
    options = [
        click.option("--url", help="SuiteCRM site root (overrides `url`)."),
        click.option(
            "--api",
            type=click.Choice(["auto", "v8", "legacy"]),
            help="Which API to use (overrides `api`; auto tries V8 first).",
        ),
        click.option(
            "--client-id",
            help="OAuth2 client id (the secret comes from the file or SUITEJOURNEY_CLIENT_SECRET).",
        ),
        click.option(
            "--username",
            help="SuiteCRM user (the password comes from the file or SUITEJOURNEY_PASSWORD).",
        ),
        click.option("--timeout-read", type=float, help="Seconds to wait for each answer."),
        click.option("--retries", type=int, help="Retries of a failed request."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="suitejourney")
@click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False),
    envvar="SUITEJOURNEY_CONFIG",
    help="Configuration file [default: ./suitejourney.toml; env SUITEJOURNEY_CONFIG].",
)
@click.option(
    "--instance",
    envvar="SUITEJOURNEY_INSTANCE",
    help="Use the [instances.NAME] profile of the configuration file.",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    default="warning",
    show_default=True,
    help="How much to log (to stderr). debug shows one line per HTTP request.",
)
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Readable lines, or one JSON object per line for log collectors.",
)
@click.pass_context
def cli(
    ctx: click.Context, config: str | None, instance: str | None, log_level: str, log_format: str
) -> None:
    """Map every customer's journey through SuiteCRM.

    The connector reads touchpoints (calls, meetings, emails, cases, opportunities,
    quotes, invoices, …) from SuiteCRM's API, places each in a stage (awareness,
    evaluation, decision, purchase, loyalty) and writes a timeline per customer back
    into SuiteCRM.

    Start with `suitejourney check` to test the connection. Settings come from
    suitejourney.toml, then SUITEJOURNEY_<KEY> environment variables, then flags.

    Exit codes: 0 done, 1 done with failures, 2 usage or configuration error,
    3 SuiteCRM unreachable or refusing the credentials.
    """
    handler = setup_logging(log_level, log_format)
    log_filter = next(f for f in handler.filters if isinstance(f, ScrubFilter))
    ctx.obj = State(config, instance, log_filter)


@cli.command()
@connection_options
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_obj
def check(state: State, /, as_json: bool, **flags: Any) -> int:
    """Connect to SuiteCRM and report what the connector can do there.

    Authenticates, then prints the API flavour and base path, the SuiteCRM version
    when the server reveals it, which of the configured modules the API user can
    read (with their record counts), whether REST v4_1 is available (needed to see
    deleted records), and whether the CJ module (CJ_Journeys, CJ_Touchpoints) is
    installed.

    Exit code 0 when everything the sync needs is there, 2 when a configured module
    cannot be read, 3 when SuiteCRM cannot be reached or refuses the credentials.
    """
    settings = state.settings(**flags)
    client = connect_client(settings)
    try:
        report = probe(client, settings.modules)
    finally:
        client.close()
    legacy_note = _legacy_status(settings, client.flavour)
    if as_json:
        data = report.as_dict()
        data["legacy_api"] = legacy_note
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        _print_report(settings, report, legacy_note)
    return EXIT_CONFIGURATION if report.unreadable else EXIT_OK


def _legacy_status(settings: Settings, flavour: str) -> str:
    """Whether REST v4_1 answers too (the only way to see deleted records)."""
    if flavour == "legacy":
        return "in use"
    try:
        legacy = connect_legacy(settings)
    except (ConfigurationError, TransientError) as exc:
        return f"not available: {exc}"
    if legacy is None:
        return "not configured (set username and password to detect deleted records quickly)"
    legacy.close()
    return "available"


def _print_report(settings: Settings, report: ProbeReport, legacy_note: str) -> None:
    server = report.server
    flavour = "V8 JSON:API" if server.flavour == "v8" else "REST v4_1"
    click.echo(f"SuiteCRM at {server.base_url}")
    generation = server.details.get("generation")
    where = f"{server.api_path}" + (f" (SuiteCRM {generation})" if generation else "")
    click.echo(f"  API        {flavour} at {where}")
    if server.details.get("grant"):
        click.echo(f"  login      OAuth2 {server.details['grant']} grant")
    click.echo(f"  version    {server.version or 'not revealed by this API'}")
    click.echo(f"  REST v4_1  {legacy_note}")
    click.echo("  modules")
    width = max(len(m.name) for m in (*report.modules, *report.cj_modules))
    for status in report.modules:
        click.echo(
            f"    {status.name:<{width}}  {_status_text(status.state, status.count, status.detail)}"
        )
    if report.cj_installed:
        counts = ", ".join(
            f"{m.name} {m.count if m.count is not None else '?'}" for m in report.cj_modules
        )
        click.echo(f"  CJ module  installed ({counts})")
    else:
        click.echo(
            "  CJ module  not installed: install dist/suitecrm-journey-*.zip through "
            "Admin → Module Loader before `push`"
        )
    if report.unreadable:
        names = ", ".join(m.name for m in report.unreadable)
        click.secho(
            f"error: cannot read {names}: remove them from `modules` "
            f"({settings.source_of('modules')}) or give the API user access.",
            fg="red",
            err=True,
        )


def _status_text(state: str, count: int | None, detail: str) -> str:
    if state == "ok":
        return f"ok      {count:>9,} records" if count is not None else "ok"
    return f"{state:<7} {detail}"


def utc_now() -> datetime:
    return datetime.now(UTC)


def stop_on_signals() -> Callable[[], bool]:
    """First Ctrl-C or SIGTERM: finish the current page, then stop (exit 130)."""
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        click.echo("\nstopping after the current page (Ctrl-C again to abort)…", err=True)
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    return stop.is_set


class ProgressLine:
    """A one-line counter per module on a terminal; silent when output is not a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.module = ""
        self.count = 0

    def __call__(self, module: str, records: int) -> None:
        if module != self.module:
            self.finish()
            self.module, self.count = module, 0
        self.count += records
        if self.enabled:
            click.echo(f"\r  {module:<16} {self.count:>9,} records", nl=False, err=True)

    def finish(self) -> None:
        if self.enabled and self.module:
            click.echo(err=True)


@cli.command()
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

    Exit code 0 when everything was read, 1 when some records or modules failed
    (listed), 3 when SuiteCRM cannot be reached.
    """
    settings = state.settings(modules=modules_flag, **flags)
    db = open_state(settings)
    client = connect_client(settings)
    deletions = connect_legacy(settings) if client.flavour == "v8" else None
    progress = ProgressLine()
    try:
        report = run_pull(
            client,
            db,
            settings.modules,
            clock=utc_now,
            options=PullOptions(page_size=settings.page_size, full=full),
            deletions=deletions,
            progress=progress,
            should_stop=stop_on_signals(),
        )
    finally:
        progress.finish()
        client.close()
        if deletions is not None:
            deletions.close()
        db.close()
    _print_pull(report, as_json)
    return report.exit_code


def _print_pull(report: PullReport, as_json: bool) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "run": report.run_id,
                    "status": report.status,
                    "modules": [m.__dict__ for m in report.modules],
                    "failures": [{"module": m, "message": msg} for m, msg in report.failures],
                },
                indent=2,
            )
        )
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
    if any(m.orphans for m in report.modules):
        click.echo(
            "  orphans: touchpoints whose parent record is missing or not a customer; "
            "`suitejourney status` counts them per module."
        )


@cli.command()
@connection_options
@click.option("--full", is_flag=True, help="Read everything again and reconcile deletions.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.pass_obj
def sync(state: State, /, full: bool, as_json: bool, **flags: Any) -> int:
    """Pull what changed, classify it into journeys, write the journeys back.

    The job `schedule` runs; run it from cron instead if you prefer
    (`*/30 * * * * suitejourney sync`). Only one sync of an instance runs at a
    time: a second one exits with code 3 and says so.

    Exit code 0 done, 1 done with failures (listed), 2 configuration error,
    3 SuiteCRM unreachable or another sync running.
    """
    settings = state.settings(**flags)
    progress = ProgressLine()
    try:
        report = run_sync(settings, full=full, progress=progress, should_stop=stop_on_signals())
    finally:
        progress.finish()
    _print_pull(report.pull, as_json)
    return report.exit_code


@cli.command()
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
        report = run_sync(settings, should_stop=should_stop)
        return report.exit_code

    scheduler = SyncScheduler(job, trigger, db, max_runs=max_runs)
    scheduler.install_signal_handlers()
    click.echo(f"scheduling sync: {settings.schedule} (UTC); Ctrl-C or SIGTERM stops", err=True)
    try:
        return scheduler.run()
    finally:
        db.close()


@cli.command()
@click.option(
    "--path",
    "target",
    type=click.Path(dir_okay=False),
    default="suitejourney.toml",
    show_default=True,
    help="Where to write the configuration.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(target: str, force: bool) -> int:
    """Write a commented suitejourney.toml to start from, and say what to do next."""
    from connector.init import write_config

    path = write_config(target, force=force)
    click.echo(f"wrote {path} (readable by you only)")
    click.echo("next:")
    click.echo("  1. edit url and client_id in it; put the secret in the environment:")
    click.echo("       export SUITEJOURNEY_CLIENT_SECRET=…")
    click.echo("  2. suitejourney check      # connection, modules, CJ module")
    click.echo("  3. suitejourney sync       # pull, classify, write back")
    click.echo("  4. suitejourney schedule   # or cron: */30 * * * * suitejourney sync")
    return EXIT_OK


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option("--runs", default=5, show_default=True, help="How many recent runs to show.")
@click.pass_obj
def status(state: State, /, as_json: bool, runs: int) -> int:
    """Show recent runs, each module's cursor and the touchpoints stored.

    Reads only the state database; does not contact SuiteCRM.
    """
    settings = state.settings()
    db = open_state(settings)
    try:
        data = collect_status(db, runs=runs)
    finally:
        db.close()
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        click.echo(render_status(data))
    return EXIT_OK


@cli.group("db")
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


@cli.command()
@click.option(
    "--accounts",
    type=click.IntRange(1, 5000),
    default=40,
    show_default=True,
    help="Accounts in the generated data set.",
)
@click.option("--seed", type=int, default=7, show_default=True, help="Seed of the data set.")
def demo(accounts: int, seed: int) -> int:
    """Run the connector on embedded defaults: no configuration, no network.

    Starts a seeded SuiteCRM sandbox in this process, pulls it into a temporary
    SQLite database exactly as from a real SuiteCRM, and prints what it found.
    """
    from connector.demo import run_demo

    progress = ProgressLine()
    click.echo(f"Starting a SuiteCRM sandbox with {accounts} accounts (seed {seed})…")
    try:
        result = run_demo(accounts=accounts, seed=seed, progress=progress)
    finally:
        progress.finish()
    click.echo(
        f"Sandbox served at {result.url}; connector used {result.report.server.flavour} "
        f"at {result.report.server.api_path}."
    )
    _print_pull(result.pull, as_json=False)
    click.echo(f"{result.requests} HTTP requests, {result.seconds:.1f} s.")
    return result.pull.exit_code


cli.add_command(sandbox_command)


@cli.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command("show")
@connection_options
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def config_show(state: State, /, as_json: bool, **flags: Any) -> int:
    """Print the effective settings and where each was read (secrets masked)."""
    settings = state.settings(**flags)
    values = settings.describe()
    rows = [(k.name, values[k.name], settings.source_of(k.name)) for k in KEYS]
    if as_json:
        click.echo(json.dumps({n: {"value": v, "source": s} for n, v, s in rows}, indent=2))
        return EXIT_OK
    if settings.config_path:
        click.echo(f"# file: {settings.config_path}")
    if settings.instance:
        click.echo(f"# instance: {settings.instance}")
    width = max(len(n) for n, _, _ in rows)
    for name, value, source in rows:
        click.echo(f"{name:<{width}}  {value or '-':<40}  {source}")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: run the command, map errors to exit codes."""
    try:
        result = cli.main(args=argv, prog_name="suitejourney", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ConnectorError as exc:
        click.secho(f"error: {exc.message}", fg="red", err=True)
        sys.exit(exc.exit_code)
    sys.exit(result if isinstance(result, int) else EXIT_OK)
