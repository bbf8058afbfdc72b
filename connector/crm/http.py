"""The one HTTP seam to SuiteCRM: session, timeouts, retries, rate limits, JSON decoding.

Every request to SuiteCRM goes through ``Transport.request``. It owns the pooled
``requests.Session`` (passed in, so tests swap it), puts connect and read timeouts
on every call, retries what can succeed later (connection errors, timeouts, 429
honouring Retry-After, 502/503/504, and 500 or an HTML page on idempotent calls)
with capped exponential backoff and jitter, and renews the token once on a 401.
SuiteCRM's own "Database failure" page (its query failed in MySQL: the same
request fails the same way) is an answer, not a crash, and is never retried.
``sleep``, ``clock`` and ``random`` are injected so tests never sleep.

It decodes JSON defensively (SuiteCRM may append a PHP notice after the JSON, or
send an HTML error page) and hands failed answers to a mapper chosen by the
caller. It knows nothing of journeys, stores or stages, and never logs a body
above DEBUG, a token or a query string's secrets.
"""

from __future__ import annotations

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

from connector.crm.errormap import ErrorContext, map_v8_error
from connector.errors import (
    ConnectionFailedError,
    ConnectorError,
    DatabaseFailureError,
    ProtocolError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
)

log = logging.getLogger(__name__)

USER_AGENT = "suitecrm-journey/0.1 (+https://github.com/suitecrm-journey)"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_RETRY_STATUSES = frozenset({500})
# SuiteCRM's sugar_die text when MySQL refuses a query it built (recorded on 7.14.6).
DATABASE_FAILURE = "Database failure"


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


ErrorMapper = Callable[[ErrorContext], ConnectorError]


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
    try:
        return True, orjson.loads(response.content)  # the common case, at C speed
    except orjson.JSONDecodeError:
        pass
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


_LOGIN_FORM = re.compile(r"<input[^>]*type\s*=\s*[\"']?password", re.IGNORECASE)


def is_login_page(response: requests.Response) -> bool:
    """An HTML page with a password field: a login (SuiteCRM's own, a single sign-on,
    a proxy's) stands between us and the API, and asking again will not remove it."""
    ctype = response.headers.get("content-type", "")
    text = response.text
    return ("html" in ctype or text.lstrip().startswith("<")) and bool(
        _LOGIN_FORM.search(text[:200_000])
    )


