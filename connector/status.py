"""What ``suitejourney status`` shows: runs, cursors, touchpoints, the lock.

Reads the state database only (never SuiteCRM) and returns plain data, rendered
as text for people or as JSON for machines.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from connector.store.customers import dirty_count
from connector.store.database import StateDB
from connector.store.meta import read_meta
from connector.store.quarantine import count_quarantine, list_quarantine
from connector.store.queries import all_cursors, count_by_module
from connector.store.runs import RunSummary, lock_holder, recent_runs
from connector.sync.runner import LOCK_NAME

QUARANTINE_SHOWN = 50


def run_entry(run: RunSummary) -> dict[str, Any]:
    """One run as ``status --json`` shows it: counts of every phase, skipped, errors."""
    return {
        "id": run.id,
        "kind": run.kind,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "message": run.message,
        "errors": run.errors,
        "skipped": run.skipped,
        "modules": [m.__dict__ for m in run.modules],
        "classify": run.summary.get("classify"),
        "push": run.summary.get("push"),
        "stopped": run.summary.get("stopped"),
    }


def collect_status(db: StateDB, *, runs: int = 5) -> dict[str, Any]:
    with db.read() as conn:
        history = recent_runs(conn, runs)
        held = count_quarantine(conn)
        held_list = list_quarantine(conn, limit=QUARANTINE_SHOWN)
        cursors = {c.module: c for c in all_cursors(conn)}
        counts = count_by_module(conn)
        lock = lock_holder(conn, LOCK_NAME)
        dirty = dirty_count(conn)
        heartbeat = read_meta(conn, "scheduler")
    modules = sorted(set(counts) | {m for m in cursors if "#" not in m and "@" not in m})
    return {
        "database": db.shown_url,
        "lock": lock,
        "runs": [run_entry(r) for r in history],
        "quarantine": {
            "total": sum(held.values()),
            "by_module": held,
            "records": [q.as_dict() for q in held_list],
        },
        "modules": [
            {
                "module": m,
                "touchpoints": counts.get(m, (0, 0))[0],
                "without_customer": counts.get(m, (0, 0))[1],
                "cursor": cursors[m].date_modified if m in cursors else None,
                "last_reconciled_at": cursors[m].last_reconciled_at if m in cursors else None,
            }
            for m in modules
        ],
        "customers_to_rebuild": int(dirty),
        "scheduler": json.loads(heartbeat) if heartbeat else None,
    }


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def render_status(data: dict[str, Any]) -> str:
    lines = [f"state database  {data['database']}"]
    lock = data["lock"]
    lines.append(
        f"sync lock       held by {lock['owner']} until {_when(lock['expires_at'])}"
        if lock
        else "sync lock       free"
    )
    beat = data.get("scheduler")
    if beat:
        state = "stopped" if beat["stopped"] else f"next run {beat['next_run_at'] or '-'}"
        lines.append(
            f"scheduler       {beat['owner']}, last heartbeat {beat['heartbeat_at']}, "
            f"{beat['runs']} runs, {state}"
        )
    else:
        lines.append("scheduler       never run here")
    lines.append("recent runs")
    if not data["runs"]:
        lines.append("  none yet: run `suitejourney sync`")
    for run in data["runs"]:
        lines.extend(render_run(run))
    lines.append("modules")
    lines.append(
        f"  {'module':<16} {'touchpoints':>11} {'no customer':>11}  "
        f"{'cursor (date_modified)':<22}  last reconciled"
    )
    for m in data["modules"]:
        lines.append(
            f"  {m['module']:<16} {m['touchpoints']:>11,} {m['without_customer']:>11,}  "
            f"{_when(m['cursor']):<22}  {_when(m['last_reconciled_at'])}"
        )
    lines.append(f"customers to rebuild  {data['customers_to_rebuild']:,}")
    lines.extend(render_quarantine(data["quarantine"]))
    return "\n".join(lines)


def render_run(run: dict[str, Any]) -> list[str]:
    """A run's line (its phases' counts) and, when it has one, its message."""
    took = ""
    if run["finished_at"]:
        took = f"{(run['finished_at'] - run['started_at']).total_seconds():.1f} s"
    parts: list[str] = []
    if run["modules"]:
        read = sum(m["read"] for m in run["modules"])
        changed = sum(m["created"] + m["updated"] + m["deleted"] for m in run["modules"])
        requests = sum(m["requests"] for m in run["modules"])
        parts.append(f"read {read:,}, changed {changed:,}, {requests:,} requests")
    classify = run.get("classify")
    if classify:
        parts.append(f"{classify['rebuilt']:,} journeys rebuilt")
    push = run.get("push")
    if push:
        parts.append(f"{push['written']:,} CJ records written")
    parts.append(f"{run['skipped']:,} skipped, {run['errors']:,} errors")
    lines = [
        f"  #{run['id']:<5} {run['kind']:<9} {_when(run['started_at'])}  {run['status']:<11} "
        f"{took:>8}  " + ", ".join(parts)
    ]
    if run["message"]:
        lines.append(f"         {run['message']}")
    return lines


def render_quarantine(held: dict[str, Any]) -> list[str]:
    """The skipped records, waiting for a fix in SuiteCRM."""
    if not held["total"]:
        return ["skipped records  none"]
    lines = [
        f"skipped records  {held['total']:,} (could not be read; retried at every pull until "
        "fixed in SuiteCRM)"
    ]
    for q in held["records"]:
        value = f" {q['value']!r}" if q["value"] else ""
        lines.append(
            f"  {q['module']:<16} {q['id']:<36}  {q['field']}{value} is {q['reason']} "
            f"(since {_when(q['first_seen_at'])}, {q['attempts']} attempts)"
        )
    if held["total"] > len(held["records"]):
        lines.append(f"  … and {held['total'] - len(held['records']):,} more (status --json)")
    return lines
