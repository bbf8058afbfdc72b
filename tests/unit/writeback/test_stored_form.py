"""What the writers send is what SuiteCRM stores: the stored forms and the comparison."""

from __future__ import annotations

import pytest

from connector.sandbox.cleaning import clean_text
from connector.writeback.payload import (
    TIMELINE_PREFIX,
    decode_timeline,
    encode_timeline,
    storable,
)
from connector.writeback.verify import as_shown, differences

HOSTILE = (
    "Re: <john@example.com> & <b>bold</b>",
    '{"subject":"<img src=x onerror=alert(1)>","q":"a & b \\"c\\""}',
    "tab\there, NUL\x00 and bell\x07",
    "Réunion client 東京 — «ok»",
)


@pytest.mark.parametrize("text", HOSTILE)
def test_storable_text_is_left_alone_by_suitecrms_cleaning(text: str) -> None:
    kept = storable(text)
    assert clean_text(kept) == kept
    assert "<" not in kept and ">" not in kept and "\t" not in kept


def test_storable_keeps_the_text_readable() -> None:
    assert storable("Re: <john@example.com>") == "Re: \u2039john@example.com\u203a"
    assert storable("plain text, unchanged") == "plain text, unchanged"
    assert storable("two\r\nlines") == "two\r\nlines"


def test_a_timeline_survives_the_cleaning_and_the_html_escaping_round_trip() -> None:
    data = {
        "v": 2,
        "tp": [["2024-01-03T10:00:00Z", "evaluation", "email", text] for text in HOSTILE],
    }
    stored = encode_timeline(data)
    assert stored.startswith(TIMELINE_PREFIX)
    assert clean_text(stored) == stored, "nothing for SuiteCRM to clean"
    assert as_shown(stored) == stored, "nothing for SuiteCRM to escape on a read"
    assert decode_timeline(stored) == data


def test_version_1_timelines_still_decode_and_broken_ones_do_not() -> None:
    assert decode_timeline('{"v":1,"tp":[]}') == {"v": 1, "tp": []}
    assert decode_timeline('{"subject":"<img src="x" alt="x" />"}') is None
    assert decode_timeline(TIMELINE_PREFIX + "not base64!") is None


@pytest.mark.parametrize(
    ("sent", "stored", "changed"),
    [
        ({"name": 'O\'Neil "x" & co'}, {"name": 'O\'Neil "x" & co'}, []),
        ({"name": "Re: <a@b.c> & <b>x</b>"}, {"name": "Re:  & <b>x</b>"}, ["name"]),
        ({"health_score": 57, "account_id": ""}, {"health_score": "57", "account_id": None}, []),
        ({"occurred_at": "2026-01-02 10:00:37"}, {"occurred_at": "2026-01-02T10:00:00+00:00"}, []),
        ({"occurred_at": "2026-01-02 10:00:37"}, {"occurred_at": ""}, ["occurred_at"]),
        (
            {"occurred_at": "2026-01-02 10:00:37"},
            {"occurred_at": "2026-01-02 11:00:37"},
            ["occurred_at"],
        ),
        ({"occurred_at": "2026-01-02 10:00:37"}, {"occurred_at": "2026-01-02T10:00:00+02:00"}, []),
        ({"occurred_at": "2026-01-02 10:00:37"}, {"occurred_at": "2026-01-02T12:00:00+02:00"}, []),
        ({"assigned_user_id": "1"}, {}, ["assigned_user_id"]),
    ],
)
def test_differences_compare_as_suitecrm_shows_values_back(
    sent: dict[str, object], stored: dict[str, object], changed: list[str]
) -> None:
    assert differences(sent, stored) == changed
