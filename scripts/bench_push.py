"""Write-back speed per writer: 1,000 and 10,000 changed journeys.

    python scripts/bench_push.py [--sizes 1000,10000] [--mysql-url mysql+pymysql://root@127.0.0.1/bench]

For each size: a sandbox (its own process) serves a copy of the generated data;
the connector pulls and classifies it once into a SQLite state database; then
each writer pushes every journey (all are "changed" on a first push) into a
fresh target: ``api`` (V8, one request per record) and ``bulk`` (REST v4_1
set_entries) into fresh sandbox copies, ``mysql`` into fresh CJ tables in
MariaDB. Reported: requests (or SQL statements) per changed journey, records per
journey, and journeys written per second.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.benchsupport import data_file, sandbox_process


def utc_now() -> datetime:
    return datetime.now(UTC)


def prepare_state(url: str, folder: Path) -> Path:
    from connector.config import DEFAULT_MODULES
    from connector.crm.http import Transport
    from connector.crm.oauth import OAuthCredentials
    from connector.crm.v8 import V8Client
    from connector.journey import load_mapping
    from connector.sandbox import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
    from connector.secrets import Secret
    from connector.store.database import StateDB
    from connector.sync.classify import classify_customers
    from connector.sync.pull import PullOptions
    from connector.sync.runner import run_pull

    path = folder / "state.db"
    client = V8Client.connect(
        Transport(url), OAuthCredentials(SANDBOX_CLIENT_ID, Secret(SANDBOX_CLIENT_SECRET))
    )
    db = StateDB.open(Secret(f"sqlite:///{path}"))
    run_pull(client, db, DEFAULT_MODULES, clock=utc_now, options=PullOptions(page_size=500))
    mapping = load_mapping(Path(__file__).resolve().parents[1] / "mappings" / "default.yaml")
    classify_customers(db, mapping, utc_now(), everything=True)
    db.close()
    client.close()
    return path


def make_writer(name: str, url: str, mysql_url: str | None):  # type: ignore[no-untyped-def]
    from connector.crm.http import Transport
    from connector.crm.legacy import LegacyClient, LegacyCredentials
    from connector.crm.mysql import CjTables
    from connector.crm.mysql import connect as connect_mysql
    from connector.crm.oauth import OAuthCredentials
    from connector.crm.v8 import V8Client
    from connector.sandbox import (
        SANDBOX_CLIENT_ID,
        SANDBOX_CLIENT_SECRET,
        SANDBOX_PASSWORD,
        SANDBOX_USERNAME,
    )
    from connector.secrets import Secret
    from connector.writeback.writers import ApiWriter, BulkWriter, MysqlWriter

    if name == "api":
        return ApiWriter(
            V8Client.connect(
                Transport(url), OAuthCredentials(SANDBOX_CLIENT_ID, Secret(SANDBOX_CLIENT_SECRET))
            )
        )
    if name == "bulk":
        return BulkWriter(
            LegacyClient.connect(
                Transport(url), LegacyCredentials(SANDBOX_USERNAME, Secret(SANDBOX_PASSWORD))
            ),
            batch_size=100,
        )
    assert mysql_url is not None
    return MysqlWriter(CjTables(connect_mysql(Secret(mysql_url))), batch_size=500)


def fresh_mysql_tables(mysql_url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from tests.integration.writeback.conftest import DDL

    url = make_url(mysql_url)
    engine = create_engine(url.set(database="mysql"))
    with engine.begin() as conn:
        conn.execute(text(f"CREATE DATABASE IF NOT EXISTS {url.database} CHARACTER SET utf8mb4"))
    engine.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        for table, ddl in DDL.items():
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
            conn.execute(text(ddl))
    engine.dispose()


def push_once(
    state: Path, writer_name: str, url: str, mysql_url: str | None, folder: Path
) -> tuple[float, int, int, int]:
    from connector.secrets import Secret
    from connector.store.database import StateDB
    from connector.writeback.payload import instance_namespace
    from connector.writeback.push import push

    copy = folder / f"state-{writer_name}.db"
    shutil.copy(state, copy)
    db = StateDB.open(Secret(f"sqlite:///{copy}"))
    writer = make_writer(writer_name, url, mysql_url)
    started = time.perf_counter()
    report = push(db, writer, instance_namespace("https://bench.example"), utc_now)
    seconds = time.perf_counter() - started
    writer.close()
    db.close()
    return seconds, report.journeys, report.operations, report.written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument(
        "--mysql-url", default="mysql+pymysql://root@127.0.0.1:3306/suitejourney_bench"
    )
    args = parser.parse_args()
    print(
        f"{'journeys':>8} {'writer':<6} {'ops/journey':>11} {'records/journey':>15} "
        f"{'journeys/s':>10}",
        flush=True,
    )
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            source = data_file(size)
            first = folder / "a.db"
            shutil.copy(source, first)
            with sandbox_process(["--db", str(first)]) as url:
                state = prepare_state(url, folder)
                for writer_name in ("api", "bulk", "mysql"):
                    target = folder / f"{writer_name}.db"
                    shutil.copy(source, target)
                    if writer_name == "mysql":
                        fresh_mysql_tables(args.mysql_url)
                    with sandbox_process(["--db", str(target)]) as target_url:
                        seconds, journeys, ops, records = push_once(
                            state, writer_name, target_url, args.mysql_url, folder
                        )
                    print(
                        f"{journeys:>8,} {writer_name:<6} {ops / journeys:>11.2f} "
                        f"{records / journeys:>15.1f} {journeys / seconds:>10,.0f}",
                        flush=True,
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
