"""Measure the sandbox's own speed, so it is never the bottleneck of a benchmark.

Starts an in-memory sandbox with ``--accounts`` accounts (10,000 by default),
then times, over real HTTP on 127.0.0.1 with a keep-alive session: token
requests, V8 list pages of 100 Accounts and Calls (sorted by date_modified, at
several depths), a single record, and v4_1 get_entry_list pages of 100; and the
generator's rate. Prints a table in milliseconds (median and 95th percentile):
the round trip as a client sees it (bytes received, not parsed) and the time
the sandbox itself spent, from its request log.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    start_sandbox,
)
from connector.sandbox.catalog import build_catalog
from connector.sandbox.generator import GeneratorConfig, generate
from connector.sandbox.store import Store


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000.0)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def row(label: str, samples: list[float], server: list[float]) -> str:
    inside = f"{statistics.median(server):8.2f} {p95(server):8.2f}" if server else ""
    return f"{label:<46} {statistics.median(samples):8.2f} {p95(samples):8.2f} {inside}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    store = Store(build_catalog())
    store.create_schema()
    started = time.perf_counter()
    stats = generate(store, GeneratorConfig(accounts=1000, seed=1))
    elapsed = time.perf_counter() - started
    rows = sum(stats.rows.values())
    print(
        f"generator: 1,000 accounts -> {rows:,} rows in {elapsed:.2f} s "
        f"({rows / elapsed:,.0f} rows/s, {stats.touchpoints / elapsed:,.0f} touchpoints/s)"
    )
    store.close()

    print(f"starting a sandbox with {args.accounts:,} accounts and their journeys...")
    started = time.perf_counter()
    with start_sandbox(accounts=args.accounts, seed=1) as sandbox:
        print(
            f"  ready in {time.perf_counter() - started:.1f} s "
            f"({sandbox.control.count('Calls'):,} calls, "
            f"{sandbox.control.count('Emails'):,} emails)"
        )
        http = requests.Session()
        api = f"{sandbox.url}/Api"
        form = {
            "grant_type": "client_credentials",
            "client_id": SANDBOX_CLIENT_ID,
            "client_secret": SANDBOX_CLIENT_SECRET,
        }
        token = http.post(f"{api}/access_token", data=form, timeout=10).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        accounts = sandbox.control.count("Accounts")
        deep = max(1, accounts // 100 - 1)

        def v8(module: str, number: int) -> Callable[[], object]:
            params = {"page[size]": "100", "page[number]": str(number), "sort": "date_modified"}
            return lambda: http.get(f"{api}/V8/module/{module}", params=params, timeout=10).content

        record = sandbox.control.ids("Accounts", limit=1)[0]
        login = http.post(
            f"{sandbox.url}/service/v4_1/rest.php",
            data={
                "method": "login",
                "input_type": "JSON",
                "response_type": "JSON",
                "rest_data": json.dumps(
                    [
                        {
                            "user_name": SANDBOX_USERNAME,
                            "password": hashlib.md5(SANDBOX_PASSWORD.encode()).hexdigest(),
                        },
                        "bench",
                        [],
                    ]
                ),
            },
            timeout=10,
        ).json()

        def legacy(module: str, offset: int) -> Callable[[], object]:
            data = {
                "method": "get_entry_list",
                "input_type": "JSON",
                "response_type": "JSON",
                "rest_data": json.dumps(
                    [
                        login["id"],
                        module,
                        "",
                        "date_modified ASC, id ASC",
                        offset,
                        [],
                        [],
                        100,
                        1,
                        False,
                    ]
                ),
            }
            return lambda: (
                http.post(f"{sandbox.url}/service/v4_1/rest.php", data=data, timeout=10).content
            )

        def measure(label: str, call: Callable[[], object]) -> None:
            sandbox.control.reset_requests()
            samples = timed(call, args.repeat)
            server = [e.elapsed_ms for e in sandbox.control.requests().entries]
            print(row(label, samples, server))

        print(f"\n{'':<46} {'round trip':>17} {'inside the sandbox':>18}")
        print(f"{'ms per request':<46} {'median':>8} {'p95':>8} {'median':>8} {'p95':>8}")
        measure(
            "token (client_credentials)",
            lambda: http.post(f"{api}/access_token", data=form, timeout=10).content,
        )
        measure("V8 Accounts page of 100 (page 1)", v8("Accounts", 1))
        measure(f"V8 Accounts page of 100 (page {deep})", v8("Accounts", deep))
        measure("V8 Calls page of 100 (page 1)", v8("Calls", 1))
        measure("V8 Emails page of 100 (page 50)", v8("Emails", 50))
        measure(
            "V8 single Account",
            lambda: http.get(f"{api}/V8/module/Accounts/{record}", timeout=10).content,
        )
        measure("v4_1 get_entry_list Accounts 100 (offset 0)", legacy("Accounts", 0))
        measure("v4_1 get_entry_list Calls 100 (offset 5000)", legacy("Calls", 5000))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
