"""The pull's cursors as the state database keeps them: one row per stream.

A cursor row says where the incremental read of one stream (a module, a module by
another datetime field, a module's deletions) stands: the last ``date_modified``
stored, the ids already stored at that instant, the instant sealed (read whole
after it had ended), and when the module was last read in full and reconciled.
When a module is read by several lanes at once (disjoint id ranges), each lane's
position is kept in ``lanes_json``, and the row's own fields hold the position
that is safe for all of them together (see ``connector.sync.cursor``).

Only SQL and (de)serialisation here; what a cursor means is the sync's business.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, select, update

from connector.store.models import CursorRow

cursors = cast(Table, CursorRow.__table__)


@dataclass(frozen=True)
class LaneCursor:
    """Where one lane (the ids ``low <= id < high``; empty means open) stands."""

    low: str
    high: str
    date_modified: datetime | None = None
    boundary_ids: frozenset[str] = frozenset()
    sealed_at: datetime | None = None


@dataclass(frozen=True)
class Cursor:
    """Where a stream's incremental read stands."""

    module: str
    date_modified: datetime | None = None
    boundary_ids: frozenset[str] = frozenset()
    last_full_at: datetime | None = None
    last_reconciled_at: datetime | None = None
    sealed_at: datetime | None = None
    lanes: tuple[LaneCursor, ...] = ()


def _instant(value: Any) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(str(value))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _lanes_from_json(text: str | None) -> tuple[LaneCursor, ...]:
    return tuple(
        LaneCursor(
            low=str(item["low"]),
            high=str(item["high"]),
            date_modified=_instant(item.get("date_modified")),
            boundary_ids=frozenset(item.get("boundary_ids") or ()),
            sealed_at=_instant(item.get("sealed_at")),
        )
        for item in json.loads(text or "[]")
    )


def _lanes_to_json(lanes: tuple[LaneCursor, ...]) -> str | None:
    if not lanes:
        return None
    return json.dumps(
        [
            {
                "low": lane.low,
                "high": lane.high,
                "date_modified": lane.date_modified.isoformat() if lane.date_modified else None,
                "boundary_ids": sorted(lane.boundary_ids),
                "sealed_at": lane.sealed_at.isoformat() if lane.sealed_at else None,
            }
            for lane in lanes
        ],
        separators=(",", ":"),
    )


def load_cursor(conn: Connection, module: str) -> Cursor:
    row = conn.execute(select(cursors).where(cursors.c.module == module)).mappings().first()
    if row is None:
        return Cursor(module)
    return Cursor(
        module=module,
        date_modified=row["date_modified"],
        boundary_ids=frozenset(json.loads(row["boundary_ids"] or "[]")),
        last_full_at=row["last_full_at"],
        last_reconciled_at=row["last_reconciled_at"],
        sealed_at=row["sealed_at"],
        lanes=_lanes_from_json(row["lanes_json"]),
    )


def save_cursor(conn: Connection, cursor: Cursor, now: datetime) -> None:
    values = {
        "date_modified": cursor.date_modified,
        "boundary_ids": json.dumps(sorted(cursor.boundary_ids)),
        "last_full_at": cursor.last_full_at,
        "last_reconciled_at": cursor.last_reconciled_at,
        "sealed_at": cursor.sealed_at,
        "lanes_json": _lanes_to_json(cursor.lanes),
        "updated_at": now,
    }
    done = conn.execute(update(cursors).where(cursors.c.module == cursor.module).values(**values))
    if done.rowcount == 0:
        conn.execute(cursors.insert().values(module=cursor.module, **values))


def all_cursors(conn: Connection) -> list[Cursor]:
    modules = conn.execute(select(cursors.c.module).order_by(cursors.c.module)).scalars().all()
    return [load_cursor(conn, m) for m in modules]
