"""The state database as one object: engine, schema up to date, transactions.

``StateDB.open`` makes the engine, applies migrations on first use (so a new
SQLite file or an empty MySQL schema just works) and hands out transactions.
Everything that reads or writes state gets a ``Connection`` from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from connector.secrets import Secret, mask_url
from connector.store.engine import make_engine, ping
from connector.store.schema import upgrade


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
