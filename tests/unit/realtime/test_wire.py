"""The notification's signature and body: tables of what is accepted and why not."""

from __future__ import annotations

import json

import pytest

from connector.realtime.notification import (
    MAX_BODY,
    MAX_EVENTS,
    Change,
    MalformedNotification,
    encode_changes,
    parse_body,
)
from connector.realtime.signature import ReplayGuard, SignatureError, sign, verify

SECRET = b"0123456789abcdef-shared"
NOW = 1_800_000_000
BODY = b'{"module":"Calls","id":"c1","event":"after_save","time":"2026-12-03 10:15:02"}'


def test_known_vector() -> None:
    # Computed independently: printf '1800000000.{}' | openssl dgst -sha256 -hmac KEY
    assert sign(b"key", NOW, b"{}") == (
        "sha256=" + __import__("hmac").new(b"key", b"1800000000.{}", "sha256").hexdigest()
    )


def test_a_fresh_signed_notification_verifies() -> None:
    assert verify(SECRET, str(NOW), sign(SECRET, NOW, BODY), BODY, NOW + 299) == NOW


@pytest.mark.parametrize(
    ("timestamp", "signature", "body", "now", "reason"),
    [
        (None, None, BODY, NOW, "unsigned"),
        (str(NOW), None, BODY, NOW, "unsigned"),
        (str(NOW), sign(b"another secret....", NOW, BODY), BODY, NOW, "bad_signature"),
        (str(NOW), sign(SECRET, NOW, BODY), BODY + b" ", NOW, "bad_signature"),
        (str(NOW + 1), sign(SECRET, NOW, BODY), BODY, NOW, "bad_signature"),
        ("12ab", sign(SECRET, NOW, BODY), BODY, NOW, "bad_signature"),
        (str(NOW), "md5=abc", BODY, NOW, "bad_signature"),
        (str(NOW), sign(SECRET, NOW, BODY), BODY, NOW + 301, "stale"),
        (str(NOW), sign(SECRET, NOW, BODY), BODY, NOW - 301, "stale"),
    ],
)
def test_what_verify_refuses(
    timestamp: str | None, signature: str | None, body: bytes, now: int, reason: str
) -> None:
    with pytest.raises(SignatureError) as caught:
        verify(SECRET, timestamp, signature, body, now)
    assert caught.value.reason == reason
    assert SECRET.decode() not in caught.value.message


def test_the_replay_guard_is_bounded_and_forgets_old_signatures() -> None:
    guard = ReplayGuard(capacity=3, tolerance=300)
    assert guard.first_time("a", NOW, NOW)
    assert not guard.first_time("a", NOW, NOW + 10)
    for name in "bcd":
        assert guard.first_time(name, NOW, NOW)
    assert len(guard) == 3  # "a" was pushed out by capacity
    assert guard.first_time("e", NOW + 400, NOW + 400)
    assert len(guard) == 1  # the rest were older than the tolerance


def test_bodies_that_parse() -> None:
    assert parse_body(BODY) == [Change("Calls", "c1", "after_save", "2026-12-03 10:15:02")]
    changes = [
        Change("Calls", "c1", "after_save", "2026-12-03 10:15:02"),
        Change("Accounts", "a-1", "after_relationship_add", "2026-12-03T10:15:02+00:00"),
        Change("AOS_Quotes", "1", "after_delete", "2026-12-03 10:15"),
    ]
    assert parse_body(encode_changes(changes)) == changes


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "not an object"),
        (b'{"events": []}', "non-empty list"),
        (b'{"events": "x"}', "non-empty list"),
        (b'{"events": [1]}', "events[0] is not an object"),
        (
            b'{"module": "Calls; DROP", "id": "1", "event": "after_save", "time": "2026-12-03"}',
            "'module'",
        ),
        (
            b'{"module": "Calls", "id": "../etc", "event": "after_save", "time": "2026-12-03"}',
            "'id'",
        ),
        (
            b'{"module": "Calls", "id": 7, "event": "after_save", "time": "2026-12-03 10:00"}',
            "'id'",
        ),
        (
            b'{"module": "Calls", "id": "1", "event": "before_save", "time": "2026-12-03 10:00"}',
            "'event'",
        ),
        (b'{"module": "Calls", "id": "1", "event": "after_save", "time": "yesterday"}', "'time'"),
        (b'{"module": "Calls", "id": "1", "event": "after_save"}', "'time'"),
    ],
)
def test_malformed_bodies_are_refused_with_a_reason(body: bytes, says: str) -> None:
    with pytest.raises(MalformedNotification, match=says.replace("[", r"\[").replace("]", r"\]")):
        parse_body(body)


def test_limits() -> None:
    one = {"module": "Calls", "id": "1", "event": "after_save", "time": "2026-12-03 10:00"}
    with pytest.raises(MalformedNotification, match="more than"):
        parse_body(json.dumps({"events": [one] * (MAX_EVENTS + 1)}).encode())
    with pytest.raises(MalformedNotification, match="larger than"):
        parse_body(b" " * (MAX_BODY + 1))
