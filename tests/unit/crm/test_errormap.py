"""The error table: recorded SuiteCRM error answers → the connector's exceptions."""

from __future__ import annotations

import pytest

from connector.crm.errormap import ErrorContext, map_legacy_error, map_token_error, map_v8_error
from connector.errors import (
    AccessDeniedError,
    AuthenticationError,
    BadRequestError,
    DuplicateIdError,
    EndpointNotFoundError,
    NotFoundError,
    RemoteConfigurationError,
    ServerError,
    UnknownModuleError,
)
from tests.unit.crm.conftest import recorded


@pytest.mark.parametrize(
    ("name", "expected", "attrs"),
    [
        ("error_400_unknown_module", UnknownModuleError, {"module": "NoSuchModule"}),
        ("create_bad_type", UnknownModuleError, {"module": "NoSuchModule"}),
        (
            "error_unknown_id",
            NotFoundError,
            {"module": "Accounts", "record_id": "00000000-0000-0000-0000-000000000000"},
        ),
        (
            "notes_get_after_delete",
            NotFoundError,
            {"module": "Notes", "record_id": "75720071-84ee-1c90-676a-6b0364eed2b4"},
        ),
        ("error_404_unknown_route", EndpointNotFoundError, {}),
        ("error_400_bad_filter_field", BadRequestError, {}),
        ("error_400_bad_filter_operator", BadRequestError, {}),
        ("error_400_bad_page_size", BadRequestError, {}),
        ("error_400_page_number_zero", BadRequestError, {}),
        ("relationship_unknown_link", BadRequestError, {}),
        ("error_401_expired_token", AuthenticationError, {}),
        ("error_401_invalid_token", AuthenticationError, {}),
        ("error_401_no_authorization_header", AuthenticationError, {}),
        ("error_401_token_expired_server_side", AuthenticationError, {}),
    ],
)
def test_recorded_v8_errors_map_to_exceptions(name, expected, attrs):
    rec = recorded(name)
    ctx = ErrorContext(rec.status, rec.request["method"], rec.request["path"], rec.body)

    error = map_v8_error(ctx)

    assert type(error) is expected
    assert f"{rec.request['method']} {rec.request['path']}" in str(error)
    for key, value in attrs.items():
        assert getattr(error, key) == value


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (500, {"errors": {"status": 500, "title": None, "detail": "x"}}, ServerError),
        (403, {"errors": {"status": 403, "title": None, "detail": "x"}}, AccessDeniedError),
        (
            400,
            {"errors": {"status": 400, "title": None, "detail": "Not Allowed"}},
            AccessDeniedError,
        ),
        (409, {"errors": {"status": 409, "title": None, "detail": "x"}}, DuplicateIdError),
        (
            400,
            {"errors": [{"status": 400, "detail": "Module Foo does not exist"}]},
            UnknownModuleError,
        ),
    ],
)
def test_v8_status_fallbacks(status, body, expected):
    error = map_v8_error(ErrorContext(status, "GET", "/Api/V8/module/Foo", body))
    assert type(error) is expected


@pytest.mark.parametrize(
    ("name", "grant", "expected"),
    [
        ("token_failure_bad_secret", "client_credentials", AuthenticationError),
        ("token_failure_grant_not_allowed", "password", AuthenticationError),
        ("token_failure_unknown_client", "client_credentials", AuthenticationError),
        ("token_failure_bad_user_password", "password", AuthenticationError),
    ],
)
def test_recorded_token_failures_never_quote_the_body(name, grant, expected):
    rec = recorded(name)

    error = map_token_error(rec.status, rec.body, grant=grant, username="admin")

    assert type(error) is expected
    assert error.exit_code == 3
    assert rec.body["error_description"] not in str(error)
    form = rec.request["body"]["form"]
    for key in ("client_secret", "password"):
        if key in form:
            assert form[key] not in str(error)


# Bodies from the token-error table of shared/suitecrm/reference.md, in the recorded shape.
@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (
            500,
            {
                "error": "unknown_error",
                "error_description": "No user found with this username: bob",
                "message": "No user found with this username: bob",
            },
            AuthenticationError,
        ),
        (
            500,
            {
                "error": "unknown_error",
                "error_description": "It was not possible to parse your key",
                "message": "It was not possible to parse your key",
            },
            RemoteConfigurationError,
        ),
        (
            400,
            {"error": "unsupported_grant_type", "error_description": "x", "message": "x"},
            RemoteConfigurationError,
        ),
        (
            400,
            {"error": "invalid_scope", "error_description": "x", "message": "x"},
            RemoteConfigurationError,
        ),
        (
            400,
            {"error": "invalid_request", "error_description": "x", "message": "x"},
            AuthenticationError,
        ),
        (404, {"message": "Not found"}, EndpointNotFoundError),
        (502, None, ServerError),
    ],
)
def test_token_failure_table(status, body, expected):
    error = map_token_error(status, body, grant="password", username="bob")
    assert type(error) is expected
    assert "No user found with this username" not in str(error)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (10, AuthenticationError),
        (11, AuthenticationError),
        (20, UnknownModuleError),
        (40, AccessDeniedError),
        (50, DuplicateIdError),
        (51, NotFoundError),
        (1000, BadRequestError),
    ],
)
def test_legacy_error_numbers(number, expected):
    body = {"name": "Some Error", "number": number, "description": "d"}
    error = map_legacy_error(body, method="get_entry_list", module="Calls")
    assert type(error) is expected
    assert "get_entry_list on Calls" in str(error)


def test_recorded_legacy_errors():
    login = recorded("legacy_login_bad_password").body
    session = recorded("legacy_get_entry_list_invalid_session").body
    assert isinstance(map_legacy_error(login, method="login", module=None), AuthenticationError)
    assert isinstance(
        map_legacy_error(session, method="get_entry_list", module="Calls"), AuthenticationError
    )
