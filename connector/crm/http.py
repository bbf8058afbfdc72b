"""The one HTTP seam to SuiteCRM: session, timeouts, retries, JSON decoding.

Every request to SuiteCRM goes through ``Transport.request``. It owns the pooled
``requests.Session`` (passed in, so tests swap it), puts connect and read timeouts
on every call, and runs a short loop: send; turn a failed exchange into an error
through one table (``EXCHANGE_ERRORS``: a timeout, a cut-off answer, no
connection: all retried); hand an answer to the caller's ``ErrorHandler``
(``connector.crm.handlers``: one per API), which says accept, retry, renew or
fail; retry with capped exponential backoff and jitter (``RetryPolicy``), or ask
the auth object to renew its credential once. ``sleep``, ``clock`` and ``random``
are injected so tests never sleep.

It decodes JSON defensively (SuiteCRM may append a PHP notice after the JSON, or
send an HTML error page). It knows nothing of journeys, stores or stages, and
never logs a body above DEBUG, a token or a query string's secrets.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import orjson
import requests

from connector.crm.handlers import (
    V8_ERRORS,
    Action,
    Answer,
    ErrorHandler,
    Resolution,
)
from connector.errors import (
    ConnectionFailedError,
    ConnectorError,
    RateLimitedError,
    RequestTimeoutError,
)

log = logging.getLogger(__name__)

USER_AGENT = "suitecrm-journey/0.1 (+https://github.com/suitecrm-journey)"


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for a connection and for an answer."""

    connect: float = 10.0
    read: float = 60.0


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait before trying again.

    Delay for attempt n (0-based) is ``min(cap, base * 2**n)`` plus up to
    ``jitter`` of itself at random; a Retry-After header replaces it (capped at
    ``max_retry_after``, beyond which waiting is pointless for a sync run).
    """

    max_retries: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: float = 0.25
    max_retry_after: float = 300.0

    def delay(self, attempt: int, retry_after: float | None, rand: float) -> float:
        if retry_after is not None:
            return float(min(max(retry_after, 0.0), self.max_retry_after))
        backoff = min(self.max_delay, self.base_delay * (2.0**attempt))
        return backoff + backoff * self.jitter * rand


class RenewableAuth(Protocol):
    """A ``requests`` auth that can drop its credential and get a new one."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest: ...

    def renew(self) -> None: ...


