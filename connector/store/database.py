"""The state database as one object: engine, schema up to date, transactions.

``StateDB.open`` makes the engine, applies migrations on first use (so a new
SQLite file or an empty MySQL schema just works) and hands out transactions.
Everything that reads or writes state gets a ``Connection`` from here (the type is
re-exported, so callers name it without importing SQLAlchemy).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection as Connection
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from connector.errors import UsageError
from connector.secrets import Secret, mask_url
from connector.store.engine import make_engine, ping
from connector.store.schema import current_revision, upgrade


class StateDB:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, database_url: Secret, *, migrate: bool = True) -> StateDB:
        engine = make_engine(database_url)
        ping(engine)
        if migrate:
            upgrade(engine)
        return cls(engine)

    @classmethod
    def open_existing(cls, database_url: Secret) -> StateDB:
        """The state database when it exists, brought to the newest schema; never
        created (``status`` only reads): ``UsageError`` when there is none yet."""
        shown = mask_url(database_url.reveal())
        try:
            url = make_url(database_url.reveal())
        except ArgumentError:
            url = None  # make_engine below says what is wrong with it
        if url is not None and url.get_backend_name() == "sqlite":
            path = url.database or ""
            if path in ("", ":memory:") or not Path(path).expanduser().is_file():
                raise UsageError(
                    f"no state database at {shown} yet: nothing has been pulled; run "
                    "`suitejourney sync` (or `pull`) first."
                )
        engine = make_engine(database_url)
        ping(engine)
        if current_revision(engine) is None:
            engine.dispose()
            raise UsageError(
                f"the state database {shown} is empty: nothing has been pulled; run "
                "`suitejourney sync` (or `pull`) first."
            )
        upgrade(engine)
        return cls(engine)

    @property
    def shown_url(self) -> str:
        return mask_url(self.engine.url.render_as_string(hide_password=False))

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()
