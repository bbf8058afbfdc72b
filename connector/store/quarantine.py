"""The quarantine: source records skipped because they could not be normalised.

A record lands here with the field and value that stopped it (the value cut
short; it is SuiteCRM data, never one of our secrets) and the reason. A later
pull that stores a good version of the record, or learns that SuiteCRM no
longer has it, releases it. The pull re-reads quarantined records at every run,
oldest attempt first, so a fix made in SuiteCRM heals the record even when the
fix did not move its date_modified. Only SQL here; the decisions are the sync's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, delete, func, select, tuple_, update

from connector.store.models import QuarantineRow
from connector.store.queries import chunks

quarantine_table = cast(Table, QuarantineRow.__table__)
VALUE_LIMIT = 255


@dataclass(frozen=True)
class Quarantined:
    """One skipped record and why."""

    module: str
    record_id: str
    field: str
    value: str
    reason: str
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    attempts: int = 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "id": self.record_id,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
            "first_seen_at": self.first_seen_at,
            "last_seen_at": self.last_seen_at,
            "attempts": self.attempts,
        }


def hold(conn: Connection, entries: Sequence[Quarantined], now: datetime, run_id: int) -> None:
    """Put records in quarantine, or note another failed attempt of those already there."""
    if not entries:
        return
    by_key = {(e.module, e.record_id[:64]): e for e in entries}
    known: set[tuple[str, str]] = set()
    for part in chunks(list(by_key), 200):
        rows = conn.execute(
            select(quarantine_table.c.module, quarantine_table.c.record_id).where(
                tuple_(quarantine_table.c.module, quarantine_table.c.record_id).in_(part)
            )
        )
        known.update((r.module, r.record_id) for r in rows)
    for (module, record_id), entry in by_key.items():
        values = {
            "field": entry.field[:64],
            "value": entry.value[:VALUE_LIMIT],
            "reason": entry.reason[:255],
            "last_seen_at": now,
            "last_run_id": run_id,
        }
        if (module, record_id) in known:
            conn.execute(
                update(quarantine_table)
                .where(
                    quarantine_table.c.module == module, quarantine_table.c.record_id == record_id
                )
                .values(attempts=quarantine_table.c.attempts + 1, **values)
            )
        else:
            conn.execute(
                quarantine_table.insert().values(
                    module=module, record_id=record_id, first_seen_at=now, attempts=1, **values
                )
            )


def release(conn: Connection, module: str, record_ids: Iterable[str]) -> int:
    """Take records out of quarantine (stored fine, or gone from SuiteCRM)."""
    released = 0
    for part in chunks(sorted(set(record_ids))):
        done = conn.execute(
            delete(quarantine_table).where(
                quarantine_table.c.module == module, quarantine_table.c.record_id.in_(part)
            )
        )
        released += int(done.rowcount or 0)
    return released


def held_ids(conn: Connection, module: str) -> set[str]:
    return set(
        conn.execute(
            select(quarantine_table.c.record_id).where(quarantine_table.c.module == module)
        ).scalars()
    )


def due_for_retry(conn: Connection, module: str, run_id: int, limit: int) -> list[str]:
    """Ids of the module's quarantined records that run ``run_id`` has not met yet,
    oldest attempt first."""
    rows = conn.execute(
        select(quarantine_table.c.record_id)
        .where(and_(quarantine_table.c.module == module, quarantine_table.c.last_run_id != run_id))
        .order_by(quarantine_table.c.last_seen_at, quarantine_table.c.record_id)
        .limit(limit)
    )
    return list(rows.scalars())


def _entry(row: Any) -> Quarantined:
    return Quarantined(
        row.module,
        row.record_id,
        row.field,
        row.value,
        row.reason,
        row.first_seen_at,
        row.last_seen_at,
        row.attempts,
    )


def list_quarantine(
    conn: Connection, *, limit: int = 50, run_id: int | None = None
) -> list[Quarantined]:
    """The quarantined records (those a given run met, with ``run_id``), by module and id."""
    query = (
        select(quarantine_table)
        .order_by(quarantine_table.c.module, quarantine_table.c.record_id)
        .limit(limit)
    )
    if run_id is not None:
        query = query.where(quarantine_table.c.last_run_id == run_id)
    return [_entry(r) for r in conn.execute(query)]


def count_quarantine(conn: Connection) -> dict[str, int]:
    rows = conn.execute(
        select(quarantine_table.c.module, func.count()).group_by(quarantine_table.c.module)
    )
    return {str(module): int(number) for module, number in rows}
