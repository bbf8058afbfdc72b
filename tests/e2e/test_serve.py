"""``suitejourney serve`` as a user runs it: sync once, serve, a V8 save shows, SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from connector.crm.http import Transport
from connector.crm.oauth import OAuthCredentials
from connector.crm.v8 import V8Client
from connector.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, start_sandbox
from connector.secrets import Secret
from connector.writeback.payload import instance_namespace, record_id

COMMAND = (
    [shutil.which("suitejourney") or ""]
    if shutil.which("suitejourney")
    else [
        sys.executable,
        "-m",
        "connector",
    ]
)
SECRET = "e2e-serve-secret-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(sandbox_url: str, tmp_path: Path, port: int, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("SUITEJOURNEY_")},
        "SUITEJOURNEY_URL": sandbox_url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
        "SUITEJOURNEY_SERVE_PORT": str(port),
        **extra,
    }


def test_serve_without_a_secret_is_a_configuration_error(tmp_path: Path) -> None:
    with start_sandbox(accounts=1, seed=1) as sandbox:
        env = environment(sandbox.url, tmp_path, free_port())
        done = subprocess.run(
            [*COMMAND, "serve"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    assert "webhook_secret is not set" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_save_reaches_the_journey_through_the_serve_command(tmp_path: Path) -> None:
    port = free_port()
    with start_sandbox(accounts=4, seed=3) as sandbox:
        env = environment(sandbox.url, tmp_path, port, SUITEJOURNEY_WEBHOOK_SECRET=SECRET)
        synced = subprocess.run(
            [*COMMAND, "sync"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert synced.returncode == 0, synced.stderr
        serve = subprocess.Popen(
            [*COMMAND, "--log-level", "info", "serve"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            health = f"http://127.0.0.1:{port}/healthz"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if requests.get(health, timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    assert serve.poll() is None, serve.communicate()[1]
                    time.sleep(0.05)
            sandbox.control.set_webhook(f"http://127.0.0.1:{port}/notify", SECRET)
            account = sorted(sandbox.control.ids("Accounts"))[0]
            journey_id = record_id(
                instance_namespace(sandbox.url), "journey", f"Accounts:{account}"
            )
            before = int(sandbox.control.get_record("CJ_Journeys", journey_id)["touchpoint_count"])
            client = V8Client.connect(
                Transport(sandbox.url),
                OAuthCredentials(SANDBOX_CLIENT_ID, Secret(SANDBOX_CLIENT_SECRET)),
            )
            try:
                client.create_record(
                    "Calls",
                    {
                        "name": "Asked for a demo",
                        "parent_type": "Accounts",
                        "parent_id": account,
                        "direction": "Inbound",
                        "status": "Held",
                        "date_start": "2026-01-10 10:00:00",
                    },
                )
            finally:
                client.close()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                now = sandbox.control.get_record("CJ_Journeys", journey_id)["touchpoint_count"]
                if int(now) == before + 1:
                    break
                time.sleep(0.05)
            else:
                raise AssertionError("the journey did not change within 10 s")
            counts = requests.get(health, timeout=5).json()["counts"]
            assert counts["notifications_accepted"] >= 1
        finally:
            sandbox.control.set_webhook(None)
            serve.send_signal(signal.SIGTERM)
            _out, err = serve.communicate(timeout=60)
        assert serve.returncode == 0, err
        assert "serving change notifications on" in err
        assert "refreshed" in err and "customers" in err
        assert SECRET not in err
