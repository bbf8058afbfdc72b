"""Small named facts kept in the state database (``state_meta``): the scheduler's
heartbeat, probes of the instance. Values are text (JSON where structured)."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from connector.store.tables import state_meta


def read_meta(conn: Connection, name: str) -> str | None:
    value = conn.execute(select(state_meta.c.value).where(state_meta.c.name == name)).scalar()
    return None if value is None else str(value)


def write_meta(conn: Connection, name: str, value: str) -> None:
    done = conn.execute(update(state_meta).where(state_meta.c.name == name).values(value=value))
    if not done.rowcount:
        conn.execute(state_meta.insert().values(name=name, value=value, flag=False))
