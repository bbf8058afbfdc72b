"""Speed and memory of a full pull: sandboxes holding 1,000, 10,000 and 50,000 accounts' data.

    python scripts/bench_pull.py [--sizes 1000,10000,50000] [--page-size 200]

For each size, the sandbox (its own process) serves generated data, and a fresh
process pulls every module into a new SQLite state database through the V8
client. Reported: records per second, HTTP requests per 1,000 records, the
connector's own CPU time as a share of wall time (the rest is waiting for the
server), and the pull process's peak RSS, which should stay flat as data grows.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.benchsupport import data_file, peak_rss_mb, run_child, sandbox_process


def child(url: str, database: str, page_size: int) -> None:
    from datetime import UTC, datetime

    from connector.config import DEFAULT_MODULES
    from connector.crm.http import Transport
    from connector.crm.oauth import OAuthCredentials
    from connector.crm.v8 import V8Client
    from connector.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
    from connector.secrets import Secret
    from connector.store.database import StateDB
    from connector.sync.pull import PullOptions
    from connector.sync.runner import run_pull

    client = V8Client.connect(
        Transport(url), OAuthCredentials(SANDBOX_CLIENT_ID, Secret(SANDBOX_CLIENT_SECRET))
    )
    db = StateDB.open(Secret(database))
    wall, cpu = time.perf_counter(), time.process_time()
    report = run_pull(client, db, DEFAULT_MODULES, clock=lambda: datetime.now(UTC),
                      options=PullOptions(page_size=page_size))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({
        "records": sum(m.read for m in report.modules),
        "requests": sum(m.requests for m in report.modules),
        "seconds": wall, "cpu": cpu, "rss_peak_mb": peak_rss_mb(), "status": report.status,
    }))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url")
    parser.add_argument("--database")
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--page-size", type=int, default=200)
    args = parser.parse_args()
    if args.child:
        child(args.url, args.database, args.page_size)
        return 0
    print(f"{'accounts':>8} {'records':>10} {'rec/s':>7} {'req/1k rec':>10} {'CPU share':>9} "
          f"{'RSS peak MB':>11}")
    for size in (int(s) for s in args.sizes.split(",")):
        data = data_file(size)
        with tempfile.TemporaryDirectory() as folder, \
                sandbox_process(["--db", str(data)]) as url:
            result = run_child(Path(__file__), [
                "--url", url, "--database", f"sqlite:///{folder}/state.db",
                "--page-size", str(args.page_size),
            ])
        records = result["records"]
        print(f"{size:>8,} {int(records):>10,} {records / result['seconds']:>7,.0f} "
              f"{1000 * result['requests'] / max(records, 1):>10.1f} "
              f"{result['cpu'] / result['seconds']:>9.0%} {result['rss_peak_mb']:>11.1f}",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
