"""The ``suitejourney`` command line: a thin shell over the composition root.

Each command parses its flags, loads ``Settings`` (file < environment < flags),
asks ``app`` for what it needs, and prints. There is one ``except ConnectorError``
(in ``main``): it prints the error's message and exits with its code (0 done,
1 done with failures, 2 usage or configuration, 3 SuiteCRM unreachable or
refusing us). Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from connector import __version__
from connector.commands.common import State
from connector.commands.connection import check, config_group
from connector.commands.journeys import classify, mappings_group, timeline
from connector.commands.patterns import patterns_command
from connector.commands.report import report_command
from connector.commands.setup import demo, init
from connector.commands.syncing import db_group, pull, push_command, schedule, status, sync
from connector.errors import EXIT_OK, ConnectorError
from connector.logs import ScrubFilter, setup_logging
from connector.sandbox.cli import sandbox_command


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


for command in (
    init,
    check,
    sync,
    pull,
    classify,
    push_command,
    timeline,
    report_command,
    patterns_command,
    status,
    schedule,
    demo,
    sandbox_command,
    db_group,
    mappings_group,
    config_group,
):
    cli.add_command(command)


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