@dataclass
class HttpResult:
    """A successful answer, decoded."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class RequestStats:
    """Counts kept for sync runs and benchmarks."""

    requests: int = 0
    retries: int = 0
    renewals: int = 0


def encode_query(params: Sequence[tuple[str, str]] | Mapping[str, str]) -> str:
    """Encode a query as SuiteCRM's recorded requests show it: ``page[size]=3``, values
    escaped (an unescaped ``+`` in a datetime offset would reach PHP as a space).
    urllib3 percent-encodes the brackets on the wire; PHP decodes both spellings alike."""
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    return urlencode(pairs, safe="[]")


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return max(0.0, float(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


def decode_json(response: requests.Response) -> tuple[bool, Any]:
    """(True, value) for a JSON body, even one followed by a PHP notice; (False, None)
    for HTML or anything else that is not JSON. An empty body decodes to None."""
    with contextlib.suppress(orjson.JSONDecodeError):
        return True, orjson.loads(response.content)  # the common case, at C speed
    text = response.text
    stripped = text.lstrip()
    if not stripped:
        return True, None
    starts_like_json = stripped[0] in '{["-' or stripped[0].isdigit()
    if not starts_like_json and not stripped.startswith(("null", "true", "false")):
        return False, None
    try:
        value, _end = json.JSONDecoder().raw_decode(stripped)
    except ValueError:
        return False, None
    return True, value


def _timed_out(method: str, shown: str, transport: Transport) -> ConnectorError:
    return RequestTimeoutError(
        f"SuiteCRM did not answer {method} {shown} within {transport.timeouts.read:g} s; the "
        "server may be overloaded (raise timeout_read, or lower page_size)."
    )


def _cut_off(method: str, shown: str, transport: Transport) -> ConnectorError:
    return ConnectionFailedError(
        f"SuiteCRM's answer to {method} {shown} was cut off mid-way; the connection dropped "
        "(a proxy timeout or a PHP crash)."
    )


def _unreachable(method: str, shown: str, transport: Transport) -> ConnectorError:
    host = urlsplit(transport.base_url).netloc.rsplit("@", 1)[-1]
    return ConnectionFailedError(
        f"cannot connect to SuiteCRM at {host} ({method} {shown}): check the url setting, "
        "DNS, firewall and that the web server runs."
    )


# A failed exchange (no answer at all) → the error to retry with. First match wins:
# a timeout is a connection error to ``requests``, and so is a cut-off answer.
EXCHANGE_ERRORS: tuple[
    tuple[type[Exception] | tuple[type[Exception], ...], Callable[..., ConnectorError]], ...
] = (
    (requests.Timeout, _timed_out),
    (
        (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError),
        _cut_off,
    ),
    (requests.ConnectionError, _unreachable),
)


class Transport:
    """Sends requests to one SuiteCRM base URL and returns decoded answers."""

    def __init__(
        self,
        base_url: str,
        *,
        session: requests.Session | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
        verify_tls: bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session if session is not None else requests.Session()
        self.session.headers.setdefault("User-Agent", USER_AGENT)
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self.sleep = sleep
        self.clock = clock
        self.rand = rand
        self.verify_tls = verify_tls
        self.stats = RequestStats()

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def close(self) -> None:
        self.session.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] | Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: RenewableAuth | None = None,
        handler: ErrorHandler = V8_ERRORS,
        idempotent: bool = True,
        module: str | None = None,
        record_id: str | None = None,
    ) -> HttpResult:
        """Send one request, retrying what can succeed later; raise the handler's error
        for anything else. ``path`` is relative to the base URL and is what messages
        show (never the query string, never a body); ``module`` and ``record_id`` name
        what the request was about in errors."""
        url = self.url(path)
        if params:
            url = f"{url}?{encode_query(params)}"
        shown = urlsplit(self.url(path)).path
        attempt = 0
        renewed = False
        while True:
            sent = self._send(method, url, shown, data, json_body, headers, auth)
            if isinstance(sent, ConnectorError):
                resolution = Resolution(Action.RETRY, sent)
            else:
                is_json, body = decode_json(sent)
                answer = Answer(
                    method,
                    shown,
                    sent.status_code,
                    is_json,
                    body,
                    sent.text,
                    sent.headers.get("content-type", "").split(";")[0],
                    parse_retry_after(sent.headers.get("Retry-After"), self.clock()),
                    idempotent,
                    renewable=auth is not None and not renewed,
                    module=module,
                    record_id=record_id,
                )
                resolution = handler.interpret(answer)
                if resolution.action is Action.ACCEPT:
                    return HttpResult(sent.status_code, body, dict(sent.headers))
            if resolution.action is Action.RENEW and auth is not None:
                renewed = True
                self.stats.renewals += 1
                log.info("access token refused (%s %s); renewing it once", method, shown)
                auth.renew()
                continue
            assert resolution.error is not None
            if resolution.action is Action.FAIL or attempt >= self.retry.max_retries:
                raise resolution.error
            attempt = self._wait(attempt, resolution.retry_after, method, shown, resolution.error)

    def _send(
        self,
        method: str,
        url: str,
        shown: str,
        data: Mapping[str, str] | None,
        json_body: Any,
        headers: Mapping[str, str] | None,
        auth: RenewableAuth | None,
    ) -> requests.Response | ConnectorError:
        """One exchange: the answer, or the error a failed exchange stands for."""
        started = self.clock()
        self.stats.requests += 1
        try:
            response = self.session.request(
                method,
                url,
                data=data,
                json=json_body,
                headers=dict(headers or {}),
                auth=auth,
                timeout=(self.timeouts.connect, self.timeouts.read),
                verify=self.verify_tls,
                allow_redirects=True,
            )
        except requests.RequestException as exc:
            for kinds, error in EXCHANGE_ERRORS:
                if isinstance(exc, kinds):
                    return error(method, shown, self)
            raise
        elapsed_ms = (self.clock() - started) * 1000
        log.debug("%s %s -> %s (%.0f ms)", method, shown, response.status_code, elapsed_ms)
        return response

    def _wait(
        self, attempt: int, retry_after: float | None, method: str, shown: str, error: Exception
    ) -> int:
        delay = self.retry.delay(attempt, retry_after, self.rand())
        self.stats.retries += 1
        status = getattr(error, "status", None)
        if isinstance(error, RateLimitedError):
            status = 429
        reason = f"HTTP {status}, {type(error).__name__}" if status else type(error).__name__
        log.warning(
            "%s %s failed (%s); retry %d of %d in %.1f s",
            method,
            shown,
            reason,
            attempt + 1,
            self.retry.max_retries,
            delay,
        )
        self.sleep(delay)
        return attempt + 1
