"""A state database on SQLite filled with the fixture journeys and their customers' records."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table

from connector.report.inputs import JourneyInput
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import JourneyRow, TouchpointRow
from tests.unit.report.fixtures import NOW, T0

J = cast(Table, JourneyRow.__table__)
T = cast(Table, TouchpointRow.__table__)


def open_db(path: Path) -> StateDB:
    return StateDB.open(Secret(f"sqlite:///{path}"))


def record(key: str, raw: dict[str, Any], customer_key: str, day: int = 0) -> dict[str, Any]:
    module, _, source_id = key.partition(":")
    return {
        "key": key, "module": module, "source_id": source_id, "customer_key": customer_key,
        "occurred_at": T0.replace(day=1 + day), "raw_json": json.dumps(raw),
        "content_hash": "h", "first_seen_at": NOW, "updated_at": NOW,
    }  # fmt: skip


def store(db: StateDB, items: Iterable[JourneyInput], records: Iterable[dict[str, Any]]) -> None:
    """Journeys as ``classify`` stores them, plus the given touchpoint rows."""
    with db.begin() as conn:
        for item in items:
            data = dict(item.journey)
            conn.execute(
                J.insert().values(
                    customer_key=data["customer_key"], name=data["customer_name"],
                    stage=data["current_stage"] or "", status=data["status"],
                    health_score=data["health"]["score"],
                    touchpoint_count=data["touchpoint_count"],
                    data_json=json.dumps(data), content_hash="h", built_at=NOW,
                )
            )  # fmt: skip
        for row in records:
            conn.execute(T.insert().values(**row))
