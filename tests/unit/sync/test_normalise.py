"""One record → one touchpoint, or a reason to quarantine it: a table of odd records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from connector.crm.records import clean_record
from connector.errors import BadRecordError, SkippableError
from connector.sync.normalise import normalise

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
GOOD = "2026-10-01 10:00:00"


def record(module: str, **attributes: Any) -> Any:
    values = {"date_entered": "2026-09-01 08:00:00", "date_modified": GOOD, **attributes}
    return clean_record(module, attributes.pop("id", "r1"), values, deleted=False)


@pytest.mark.parametrize(
    ("module", "attributes", "occurred"),
    [
        # A zero date is an empty field: the next field of the module's rule dates it.
        ("Meetings", {"date_start": "0000-00-00 00:00:00"}, datetime(2026, 9, 1, 8, tzinfo=UTC)),
        (
            "Meetings",
            {"date_start": "0000-00-00T00:00:00+00:00"},
            datetime(2026, 9, 1, 8, tzinfo=UTC),
        ),
        ("AOS_Invoices", {"invoice_date": "0000-00-00"}, datetime(2026, 9, 1, 8, tzinfo=UTC)),
        (
            "Meetings",
            {"date_start": "2026-11-02 14:30:00"},
            datetime(2026, 11, 2, 14, 30, tzinfo=UTC),
        ),
        ("AOS_Invoices", {"invoice_date": "2026-03-01"}, datetime(2026, 3, 1, tzinfo=UTC)),
        # Planned activities up to a year ahead are real.
        ("Calls", {"date_start": "2027-11-01 09:00:00"}, datetime(2027, 11, 1, 9, tzinfo=UTC)),
        ("Calls", {"date_start": "1990-01-01 00:00:00"}, datetime(1990, 1, 1, tzinfo=UTC)),
    ],
)
def test_good_and_merely_odd_records_are_touchpoints(module, attributes, occurred):
    touchpoint = normalise(module, record(module, **attributes), NOW)
    assert touchpoint.occurred_at == occurred
    assert all(v != "0000-00-00 00:00:00" for v in touchpoint.raw.values())


@pytest.mark.parametrize(
    ("module", "attributes", "field", "reason"),
    [
        ("Meetings", {"date_start": "2026-02-30 10:00:00"}, "date_start", "not a real date"),
        (
            "Calls",
            {"date_start": "9999-12-31 23:59:59"},
            "date_start",
            "more than a year in the future",
        ),
        ("Calls", {"date_start": "1970-01-01 00:00:00"}, "date_start", "before 1990"),
        ("Calls", {"date_start": "tomorrow"}, "date_start", "not a date"),
        ("Cases", {"date_entered": "1970-01-01 00:00:00"}, "date_entered", "before 1990"),
        ("Cases", {"date_modified": "2026-02-30 10:00:00"}, "date_modified", "not a real date"),
        (
            "Cases",
            {"date_modified": "9999-12-31 23:59:59"},
            "date_modified",
            "more than a year in the future",
        ),
        ("Accounts", {"name": "Ren\udce9"}, "name", "not valid text (broken encoding)"),
        (
            "Calls",
            {"date_start": "", "date_entered": "", "date_modified": ""},
            "date_start",
            "empty, and so is date_modified",
        ),
        (
            "Opportunities",
            {"sales_stage": "Closed Won", "date_closed": "2026-02-30"},
            "date_closed",
            "not a real date",
        ),
    ],
)
def test_records_that_cannot_be_touchpoints_say_which_field_and_why(
    module, attributes, field, reason
):
    with pytest.raises(BadRecordError) as caught:
        normalise(module, record(module, **attributes), NOW)
    error = caught.value
    assert (error.module, error.record_id, error.field, error.reason) == (
        module,
        "r1",
        field,
        reason,
    )
    assert error.exit_code == 1
    assert f"{module} record r1 skipped: {field}" in error.message


def test_a_record_without_an_id_is_skipped_but_cannot_be_quarantined():
    with pytest.raises(SkippableError) as caught:
        normalise("Calls", clean_record("Calls", "", {"date_modified": GOOD}, deleted=False), NOW)
    assert not isinstance(caught.value, BadRecordError)


def test_without_a_clock_only_the_past_bound_applies():
    far = record("Calls", date_start="2090-01-01 00:00:00")
    assert normalise("Calls", far).occurred_at == datetime(2090, 1, 1, tzinfo=UTC)
