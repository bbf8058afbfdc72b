"""Each API's error handler: one answer in, one resolution out (accept, retry, renew, fail)."""

from __future__ import annotations

from typing import Any

import pytest

from connector.crm.handlers import (
    V8_ERRORS,
    Action,
    Answer,
    ErrorHandler,
    legacy_errors,
    token_errors,
)
from connector.errors import (
    AuthenticationError,
    DatabaseFailureError,
    EndpointNotFoundError,
    NotFoundError,
    ProtocolError,
    RateLimitedError,
    ServerError,
    UnknownModuleError,
)

PATH = "/Api/V8/module/Accounts"
V8_ERROR = {"errors": {"status": 400, "title": None, "detail": "Module Foo does not exist"}}
LOGIN_PAGE = '<html><form><input type="password" name="p"></form></html>'
TOKEN = token_errors("client_credentials", None)
LEGACY = legacy_errors("get_entry_list", "Calls")
LEGACY_RENEWING = legacy_errors("get_entry_list", "Calls", session_renewal=True)


def answer(status: int, body: Any = None, **kwargs: Any) -> Answer:
    text = kwargs.pop("text", "" if body is None else str(body))
    return Answer("GET", PATH, status, kwargs.pop("is_json", True), body, text, **kwargs)


def legacy_fault(number: int) -> dict[str, Any]:
    return {"name": "Invalid Session ID", "number": number, "description": "x"}


@pytest.mark.parametrize(
    ("handler", "given", "action", "error"),
    [
        (V8_ERRORS, answer(200, {"data": []}), Action.ACCEPT, None),
        (V8_ERRORS, answer(204), Action.ACCEPT, None),
        (V8_ERRORS, answer(200, None, is_json=False, text="<html>oops</html>"), Action.RETRY,
         ProtocolError),
        (V8_ERRORS, answer(201, None, is_json=False, text="<html/>", idempotent=False),
         Action.FAIL, ProtocolError),
        (V8_ERRORS, answer(200, None, is_json=False, text=LOGIN_PAGE,
                           content_type="text/html"), Action.FAIL, ProtocolError),
        (V8_ERRORS, answer(401, {}, renewable=True), Action.RENEW, None),
        (V8_ERRORS, answer(401, {}), Action.FAIL, AuthenticationError),
        (V8_ERRORS, answer(400, V8_ERROR), Action.FAIL, UnknownModuleError),
        (V8_ERRORS, answer(404, {}), Action.FAIL, EndpointNotFoundError),
        (V8_ERRORS, answer(429, {}, retry_after=7.0), Action.RETRY, RateLimitedError),
        (V8_ERRORS, answer(503, {}), Action.RETRY, ServerError),
        (V8_ERRORS, answer(500, {}), Action.RETRY, ServerError),
        (V8_ERRORS, answer(500, {}, idempotent=False), Action.FAIL, ServerError),
        (V8_ERRORS, answer(500, None, is_json=False, text="Database failure. Please refer"),
         Action.FAIL, DatabaseFailureError),
        (V8_ERRORS, answer(500, None, is_json=False, text="<html/>", idempotent=False),
         Action.FAIL, ProtocolError),
        (TOKEN, answer(500, {"error": "invalid_grant", "message": "The user password is invalid"}),
         Action.FAIL, AuthenticationError),
        (TOKEN, answer(500, {"error": "server_error"}), Action.RETRY, ServerError),
        (TOKEN, answer(401, {"error": "invalid_client"}, renewable=True), Action.FAIL,
         AuthenticationError),
        (LEGACY, answer(200, {"entry_list": []}), Action.ACCEPT, None),
        (LEGACY, answer(200, legacy_fault(20)), Action.FAIL, UnknownModuleError),
        (LEGACY, answer(200, legacy_fault(51)), Action.FAIL, NotFoundError),
        (LEGACY, answer(200, legacy_fault(11)), Action.FAIL, AuthenticationError),
        (LEGACY_RENEWING, answer(200, legacy_fault(11)), Action.ACCEPT, None),
        (LEGACY_RENEWING, answer(200, legacy_fault(10)), Action.FAIL, AuthenticationError),
    ],
)  # fmt: skip
def test_each_answer_resolves_to_one_action(
    handler: ErrorHandler, given: Answer, action: Action, error: type[Exception] | None
) -> None:
    resolution = handler.interpret(given)
    assert resolution.action is action
    if error is None:
        assert resolution.error is None
    else:
        assert type(resolution.error) is error
        assert PATH in str(resolution.error) or "v4_1" in str(resolution.error) or (
            "token endpoint" in str(resolution.error)
        )


def test_a_retry_carries_the_servers_retry_after() -> None:
    resolution = V8_ERRORS.interpret(answer(429, {}, retry_after=7.0))
    assert resolution.retry_after == 7.0
    assert isinstance(resolution.error, RateLimitedError) and resolution.error.retry_after == 7.0


def test_the_token_endpoints_text_is_never_quoted() -> None:
    body = {"error": "invalid_grant", "message": "password hunter2 is invalid"}
    resolution = TOKEN.interpret(answer(500, body))
    assert "hunter2" not in str(resolution.error)
