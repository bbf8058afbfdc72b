"""What storing a pulled record costs SQLite itself, and why the pull writes multi-row.

    python scripts/bench_store.py [--rows 20000] [--raw-bytes 1100]

Pure ``sqlite3`` (no SQLAlchemy, no connector code on the timed path) inserts
pre-built rows shaped like the pull's touchpoints (``--raw-bytes`` of fields, a
text key, the customer and link keys) into the state database's real
``touchpoints`` table (made by the product's migrations, with its indexes), in
500-row transactions:

* ``executemany``: one ``sqlite3_step`` per row, the GIL given away at each;
* ``multi-row``: one ``INSERT … VALUES (…), (…)`` per page (what the pull does).

Each runs alone and beside one busy Python thread (the pull's reader lanes are
Python too). Printed: CPU µs of the writing thread and wall µs, per row. The
first figure is the floor under the pull's client CPU: a record cannot be stored
for less, whatever the Python around it costs.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGE = 500
COLUMNS = (
    "key", "module", "source_id", "occurred_at", "date_modified", "subject", "status",
    "direction", "link_key", "customer_key", "fields_json", "raw_json", "content_hash",
    "first_seen_at", "updated_at",
)  # fmt: skip


def state_db(folder: str) -> str:
    """A new state database made by the product's own migrations; its file path."""
    from connector.secrets import Secret
    from connector.store.database import StateDB

    path = f"{folder}/state.db"
    StateDB.open(Secret(f"sqlite:///{path}")).close()
    return path


def pages(rows: int, raw_bytes: int) -> list[list[tuple[Any, ...]]]:
    rng = random.Random(7)
    accounts = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(max(1, rows // 2))]
    raw = '{"description":"' + "x" * max(0, raw_bytes - 20) + '"}'
    made = []
    for start in range(0, rows, PAGE):
        page = []
        for _ in range(min(PAGE, rows - start)):
            record = str(uuid.UUID(int=rng.getrandbits(128)))
            account = f"Accounts:{rng.choice(accounts)}"
            page.append((
                f"Calls:{record}", "Calls", record, "2025-01-01 10:00:00.000000",
                "2025-01-02 10:00:00.000000", "Call about the renewal", "Held", "Outbound",
                account, account, "{}", raw, uuid.UUID(int=rng.getrandbits(128)).hex * 2,
                "2026-12-02 07:00:00.000000", "2026-12-02 07:00:00.000000",
            ))  # fmt: skip
        made.append(page)
    return made


def by_executemany(conn: Any, page: list[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" * len(COLUMNS))
    conn.executemany(f"INSERT INTO touchpoints ({', '.join(COLUMNS)}) VALUES ({marks})", page)


def by_multirow(conn: Any, page: list[tuple[Any, ...]]) -> None:
    one = f"({', '.join('?' * len(COLUMNS))})"
    values = [value for row in page for value in row]
    conn.execute(
        f"INSERT INTO touchpoints ({', '.join(COLUMNS)}) VALUES {', '.join([one] * len(page))}",
        values,
    )


def busy(stop: threading.Event) -> None:
    count = 0
    while not stop.is_set():
        count += 1


def measure(
    write: Callable[[Any, list[tuple[Any, ...]]], None], rows: int, raw_bytes: int, beside: bool
) -> tuple[float, float]:
    import sqlite3

    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(state_db(folder), isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        made = pages(rows, raw_bytes)
        stop = threading.Event()
        other = threading.Thread(target=busy, args=(stop,), daemon=True)
        if beside:
            other.start()
        cpu, wall = time.thread_time(), time.perf_counter()
        for page in made:
            conn.execute("BEGIN")
            write(conn, page)
            conn.execute("COMMIT")
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        stop.set()
        if beside:
            other.join()
        conn.close()
    return cpu / rows * 1e6, wall / rows * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--raw-bytes", type=int, default=1100)
    args = parser.parse_args()
    print(f"{args.rows:,} rows of ~{args.raw_bytes} bytes of fields, {PAGE} per transaction")
    print(f"{'insert':<12} {'beside':<12} {'CPU µs/row':>10} {'wall µs/row':>11}")
    for beside in (False, True):
        for name, write in (("executemany", by_executemany), ("multi-row", by_multirow)):
            cpu, wall = measure(write, args.rows, args.raw_bytes, beside)
            shown = "busy thread" if beside else "alone"
            print(f"{name:<12} {shown:<12} {cpu:>10.1f} {wall:>11.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
