"""The ``corrections`` table: stages people corrected in SuiteCRM, mirrored locally.

SuiteCRM holds the truth (CJ_Corrections records); each sync replaces this
mirror with what it read (``mirror``), and the classification step reads the
corrections of the customers it rebuilds (``corrections_of_customers``). All
the SQL about corrections lives here; nothing here speaks to SuiteCRM or knows
what a stage means.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from connector.store import tables
from connector.store.queries import chunks

corrections = tables.corrections
touchpoints = tables.touchpoints


@dataclass(frozen=True)
class Correction:
    """One correction: a touchpoint, the stage a person gave it, who, when, and where
    it is kept in SuiteCRM."""

    touchpoint_key: str
    stage: str
    previous_stage: str = ""
    rule_id: str = ""
    corrected_by: str = ""
    corrected_by_name: str = ""
    corrected_at: datetime | None = None
    note: str = ""
    crm_id: str = ""
    origin: str = ""

    def same_as(self, other: Correction) -> bool:
        return asdict(self) == asdict(other)


def _correction(row: Any) -> Correction:
    return Correction(
        touchpoint_key=row.touchpoint_key,
        stage=row.stage,
        previous_stage=row.previous_stage,
        rule_id=row.rule_id,
        corrected_by=row.corrected_by,
        corrected_by_name=row.corrected_by_name,
        corrected_at=row.corrected_at,
        note=row.note,
        crm_id=row.crm_id,
        origin=row.origin,
    )


def load_corrections(conn: Connection) -> dict[str, Correction]:
    """Every correction, by touchpoint key."""
    return {r.touchpoint_key: _correction(r) for r in conn.execute(select(corrections))}


def mirror(conn: Connection, wanted: Mapping[str, Correction], now: datetime) -> set[str]:
    """Make the table hold exactly ``wanted``; the touchpoint keys whose correction
    appeared, changed or went away."""
    current = load_corrections(conn)
    changed: set[str] = set()
    for key, correction in wanted.items():
        values = {k: v for k, v in asdict(correction).items() if k != "touchpoint_key"}
        before = current.get(key)
        if before is None:
            conn.execute(corrections.insert().values(touchpoint_key=key, updated_at=now, **values))
        elif not before.same_as(correction):
            matching = corrections.c.touchpoint_key == key
            conn.execute(update(corrections).where(matching).values(updated_at=now, **values))
        else:
            continue
        if before is None or before.stage != correction.stage:
            changed.add(key)
    gone = [key for key in current if key not in wanted]
    for part in chunks(gone):
        conn.execute(delete(corrections).where(corrections.c.touchpoint_key.in_(part)))
    changed.update(gone)
    return changed


def corrections_of_customers(conn: Connection, customers: Sequence[str]) -> dict[str, str]:
    """Touchpoint key → corrected stage, for the touchpoints of ``customers``."""
    found: dict[str, str] = {}
    for part in chunks(customers):
        rows = conn.execute(
            select(corrections.c.touchpoint_key, corrections.c.stage)
            .select_from(
                corrections.join(touchpoints, touchpoints.c.key == corrections.c.touchpoint_key)
            )
            .where(touchpoints.c.customer_key.in_(part))
        )
        found.update((r.touchpoint_key, r.stage) for r in rows)
    return found


def touchpoint_rows(conn: Connection, keys: Iterable[str]) -> dict[str, Any]:
    """The stored rows of these touchpoints (subject, module, customer), by key."""
    found: dict[str, Any] = {}
    for part in chunks(sorted(set(keys))):
        for row in conn.execute(
            select(
                touchpoints.c.key,
                touchpoints.c.module,
                touchpoints.c.source_id,
                touchpoints.c.subject,
                touchpoints.c.customer_key,
            ).where(touchpoints.c.key.in_(part))
        ):
            found[row.key] = row
    return found
