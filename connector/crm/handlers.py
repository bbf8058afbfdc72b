"""How each SuiteCRM API's answers are read: one error handler per API.

``Transport`` sends a request and hands the answer (``Answer``: status, decoded
body, what the page looks like) to the handler the client chose; the handler
interprets it into a ``Resolution``:

- ``ACCEPT``: a usable answer;
- ``RETRY``: it can succeed later (429 honouring Retry-After, 502/503/504, a
  crash or an HTML page on an idempotent call): wait and send again, and raise
  the resolution's error when the retries run out;
- ``RENEW``: the credential was refused (a 401): the auth object renews it and
  the request is sent once more;
- ``FAIL``: raise the resolution's error.

What every API shares (retryable statuses, SuiteCRM's "Database failure" page,
a login page in the way, JSON that is not JSON) is ``ErrorHandler.interpret``;
what differs is a handler's parts: the table from a failed answer to our
exception (``errormap``), whether a JSON 500 is an answer rather than a crash
(the token endpoint says "wrong password" that way), whether a 401 is renewed,
and an error inside a 200 answer (REST v4_1). Handlers hold no state and do no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from connector.crm.errormap import (
    LEGACY_INVALID_SESSION,
    ErrorContext,
    is_legacy_error,
    map_legacy_error,
    map_token_error,
    map_v8_error,
)
from connector.errors import (
    ConnectorError,
    DatabaseFailureError,
    ProtocolError,
    RateLimitedError,
    ServerError,
)

RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_RETRY_STATUSES = frozenset({500})
# SuiteCRM's sugar_die text when MySQL refuses a query it built (recorded on 7.14.6).
DATABASE_FAILURE = "Database failure"
_LOGIN_FORM = re.compile(r"<input[^>]*type\s*=\s*[\"']?password", re.IGNORECASE)


class Action(Enum):
    ACCEPT = "accept"
    RETRY = "retry"
    RENEW = "renew"
    FAIL = "fail"


@dataclass(frozen=True)
class Resolution:
    """What to do with one answer; ``error`` is raised on FAIL, and on RETRY once the
    retries are spent."""

    action: Action
    error: ConnectorError | None = None
    retry_after: float | None = None


ACCEPT = Resolution(Action.ACCEPT)
RENEW = Resolution(Action.RENEW)


@dataclass(frozen=True)
class Answer:
    """One HTTP answer as a handler sees it: never a secret, never the query string."""

    method: str
    path: str
    status: int
    is_json: bool
    body: Any
    text: str
    content_type: str = ""
    retry_after: float | None = None
    idempotent: bool = True
    renewable: bool = False  # an auth object that has not renewed yet for this request
    module: str | None = None
    record_id: str | None = None

    @property
    def where(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type or self.text.lstrip().startswith("<")

    def context(self) -> ErrorContext:
        return ErrorContext(
            self.status,
            self.method,
            self.path,
            self.body,
            module=self.module,
            record_id=self.record_id,
        )


def is_login_form(content_type: str, text: str) -> bool:
    """An HTML page with a password field: a login (SuiteCRM's own, a single sign-on,
    a proxy's) stands between us and the API, and asking again will not remove it."""
    html = "html" in content_type or text.lstrip().startswith("<")
    return html and bool(_LOGIN_FORM.search(text[:200_000]))


def describe(answer: Answer) -> str:
    """A safe, short description of a body that is not JSON, for an error message."""
    if is_login_form(answer.content_type, answer.text):
        return "an HTML login page"
    if answer.is_html:
        return "an HTML page (often a PHP error or a login/maintenance page)"
    return f"a {answer.content_type or 'unknown type'} body that is not valid JSON"


def never(status: int, body: Any) -> bool:
    return False


@dataclass(frozen=True)
class ErrorHandler:
    """One API's reading of answers (composition: the parts are small functions)."""

    map_error: Callable[[ErrorContext], ConnectorError]
    """The exception for a failed answer that is not retried."""
    is_answer: Callable[[int, Any], bool] = never
    """True for a JSON 500 that is a definite answer, not a crash worth retrying."""
    renews: bool = False
    """A 401 asks the auth object to renew the credential (once)."""
    body_error: Callable[[Any], ConnectorError | None] | None = None
    """The error a 200 answer's JSON body carries, if the API answers errors that way."""

    def interpret(self, answer: Answer) -> Resolution:
        status = answer.status
        if status == 401 and self.renews and answer.renewable:
            return RENEW
        if status >= 500 and answer.text.lstrip().startswith(DATABASE_FAILURE):
            return Resolution(
                Action.FAIL,
                DatabaseFailureError(
                    f"SuiteCRM's database failed the query behind {answer.where} "
                    f'(HTTP {status} "Database failure"); suitecrm.log on the server '
                    "names the SQL error."
                ),
            )
        if 200 <= status < 300:
            return self._success(answer)
        return self._failure(answer)

    def _success(self, answer: Answer) -> Resolution:
        status = answer.status
        if status == 204:
            return ACCEPT
        if not answer.is_json:
            if is_login_form(answer.content_type, answer.text):
                return Resolution(
                    Action.FAIL,
                    ProtocolError(
                        status=status,
                        message=f"the server answered {answer.where} with an HTML login page "
                        f"(HTTP {status}) instead of SuiteCRM's JSON: set `url` to SuiteCRM's "
                        "site root, reachable without a login page (a single sign-on or proxy "
                        "login is in the way).",
                    ),
                )
            error = ProtocolError(
                status=status,
                message=f"SuiteCRM answered {answer.where} with {describe(answer)} (HTTP "
                f"{status}) instead of JSON; check the server's PHP error log (display_errors "
                "should be off).",
            )
            return Resolution(Action.RETRY if answer.idempotent else Action.FAIL, error)
        if self.body_error is not None:
            error_in_body = self.body_error(answer.body)
            if error_in_body is not None:
                return Resolution(Action.FAIL, error_in_body)
        return ACCEPT

    def _failure(self, answer: Answer) -> Resolution:
        status = answer.status
        crashed = not answer.is_json or (
            status in IDEMPOTENT_RETRY_STATUSES and not self.is_answer(status, answer.body)
        )
        retryable = status in RETRY_STATUSES or (answer.idempotent and status >= 500 and crashed)
        page_error = ProtocolError(
            status=status,
            message=f"SuiteCRM failed {answer.where} with HTTP {status} and "
            f"{describe(answer)}; see the server's PHP error log.",
        )
        if not retryable:
            if not answer.is_json and status >= 500:
                return Resolution(Action.FAIL, page_error)
            return Resolution(Action.FAIL, self.map_error(answer.context()))
        error: ConnectorError
        if status == 429:
            error = RateLimitedError(
                f"SuiteCRM kept answering 429 Too Many Requests to {answer.where}; lower "
                "concurrency or schedule syncs further apart.",
                retry_after=answer.retry_after,
            )
        elif not answer.is_json and status not in RETRY_STATUSES:
            error = page_error
        else:
            error = ServerError(
                f"SuiteCRM kept failing {answer.where} with HTTP {status}; see suitecrm.log "
                "and the PHP error log on the server.",
                status=status,
            )
        return Resolution(Action.RETRY, error, answer.retry_after)


V8_ERRORS = ErrorHandler(map_error=map_v8_error, renews=True)
"""V8 resources (``/Api/V8/...``): SuiteCRM's error bodies, 401 renews the token."""


def token_errors(grant: str, username: str | None) -> ErrorHandler:
    """The OAuth2 token endpoint: its own table, and a JSON 500 that names a cause (a
    wrong password, an unknown client) is an answer; its text is never quoted."""

    def mapped(status: int, body: Any) -> ConnectorError:
        return map_token_error(status, body, grant=grant, username=username)

    return ErrorHandler(
        map_error=lambda ctx: mapped(ctx.status, ctx.body),
        is_answer=lambda status, body: not isinstance(mapped(status, body), ServerError),
    )


def legacy_errors(
    method: str, module: str | None, *, session_renewal: bool = False
) -> ErrorHandler:
    """REST v4_1: errors come with HTTP 200 as ``{"name", "number", "description"}``;
    other statuses come from the web server and read as V8's do. With
    ``session_renewal``, an expired session (11) is accepted: the client logs in
    again and resends (the session id is part of the request's form)."""

    def in_body(body: Any) -> ConnectorError | None:
        if not (isinstance(body, Mapping) and is_legacy_error(body)):
            return None
        if session_renewal and str(body.get("number")) == str(LEGACY_INVALID_SESSION):
            return None
        return map_legacy_error(body, method=method, module=module)

    return ErrorHandler(map_error=map_v8_error, body_error=in_body)
