"""A URL that answers with a login page is named as such at once; retries name the status."""

from __future__ import annotations

import logging

import pytest
import responses

from connector.crm.http import Transport
from connector.crm.oauth import OAuthCredentials
from connector.crm.v8 import V8Client
from connector.errors import ProtocolError, RemoteConfigurationError
from connector.secrets import Secret
from tests.unit.crm.conftest import BASE_URL

LOGIN_PAGE = """<!DOCTYPE html><html><head><title>Sign in</title></head><body>
<form method="post" action="/login"><input name="user" type="text">
<input name="pass" type='password'><button>Sign in</button></form></body></html>"""


def test_a_login_page_is_not_retried_and_is_named(
    mock_http: responses.RequestsMock, transport: Transport, sleeps: list[float]
) -> None:
    mock_http.add(
        responses.GET,
        f"{BASE_URL}/Api/V8/module/Accounts",
        body=LOGIN_PAGE,
        status=200,
        content_type="text/html",
    )
    with pytest.raises(ProtocolError) as caught:
        transport.request("GET", "/Api/V8/module/Accounts")
    assert "HTML login page (HTTP 200)" in str(caught.value)
    assert "`url`" in str(caught.value)
    assert sleeps == []


def test_connecting_through_a_login_page_says_the_server_answered_one(
    mock_http: responses.RequestsMock, transport: Transport, sleeps: list[float]
) -> None:
    for path in ("/Api/access_token", "/legacy/Api/access_token"):
        mock_http.add(
            responses.POST,
            BASE_URL + path,
            body=LOGIN_PAGE,
            status=200,
            content_type="text/html; charset=utf-8",
        )
    credentials = OAuthCredentials("client", Secret("secret-123"))
    with pytest.raises(RemoteConfigurationError) as caught:
        V8Client.connect(transport, credentials)
    message = str(caught.value)
    assert message.startswith("no SuiteCRM V8 API found")
    assert "HTML login page (HTTP 200)" in message
    assert "secret-123" not in message
    assert sleeps == [] and len(mock_http.calls) == 2


def test_retry_warnings_name_the_status(
    mock_http: responses.RequestsMock,
    transport: Transport,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"{BASE_URL}/Api/V8/module/Accounts"
    mock_http.add(responses.GET, url, json={"errors": {}}, status=503)
    mock_http.add(
        responses.GET, url, body="<html>Warning: PHP</html>", status=200, content_type="text/html"
    )
    mock_http.add(responses.GET, url, json={"errors": {}}, status=429)
    mock_http.add(responses.GET, url, json={"data": []}, status=200)
    with caplog.at_level(logging.WARNING, logger="connector.crm.http"):
        transport.request("GET", "/Api/V8/module/Accounts")
    reasons = [r.getMessage() for r in caplog.records]
    assert "(HTTP 503, ServerError)" in reasons[0]
    assert "(HTTP 200, ProtocolError)" in reasons[1]
    assert "(HTTP 429, RateLimitedError)" in reasons[2]
