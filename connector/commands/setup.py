"""Commands that get a user started: ``init`` and ``demo``."""

from __future__ import annotations

import click

from connector.commands.common import ProgressLine
from connector.commands.syncing import _print_pull
from connector.errors import (
    EXIT_OK,
)


@click.command()
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


@click.command()
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
