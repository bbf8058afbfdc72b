"""Engines for the state database: SQLite by default, MySQL/MariaDB through PyMySQL.

``make_engine`` turns the configured ``database_url`` (a ``Secret``, since a MySQL
URL carries a password) into an SQLAlchemy engine set up for our use: SQLite in
WAL mode with a busy timeout and foreign keys on, so a reader never blocks the
sync; MySQL with utf8mb4 and pre-ping, so a connection dropped by wait_timeout
is replaced. ``ping`` checks that the database answers and raises a
``ConfigurationError`` whose message shows the URL with its password masked.

No models and no queries here; nothing of SuiteCRM.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from connector.errors import ConfigurationError
from connector.secrets import Secret, mask_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _parse(database_url: Secret) -> URL:
    try:
        return make_url(database_url.reveal())
    except ArgumentError:
        raise ConfigurationError(
            f"database_url {mask_url(database_url.reveal())!r} is not a database URL: use "
            "sqlite:///path/to/file.db or mysql+pymysql://user:password@host/database"
        ) from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(database_url: Secret, *, echo: bool = False) -> Engine:
    """An engine for the state database (creates the SQLite file's folder if needed)."""
    url = _parse(database_url)
    backend = url.get_backend_name()
    try:
        if backend == "sqlite":
            if url.database and url.database != ":memory:":
                Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, echo=echo)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        if backend in ("mysql", "mariadb"):
            if url.drivername in ("mysql", "mariadb"):
                url = url.set(drivername=f"{backend}+pymysql")
            query = dict(url.query)
            query.setdefault("charset", "utf8mb4")
            return create_engine(
                url.set(query=query), echo=echo, pool_pre_ping=True, pool_recycle=3600
            )
    except NoSuchModuleError:
        pass  # a driver SQLAlchemy does not have: the same answer as an unknown back end
    raise ConfigurationError(
        f"database_url {mask_url(database_url.reveal())!r}: unsupported database "
        f"'{url.drivername}'; use sqlite or mysql+pymysql"
    )


def ping(engine: Engine) -> str:
    """The server's version string; a clear ``ConfigurationError`` when it does not answer."""
    shown = mask_url(engine.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                version = connection.execute(text("select sqlite_version()")).scalar_one()
                return f"SQLite {version}"
            version = connection.execute(text("select version()")).scalar_one()
            return f"MySQL/MariaDB {version}"
    except DBAPIError as exc:
        reason = str(getattr(exc, "orig", exc)).split("\n")[0]
        password = engine.url.password
        if password:
            reason = reason.replace(str(password), "********")
        raise ConfigurationError(
            f"cannot open the state database {shown}: {reason}; check database_url"
        ) from None
