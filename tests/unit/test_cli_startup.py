"""The command line starts fast: `--help` lists every command without importing them."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from connector.cli import COMMANDS, cli, load_command

HEAVY = ("requests", "sqlalchemy", "alembic", "yaml", "apscheduler", "pymysql")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_lazy_listing_tells_the_truth_about_each_command(name: str) -> None:
    command = load_command(name)
    assert command.name == name
    assert COMMANDS[name][1] == command.get_short_help_str(limit=1000)


def test_every_command_is_reachable_through_the_group() -> None:
    context = click.Context(cli)
    assert set(cli.list_commands(context)) == set(COMMANDS)
    assert cli.get_command(context, "nope") is None


def test_help_imports_no_heavy_library() -> None:
    """`suitejourney --help` must not pay for requests, SQLAlchemy or Alembic."""
    code = (
        "import sys\n"
        "from connector.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"loaded = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print('LOADED', ','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "Commands:" in result.stdout
    assert "LOADED \n" in result.stdout, result.stdout.splitlines()[-1]
