"""Fixtures shared by all test folders: the state databases (SQLite and MariaDB), and
the guard that fails any test in which a request to SuiteCRM is made while a
state-database transaction is open (``tests/transactions.py``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from connector.secrets import Secret
from tests.transactions import TransactionGuard

MYSQL_ENV = "SUITEJOURNEY_TEST_MYSQL_URL"
MYSQL_DEFAULT = "mysql+pymysql://root@127.0.0.1:3306/suitejourney_test"


@pytest.fixture(autouse=True)
def transaction_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[TransactionGuard]:
    """No request to SuiteCRM while a transaction is open, in any test."""
    guard = TransactionGuard()
    guard.install(monkeypatch)
    yield guard
    if guard.refused:
        pytest.fail("requests made inside a transaction:\n" + "\n".join(guard.refused))


def _mysql_url() -> tuple[str | None, str]:
    """The MariaDB test URL, or None and the reason it cannot be used."""
    import pymysql
    from sqlalchemy.engine import make_url

    url = os.environ.get(MYSQL_ENV) or MYSQL_DEFAULT
    parsed = make_url(url)
    try:
        connection = pymysql.connect(
            host=parsed.host or "127.0.0.1",
            port=parsed.port or 3306,
            user=parsed.username or "root",
            password=parsed.password or "",
            database=parsed.database,
            connect_timeout=3,
        )
    except pymysql.MySQLError as exc:
        return None, (
            f"MariaDB/MySQL test database not reachable at {parsed.host}:{parsed.port} "
            f"({exc.args[-1] if exc.args else exc}); set {MYSQL_ENV} or run .ci/run"
        )
    connection.close()
    return url, ""


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Secret]:
    """Each store test runs twice: on a fresh SQLite file and on the MariaDB test database."""
    if request.param == "sqlite":
        yield Secret(f"sqlite:///{tmp_path / 'state.db'}")
        return
    url, reason = _mysql_url()
    if url is None:
        if os.environ.get("SUITEJOURNEY_REQUIRE_MARIADB"):
            pytest.fail(f"{reason} (SUITEJOURNEY_REQUIRE_MARIADB is set, as in CI)")
        pytest.skip(reason)
    _drop_everything(url)
    yield Secret(url)


def _drop_everything(url: str) -> None:
    """Start each MariaDB test from an empty schema (tests share one database)."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("SET FOREIGN_KEY_CHECKS=0"))
            for table in inspect(conn).get_table_names():
                conn.execute(text(f"DROP TABLE IF EXISTS `{table}`"))
            conn.execute(text("SET FOREIGN_KEY_CHECKS=1"))
    finally:
        engine.dispose()
