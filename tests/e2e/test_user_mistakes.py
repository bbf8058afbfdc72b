"""What a user gets for the mistakes a new user makes: one line, the README's exit code.

Each command runs in this process as the console script does (``tests.climain``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert

from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import JourneyRow
from connector.sync.classify import find_customers
from tests.climain import Outcome, invoke

Runner = Callable[..., Outcome]
NOWHERE = "http://127.0.0.1:9"  # nothing listens: a test that reaches it fails loudly


@pytest.fixture
def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Runner:
    def call(*args: str, env: dict[str, str] | None = None) -> Outcome:
        base = {"SUITEJOURNEY_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}"}
        return invoke(list(args), {**base, **(env or {})}, tmp_path, monkeypatch, capsys)

    return call


def test_status_never_creates_the_database(run: Runner, tmp_path: Path) -> None:
    outcome = run("status")
    assert outcome.code == 2
    assert "no state database" in outcome.err and "suitejourney sync" in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1
    assert not (tmp_path / "state.db").exists()


def test_status_on_an_empty_database_says_so_and_leaves_it_empty(
    database_url: Secret,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from sqlalchemy import inspect

    from connector.store.engine import make_engine

    engine = make_engine(database_url)
    with engine.begin():
        pass  # an empty SQLite file, or the empty MariaDB test schema
    outcome = invoke(
        ["status"],
        {"SUITEJOURNEY_DATABASE_URL": database_url.reveal()},
        tmp_path,
        monkeypatch,
        capsys,
    )
    assert outcome.code == 2 and "is empty" in outcome.err
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    engine.dispose()


@pytest.mark.parametrize("runs", ["-5", "0", "many"])
def test_status_runs_must_be_a_positive_number(run: Runner, runs: str) -> None:
    outcome = run("status", "--runs", runs)
    assert outcome.code == 2
    assert "--runs" in outcome.err


def test_a_module_name_in_the_wrong_case_is_corrected_before_any_request(run: Runner) -> None:
    env = {
        "SUITEJOURNEY_URL": NOWHERE,
        "SUITEJOURNEY_CLIENT_ID": "c",
        "SUITEJOURNEY_CLIENT_SECRET": "s",
    }
    outcome = run("pull", "--modules", "calls,Accounts", env=env)
    assert outcome.code == 2
    assert "'calls' → 'Calls'" in outcome.err
    assert "flag --modules" in outcome.err
    assert "cannot connect" not in outcome.err


def test_json_logs_carry_the_settings_warning_and_the_final_error(
    run: Runner, tmp_path: Path
) -> None:
    config = tmp_path / "suitejourney.toml"
    config.write_text('url = "https://crm.example.com"\nclient_secret = "shh-123"\n')
    config.chmod(0o644)
    outcome = run("--log-format", "json", "status")
    lines = [json.loads(line) for line in outcome.err.strip().splitlines()]
    assert [(line["level"], line["logger"]) for line in lines] == [
        ("warning", "connector.config"),
        ("error", "connector.cli"),
    ]
    assert "chmod 600" in lines[0]["message"] and "shh-123" not in outcome.err
    assert "no state database" in lines[1]["message"] and lines[1]["exit_code"] == 2
    assert outcome.code == 2

    usage = run("--log-format", "json", "status", "--runs", "-5")
    line = json.loads(usage.err.strip().splitlines()[-1])
    assert line["level"] == "error" and "--runs" in line["message"] and line["exit_code"] == 2


def test_a_mapping_without_rules_is_invalid(run: Runner, tmp_path: Path) -> None:
    mapping = tmp_path / "empty.yaml"
    mapping.write_text("version: 1\nrules: []\n")
    outcome = run("mappings", "validate", str(mapping))
    assert outcome.code == 2
    assert f"{mapping}:2: the mapping has no stage rules" in outcome.err
    classify = run("classify", "--all", "--mapping", str(mapping))
    assert classify.code == 2 and "no stage rules" in classify.err


def journeys(db: StateDB, names: list[str]) -> None:
    now = datetime(2026, 11, 20, tzinfo=UTC)
    with db.begin() as conn:
        conn.execute(
            insert(JourneyRow.__table__),
            [
                {
                    "customer_key": f"Accounts:a{i}",
                    "name": name,
                    "stage": "awareness",
                    "status": "active",
                    "data_json": "{}",
                    "content_hash": "h",
                    "built_at": now,
                }
                for i, name in enumerate(names)
            ],
        )


def test_timeline_takes_wildcards_literally_and_counts_every_match(
    database_url: Secret,
) -> None:
    db = StateDB.open(database_url)
    try:
        journeys(
            db,
            [
                "50% Off Ltd",
                "A_B Corp",
                "AxB Corp",
                "Back/Slash",
                *[f"Shop {i}" for i in range(25)],
            ],
        )
        with db.read() as conn:
            assert find_customers(conn, "%") == ([("Accounts:a0", "50% Off Ltd")], 1)
            assert find_customers(conn, "A_B") == ([("Accounts:a1", "A_B Corp")], 1)
            assert find_customers(conn, "k/S")[1] == 1
            shown, total = find_customers(conn, "Shop")
            assert (len(shown), total) == (20, 25)
    finally:
        db.close()


def test_timeline_refuses_an_empty_name_and_says_how_many_match(
    run: Runner, tmp_path: Path
) -> None:
    db = StateDB.open(Secret(f"sqlite:///{tmp_path / 'state.db'}"))
    journeys(db, [f"Shop {i}" for i in range(25)])
    db.close()
    empty = run("timeline", "  ")
    assert empty.code == 2 and "name a customer" in empty.err
    many = run("timeline", "Shop")
    assert many.code == 2
    assert "25 customers match 'Shop'" in many.err and "… and 5 more" in many.err
