"""Corrections, review and what-if through the installed command, as a user runs them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from connector.crm.http import Transport
from connector.crm.oauth import OAuthCredentials
from connector.crm.v8 import V8Client
from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    RunningSandbox,
    start_sandbox,
)
from connector.secrets import Secret
from connector.writeback.payload import instance_namespace, record_id
from tests.e2e.test_cli import run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    running = start_sandbox(accounts=8, seed=11)
    yield running
    running.stop()


@pytest.mark.slow
def test_a_correction_made_in_suitecrm_wins_and_moves_between_instances(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    env = {
        "SUITEJOURNEY_URL": sandbox.url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
    }
    first = run(["sync", "--json"], tmp_path, env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["corrections"]["corrections"] == 0
    with sqlite3.connect(tmp_path / "state.db") as db:
        key, customer, name = db.execute(
            "SELECT t.key, t.customer_key, j.name FROM touchpoints t "
            "JOIN journeys j ON j.customer_key = t.customer_key "
            "JOIN writeback_state w ON w.kind = 'touchpoint' AND w.key = t.key "
            "WHERE t.customer_key LIKE 'Accounts:%' AND t.module = 'Calls' ORDER BY t.key"
        ).fetchone()

    client = V8Client.connect(
        Transport(sandbox.url), OAuthCredentials(SANDBOX_CLIENT_ID, Secret(SANDBOX_CLIENT_SECRET))
    )
    try:
        tp_id = record_id(instance_namespace(sandbox.url), "touchpoint", key)
        client.update_record("CJ_Touchpoints", tp_id, {"stage": "loyalty"})
    finally:
        client.close()

    second = run(["sync"], tmp_path, env)
    assert second.returncode == 0, second.stderr
    assert "corrections: 1 in SuiteCRM, 1 stage edits read back" in second.stdout
    timeline = run(["timeline", customer], tmp_path, env)
    assert timeline.returncode == 0, timeline.stderr
    lines = [x for x in timeline.stdout.splitlines() if key in x]
    assert any("[correction] a correction made in SuiteCRM gives stage loyalty" in x for x in lines)
    marked = [x for x in timeline.stdout.splitlines() if "corrected in SuiteCRM (rules:" in x]
    assert len(marked) == 1 and " loyalty " in marked[0] and "Calls" in marked[0]

    review = run(["review", "--json", "--limit", "0"], tmp_path, env)
    assert review.returncode == 0, review.stderr
    queue = json.loads(review.stdout)
    assert queue["doubtful"] == len(queue["items"]) > 0
    assert key not in {i["touchpoint_key"] for i in queue["items"]}  # a person decided it
    ranks = [i["influence"]["rank"] for i in queue["items"]]
    assert ranks == sorted(ranks)
    text = run(["review", "--limit", "2", "--reason", "keyword"], tmp_path, env)
    assert text.returncode == 0 and "doubtful classifications" in text.stdout

    new = tmp_path / "new.yaml"
    new.write_text(
        f"extends: {ROOT / 'mappings' / 'default.yaml'}\n"
        "rules:\n"
        "  - id: call-prospecting\n"
        "    description: Any other call is evaluation.\n"
        "    module: Calls\n"
        "    set: {stage: evaluation}\n",
        encoding="utf-8",
    )
    diff = run(["mappings", "diff", str(new), "--json"], tmp_path, env)
    assert diff.returncode == 0, diff.stderr
    data = json.loads(diff.stdout)
    assert data["customers"] >= 8 and data["touchpoints"] > 0
    assert all(m["to"] == "evaluation" for m in data["stage_moves"])
    assert key not in {t["key"] for t in data["touchpoint_sample"]}
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [{id: x, module: Calls, set: {stage: nowhere}}]\n", encoding="utf-8")
    refused = run(["mappings", "diff", str(broken)], tmp_path, env)
    assert refused.returncode == 2 and "broken.yaml:1" in refused.stderr
    assert "Traceback" not in refused.stderr

    exported = tmp_path / "corrections.yaml"
    out = run(["corrections", "export", "--out", str(exported)], tmp_path, env)
    assert out.returncode == 0, out.stderr
    text_out = exported.read_text(encoding="utf-8")
    assert f"touchpoint: {key}" in text_out and "stage: loyalty" in text_out
    assert name in text_out or customer in text_out
    again = run(["corrections", "import", str(exported), "--json"], tmp_path, env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["unchanged"] == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("corrections:\n- touchpoint: Calls:x\n  stage: won\n", encoding="utf-8")
    refused = run(["corrections", "import", str(bad)], tmp_path, env)
    assert refused.returncode == 2 and "bad.yaml:2: stage 'won'" in refused.stderr
