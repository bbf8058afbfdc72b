"""Memory of the client's lazy iteration: ``iter_records`` over 1,000 to 50,000 records.

    python scripts/bench_iter.py

For each size, a fresh process iterates every Accounts record of a sandbox (in
its own process) through the V8 client, page by page, and reports records per
second and its peak memory: the Python heap's peak (tracemalloc) and the
process's peak RSS. Flat memory means both stay the same as the data grows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.benchsupport import data_file, peak_rss_mb, run_child, sandbox_process

SIZES = (1_000, 10_000, 50_000)


def child(url: str, page_size: int) -> None:
    from connector.crm.http import Transport
    from connector.crm.oauth import OAuthCredentials
    from connector.crm.records import Query
    from connector.crm.v8 import V8Client
    from connector.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
    from connector.secrets import Secret

    client = V8Client.connect(
        Transport(url), OAuthCredentials(SANDBOX_CLIENT_ID, Secret(SANDBOX_CLIENT_SECRET))
    )
    tracemalloc.start()
    started = time.perf_counter()
    count = 0
    for _record in client.iter_records(Query("Accounts", sort="date_modified"),
                                       page_size=page_size):
        count += 1
    seconds = time.perf_counter() - started
    _, heap_peak = tracemalloc.get_traced_memory()
    print(json.dumps({
        "records": count, "seconds": seconds, "requests": client.requests_made,
        "heap_peak_mb": heap_peak / 2**20, "rss_peak_mb": peak_rss_mb(),
    }))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url")
    parser.add_argument("--page-size", type=int, default=200)
    args = parser.parse_args()
    if args.child:
        child(args.url, args.page_size)
        return 0
    print(f"{'records':>8} {'pages':>6} {'rec/s':>8} {'heap peak MB':>13} {'RSS peak MB':>12}")
    for size in SIZES:
        with sandbox_process(["--db", str(data_file(size))]) as url:
            result = run_child(Path(__file__), ["--url", url, "--page-size",
                                                str(args.page_size)])
        print(f"{int(result['records']):>8,} {int(result['requests']) - 1:>6} "
              f"{result['records'] / result['seconds']:>8,.0f} "
              f"{result['heap_peak_mb']:>13.2f} {result['rss_peak_mb']:>12.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
