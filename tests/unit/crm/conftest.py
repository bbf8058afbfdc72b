"""Shared fixtures for the ``connector.crm`` unit tests.

``recorded(name)`` loads a real SuiteCRM 7.14 request/response pair from
tests/fixtures/recorded; ``mock_http`` is ``responses`` in strict mode (a mock
that is never fired fails the test); ``clock``/``sleeps`` replace the wall clock
and ``time.sleep`` so no test waits or depends on the real time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses

from connector.crm.http import RetryPolicy, Transport

RECORDED_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "recorded"
BASE_URL = "https://crm.example.test"
START_TIME = 1_795_000_000.0  # a fixed "now" for the fake clock


@dataclass(frozen=True)
class Recorded:
    """One recorded exchange: what was sent, and what SuiteCRM answered."""

    name: str
    status: int
    content_type: str
    body: Any
    body_kind: str
    request: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The response body as it came over the wire."""
        if self.body_kind == "json":
            return json.dumps(self.body)
        if self.body_kind == "empty" or self.body is None:
            return ""
        return str(self.body)

    def response(self, method: str, url: str, **overrides: Any) -> responses.Response:
        """A ``responses.Response`` answering ``method url`` with this recording."""
        kwargs: dict[str, Any] = {
            "status": self.status,
            "body": self.text,
            "content_type": self.content_type,
        }
        kwargs.update(overrides)
        return responses.Response(method, url, **kwargs)

    def with_body(self, body: Any) -> Recorded:
        """The same recording with another JSON body (for values the recording lacks)."""
        return Recorded(self.name, self.status, self.content_type, body, "json", self.request)


def recorded(name: str) -> Recorded:
    """Read tests/fixtures/recorded/<name>.json: status, content-type and body."""
    raw = json.loads((RECORDED_DIR / f"{name}.json").read_text(encoding="utf-8"))
    response = raw["response"]
    return Recorded(
        name=name,
        status=int(response["status"]),
        content_type=str(response["headers"].get("content-type", "application/json")),
        body=response.get("body"),
        body_kind=str(response.get("body_kind", "json")),
        request=raw["request"],
    )


class FakeClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, now: float = START_TIME) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sleeps() -> list[float]:
    """Every delay the transport asked to sleep, in order (nobody really sleeps)."""
    return []


@pytest.fixture
def transport(clock: FakeClock, sleeps: list[float]) -> Transport:
    return make_transport(clock, sleeps)


def make_transport(
    clock: FakeClock, sleeps: list[float], retry: RetryPolicy | None = None, base: str = BASE_URL
) -> Transport:
    return Transport(
        base,
        session=requests.Session(),
        retry=retry or RetryPolicy(max_retries=3, base_delay=0.5, max_delay=30.0, jitter=0.25),
        sleep=sleeps.append,
        clock=clock,
        rand=lambda: 0.5,
    )


@pytest.fixture
def mock_http() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


# -- helpers to look at what was sent ---------------------------------------------------


def query_string(call: Any) -> str:
    """The raw query string of a sent request, exactly as it went on the wire."""
    return urlsplit(call.request.url).query


def path_of(call: Any) -> str:
    return urlsplit(call.request.url).path


def form_of(call: Any) -> dict[str, str]:
    body = call.request.body or ""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return dict(parse_qsl(body, keep_blank_values=True))


def json_of(call: Any) -> Any:
    body = call.request.body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return json.loads(body)


def rest_data(call: Any) -> Any:
    """The decoded ``rest_data`` of a v4_1 call."""
    return json.loads(form_of(call)["rest_data"])


def legacy_method(call: Any) -> str:
    return form_of(call)["method"]
