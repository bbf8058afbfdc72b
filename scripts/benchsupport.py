"""Shared pieces of the benchmarks: a sandbox in its own process, child measurements.

The sandbox runs in a separate process so that the connector's CPU time and
memory are measured alone; each measured run is a fresh child process so that
its peak RSS belongs to that run only.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench-cache"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def sandbox_process(args: Sequence[str]) -> Iterator[str]:
    """``suitejourney sandbox`` in a child process; yields its URL once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "connector.sandbox", "--port", str(port), *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the sandbox exited with {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def data_file(accounts: int, seed: int = 1) -> Path:
    """A generated sandbox database, cached between benchmark runs."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"sandbox-{accounts}-{seed}.db"
    if not path.exists():
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--out", str(path),
             "--accounts", str(accounts), "--seed", str(seed)],
            check=True, stdout=subprocess.DEVNULL,
        )
    return path


def run_child(script: Path, args: Sequence[str]) -> dict[str, float]:
    """Run ``script --child ARGS`` and return the JSON it prints last."""
    out = subprocess.run([sys.executable, str(script), "--child", *args], check=True,
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ})
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
