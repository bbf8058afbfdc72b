"""Real time, measured as a user runs it: a save in SuiteCRM → its journey, in seconds.

    python scripts/bench_realtime.py [--accounts 50] [--saves 20] [--burst 1000] [--latency-ms 0]

Runs three processes, as on a server: ``suitejourney sandbox --webhook … --webhook-secret …``
(the SuiteCRM stand-in, whose saves post signed notifications like the CJ module's
logic hook), one ``suitejourney sync`` (the scheduled sync's first run), then
``suitejourney serve`` with its default settings (1 s debounce). Then:

1. latency: ``--saves`` calls created one after another through the V8 API, each on
   a random account; for each, the time from the save's answer until that account's
   CJ_Journeys record shows one more touchpoint (polled through V8 every 25 ms);
   min, median, p95 and max are printed;
2. burst: ``--burst`` saves (PATCH of 50 calls, in turn) as fast as the V8 API takes
   them; then serve's peak memory (VmHWM) and queue (from /healthz), the time until
   its queue is empty, and whether a full ``suitejourney sync`` afterwards still
   finds anything to write (it must not: serve left every journey right).

``--latency-ms`` adds that much to every sandbox request (a real SuiteCRM takes
120 to 180 ms per save).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.benchsupport import ROOT, free_port

SECRET = "bench-realtime-secret-0123456789"


def suitejourney(folder: Path, *args: str, **popen: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "connector", *args],
        cwd=folder,
        env={**os.environ, "SUITEJOURNEY_WEBHOOK_SECRET": SECRET},
        text=True,
        **popen,
    )


def wait_http(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def vm_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()

    from connector.crm.http import Transport
    from connector.crm.oauth import OAuthCredentials
    from connector.crm.records import Query
    from connector.crm.v8 import V8Client
    from connector.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
    from connector.secrets import Secret
    from connector.writeback.payload import instance_namespace, record_id

    sandbox_port, serve_port = free_port(), free_port()
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    serve_url = f"http://127.0.0.1:{serve_port}"
    with tempfile.TemporaryDirectory(prefix="bench-realtime-") as tmp:
        folder = Path(tmp)
        (folder / "suitejourney.toml").write_text(
            f'url = "{sandbox_url}"\nclient_id = "{SANDBOX_CLIENT_ID}"\n'
            f'client_secret = "{SANDBOX_CLIENT_SECRET}"\nserve_port = {serve_port}\n'
            f'mapping = "{ROOT / "mappings" / "default.yaml"}"\n'
        )
        (folder / "suitejourney.toml").chmod(0o600)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        sandbox = suitejourney(
            folder,
            "sandbox",
            "--port",
            str(sandbox_port),
            "--accounts",
            str(args.accounts),
            "--latency-ms",
            str(args.latency_ms),
            "--webhook",
            f"{serve_url}/notify",
            **quiet,
        )
        serve: subprocess.Popen[str] | None = None
        try:
            wait_http(sandbox_url)
            started = time.monotonic()
            subprocess.run(
                [sys.executable, "-m", "connector", "sync"],
                cwd=folder,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            print(f"first sync: {time.monotonic() - started:.1f} s")
            serve = suitejourney(folder, "--log-level", "warning", "serve", **quiet)
            wait_http(f"{serve_url}/healthz")
            client = V8Client.connect(
                Transport(sandbox_url),
                OAuthCredentials(SANDBOX_CLIENT_ID, Secret(SANDBOX_CLIENT_SECRET)),
            )
            namespace = instance_namespace(sandbox_url)
            query = Query("Accounts", fields=("id",), sort="id")
            accounts = [r.id for r in client.iter_records(query, page_size=500)]
            rng = random.Random(7)

            def count(account: str) -> int:
                journey = client.get_record(
                    "CJ_Journeys",
                    record_id(namespace, "journey", f"Accounts:{account}"),
                    ("touchpoint_count",),
                )
                return int(journey.get("touchpoint_count") or 0)

            latencies = []
            for n in range(args.saves):
                account = rng.choice(accounts)
                before = count(account)
                client.create_record(
                    "Calls",
                    {
                        "name": f"realtime bench call {n}",
                        "parent_type": "Accounts",
                        "parent_id": account,
                        "direction": "Inbound",
                        "status": "Held",
                        "date_start": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
                    },
                )
                saved = time.monotonic()
                while count(account) == before:
                    if time.monotonic() - saved > 60:
                        raise RuntimeError("the journey did not change within 60 s")
                    time.sleep(0.025)
                latencies.append(time.monotonic() - saved)
            latencies.sort()
            p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
            print(
                f"save → CJ_Journeys over {len(latencies)} saves (latency {args.latency_ms:g} ms "
                f"per sandbox request): min {latencies[0]:.2f} s, median "
                f"{statistics.median(latencies):.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s"
            )

            calls = [
                client.create_record(
                    "Calls",
                    {
                        "name": f"burst call {n}",
                        "parent_type": "Accounts",
                        "parent_id": accounts[n % len(accounts)],
                        "status": "Planned",
                        "date_start": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
                    },
                ).id
                for n in range(50)
            ]
            rss_before = vm_kb(serve.pid, "VmRSS")
            started = time.monotonic()
            for n in range(args.burst - len(calls)):
                client.update_record("Calls", calls[n % len(calls)], {"name": f"burst save {n}"})
            sent = time.monotonic() - started
            health: dict[str, Any] = {}
            while True:
                health = requests.get(f"{serve_url}/healthz", timeout=5).json()
                if health["queue"]["size"] == 0:
                    break
                time.sleep(0.05)
            drained = time.monotonic() - started
            client.close()
            counts = health["counts"]
            print(
                f"burst of {args.burst} saves in {sent:.1f} s: accepted "
                f"{counts.get('notifications_accepted', 0)}, refused "
                f"{sum(v for k, v in counts.items() if k.startswith('refused_'))}, queue peak "
                f"{health['queue']['peak']} records, queue empty after {drained:.1f} s; serve RSS "
                f"{rss_before / 1024:.1f} → {vm_kb(serve.pid, 'VmRSS') / 1024:.1f} MB "
                f"(peak {vm_kb(serve.pid, 'VmHWM') / 1024:.1f} MB)"
            )
            time.sleep(1.5)  # the last batch's push
            for step in (["pull"], ["classify"]):
                subprocess.run(
                    [sys.executable, "-m", "connector", *step],
                    cwd=folder,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            out = subprocess.run(
                [sys.executable, "-m", "connector", "push", "--dry-run", "--json"],
                cwd=folder,
                check=True,
                capture_output=True,
                text=True,
            )
            pushed = json.loads(out.stdout)
            written = sum(pushed["created"].values()) + sum(pushed["updated"].values())
            print(
                f"a full sync afterwards would write {written} CJ records (0: serve left "
                "every journey right)"
            )
        finally:
            if serve is not None:
                serve.terminate()
                serve.wait(timeout=60)
            sandbox.terminate()
            sandbox.wait(timeout=60)


if __name__ == "__main__":
    main()
