"""Secrets never print; log lines are scrubbed; JSON logs parse."""

from __future__ import annotations

import io
import json
import logging
import pickle

import pytest

from connector.logs import setup_logging
from connector.secrets import Secret, mask_url, scrub


def test_secret_never_prints() -> None:
    secret = Secret("hunter2")
    rendered = [
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        "{}".format(secret),  # noqa: UP032
        str([secret]),
        str({"k": secret}),
    ]
    assert all("hunter2" not in text for text in rendered)
    assert secret.reveal() == "hunter2"
    assert secret == Secret("hunter2")
    assert not Secret("")
    with pytest.raises(TypeError):
        pickle.dumps(secret)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql+pymysql://cj:pw@db:3306/cj", "mysql+pymysql://cj:********@db:3306/cj"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
        ("mysql+pymysql://root@127.0.0.1/test", "mysql+pymysql://root@127.0.0.1/test"),
    ],
)
def test_mask_url(url: str, expected: str) -> None:
    assert mask_url(url) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.abc.def",
        "client_secret=abcd1234&grant_type=password",
        '{"access_token": "tok-999", "expires_in": 3600}',
        '{"session": "sess-42"}',
        "password: letmein",
    ],
)
def test_scrub_removes_credential_shapes(text: str) -> None:
    cleaned = scrub(text)
    for value in ("eyJ0eXAi", "abcd1234", "tok-999", "sess-42", "letmein"):
        assert value not in cleaned
    assert "********" in cleaned


def test_scrub_removes_known_values() -> None:
    assert scrub("the user typed Tr0ub4dor in the box", ("Tr0ub4dor",)) == (
        "the user typed ******** in the box"
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_log_lines_are_scrubbed(fmt: str) -> None:
    stream = io.StringIO()
    handler = setup_logging("debug", fmt, secrets=("pa55word!",), stream=stream)
    try:
        log = logging.getLogger("connector.test")
        log.info("login with %s failed", "pa55word!")
        try:
            raise ValueError("boom pa55word!")
        except ValueError:
            log.exception("crash")
    finally:
        logging.getLogger("connector").removeHandler(handler)
    out = stream.getvalue()
    assert "pa55word!" not in out
    assert "login with ******** failed" in out
    if fmt == "json":
        entries = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        assert entries[0]["level"] == "info"
        assert entries[0]["logger"] == "connector.test"
        assert "ValueError" in entries[1]["exception"]
