"""The ``suitejourney`` command line: a thin shell over the composition root.

Each command parses its flags, loads ``Settings`` (file < environment < flags),
asks ``app`` for what it needs, and prints. There is one ``except ConnectorError``
(in ``main``): it prints the error's message and exits with its code (0 done,
1 done with failures, 2 usage or configuration, 3 SuiteCRM unreachable or
refusing us). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence

import click

from connector import __version__
from connector.errors import EXIT_OK, ConnectorError
from connector.logs import emit_json

# Every command, where it lives and its one-line help. The commands are imported
# only when one runs, so `suitejourney --help` starts without loading requests,
# SQLAlchemy or Alembic (tests/unit/test_cli_startup.py keeps the help lines true).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "connector.commands.setup:init",
        ("Write a commented suitejourney.toml to start from, and say what to do next."),
    ),
    "check": (
        "connector.commands.connection:check",
        "Connect to SuiteCRM and report what the connector can do there.",
    ),
    "sync": (
        "connector.commands.syncing:sync",
        "Pull what changed, classify it into journeys, write the journeys back.",
    ),
    "pull": (
        "connector.commands.syncing:pull",
        "Read what changed in SuiteCRM into the state database.",
    ),
    "classify": (
        "connector.commands.journeys:classify",
        "Place every touchpoint in a stage and rebuild the customers' journeys.",
    ),
    "push": (
        "connector.commands.syncing:push_command",
        ("Write the journeys that changed into SuiteCRM (CJ_Journeys, CJ_Touchpoints)."),
    ),
    "timeline": (
        "connector.commands.journeys:timeline",
        "Print one customer's journey: stages, transitions, every touchpoint.",
    ),
    "report": (
        "connector.commands.report:report_command",
        (
            "Write the journey analytics report: funnel, time in stage, drop-off, channels "
            "and attribution, common paths, and post-sale health and pain points."
        ),
    ),
    "status": (
        "connector.commands.syncing:status",
        (
            "Show recent runs (sync, scheduled, pull, classify, push) with their counts, "
            "skipped records and errors; the records in quarantine; each module's cursor "
            "and the touchpoints stored."
        ),
    ),
    "schedule": (
        "connector.commands.syncing:schedule",
        "Run sync on the `schedule` setting until stopped (SIGTERM or Ctrl-C).",
    ),
    "demo": (
        "connector.commands.setup:demo",
        "Run the whole job on embedded defaults: no configuration, no network.",
    ),
    "sandbox": (
        "connector.sandbox.cli:sandbox_command",
        ("Serve a seeded SuiteCRM-compatible API (V8 and REST v4_1) on 127.0.0.1."),
    ),
    "db": ("connector.commands.syncing:db_group", "Manage the state database."),
    "mappings": (
        "connector.commands.journeys:mappings_group",
        "Check, explain and compare the stage rules.",
    ),
    "review": (
        "connector.commands.review:review",
        ("List the classifications the rules are unsure of, most influential first."),
    ),
    "corrections": (
        "connector.commands.review:corrections_group",
        "Move the stage corrections made in SuiteCRM between instances (YAML).",
    ),
    "config": ("connector.commands.connection:config_group", "Inspect the configuration."),
    "serve": (
        "connector.commands.serving:serve_command",
        ("Receive SuiteCRM's change notifications and update those journeys at once."),
    ),
    "patterns": (
        "connector.commands.patterns:patterns_command",
        ("Show the prevailing journey patterns of each persona, with cost to serve and revenue."),
    ),
}


def load_command(name: str) -> click.Command:
    """Import the command called ``name`` (a key of COMMANDS)."""
    module_name, attribute = COMMANDS[name][0].split(":")
    command = getattr(importlib.import_module(module_name), attribute)
    assert isinstance(command, click.Command)
    return command


class LazyGroup(click.Group):
    """A group whose commands are imported when they run, not when help is drawn."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [
            (name, click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit))
            for name in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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
    from connector.commands.common import State
    from connector.logs import ScrubFilter, setup_logging

    handler = setup_logging(log_level, log_format)
    log_filter = next(f for f in handler.filters if isinstance(f, ScrubFilter))
    ctx.obj = State(config, instance, log_filter)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: run the command, map errors to exit codes. With
    ``--log-format json`` the final error line is a JSON log line too."""
    try:
        result = cli.main(args=argv, prog_name="suitejourney", standalone_mode=False)
    except click.exceptions.Abort:
        if not emit_json(logging.ERROR, "connector.cli", "aborted", exit_code=130):
            click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        if not emit_json(
            logging.ERROR, "connector.cli", exc.format_message(), exit_code=exc.exit_code
        ):
            exc.show()
        sys.exit(exc.exit_code)
    except ConnectorError as exc:
        if not emit_json(logging.ERROR, "connector.cli", exc.message, exit_code=exc.exit_code):
            click.secho(f"error: {exc.message}", fg="red", err=True)
        sys.exit(exc.exit_code)
    sys.exit(result if isinstance(result, int) else EXIT_OK)
