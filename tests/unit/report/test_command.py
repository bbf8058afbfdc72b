"""``suitejourney report`` end to end on a state database: files, stdout, bad options."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from connector.commands.common import State
from connector.commands.report import report_command
from connector.logs import ScrubFilter
from tests.unit.report.fixtures import journeys
from tests.unit.report.statedb import open_db, store


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Stands in for the real group, which registers ``report`` itself."""
    ctx.obj = State(None, None, ScrubFilter())


cli.add_command(report_command)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    return {
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        "SUITEJOURNEY_URL": "https://crm.example.com",
    }


@pytest.fixture
def filled(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    db = open_db(tmp_path / "state.db")
    store(db, journeys(), [])
    db.close()
    return env


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, ["report", *args], env=env)


def test_default_is_an_html_file_with_a_summary_line(
    filled: dict[str, str], tmp_path: Path
) -> None:
    result = run(filled)
    assert result.exit_code == 0, result.output
    page = (tmp_path / "journey-report.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "crm.example.com/index.php?module=Accounts" in page
    assert "journey-report.html" in result.output
    assert "9 customers, 50% reached purchase (median 22 days from first touch)" in result.output


def test_json_and_csv_to_files_and_stdout(filled: dict[str, str], tmp_path: Path) -> None:
    result = run(filled, "--format", "json", "--segment", "industry")
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "journey-report.json").read_text(encoding="utf-8"))
    assert document["segment_fields"] == ["industry"]
    assert list(document["funnel"]["segments"]) == ["industry"]
    piped = run(filled, "--format", "csv", "--out", "-", "--since", "2025-07-01")
    assert piped.exit_code == 0
    rows = list(csv.reader(io.StringIO(piped.stdout)))
    assert rows[0] == ["section", "segment", "metric", "key", "value"]
    assert ["summary", "all", "customers", "", "1"] in rows  # only Foxtrot touches July


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-03-01", "--until", "2025-02-01"], "is after --until"),
        (["--since", "1 March"], "write it as YYYY-MM-DD"),
        (["--segment", "colour"], "'colour' is not one of"),
        (["--format", "pdf"], "'pdf' is not one of"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(
    env: dict[str, str], args: list[str], message: str
) -> None:
    result = run(env, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_an_empty_database_gives_a_report_that_says_so(env: dict[str, str], tmp_path: Path) -> None:
    result = run(env, "--out", "empty.html")
    assert result.exit_code == 0, result.output
    assert "nothing to report yet" in result.output
    assert "Nothing to report yet" in (tmp_path / "empty.html").read_text(encoding="utf-8")
    as_json = run(env, "--format", "json", "--out", "-")
    assert json.loads(as_json.stdout)["summary"]["customers"] == 0
