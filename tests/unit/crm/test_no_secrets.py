"""No secret (client secret, password, its md5, access/refresh token, session id) in any
exception message or log line, across runs that fail in the ways most likely to leak."""

from __future__ import annotations

import hashlib
import logging
import traceback

import pytest
from responses import matchers

from connector.crm.legacy import LegacyClient, LegacyCredentials
from connector.crm.oauth import OAuthCredentials
from connector.crm.records import Query
from connector.crm.v8 import V8Client
from connector.errors import AuthenticationError, ConnectorError
from connector.secrets import Secret
from tests.unit.crm.conftest import BASE_URL, recorded
from tests.unit.crm.synthetic_responses import (
    html_error_page,
    legacy_entries,
    legacy_login,
    legacy_page,
    refresh_refused,
    token,
)

CLIENT_SECRET = "cs-7f3e-SECRET"
PASSWORD = "pw-9a1c-SECRET"
ACCESS_1, ACCESS_2 = "at-4d2b-SECRET-1", "at-4d2b-SECRET-2"
REFRESH_1 = "rt-8e5f-SECRET-1"
SESSION_1, SESSION_2 = "sess-5c3a-SECRET-1", "sess-5c3a-SECRET-2"
SECRETS = (
    CLIENT_SECRET,
    PASSWORD,
    hashlib.md5(PASSWORD.encode()).hexdigest(),
    ACCESS_1,
    ACCESS_2,
    REFRESH_1,
    SESSION_1,
    SESSION_2,
)

TOKEN_URL = BASE_URL + "/Api/access_token"
ACCOUNTS_URL = BASE_URL + "/Api/V8/module/Accounts"
REST_URL = BASE_URL + "/service/v4_1/rest.php"


def page(number: int) -> list[object]:
    return [matchers.query_param_matcher({"page[number]": str(number)}, strict_match=False)]


def everything_shown(error: BaseException, caplog: pytest.LogCaptureFixture) -> str:
    """Messages, reprs and the whole printed traceback chain, plus every log line."""
    shown = [str(error), repr(error), *map(str, error.args), caplog.text]
    shown += traceback.format_exception(error)
    shown += [record.getMessage() for record in caplog.records]
    return "\n".join(shown)


def password_echo() -> object:
    """The recorded 500 whose text repeats the password, with our password in it."""
    rec = recorded("token_failure_bad_user_password")
    text = f"The password is invalid: {PASSWORD}"
    return rec.with_body({**rec.body, "error_description": text, "message": text})


def test_v8_run_failing_after_token_renewal_leaks_no_secret(mock_http, transport, caplog):
    caplog.set_level(logging.DEBUG)
    credentials = OAuthCredentials(
        "ece4a63e", Secret(CLIENT_SECRET), "admin", Secret(PASSWORD), "password"
    )
    mock_http.add(token(ACCESS_1, REFRESH_1).response("POST", TOKEN_URL))
    mock_http.add(
        recorded("accounts_list_page1_size3").response("GET", ACCOUNTS_URL, match=page(1))
    )
    mock_http.add(html_error_page(200).response("GET", ACCOUNTS_URL, match=page(2)))
    mock_http.add(recorded("error_401_expired_token").response("GET", ACCOUNTS_URL, match=page(2)))
    mock_http.add(refresh_refused().response("POST", TOKEN_URL))
    mock_http.add(password_echo().response("POST", TOKEN_URL))
    client = V8Client(transport, credentials, "/Api")

    with pytest.raises(ConnectorError) as caught:
        list(client.iter_records(Query("Accounts"), page_size=3))

    shown = everything_shown(caught.value, caplog)
    for secret in SECRETS:
        assert secret not in shown, secret
    assert "The password is invalid" not in shown
    assert caught.value.exit_code == 3


def test_v8_401_twice_leaks_no_token(mock_http, transport, caplog):
    caplog.set_level(logging.DEBUG)
    credentials = OAuthCredentials("7dffa5e9", Secret(CLIENT_SECRET))
    mock_http.add(token(ACCESS_1, grant="client_credentials").response("POST", TOKEN_URL))
    mock_http.add(recorded("error_401_invalid_token").response("GET", ACCOUNTS_URL))
    mock_http.add(token(ACCESS_2, grant="client_credentials").response("POST", TOKEN_URL))

    with pytest.raises(AuthenticationError) as caught:
        V8Client(transport, credentials, "/Api").list_page(
            Query("Accounts"), page_number=1, page_size=3
        )

    shown = everything_shown(caught.value, caplog)
    for secret in SECRETS:
        assert secret not in shown, secret
    assert "Bearer" not in shown


def test_legacy_run_failing_at_re_login_leaks_no_secret(mock_http, transport, caplog):
    caplog.set_level(logging.DEBUG)
    client = LegacyClient(transport, LegacyCredentials("admin", Secret(PASSWORD)))
    mock_http.add(legacy_login(SESSION_1).response("POST", REST_URL))
    mock_http.add(
        legacy_page(legacy_entries(3), total_count=9, next_offset=3).response("POST", REST_URL)
    )
    mock_http.add(recorded("legacy_get_entry_list_invalid_session").response("POST", REST_URL))
    mock_http.add(recorded("legacy_login_bad_password").response("POST", REST_URL))

    with pytest.raises(AuthenticationError) as caught:
        list(client.iter_records(Query("Calls"), page_size=3))

    shown = everything_shown(caught.value, caplog)
    for secret in SECRETS:
        assert secret not in shown, secret
