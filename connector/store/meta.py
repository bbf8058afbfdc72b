"""Small named facts kept in the state database (``state_meta``): the scheduler's
heartbeat, probes of the instance. Values are text (JSON where structured)."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Connection, Table, select, update

from connector.store.models import SettingRow

M = cast(Table, SettingRow.__table__)


def read_meta(conn: Connection, name: str) -> str | None:
    value = conn.execute(select(M.c.value).where(M.c.name == name)).scalar()
    return None if value is None else str(value)


def write_meta(conn: Connection, name: str, value: str) -> None:
    done = conn.execute(update(M).where(M.c.name == name).values(value=value))
    if not done.rowcount:
        conn.execute(M.insert().values(name=name, value=value, flag=False))
