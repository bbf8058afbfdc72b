"""Sync runs, their per-module counts and their errors; the instance lock.

A run row is written when a run starts (status ``running``) and closed when it
ends (``ok``, ``partial`` when some records failed or were skipped,
``interrupted`` when a stop was asked for, ``failed``), with one stats row per
module pulled, one error row per failed record, and a JSON summary of the other
phases (classify, push) and of where a stop happened — what ``status`` shows
and what an admin reads after a night of scheduled syncs. Every command that
moves data records its run: ``sync``, ``pull``, ``classify``, ``push``, and
``scheduled`` syncs.

The lock is one row per instance with a lease: taking it is an atomic
insert-or-steal-if-expired, so two processes (or machines) sharing the state
database never sync the same SuiteCRM at once; a crashed holder's lease simply
expires. Error messages are stored as given: callers pass messages that hold no
secrets (they come from ``ConnectorError``).
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from connector.store.models import LockRow, RunErrorRow, RunModuleStatsRow, SyncRunRow

run_table = cast(Table, SyncRunRow.__table__)
stats_table = cast(Table, RunModuleStatsRow.__table__)
error_table = cast(Table, RunErrorRow.__table__)
lock_table = cast(Table, LockRow.__table__)
MESSAGE_LIMIT = 2000


@dataclass
class ModuleStats:
    module: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: int = 0
    orphans: int = 0
    requests: int = 0
    seconds: float = 0.0

    def as_row(self, run_id: int) -> dict[str, Any]:
        return {"run_id": run_id, **self.__dict__}


@dataclass
class RunSummary:
    id: int
    kind: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    message: str
    modules: list[ModuleStats] = field(default_factory=list)
    errors: int = 0
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return sum(m.skipped for m in self.modules)


def owner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def start_run(conn: Connection, kind: str, now: datetime) -> int:
    result = conn.execute(
        insert(run_table).values(
            kind=kind,
            started_at=now,
            status="running",
            message="",
            host=socket.gethostname()[:128],
            pid=os.getpid(),
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def finish_run(
    conn: Connection, run_id: int, status: str, now: datetime, message: str = ""
) -> None:
    conn.execute(
        update(run_table)
        .where(run_table.c.id == run_id)
        .values(status=status, finished_at=now, message=message[:MESSAGE_LIMIT])
    )


def save_summary(conn: Connection, run_id: int, summary: dict[str, Any]) -> None:
    """The run's phases beyond the pull's module counts (classify, push, a stop)."""
    text = json.dumps(summary, sort_keys=True, default=str, ensure_ascii=False)
    conn.execute(update(run_table).where(run_table.c.id == run_id).values(summary_json=text))


def abandon_runs(conn: Connection, owner: str, now: datetime) -> int:
    """Close the runs a dead process left ``running``."""
    host, _, pid = owner.rpartition(":")
    done = conn.execute(
        update(run_table)
        .where(
            run_table.c.status == "running",
            run_table.c.host == host,
            run_table.c.pid == int(pid or 0),
        )
        .values(status="failed", finished_at=now, message="interrupted: the process died")
    )
    return int(done.rowcount or 0)


def save_module_stats(conn: Connection, run_id: int, stats: ModuleStats) -> None:
    conn.execute(
        delete(stats_table).where(
            stats_table.c.run_id == run_id, stats_table.c.module == stats.module
        )
    )
    conn.execute(insert(stats_table).values(**stats.as_row(run_id)))


def add_error(
    conn: Connection,
    run_id: int,
    now: datetime,
    message: str,
    *,
    module: str = "",
    record_id: str = "",
    kind: str = "record",
) -> None:
    conn.execute(
        insert(error_table).values(
            run_id=run_id,
            module=module[:40],
            record_id=record_id[:64],
            kind=kind[:16],
            message=message[:MESSAGE_LIMIT],
            at=now,
        )
    )


def recent_runs(conn: Connection, limit: int = 10) -> list[RunSummary]:
    rows = (
        conn.execute(select(run_table).order_by(run_table.c.id.desc()).limit(limit))
        .mappings()
        .all()
    )
    runs = []
    for row in rows:
        stats = [
            ModuleStats(**{k: v for k, v in s.items() if k != "run_id"})
            for s in conn.execute(
                select(stats_table)
                .where(stats_table.c.run_id == row["id"])
                .order_by(stats_table.c.module)
            ).mappings()
        ]
        errors = int(
            conn.execute(
                select(func.count())
                .select_from(error_table)
                .where(error_table.c.run_id == row["id"], error_table.c.kind != "warning")
            ).scalar_one()
        )
        runs.append(
            RunSummary(
                row["id"],
                row["kind"],
                row["started_at"],
                row["finished_at"],
                row["status"],
                row["message"],
                stats,
                errors,
                json.loads(row["summary_json"]) if row["summary_json"] else {},
            )
        )
    return runs


def run_errors(conn: Connection, run_id: int, limit: int = 50) -> list[dict[str, Any]]:
    rows = (
        conn.execute(
            select(error_table)
            .where(error_table.c.run_id == run_id)
            .order_by(error_table.c.id)
            .limit(limit)
        )
        .mappings()
        .all()
    )
    return [dict(r) for r in rows]


# -- the lock -----------------------------------------------------------------------


def acquire_lock(engine: Engine, name: str, owner: str, now: datetime, lease: timedelta) -> bool:
    """Take the lock, or steal it when its lease has expired. Atomic on both back ends."""
    with engine.begin() as conn:
        try:
            conn.execute(
                insert(lock_table).values(
                    name=name,
                    owner=owner,
                    acquired_at=now,
                    expires_at=now + lease,
                    heartbeat_at=now,
                )
            )
            return True
        except IntegrityError:
            pass  # someone holds it: steal it below if the lease has expired
    with engine.begin() as conn:
        stolen = conn.execute(
            update(lock_table)
            .where(
                lock_table.c.name == name,
                (lock_table.c.expires_at < now) | (lock_table.c.owner == owner),
            )
            .values(owner=owner, acquired_at=now, expires_at=now + lease, heartbeat_at=now)
        )
        return bool(stolen.rowcount)


def steal_lock(
    engine: Engine, name: str, owner: str, previous: str, now: datetime, lease: timedelta
) -> bool:
    """Take the lock from ``previous`` (known dead), atomically."""
    with engine.begin() as conn:
        done = conn.execute(
            update(lock_table)
            .where(lock_table.c.name == name, lock_table.c.owner == previous)
            .values(owner=owner, acquired_at=now, expires_at=now + lease, heartbeat_at=now)
        )
        return bool(done.rowcount)


def holder_is_dead(owner: str) -> bool:
    """True when ``owner`` ("host:pid") is a process of this machine that no longer runs."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def renew_lock(engine: Engine, name: str, owner: str, now: datetime, lease: timedelta) -> bool:
    with engine.begin() as conn:
        done = conn.execute(
            update(lock_table)
            .where(lock_table.c.name == name, lock_table.c.owner == owner)
            .values(expires_at=now + lease, heartbeat_at=now)
        )
        return bool(done.rowcount)


def release_lock(engine: Engine, name: str, owner: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            delete(lock_table).where(lock_table.c.name == name, lock_table.c.owner == owner)
        )


def lock_holder(conn: Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(select(lock_table).where(lock_table.c.name == name)).mappings().first()
    return dict(row) if row else None
