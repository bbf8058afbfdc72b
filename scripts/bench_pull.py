"""The pull beside plain readers of the same Calls, in the same run: rate, client CPU, memory.

    python scripts/bench_pull.py [--calls 4000,20000] [--repeat 3] [--page-size 500]
                                 [--readers v8-loop,v8-2,v41,pull-v8,pull]

For each size, a sandbox (its own process) serves generated data holding about
that many Calls, and each reader runs in a fresh process of its own, one after
the other, round after round (interleaved, so a load on the shared machine hits
all of them alike). The readers:

* ``v8-loop``: the plain V8 loop, ``sort=id``, page after page (one request at a time);
* ``v8-2``: the same with 2 requests in flight (page numbers shared out);
* ``v41``: REST v4_1 ``get_entry_list`` by offset, ``order_by=id``;
* ``pull-v8``: ``suitejourney`` pulling Calls through V8 into a new SQLite state db
  (created beforehand in another process, as the first sync leaves it for the next);
* ``pull``: the same with the API the product picks when username and password are
  set (``pull_api = auto``).

Printed per reader: the median records/s and client CPU seconds over the rounds,
the spread (max/min - 1) of each, peak RSS and RSS at the start (imports made,
state database open, no request yet), and whether every id came exactly once;
then the pull's rate as a ratio of the best plain reader's and its CPU as a ratio of
the plain loop's, per round and as medians (ratios within one round are what to
trust on a loaded machine).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.benchsupport import data_file, peak_rss_mb, run_child, sandbox_process

MODULE = "Calls"
# Measured: the generator makes about 2.2 calls per account.
CALLS_PER_ACCOUNT = 2.2
PLAIN = ("v8-loop", "v8-2", "v41")
READERS = (*PLAIN, "pull-v8", "pull")


# -- the plain readers (requests and json only) ----------------------------------------


def _v8_session(url: str) -> Any:
    import requests

    from connector.sandbox.credentials import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

    session = requests.Session()
    token = session.post(f"{url}/Api/access_token", data={
        "grant_type": "client_credentials", "client_id": SANDBOX_CLIENT_ID,
        "client_secret": SANDBOX_CLIENT_SECRET,
    }).json()["access_token"]
    session.headers["Authorization"] = f"Bearer {token}"
    return session


def _v8_page(session: Any, url: str, size: int, number: int) -> list[str]:
    answer = session.get(f"{url}/Api/V8/module/{MODULE}", params={
        "sort": "id", "page[size]": str(size), "page[number]": str(number),
    })
    answer.raise_for_status()
    return [r["id"] for r in answer.json().get("data") or []]


def read_v8_loop(url: str, size: int) -> list[str]:
    session = _v8_session(url)
    ids: list[str] = []
    number = 1
    while True:
        page = _v8_page(session, url, size, number)
        ids.extend(page)
        if len(page) < size:
            return ids
        number += 1


def read_v8_parallel(url: str, size: int, width: int = 2) -> list[str]:
    import threading

    sessions = [_v8_session(url) for _ in range(width)]
    found: dict[int, list[str]] = {}
    last = [10**9]
    lock = threading.Lock()

    def walk(lane: int) -> None:
        number = lane + 1
        while number <= last[0]:
            page = _v8_page(sessions[lane], url, size, number)
            with lock:
                found[number] = page
                if len(page) < size:
                    last[0] = min(last[0], number)
            number += width

    threads = [threading.Thread(target=walk, args=(lane,)) for lane in range(width)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [i for number in sorted(found) for i in found[number]]


def read_v41(url: str, size: int) -> list[str]:
    import hashlib

    import requests

    from connector.sandbox.credentials import SANDBOX_PASSWORD, SANDBOX_USERNAME

    session = requests.Session()
    endpoint = f"{url}/service/v4_1/rest.php"

    def call(method: str, args: list[Any]) -> Any:
        return session.post(endpoint, data={
            "method": method, "input_type": "JSON", "response_type": "JSON",
            "rest_data": json.dumps(args),
        }).json()

    password = hashlib.md5(SANDBOX_PASSWORD.encode()).hexdigest()
    sid = call("login", [{"user_name": SANDBOX_USERNAME, "password": password}, "bench", []])["id"]
    ids: list[str] = []
    offset = 0
    while True:
        body = call("get_entry_list", [sid, MODULE, "", "id", offset, [], [], size, 0, False])
        page = [e["id"] for e in body.get("entry_list") or []]
        ids.extend(page)
        if len(page) < size:
            return ids
        offset += len(page)


# -- the pull ---------------------------------------------------------------------------


def create_state_db(url: str) -> None:
    """The state database, created (migrated) in a process of its own, as the first sync
    leaves it for every later one: the measured pull opens an existing database, so
    Alembic, imported only to migrate (~10 MB), is not in its memory."""
    script = (
        "import sys\n"
        "from connector.secrets import Secret\n"
        "from connector.store.database import StateDB\n"
        "StateDB.open(Secret(sys.argv[1])).close()\n"
    )
    subprocess.run([sys.executable, "-c", script, url], check=True)


def run_pull_child(url: str, size: int, api: str, folder: str) -> Callable[[], dict[str, Any]]:
    """Build everything the pull needs (imports included) and return the measured part:
    the product's own pull (``suitejourney pull``'s path) of Calls, with ``pull_api``."""
    from sqlalchemy import select

    from connector.app import pull_configured
    from connector.config import load_settings
    from connector.sandbox.credentials import (
        SANDBOX_CLIENT_ID,
        SANDBOX_CLIENT_SECRET,
        SANDBOX_PASSWORD,
        SANDBOX_USERNAME,
    )
    from connector.store.database import StateDB
    from connector.store.models import QuarantineRow, TouchpointRow

    env = {
        "SUITEJOURNEY_URL": url, "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_USERNAME": SANDBOX_USERNAME, "SUITEJOURNEY_PASSWORD": SANDBOX_PASSWORD,
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{folder}/state.db",
        "SUITEJOURNEY_MODULES": MODULE, "SUITEJOURNEY_PAGE_SIZE": str(size),
        "SUITEJOURNEY_PULL_API": api,
    }
    if os.environ.get("SUITEJOURNEY_PULL_READERS"):  # to compare lane counts by hand
        env["SUITEJOURNEY_PULL_READERS"] = os.environ["SUITEJOURNEY_PULL_READERS"]
    config = Path(folder) / "suitejourney.toml"
    config.write_text("")
    settings = load_settings(config_path=config, env=env)
    create_state_db(env["SUITEJOURNEY_DATABASE_URL"])
    db = StateDB.open(settings.database_url)

    def measured() -> dict[str, Any]:
        report = pull_configured(settings, db)
        with db.read() as conn:
            stored = list(conn.execute(select(TouchpointRow.source_id)).scalars())
            held = list(conn.execute(select(QuarantineRow.record_id)).scalars())
        return {"ids": stored + held, "requests": sum(m.requests for m in report.modules),
                "status": report.status}

    return measured


def child(reader: str, url: str, size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        if reader.startswith("pull"):
            measured = run_pull_child(url, size, "v8" if reader == "pull-v8" else "auto", folder)
        else:
            plain = {"v8-loop": read_v8_loop, "v8-2": read_v8_parallel, "v41": read_v41}[reader]
            # What the readers import, imported before the clock starts (as the pull's
            # child does): the sandbox's credentials module brings the whole sandbox
            # package, ~0.3 s of CPU that used to count as the plain loop's reading.
            import requests  # noqa: F401

            import connector.sandbox.credentials  # noqa: F401

            def measured() -> dict[str, Any]:
                return {"ids": plain(url, size)}

        rss_start = peak_rss_mb()  # imports made, state database open: before any request
        wall, cpu = time.perf_counter(), time.process_time()
        result = measured()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    ids = result.pop("ids")
    print(json.dumps({**result, "rows": len(ids), "distinct": len(set(ids)), "seconds": wall,
                      "cpu": cpu, "rss_start_mb": rss_start, "rss_peak_mb": peak_rss_mb()}))


# -- the table --------------------------------------------------------------------------


def spread(values: list[float]) -> str:
    return f"{max(values) / min(values) - 1:>5.0%}" if min(values) > 0 else "    -"


def measure(calls: int, readers: list[str], repeat: int, size: int) -> None:
    data = data_file(max(1, round(calls / CALLS_PER_ACCOUNT)))
    import sqlite3

    with sqlite3.connect(data) as conn:
        total = conn.execute("SELECT COUNT(*) FROM calls WHERE deleted = 0").fetchone()[0]
    print(f"\n{total:,} calls (page size {size}, {repeat} rounds, each reader its own process)")
    rounds: list[dict[str, dict[str, Any]]] = []
    with sandbox_process(["--db", str(data)]) as url:
        run_child(Path(__file__), ["--reader", "v8-loop", "--url", url, "--page-size", str(size)])
        for _ in range(repeat):
            results = {}
            for reader in readers:
                results[reader] = run_child(
                    Path(__file__), ["--reader", reader, "--url", url, "--page-size", str(size)]
                )
            rounds.append(results)
    print(f"{'reader':<9} {'rec/s':>7} {'±':>5} {'CPU s':>6} {'±':>5} {'RSS MB':>6} "
          f"{'at start':>8} {'requests':>8}  ids")
    for reader in readers:
        runs = [r[reader] for r in rounds]
        rates = [r["distinct"] / r["seconds"] for r in runs]
        cpus = [r["cpu"] for r in runs]
        complete = all(r["distinct"] == total == r["rows"] for r in runs)
        ids = "all, once" if complete else (
            f"{min(r['distinct'] for r in runs):,} distinct of {total:,}, "
            f"{max(r['rows'] for r in runs):,} rows")
        print(f"{reader:<9} {statistics.median(rates):>7,.0f} {spread(rates)} "
              f"{statistics.median(cpus):>6.2f} {spread(cpus)} "
              f"{max(r['rss_peak_mb'] for r in runs):>6.0f} "
              f"{max(r['rss_start_mb'] for r in runs):>8.0f} "
              f"{int(runs[0].get('requests', 0)) or ''!s:>8}  {ids}")
    plain = [r for r in readers if r in PLAIN]
    for pull in (r for r in readers if r.startswith("pull")):
        if not plain:
            break
        rate_ratios = []
        cpu_ratios = []
        for results in rounds:
            best = max(results[r]["distinct"] / results[r]["seconds"] for r in plain)
            own = results[pull]["distinct"] / results[pull]["seconds"]
            rate_ratios.append(own / best)
            if "v8-loop" in results:
                cpu_ratios.append(results[pull]["cpu"] / results["v8-loop"]["cpu"])
        shown = ", ".join(f"{x:.2f}" for x in rate_ratios)
        print(f"{pull}: rate / best plain reader = {statistics.median(rate_ratios):.2f} "
              f"(rounds: {shown})")
        if cpu_ratios:
            shown = ", ".join(f"{x:.2f}" for x in cpu_ratios)
            print(f"{pull}: CPU / plain V8 loop = {statistics.median(cpu_ratios):.2f} "
                  f"(rounds: {shown})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reader", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--calls", default="4000,20000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--readers", default=",".join(READERS))
    args = parser.parse_args()
    if args.reader:
        child(args.reader, args.url, args.page_size)
        return 0
    readers = [r for r in args.readers.split(",") if r]
    unknown = set(readers) - set(READERS)
    if unknown:
        parser.error(f"unknown readers: {', '.join(sorted(unknown))}")
    for calls in (int(c) for c in args.calls.split(",")):
        measure(calls, readers, args.repeat, args.page_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
