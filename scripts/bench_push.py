"""Write-back at a real server's speed: first and incremental syncs, per writer and setting.

    python scripts/bench_push.py [--calls 20000] [--accounts 250] [--save-latency-ms 120]
        [--writers api,bulk] [--settings milestones,none,all] [--changes 50]
        [--push-limit 600] [--write-concurrency N] [--mysql-url mysql+pymysql://…/db]

The data: the generator's ``--accounts`` customers plus cloned calls up to
``--calls`` calls in all (the real instance measured in issue 18 held 20,057
calls), cached in ``.bench-cache/``. For each writer and ``touchpoint_records``
setting, a fresh copy is served by a sandbox in its own process whose every save
costs ``--save-latency-ms`` with two saves at a time (a small real SuiteCRM), and
the connector runs, in this process and on a fresh SQLite state database:

1. a first sync: pull, classify, push of every journey;
2. an incremental sync after ``--changes`` calls were edited in SuiteCRM.

The mysql writer (with ``--mysql-url``) writes into fresh CJ tables of that
database instead; SuiteCRM's save cost does not apply to it (no hooks, no AOD).

Reported per sync: seconds per phase and in all, journeys written, records
written (created, updated, deleted), HTTP requests, journeys/s of the push, and
writes per changed customer. A first push still running after ``--push-limit``
seconds is stopped and its time extrapolated from the writes it made (marked
``~``); the rest of it is then written at no latency, so that the incremental
sync starts from a complete write-back.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.benchsupport import CACHE, data_file, sandbox_process

ANCHOR = datetime(2026, 11, 1, 9, 0, 0)


def utc_now() -> datetime:
    return datetime.now(UTC)


def with_calls(accounts: int, calls: int, seed: int = 1) -> Path:
    """The generated data of ``accounts`` customers, topped up with cloned calls on
    accounts to ``calls`` calls in all (cached)."""
    path = CACHE / f"sandbox-{accounts}-{seed}-calls{calls}.db"
    if path.exists():
        return path
    shutil.copy(data_file(accounts, seed), path)
    rng = random.Random(f"calls:{seed}")
    with sqlite3.connect(path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(calls)")]
        templates = conn.execute(
            "SELECT * FROM calls WHERE parent_type = 'Accounts' AND deleted = 0 "
            "AND date_start IS NOT NULL ORDER BY id"
        ).fetchall()
        have = conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
        rows = []
        for n in range(max(0, calls - have)):
            row = dict(zip(columns, templates[n % len(templates)], strict=True))
            start = datetime.fromisoformat(row["date_start"]) - timedelta(
                days=rng.uniform(0, 20), minutes=rng.randint(0, 600)
            )
            modified = min(start + timedelta(hours=rng.uniform(1, 48)), ANCHOR)
            row.update(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                date_start=f"{start:%Y-%m-%d %H:%M:%S}",
                date_end=f"{start + timedelta(minutes=30):%Y-%m-%d %H:%M:%S}",
                date_entered=f"{min(start, ANCHOR):%Y-%m-%d %H:%M:%S}",
                date_modified=f"{modified:%Y-%m-%d %H:%M:%S}",
            )
            rows.append(tuple(row[c] for c in columns))
        marks = ", ".join("?" for _ in columns)
        conn.executemany(f"INSERT INTO calls VALUES ({marks})", rows)
    return path


def changed_calls(path: Path, count: int) -> list[str]:
    """``count`` calls on distinct accounts, spread over the data (deterministic)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT parent_id, MIN(id) FROM calls WHERE parent_type = 'Accounts' "
            "AND deleted = 0 GROUP BY parent_id ORDER BY parent_id"
        ).fetchall()
    step = max(1, len(rows) // count)
    return [r[1] for r in rows[::step][:count]]


@dataclass
class Phase:
    pull: float = 0.0
    classify: float = 0.0
    push: float = 0.0
    journeys: int = 0
    writes: int = 0
    requests: int = 0
    estimated: bool = False

    @property
    def total(self) -> float:
        return self.pull + self.classify + self.push


def fresh_mysql_tables(mysql_url: str) -> None:
    """Empty CJ tables, as the module's installer creates them, for the mysql writer."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.integration.writeback.conftest import DDL

    url = make_url(mysql_url)
    engine = create_engine(url.set(database="mysql"))
    with engine.begin() as conn:
        conn.execute(text(f"CREATE DATABASE IF NOT EXISTS `{url.database}` CHARACTER SET utf8mb4"))
    engine.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        for table, ddl in DDL.items():
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
            conn.execute(text(ddl))
    engine.dispose()


def settings_for(
    url: str,
    state: Path,
    writer: str,
    setting: str,
    concurrency: int | None,
    mysql_url: str | None = None,
) -> Any:
    from connector.config import KEYS_BY_NAME, load_settings
    from connector.sandbox import (
        SANDBOX_CLIENT_ID,
        SANDBOX_CLIENT_SECRET,
        SANDBOX_PASSWORD,
        SANDBOX_USERNAME,
    )

    env = {
        "SUITEJOURNEY_URL": url,
        "SUITEJOURNEY_CLIENT_ID": SANDBOX_CLIENT_ID,
        "SUITEJOURNEY_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
        "SUITEJOURNEY_DATABASE_URL": f"sqlite:///{state}",
        "SUITEJOURNEY_WRITER": writer,
        "SUITEJOURNEY_MAPPING": str(Path(__file__).resolve().parents[1] / "mappings/default.yaml"),
    }
    if writer == "bulk":
        env["SUITEJOURNEY_USERNAME"] = SANDBOX_USERNAME
        env["SUITEJOURNEY_PASSWORD"] = SANDBOX_PASSWORD
    if writer == "mysql":
        assert mysql_url, "the mysql writer needs --mysql-url"
        env["SUITEJOURNEY_SUITECRM_DATABASE_URL"] = mysql_url
    if "touchpoint_records" in KEYS_BY_NAME:
        env["SUITEJOURNEY_TOUCHPOINT_RECORDS"] = setting
    elif setting != "all":
        raise SystemExit(f"this connector has no touchpoint_records setting (asked: {setting})")
    if concurrency is not None and "write_concurrency" in KEYS_BY_NAME:
        env["SUITEJOURNEY_WRITE_CONCURRENCY"] = str(concurrency)
    return load_settings(config_path=None, env=env)


def writes_of(report: Any) -> int:
    return int(
        sum(report.created.values()) + sum(report.updated.values()) + sum(report.deleted.values())
    )


def sync_once(settings: Any, db: Any, push_limit: float | None) -> Phase:
    from connector.app import build_instance, load_rules, pull_configured
    from connector.sync.classify import classify_customers
    from connector.sync.job import run_push

    phase = Phase()
    started = time.perf_counter()
    pulled = pull_configured(settings, db)
    assert pulled.status == "ok", pulled.failures
    phase.pull = time.perf_counter() - started
    started = time.perf_counter()
    classify_customers(db, load_rules(settings), utc_now())
    phase.classify = time.perf_counter() - started
    instance = build_instance(settings)
    plan = run_push(instance, db, utc_now, dry_run=True)
    planned = writes_of(plan)
    started = time.perf_counter()
    deadline = started + push_limit if push_limit else None
    def past_limit() -> bool:
        return deadline is not None and time.perf_counter() > deadline

    report = run_push(instance, db, utc_now, should_stop=past_limit)
    phase.push = time.perf_counter() - started
    assert not report.failed, report.failed[:3]
    phase.journeys, phase.writes, phase.requests = (
        report.journeys,
        writes_of(report),
        report.operations,
    )
    if phase.writes < planned:  # stopped at the limit: extrapolate from the write rate
        phase.push *= planned / max(1, phase.writes)
        phase.writes, phase.journeys, phase.estimated = planned, plan.journeys, True
    return phase


def admin(url: str, method: str, path: str, body: dict[str, Any]) -> Any:
    answer = requests.request(method, f"{url}/sandbox/admin/{path}", json=body, timeout=60)
    if answer.status_code != 200:
        raise SystemExit(f"sandbox admin {method} {path}: {answer.status_code} {answer.text}")
    return answer.json()


def run_case(
    data: Path, writer: str, setting: str, args: argparse.Namespace, folder: Path
) -> tuple[Phase, Phase, int]:
    from connector.secrets import Secret
    from connector.store.database import StateDB
    from connector.sync.job import run_push

    target = folder / f"{writer}-{setting}.db"
    shutil.copy(data, target)
    state = folder / f"state-{writer}-{setting}.db"
    sandbox_args = ["--db", str(target), "--save-latency-ms", str(args.save_latency_ms)]
    if writer == "mysql":
        fresh_mysql_tables(args.mysql_url)
    with sandbox_process(sandbox_args) as url:
        settings = settings_for(url, state, writer, setting, args.write_concurrency, args.mysql_url)
        db = StateDB.open(Secret(f"sqlite:///{state}"))
        try:
            first = sync_once(settings, db, args.push_limit)
            if first.estimated:  # finish the write-back quickly, unmeasured
                admin(url, "PATCH", "saves", {"latency_ms": 0})
                run_push(settings, db)
                admin(url, "PATCH", "saves", {"latency_ms": args.save_latency_ms})
            changes = changed_calls(data, args.changes)
            for n, call in enumerate(changes):
                attributes = {"name": f"Follow-up call {n} (edited)"}
                admin(url, "PATCH", f"records/Calls/{call}", {"attributes": attributes})
            incremental = sync_once(settings, db, None)
        finally:
            db.close()
    return first, incremental, len(changes)


def row(writer: str, setting: str, kind: str, p: Phase, customers: int) -> str:
    mark = "~" if p.estimated else " "
    per_customer = f"{p.writes / customers:>6.1f}" if customers else f"{'-':>6}"
    rate = p.journeys / p.push if p.push else 0.0
    return (
        f"{writer:<5} {setting:<10} {kind:<11} {p.pull:>6.1f} {p.classify:>6.1f} "
        f"{mark}{p.push:>7.1f} {mark}{p.total:>7.1f} {p.journeys:>8,} {p.writes:>8,} "
        f"{p.requests:>8,} {rate:>9.1f} {per_customer}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=250)
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--save-latency-ms", type=float, default=120.0)
    parser.add_argument("--writers", default="api,bulk")
    parser.add_argument("--settings", default="milestones,none,all")
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--push-limit", type=float, default=600.0, help="seconds; 0: no limit")
    parser.add_argument("--write-concurrency", type=int, default=None)
    parser.add_argument(
        "--mysql-url",
        default=None,
        help="a MariaDB database for the mysql writer's CJ tables (it is then benchmarked too)",
    )
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    data = with_calls(args.accounts, args.calls)
    with sqlite3.connect(data) as conn:
        calls = conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
    print(
        f"{args.accounts} accounts, {calls:,} calls; every save costs {args.save_latency_ms:g} ms, "
        "2 saves at a time",
        flush=True,
    )
    print(
        f"{'writer':<5} {'setting':<10} {'sync':<11} {'pull s':>6} {'class.':>6} "
        f"{'push s':>8} {'total s':>8} {'journeys':>8} {'writes':>8} {'requests':>8} "
        f"{'journeys/s':>9} {'w/cust':>6}",
        flush=True,
    )
    writers = args.writers.split(",") + (["mysql"] if args.mysql_url else [])
    estimated = False
    for writer in dict.fromkeys(writers):
        for setting in args.settings.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                first, incremental, changes = run_case(data, writer, setting, args, Path(tmp))
            estimated = estimated or first.estimated
            print(row(writer, setting, "first", first, 0), flush=True)
            print(
                row(writer, setting, f"+{changes} edits", incremental, incremental.journeys),
                flush=True,
            )
    if estimated:
        print("~ : the push was stopped at --push-limit and its time extrapolated from its writes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
