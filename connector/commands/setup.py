"""Commands that get a user started: ``init`` and ``demo``."""

from __future__ import annotations

import click

from connector.commands.common import ProgressLine
from connector.commands.syncing import print_sync
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
    from connector.starter import write_config

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
@click.option(
    "--report",
    "report_dir",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Folder for the HTML report (when the report exists).",
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False),
    help="Keep the state database in this folder, with a suitejourney.toml pointing at it.",
)
def demo(accounts: int, seed: int, report_dir: str, keep: str | None) -> int:
    """Run the whole job on embedded defaults: no configuration, no network.

    Starts a seeded SuiteCRM sandbox in this process and runs what `sync` runs
    against a real SuiteCRM: pull into a temporary SQLite database, classify,
    push the journeys back into the sandbox. Prints customers per stage, the
    conversion between stages and three timelines; writes the HTML report.
    With --keep DIR the state database stays there: `cd DIR` and try
    `suitejourney review` or `suitejourney mappings diff NEW.yaml`.
    """
    from pathlib import Path

    from connector.demo import run_demo
    from connector.journey import STAGES

    progress = ProgressLine()
    click.echo(f"Starting a SuiteCRM sandbox with {accounts} accounts (seed {seed})…")
    try:
        result = run_demo(
            accounts=accounts,
            seed=seed,
            progress=progress,
            report_folder=Path(report_dir),
            on_step=click.echo,
            keep=Path(keep) if keep else None,
        )
    finally:
        progress.finish()
    print_sync(result.sync, as_json=False)
    click.echo("\nfunnel (customers that reached each stage, or passed it)")
    previous = None
    for stage in STAGES:
        count = result.reached[stage]
        rate = f"{count / previous:>6.0%} of the stage before" if previous else ""
        click.echo(f"  {stage:<11} {count:>6,}  {rate}")
        previous = count or None
    for text in result.timelines:
        click.echo("\n" + "\n".join(text.splitlines()[:18]))
        if len(text.splitlines()) > 18:
            click.echo("  …")
    if result.report_path is not None:
        click.echo(f"\nreport: {result.report_path}")
    if result.kept is not None:
        click.echo(
            f"\nstate database kept in {result.kept}: cd there and run `suitejourney review`, "
            "`suitejourney mappings diff NEW.yaml` or `suitejourney timeline NAME`"
        )
    click.echo(f"\ndemo finished in {result.seconds:.1f} s")
    return result.sync.exit_code
