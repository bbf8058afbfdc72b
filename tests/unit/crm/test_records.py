"""Neutral record values: datetimes to aware UTC, HTML entities undone, page ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from connector.crm.records import (
    Page,
    Query,
    Record,
    format_db_datetime,
    parse_datetime,
    unescape_value,
)


@pytest.mark.parametrize(
    ("value", "trust_offset", "expected"),
    [
        ("2026-11-22T21:49:00+00:00", False, datetime(2026, 11, 22, 21, 49, tzinfo=UTC)),
        ("2026-11-22 21:49:36", False, datetime(2026, 11, 22, 21, 49, 36, tzinfo=UTC)),
        ("2026-11-22T21:49:36Z", False, datetime(2026, 11, 22, 21, 49, 36, tzinfo=UTC)),
        ("2026-11-22 21:49", False, datetime(2026, 11, 22, 21, 49, tzinfo=UTC)),
        ("2026-11-22T21:49:36.123456+00:00", False, datetime(2026, 11, 22, 21, 49, 36, tzinfo=UTC)),
        # V8 appends the PHP zone's offset to UTC digits (SuiteCRM#9952): digits win by default
        ("2026-11-22T21:49:00+01:00", False, datetime(2026, 11, 22, 21, 49, tzinfo=UTC)),
        ("2026-11-22T21:49:00+01:00", True, datetime(2026, 11, 22, 20, 49, tzinfo=UTC)),
        (datetime(2026, 11, 22, 21, 49), False, datetime(2026, 11, 22, 21, 49, tzinfo=UTC)),
        (
            datetime(2026, 11, 22, 23, 49, tzinfo=timezone(timedelta(hours=2))),
            False,
            datetime(2026, 11, 22, 21, 49, tzinfo=UTC),
        ),
        ("", False, None),
        (None, False, None),
        (False, False, None),
        ("next tuesday", False, None),
    ],
)
def test_parse_datetime(value, trust_offset, expected):
    parsed = parse_datetime(value, trust_offset=trust_offset)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 11, 22, 21, 49, 36, tzinfo=UTC), "2026-11-22 21:49:36"),
        (datetime(2026, 11, 22, 21, 49, 36), "2026-11-22 21:49:36"),
        (
            datetime(2026, 11, 22, 16, 49, 36, tzinfo=timezone(timedelta(hours=-5))),
            "2026-11-22 21:49:36",
        ),
    ],
)
def test_format_db_datetime(value, expected):
    assert format_db_datetime(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("O&#039;Reilly &amp; Sons", "O'Reilly & Sons"),
        ("&lt;b&gt;&quot;x&quot;", '<b>"x"'),
        ("plain", "plain"),
        (["a&amp;b", 3], ["a&b", 3]),
        ({"k": "&#039;"}, {"k": "'"}),
        (7, 7),
        (None, None),
    ],
)
def test_unescape_value(value, expected):
    assert unescape_value(value) == expected


def _records(n: int) -> tuple[Record, ...]:
    return tuple(Record("Calls", str(i), {}) for i in range(n))


@pytest.mark.parametrize(
    ("count", "number", "total_pages", "is_last"),
    [
        (2, 1, None, True),
        (3, 1, None, False),
        (3, 17, 17, True),
        (3, 2, 17, False),
        (0, 5, None, True),
    ],
)
def test_page_is_last(count, number, total_pages, is_last):
    assert Page(_records(count), number, 3, total_pages=total_pages).is_last is is_last


def test_query_match_must_be_and_or_or():
    with pytest.raises(ValueError, match="match"):
        Query("Calls", match="xor")