def describe_body(response: requests.Response) -> str:
    """A safe, short description of a non-JSON body for an error message."""
    ctype = response.headers.get("content-type", "unknown type").split(";")[0]
    if is_login_page(response):
        return "an HTML login page"
    if "html" in ctype or response.text.lstrip().startswith("<"):
        return "an HTML page (often a PHP error or a login/maintenance page)"
    return f"a {ctype} body that is not valid JSON"


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
        idempotent: bool = True,
        is_answer: Callable[[int, Any], bool] | None = None,
        mapper: ErrorMapper = map_v8_error,
        ok_statuses: frozenset[int] = frozenset({200, 201}),
        module: str | None = None,
        record_id: str | None = None,
    ) -> HttpResult:
        """Send one request, retrying what can succeed later; raise a mapped error
        for anything else. ``path`` is relative to the base URL and is what
        messages show (never the query string, never a body). ``is_answer`` tells
        a JSON 500 that is a definite answer (SuiteCRM's token endpoint says "wrong
        password" that way) from a crash worth retrying."""
        url = self.url(path)
        if params:
            url = f"{url}?{encode_query(params)}"
        shown = urlsplit(self.url(path)).path
        attempt = 0
        renewed = False
        while True:
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
            except requests.Timeout:
                error: ConnectorError = RequestTimeoutError(
                    f"SuiteCRM did not answer {method} {shown} within "
                    f"{self.timeouts.read:g} s; the server may be overloaded (raise "
                    "timeout_read, or lower page_size)."
                )
                retry_after = None
            except (
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ):
                error = ConnectionFailedError(
                    f"SuiteCRM's answer to {method} {shown} was cut off mid-way; the "
                    "connection dropped (a proxy timeout or a PHP crash)."
                )
                retry_after = None
            except requests.ConnectionError:
                host = urlsplit(url).netloc.rsplit("@", 1)[-1]
                error = ConnectionFailedError(
                    f"cannot connect to SuiteCRM at {host} ({method} {shown}): check the url "
                    "setting, DNS, firewall and that the web server runs."
                )
                retry_after = None
            else:
                elapsed_ms = (self.clock() - started) * 1000
                log.debug("%s %s -> %s (%.0f ms)", method, shown, response.status_code, elapsed_ms)
                status = response.status_code
                if status == 401 and auth is not None and not renewed:
                    renewed = True
                    self.stats.renewals += 1
                    log.info("access token refused (%s %s); renewing it once", method, shown)
                    auth.renew()
                    continue
                is_json, body = decode_json(response)
                if status >= 500 and response.text.lstrip().startswith(DATABASE_FAILURE):
                    raise DatabaseFailureError(
                        f"SuiteCRM's database failed the query behind {method} {shown} "
                        f"(HTTP {status} \"Database failure\"); suitecrm.log on the server "
                        "names the SQL error."
                    )
                if status in ok_statuses or (200 <= status < 300 and status != 204):
                    if not is_json and is_login_page(response):
                        raise ProtocolError(
                            status=status,
                            message=f"the server answered {method} {shown} with an HTML "
                            f"login page (HTTP {status}) instead of SuiteCRM's JSON: set `url` "
                            "to SuiteCRM's site root, reachable without a login page (a "
                            "single sign-on or proxy login is in the way).",
                        )
                    if not is_json:
                        error = ProtocolError(
                            status=status,
                            message=f"SuiteCRM answered {method} {shown} with "
                            f"{describe_body(response)} (HTTP {status}) instead of JSON; check "
                            "the server's PHP error log (display_errors should be off).",
                        )
                        retry_after = None
                        if idempotent and attempt < self.retry.max_retries:
                            attempt = self._wait(attempt, None, method, shown, error)
                            continue
                        raise error
                    return HttpResult(status, body, dict(response.headers))
                if status == 204:
                    return HttpResult(status, None, dict(response.headers))
                crashed = not is_json or (
                    status in IDEMPOTENT_RETRY_STATUSES
                    and not (is_answer is not None and is_answer(status, body))
                )
                retryable = status in RETRY_STATUSES or (idempotent and status >= 500 and crashed)
                retry_after = parse_retry_after(response.headers.get("Retry-After"), self.clock())
                if not retryable:
                    if not is_json and status >= 500:
                        raise ProtocolError(
                            status=status,
                            message=f"SuiteCRM failed {method} {shown} with HTTP {status} and "
                            f"{describe_body(response)}; see the server's PHP error log.",
                        )
                    raise mapper(
                        ErrorContext(
                            status, method, shown, body, module=module, record_id=record_id
                        )
                    )
                if status == 429:
                    error = RateLimitedError(
                        f"SuiteCRM kept answering 429 Too Many Requests to {method} {shown}; "
                        "lower concurrency or schedule syncs further apart.",
                        retry_after=retry_after,
                    )
                elif not is_json and status not in RETRY_STATUSES:
                    error = ProtocolError(
                        status=status,
                        message=f"SuiteCRM failed {method} {shown} with HTTP {status} and "
                        f"{describe_body(response)}; see the server's PHP error log.",
                    )
                else:
                    error = ServerError(
                        f"SuiteCRM kept failing {method} {shown} with HTTP {status}; "
                        "see suitecrm.log and the PHP error log on the server.",
                        status=status,
                    )
            if attempt >= self.retry.max_retries:
                raise error
            attempt = self._wait(attempt, retry_after, method, shown, error)

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
