"""Every run is recorded with its counts, and a stop anywhere exits 130 and says where.

The commands run in this process as the console script does (``tests.climain``),
against a sandbox with a frozen clock. Stops are real SIGTERMs, sent to this
process by the progress line of the phase to interrupt (the moment a user would
press Ctrl-C); one more test sends SIGTERM to a child ``suitejourney sync`` while
it writes journeys back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from connector.commands.pushview import PushProgressLine
from connector.progress import Progress
from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    RunningSandbox,
    start_sandbox,
)
from connector.sync.classify import classify_customers
from connector.writeback.push import PushReport
from tests.climain import Outcome, invoke

START = "2026-11-20 09:00:00"
Runner = Callable[..., Outcome]


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    running = start_sandbox(accounts=12, seed=9, now=START)
    monkeypatch.setattr("connector.app.utc_now", running.control.now)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def run(
    sandbox: RunningSandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Runner:
    env = {
        "SUITEJOURNEY_URL": sandbox.url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        "SUITEJOURNEY_PAGE_SIZE": "20",
    }

    def call(*args: str) -> Outcome:
        return invoke(list(args), env, tmp_path, monkeypatch, capsys)

    return call


def sigterm_in(phase: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGTERM to this process as soon as ``phase`` (a module, classify, push) progresses."""

    class Interrupting(Progress):
        def advance(self, n: int = 1) -> None:
            super().advance(n)
            if self.label == phase and self.count == n:
                os.kill(os.getpid(), signal.SIGTERM)

    def meter(label: str) -> Progress:
        return Interrupting(label)

    monkeypatch.setattr("connector.commands.common.meter", meter)
    monkeypatch.setattr("connector.commands.syncing.meter", meter)
    monkeypatch.setattr("connector.commands.journeys.meter", meter)

    class InterruptingLine(PushProgressLine):
        """The push's own progress line (sync and push draw it): SIGTERM at its first call."""

        def __call__(self, report: PushReport) -> None:
            super().__call__(report)
            if phase == "push" and report.journeys == 1:
                os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr("connector.commands.syncing.PushProgressLine", InterruptingLine)


def push_line_adds_up(out: str) -> None:
    """The push's first line agrees with the table under it."""
    head = re.search(
        r"push: wrote [\d,]+ journeys \(([\d,]+) records written, ([\d,]+) deleted\)", out
    )
    if head is None:
        assert "push: nothing to write" in out, out
        written, deleted = 0, 0
    else:
        written, deleted = (int(g.replace(",", "")) for g in head.groups())
    table = {
        m.group(1): [int(v.replace(",", "")) for v in m.groups()[1:]]
        for m in re.finditer(r"^  (CJ_\w+) +([\d,]+) +([\d,]+) +([\d,]+)$", out, re.MULTILINE)
    }
    assert sum(r[0] + r[1] for r in table.values()) == written
    assert sum(r[2] for r in table.values()) == deleted


def test_status_lists_every_kind_of_run_with_its_counts(run: Runner) -> None:
    pulled = run("pull")
    assert pulled.code == 0, pulled.err
    classified = run("classify")
    assert classified.code == 0, classified.err
    pushed = run("push")
    assert pushed.code == 0, pushed.err
    push_line_adds_up(pushed.out)
    synced = run("sync")
    assert synced.code == 0, synced.err
    push_line_adds_up(synced.out)
    dry = run("push", "--dry-run")  # writes nothing, so it is no run
    assert dry.code == 0 and "would write" in dry.out, dry.err
    scheduled = run("schedule", "--max-runs", "1")
    assert scheduled.code == 0, scheduled.err

    data = json.loads(run("status", "--json", "--runs", "10").out)
    runs = {r["kind"]: r for r in data["runs"]}
    assert [r["kind"] for r in data["runs"]] == ["scheduled", "sync", "push", "classify", "pull"]
    assert all(r["status"] == "ok" and r["finished_at"] for r in data["runs"])
    assert sum(m["read"] for m in runs["pull"]["modules"]) > 0
    assert runs["classify"]["classify"]["rebuilt"] > 0 and runs["classify"]["modules"] == []
    assert runs["push"]["push"]["written"] > 0
    assert runs["push"]["push"]["written"] == sum(runs["push"]["push"]["created"].values()) + sum(
        runs["push"]["push"]["updated"].values()
    )
    for kind in ("sync", "scheduled"):
        assert runs[kind]["modules"] and runs[kind]["classify"] is not None
        assert runs[kind]["push"] is not None and runs[kind]["skipped"] == 0
    text = run("status", "--runs", "10").out
    assert re.search(r"#\d+ +classify .* journeys rebuilt", text)
    assert re.search(r"#\d+ +push .* CJ records written", text)


@pytest.mark.parametrize(
    ("command", "phase", "where"),
    [
        ("pull", "Contacts", "during the pull of Contacts"),
        ("sync", "Accounts", "during the pull of Accounts"),
        ("sync", "classify", "during classify after rebuilding"),
        ("sync", "push", "during the push after"),
        ("classify", "classify", "during classify after rebuilding"),
    ],
)
def test_sigterm_anywhere_exits_130_and_says_where(
    run: Runner, monkeypatch: pytest.MonkeyPatch, command: str, phase: str, where: str
) -> None:
    if command == "classify":
        assert run("pull").code == 0
    # Small batches, so a stop in classify leaves work for the next run.
    monkeypatch.setattr(
        "connector.sync.job.classify_customers", partial(classify_customers, batch=3)
    )
    sigterm_in(phase, monkeypatch)
    stopped = run(command)
    assert stopped.code == 130, stopped.err
    assert "SIGTERM: stopping" in stopped.err
    assert f"stopped: stopped on request {where}" in stopped.err
    assert "Traceback" not in stopped.err

    monkeypatch.undo()
    runs = json.loads(run("status", "--json").out)["runs"]
    assert runs[0]["status"] == "interrupted" and where in runs[0]["message"]
    assert runs[0]["stopped"] and where in runs[0]["stopped"]
    again = run("sync")  # the next run picks up where the stop left off
    assert again.code == 0, again.err


COMMAND = shutil.which("suitejourney")


def test_sigterm_while_a_sync_writes_back_exits_130_and_says_so(tmp_path: Path) -> None:
    sandbox = start_sandbox(accounts=10, seed=4, latency_ms=15)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SUITEJOURNEY_")},
        "SUITEJOURNEY_URL": sandbox.url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
    }
    command = [COMMAND] if COMMAND else [sys.executable, "-m", "connector"]
    process = subprocess.Popen(
        [*command, "sync"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not any(
            e.method in ("POST", "PATCH") and e.path.startswith("/Api/V8/module")
            for e in sandbox.control.requests().entries
        ):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the push never started"
            time.sleep(0.01)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
        sandbox.stop()
    assert process.returncode == 130, err
    assert "stopped: stopped on request during the push after" in err
    assert "push:" in out


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        ("Nope", "SuiteCRM has no module named 'Nope': fix `modules` (flag --modules)"),
        ("Callz", "SuiteCRM has no module named 'Callz' (did you mean 'Calls'?)"),
    ],
)
def test_an_unknown_module_is_a_configuration_error_with_a_suggestion(
    run: Runner, modules: str, expected: str
) -> None:
    outcome = run("pull", "--modules", modules)
    assert outcome.code == 2, outcome.err
    assert expected in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1
