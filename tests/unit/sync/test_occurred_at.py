"""When an opportunity happened: opened (open deals), closed (closed deals), never edited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connector.crm.records import Record, parse_datetime
from connector.sync.normalise import occurred_at


def opportunity(sales_stage: str, date_closed: str) -> Record:
    attributes = {
        "sales_stage": sales_stage,
        "date_entered": "2025-03-01 10:00:00",
        "date_modified": "2025-09-20 16:30:00",
        "date_closed": date_closed,
    }
    return Record("Opportunities", "o1", attributes, parse_datetime(attributes["date_modified"]))


@pytest.mark.parametrize(
    ("sales_stage", "date_closed", "expected"),
    [
        # Open: opened on date_entered; editing a field later is no activity.
        ("Prospecting", "2025-04-30", datetime(2025, 3, 1, 10, tzinfo=UTC)),
        ("Negotiation/Review", "2026-01-31", datetime(2025, 3, 1, 10, tzinfo=UTC)),
        # Closed: on its close date...
        ("Closed Won", "2025-06-15", datetime(2025, 6, 15, tzinfo=UTC)),
        ("Closed Lost", "2025-05-02", datetime(2025, 5, 2, tzinfo=UTC)),
        # ...never later than the edit that closed it (a close date left in the future).
        ("Closed Won", "2025-12-31", datetime(2025, 9, 20, 16, 30, tzinfo=UTC)),
    ],
)
def test_an_opportunity_is_dated_by_what_happened(
    sales_stage: str, date_closed: str, expected: datetime
) -> None:
    assert occurred_at("Opportunities", opportunity(sales_stage, date_closed)) == expected
