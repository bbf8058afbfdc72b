"""The installed ``suitejourney`` command, driven as a user drives it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    RunningSandbox,
    start_sandbox,
)

COMMAND = shutil.which("suitejourney")


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    command = [COMMAND] if COMMAND else [sys.executable, "-m", "connector"]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SUITEJOURNEY_")}
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    running = start_sandbox(accounts=15, seed=4)
    yield running
    running.stop()


@pytest.fixture
def env(sandbox: RunningSandbox, tmp_path: Path) -> dict[str, str]:
    return {
        "SUITEJOURNEY_URL": sandbox.url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
    }


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    for command in ("check", "pull", "status", "sandbox", "demo", "db", "config"):
        assert f"  {command}" in result.stdout
    check = run(["check", "--help"], tmp_path)
    assert check.returncode == 0
    assert "Exit code 0" in check.stdout and "--json" in check.stdout


def test_check_reports_what_the_connector_can_do(env: dict[str, str], tmp_path: Path) -> None:
    result = run(["check"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "V8 JSON:API at /Api (SuiteCRM 7.x)" in out
    assert "OAuth2 client_credentials grant" in out
    assert "REST v4_1  not configured" in out
    assert "CJ module  installed" in out
    for module in ("Accounts", "CampaignLog", "AOS_Contracts"):
        assert module in out
    data = json.loads(run(["check", "--json"], tmp_path, env).stdout)
    counts = {m["name"]: m["count"] for m in data["modules"]}
    assert counts["Accounts"] == 15
    assert all(m["state"] == "ok" for m in data["modules"])


def test_check_with_the_legacy_api_too(env: dict[str, str], tmp_path: Path) -> None:
    both = {
        **env,
        "SUITEJOURNEY_USERNAME": SANDBOX_USERNAME,
        "SUITEJOURNEY_PASSWORD": SANDBOX_PASSWORD,
    }
    result = run(["check"], tmp_path, both)
    assert result.returncode == 0, result.stderr
    assert "REST v4_1  available" in result.stdout
    legacy = run(["check", "--api", "legacy"], tmp_path, both)
    assert legacy.returncode == 0, legacy.stderr
    assert "REST v4_1 at /service/v4_1/rest.php" in legacy.stdout


def test_check_says_which_api_the_pull_reads_through(env: dict[str, str], tmp_path: Path) -> None:
    v8_only = run(["check"], tmp_path, env)
    assert "pull       reads through V8 JSON:API" in v8_only.stdout, v8_only.stdout
    both = {**env, "SUITEJOURNEY_USERNAME": SANDBOX_USERNAME,
            "SUITEJOURNEY_PASSWORD": SANDBOX_PASSWORD}
    auto = run(["check"], tmp_path, both)
    assert "pull       reads through REST v4_1 (pull_api = auto" in auto.stdout, auto.stdout
    forced = run(["check"], tmp_path, {**both, "SUITEJOURNEY_PULL_API": "v8"})
    assert "pull       reads through V8 JSON:API (pull_api = v8, from" in forced.stdout


def test_a_sync_with_rest_v4_1_completes_with_one_warning_for_emails(
    env: dict[str, str], tmp_path: Path
) -> None:
    both = {
        **env,
        "SUITEJOURNEY_USERNAME": SANDBOX_USERNAME,
        "SUITEJOURNEY_PASSWORD": SANDBOX_PASSWORD,
    }
    synced = run(["sync"], tmp_path, both)
    assert synced.returncode == 0, synced.stderr
    warnings = [line for line in synced.stderr.splitlines() if "warning: " in line]
    assert len(warnings) == 1 and "warning: Emails: SuiteCRM cannot list deleted Emails" in (
        warnings[0]
    )
    assert "push: wrote" in synced.stdout
    assert "Traceback" not in synced.stderr


def test_a_wrong_v4_1_password_is_one_listed_problem_for_check_and_sync(
    env: dict[str, str], tmp_path: Path
) -> None:
    wrong = {
        **env,
        "SUITEJOURNEY_USERNAME": SANDBOX_USERNAME,
        "SUITEJOURNEY_PASSWORD": "not-the-password",
    }
    checked = run(["check"], tmp_path, wrong)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "REST v4_1  not available (syncs go on without it)" in checked.stdout
    assert "warning: SuiteCRM refused the login" in checked.stderr
    synced = run(["sync", "--json"], tmp_path, wrong)
    assert synced.returncode == 1, synced.stderr
    summary = json.loads(synced.stdout)
    assert [f["module"] for f in summary["failures"]] == ["REST v4_1"]
    assert "daily id reconciliation" in summary["failures"][0]["message"]
    assert sum(m["created"] for m in summary["pull"]) > 0, "the sync went on"
    for text in (checked.stdout, checked.stderr, synced.stdout, synced.stderr):
        assert "not-the-password" not in text and "Traceback" not in text


def test_wrong_secret_exits_3_without_showing_it(env: dict[str, str], tmp_path: Path) -> None:
    result = run(["check"], tmp_path, {**env, "SUITEJOURNEY_CLIENT_SECRET": "not-the-secret"})
    assert result.returncode == 3
    assert "refused the OAuth2 client" in result.stderr
    assert "not-the-secret" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_server_exits_3(env: dict[str, str], tmp_path: Path) -> None:
    result = run(
        ["check", "--retries", "0"], tmp_path, {**env, "SUITEJOURNEY_URL": "http://127.0.0.1:9"}
    )
    assert result.returncode == 3
    assert "cannot connect to SuiteCRM at 127.0.0.1:9" in result.stderr


def test_configuration_errors_exit_2_and_name_the_line(tmp_path: Path) -> None:
    (tmp_path / "suitejourney.toml").write_text('url = "https://crm"\npage_sise = 5\n')
    result = run(["check"], tmp_path)
    assert result.returncode == 2
    assert "suitejourney.toml:2: unknown key 'page_sise'" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run(["--config", "nope.toml", "check"], tmp_path)
    assert missing.returncode == 2
    assert "nope.toml: configuration file not found" in missing.stderr
    usage = run(["check", "--api", "soap"], tmp_path)
    assert usage.returncode == 2


def test_pull_then_status_then_upgrade(env: dict[str, str], tmp_path: Path) -> None:
    pulled = run(["pull", "--json"], tmp_path, env)
    assert pulled.returncode == 0, pulled.stderr
    summary = json.loads(pulled.stdout)
    assert summary["status"] == "ok"
    accounts = next(m for m in summary["modules"] if m["module"] == "Accounts")
    assert accounts["created"] == 15
    status = json.loads(run(["status", "--json"], tmp_path, env).stdout)
    assert status["runs"][0]["status"] == "ok"
    assert {m["module"]: m["touchpoints"] for m in status["modules"]}["Accounts"] == 15
    text = run(["status"], tmp_path, env)
    assert "recent runs" in text.stdout and "pull" in text.stdout
    again = run(["pull"], tmp_path, env)
    assert again.returncode == 0
    assert "pull #2: ok" in again.stdout
    upgrade = run(["db", "upgrade"], tmp_path, env)
    assert upgrade.returncode == 0 and "already at schema" in upgrade.stdout


def test_demo_runs_on_embedded_defaults(tmp_path: Path) -> None:
    import time

    started = time.monotonic()
    result = run(["demo"], tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 60
    out = result.stdout
    assert "pull #1: ok" in out and "push: wrote" in out
    assert "funnel (customers that reached each stage" in out and "transitions:" in out
    assert [p.name for p in tmp_path.iterdir()] == ["journey-report.html"]
    assert (
        f"report: {tmp_path / 'journey-report.html'}" in out or "report: journey-report.html" in out
    )


def test_sync_then_timeline_and_explain(env: dict[str, str], tmp_path: Path) -> None:
    synced = run(["sync", "--json"], tmp_path, env)
    assert synced.returncode == 0, synced.stderr
    summary = json.loads(synced.stdout)
    assert summary["classify"]["rebuilt"] > 0
    assert sum(summary["customers"]["stage"].values()) == summary["classify"]["rebuilt"]

    status = json.loads(run(["status", "--json"], tmp_path, env).stdout)
    assert status["customers_to_rebuild"] == 0
    import sqlite3

    db = sqlite3.connect(tmp_path / "state.db")
    key, name = db.execute(
        "select customer_key, name from journeys order by touchpoint_count desc limit 1"
    ).fetchone()
    case_id = db.execute(
        "select source_id from touchpoints where module = 'Cases' "
        "and customer_key is not null limit 1"
    ).fetchone()[0]
    db.close()
    text = run(["timeline", key], tmp_path, env)
    assert text.returncode == 0, text.stderr
    assert name in text.stdout and "transitions:" in text.stdout
    data = json.loads(run(["timeline", key, "--format", "json"], tmp_path, env).stdout)
    assert data["customer_key"] == key and data["touchpoints"]
    by_id = run(["timeline", key.split(":", 1)[1]], tmp_path, env)
    assert by_id.returncode == 0
    missing = run(["timeline", "no such customer at all"], tmp_path, env)
    assert missing.returncode == 2 and "no customer matches" in missing.stderr

    explained = run(["mappings", "explain", "Cases", case_id], tmp_path, env)
    assert explained.returncode == 0, explained.stderr
    assert "rules tried" in explained.stdout and "result: stage" in explained.stdout
    unknown = run(["mappings", "explain", "Cases", "nope"], tmp_path, env)
    assert unknown.returncode == 2 and "not in the state database" in unknown.stderr

    patterns = run(["patterns"], tmp_path, env)
    assert patterns.returncode == 0, patterns.stderr
    assert "Prevailing journey patterns per persona" in patterns.stdout
    assert "cost to serve" in patterns.stdout and "  #1  " in patterns.stdout
    document = json.loads(run(["patterns", "--json"], tmp_path, env).stdout)
    assert 0 < document["overall"]["customers"] <= summary["classify"]["rebuilt"]
    first = document["personas"][0]["id"]
    only = json.loads(run(["patterns", "--json", "--persona", first], tmp_path, env).stdout)
    assert [p["id"] for p in only["personas"]] == [first]


def test_mappings_validate(tmp_path: Path) -> None:
    assert run(["mappings", "validate"], tmp_path).returncode == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("extends: default.yaml\nrules:\n  - id: x\n    set:\n      stage: shopping\n")
    result = run(["mappings", "validate", str(broken)], tmp_path)
    assert result.returncode == 2
    assert f"{broken}:5:" in result.stderr and "shopping" in result.stderr


def test_a_new_admin_from_init_to_timeline(sandbox: RunningSandbox, tmp_path: Path) -> None:
    """init writes the file; the admin fills in url and client_id, keeps the secret in
    the environment, and goes on: check, sync, status, timeline."""
    created = run(["init"], tmp_path)
    assert created.returncode == 0 and "suitejourney check" in created.stdout
    config = tmp_path / "suitejourney.toml"
    assert oct(config.stat().st_mode & 0o777) == "0o600"
    text = config.read_text()
    text = text.replace('url = "https://crm.example.com"', f'url = "{sandbox.url}"')
    text = text.replace('client_id = ""', f'client_id = "{SANDBOX_CLIENT_ID}"')
    config.write_text(text)
    secret = {"SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET}

    assert run(["check"], tmp_path, secret).returncode == 0
    synced = run(["sync"], tmp_path, secret)
    assert synced.returncode == 0, synced.stderr
    assert "push: wrote" in synced.stdout and (tmp_path / "suitejourney.db").exists()
    status = run(["status"], tmp_path, secret)
    assert status.returncode == 0 and "sync" in status.stdout
    import sqlite3

    db = sqlite3.connect(tmp_path / "suitejourney.db")
    name = db.execute(
        "select name from journeys where customer_key like 'Accounts:%' order by name limit 1"
    ).fetchone()[0]
    db.close()
    shown = run(["timeline", name], tmp_path, secret)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(name)

    wrong = run(["check"], tmp_path, {"SUITEJOURNEY_CLIENT_SECRET": "wrong"})
    assert wrong.returncode == 3
    assert "client_id or client_secret is wrong" in wrong.stderr

    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("page_size"))
    config.write_text(text.replace("page_size = 200", "page_size = 'lots'"))
    broken = run(["sync"], tmp_path, secret)
    assert broken.returncode == 2
    assert f"suitejourney.toml:{line}: page_size must be a whole number" in broken.stderr
