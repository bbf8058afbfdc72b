"""Journey summaries are stored beside the journeys and follow them, on SQLite and MariaDB."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import cast

from sqlalchemy import Table, delete, select

from connector.journey import journey_to_dict
from connector.journey.summary import journey_summary
from connector.report import compute_personas, iter_journey_summaries
from connector.secrets import Secret
from connector.store import tables
from connector.store.database import StateDB
from connector.store.models import JourneySummaryRow
from connector.sync.classify import store_journey
from tests.unit.journey.test_builder import b2b_story, build

S = cast(Table, JourneySummaryRow.__table__)


def test_summaries_are_written_updated_refilled_and_removed(database_url: Secret) -> None:
    db = StateDB.open(database_url)
    first = build(b2b_story()[:5], now_day=10)
    later = build(b2b_story(), now_day=410)
    assert first.customer_key == later.customer_key
    key = first.customer_key
    try:
        with db.begin() as conn:
            assert store_journey(conn, first, first.now)
        with db.read() as conn:
            stored = json.loads(conn.execute(select(S.c.summary_json)).scalar_one())
        assert stored == journey_summary(journey_to_dict(first))
        with db.begin() as conn:  # as if stored before summaries existed, then rebuilt
            conn.execute(delete(S))
            assert store_journey(conn, later, later.now + timedelta(seconds=1))
        with db.read() as conn:
            stored = json.loads(conn.execute(select(S.c.summary_json)).scalar_one())
        assert stored == journey_summary(journey_to_dict(later))
        assert stored["path"][-1] == ["purchase", "other"]
        personas = compute_personas(iter_journey_summaries(db))
        assert personas.overall.customers == 1 and personas.overall.purchased == 1
        with db.begin() as conn:  # the customer is gone: its journey and summary too
            conn.execute(delete(tables.journeys).where(tables.journeys.c.customer_key == key))
        with db.read() as conn:
            assert conn.execute(select(S.c.customer_key)).all() == []
    finally:
        db.close()
