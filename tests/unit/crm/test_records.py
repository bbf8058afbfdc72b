"""Neutral record values: datetimes to aware UTC, HTML entities undone, page ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from connector.crm.records import (
    BadDateError,
    Page,
    Problem,
    Query,
    Record,
    clean_text,
    format_db_datetime,
    parse_datetime,
    read_datetime,
    shown_value,
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


@pytest.mark.parametrize(
    "value",
    [
        "0000-00-00 00:00:00",  # MySQL's zero date, as v4_1 and the database give it
        "0000-00-00",
        "0000-00-00T00:00:00+00:00",  # V8's rendering of the same
        "-0001-11-30T00:00:00+00:00",  # what PHP's date() makes of it
        "  ",
    ],
)
def test_a_zero_date_is_no_date_not_a_bad_one(value):
    assert read_datetime(value) is None
    assert clean_text(value) == ("" if value.strip() else value)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-02-30 10:00:00", "not a real date"),
        ("2026-13-01T00:00:00+00:00", "not a real date"),
        ("2026-02-30", "not a real date"),
        ("2026-11-22 2a:49:00", "not a date"),
        ("next tuesday", "not a date"),
        ("\uff12\uff10\uff12\uff16-11-22 10:00:00", "not a date"),  # full-width digits
    ],
)
def test_a_bad_date_says_why(value, reason):
    with pytest.raises(BadDateError) as caught:
        read_datetime(value)
    assert caught.value.reason == reason
    assert parse_datetime(value) is None  # the lenient reader gives up quietly


def test_the_fast_path_reads_what_the_general_reader_reads():
    for value in ("2026-11-22 21:49:36", "2026-11-22T21:49:00+00:00", "2026-11-22T21:49:00-05:00"):
        for trust in (False, True):
            expected = datetime.fromisoformat(value if trust and "T" in value else value[:19])
            expected = expected.replace(tzinfo=UTC) if expected.tzinfo is None else expected
            assert read_datetime(value, trust_offset=trust) == expected.astimezone(UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Acme\x00 Corp", "Acme Corp"),
        ("bell\x07 esc\x1b del\x7f c1\x85", "bell esc del c1"),
        ("line\nbreak\ttab\r", "line\nbreak\ttab\r"),  # layout characters stay
        ("&lt;b&gt; &#0; &amp;", "<b> \ufffd &"),
        ("Caffè Ωmega 東京", "Caffè Ωmega 東京"),
    ],
)
def test_text_is_cleaned_once_at_the_edge(value, expected):
    assert clean_text(value) == expected


def test_a_broken_encoding_is_replaced_and_reported():
    problems: list[Problem] = []
    assert clean_text("Ren\udce9 SpA", "name", problems) == "Ren\ufffd SpA"
    assert problems == [Problem("name", "Ren\ufffd SpA", "not valid text (broken encoding)")]


def test_records_from_both_apis_carry_what_the_edge_could_not_read():
    from connector.crm.legacy import record_from_entry
    from connector.crm.v8 import record_from_resource

    v8 = record_from_resource(
        "Meetings",
        {
            "id": "m1",
            "attributes": {
                "name": "Kick\x00-off &amp; lunch",
                "date_start": "0000-00-00T00:00:00+00:00",
                "date_modified": "2026-02-30T10:00:00+00:00",
            },
        },
    )
    assert v8.get("name") == "Kick-off & lunch"
    assert v8.get("date_start") == ""
    assert v8.date_modified is None
    assert v8.problems == (
        Problem("date_modified", "2026-02-30T10:00:00+00:00", "not a real date"),
    )

    legacy = record_from_entry(
        "Meetings",
        {
            "id": "m1",
            "name_value_list": {
                "date_start": {"name": "date_start", "value": "0000-00-00 00:00:00"},
                "date_modified": {"name": "date_modified", "value": "2026-11-22 21:49:36"},
            },
        },
    )
    assert legacy.get("date_start") == ""
    assert legacy.date_modified == datetime(2026, 11, 22, 21, 49, 36, tzinfo=UTC)
    assert legacy.problems == ()


def test_a_long_bad_value_is_shown_short_and_printable():
    shown = shown_value("x\x00" * 200)
    assert len(shown) <= 120 and "\x00" not in shown and shown.endswith("…")
