"""The state database's tables as SQLAlchemy Core ``Table`` objects, by readable names.

The store's queries are Core (portable across SQLite and MySQL/MariaDB); this
module names each model's table once, so a query reads
``tables.journeys.c.customer_key`` rather than a one-letter alias. No queries here.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table

from connector.store.models import (
    CorrectionRow,
    DirtyCustomerRow,
    JourneyRow,
    JourneySummaryRow,
    SettingRow,
    TouchpointRow,
)

touchpoints = cast(Table, TouchpointRow.__table__)
dirty_customers = cast(Table, DirtyCustomerRow.__table__)
journeys = cast(Table, JourneyRow.__table__)
journey_summaries = cast(Table, JourneySummaryRow.__table__)
corrections = cast(Table, CorrectionRow.__table__)
state_meta = cast(Table, SettingRow.__table__)
