"""The ``sandbox`` command: options as the issue lists them, serving until stopped."""

from __future__ import annotations

import subprocess
import sys
import time

import requests
from click.testing import CliRunner

from connector.sandbox.cli import sandbox_command


def test_the_command_offers_the_documented_options() -> None:
    result = CliRunner().invoke(sandbox_command, ["--help"])
    assert result.exit_code == 0
    for option in (
        "--port",
        "--accounts",
        "--seed",
        "--db",
        "--latency-ms",
        "--fail-rate",
        "--rate-limit",
        "--token-ttl",
        "--html-errors",
        "--save-latency-ms",
        "--concurrent-saves",
    ):
        assert option in result.output
    assert sandbox_command.name == "sandbox"


def test_python_m_serves_and_stops_on_sigterm(tmp_path: object) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "connector.sandbox", "--port", "0", "--accounts", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = ""
        for _ in range(20):
            line = process.stdout.readline()
            if line.startswith("SuiteCRM sandbox on "):
                url = line.split()[-1]
                break
        assert url.startswith("http://127.0.0.1:")
        answer = requests.get(f"{url}/Api/V8/meta/modules", timeout=10)
        assert answer.status_code == 401
        process.terminate()
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            process.wait(timeout=1)
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_a_port_in_use_is_one_line_and_exit_2() -> None:
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    try:
        result = subprocess.run(
            [sys.executable, "-m", "connector", "sandbox", "--port", str(port), "--accounts", "2"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        taken.close()
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: port {port} is in use; pick another with --port"
    assert "Traceback" not in result.stderr
