"""Transport: query encoding, JSON decoding, retries, backoff, timeouts, 401 renewal."""

from __future__ import annotations

import email.utils
import json
import logging

import pytest
import requests
import responses

from connector.crm.http import (
    RetryPolicy,
    Transport,
    decode_json,
    encode_query,
    parse_retry_after,
)
from connector.errors import (
    AuthenticationError,
    ConnectionFailedError,
    DatabaseFailureError,
    ProtocolError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
)
from tests.unit.crm.conftest import (
    BASE_URL,
    START_TIME,
    make_transport,
    query_string,
    recorded,
)
from tests.unit.crm.synthetic_responses import (
    html_error_page,
    invalid_json,
    json_followed_by_php_notice,
)

PATH = "/Api/V8/module/Accounts"
URL = BASE_URL + PATH
PAGE = recorded("accounts_list_page1_size3")
# With rand() = 0.5 and jitter 0.25 every backoff is 1.125 times the exponential step.
BACKOFF = [0.5 * 1.125, 1.0 * 1.125, 2.0 * 1.125]


class FakeAuth:
    """A RenewableAuth that counts renewals and stamps a numbered token."""

    def __init__(self) -> None:
        self.renewals = 0

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer token-{self.renewals}"
        return request

    def renew(self) -> None:
        self.renewals += 1


def status_response(status: int, **kwargs: object) -> responses.Response:
    body = kwargs.pop(
        "body", json.dumps({"errors": {"status": status, "title": None, "detail": ""}})
    )
    return responses.Response(
        "GET", URL, status=status, body=body, content_type="application/json", **kwargs
    )  # type: ignore[arg-type]


# -- pure helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ([("page[size]", "3"), ("page[number]", "1")], "page[size]=3&page[number]=1"),
        (
            [("filter[date_modified][gte]", "2026-11-22 21:49:36")],
            "filter[date_modified][gte]=2026-11-22+21%3A49%3A36",
        ),
        (
            [("filter[date_modified][gt]", "2026-11-22T21:49:36+00:00")],
            "filter[date_modified][gt]=2026-11-22T21%3A49%3A36%2B00%3A00",
        ),
        ([("fields[Accounts]", "name,date_modified")], "fields[Accounts]=name%2Cdate_modified"),
        ([("sort", "-date_modified")], "sort=-date_modified"),
        ({"filter[name][eq]": "A&B=C"}, "filter[name][eq]=A%26B%3DC"),
    ],
)
def test_encode_query_keeps_brackets_literal_and_escapes_values(params, expected):
    assert encode_query(params) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        (email.utils.formatdate(START_TIME + 42, usegmt=True), 42.0),
        (email.utils.formatdate(START_TIME - 42, usegmt=True), 0.0),
        ("soon", None),
    ],
)
def test_parse_retry_after_reads_seconds_and_http_dates(header, expected):
    assert parse_retry_after(header, START_TIME) == expected


def _response(text: str, content_type: str = "application/json") -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = text.encode("utf-8")
    response.headers["content-type"] = content_type
    response.encoding = "utf-8"
    return response


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', (True, {"a": 1})),
        ("  [1, 2]", (True, [1, 2])),
        ("", (True, None)),
        ("null", (True, None)),
        ('{"a": 1}\n<br />\n<b>Notice</b>: Database failure', (True, {"a": 1})),
        ("<html><body>Fatal error</body></html>", (False, None)),
        ('{"a": ', (False, None)),
        ("No input file specified.", (False, None)),
    ],
)
def test_decode_json_is_defensive(text, expected):
    assert decode_json(_response(text)) == expected


@pytest.mark.parametrize(
    ("policy", "attempt", "retry_after", "rand", "expected"),
    [
        (RetryPolicy(base_delay=0.5, jitter=0.25), 0, None, 0.0, 0.5),
        (RetryPolicy(base_delay=0.5, jitter=0.25), 0, None, 1.0, 0.625),
        (RetryPolicy(base_delay=0.5, jitter=0.25), 3, None, 0.0, 4.0),
        (RetryPolicy(base_delay=1.0, max_delay=4.0, jitter=0.5), 10, None, 0.0, 4.0),
        (RetryPolicy(base_delay=1.0, max_delay=4.0, jitter=0.5), 10, None, 1.0, 6.0),
        (RetryPolicy(), 2, 7.0, 1.0, 7.0),
        (RetryPolicy(max_retry_after=300.0), 0, 3600.0, 0.0, 300.0),
        (RetryPolicy(), 0, -5.0, 0.0, 0.0),
    ],
)
def test_retry_policy_delay(policy, attempt, retry_after, rand, expected):
    assert policy.delay(attempt, retry_after, rand) == pytest.approx(expected)


# -- retries ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [502, 503, 504, 500])
def test_transient_status_on_get_is_retried_then_succeeds(mock_http, transport, sleeps, status):
    mock_http.add(status_response(status))
    mock_http.add(PAGE.response("GET", URL))

    result = transport.request("GET", PATH)

    assert result.status == 200
    assert [r["id"] for r in result.body["data"]] == [r["id"] for r in PAGE.body["data"]]
    assert len(mock_http.calls) == 2
    assert sleeps == [pytest.approx(BACKOFF[0])]
    assert transport.stats.retries == 1


@pytest.mark.parametrize("status", [502, 503, 504, 500])
def test_transient_status_forever_raises_server_error_after_max_retries(
    mock_http, transport, sleeps, status
):
    mock_http.add(status_response(status))

    with pytest.raises(ServerError) as caught:
        transport.request("GET", PATH)

    assert caught.value.status == status
    assert caught.value.exit_code == 3
    assert PATH in str(caught.value)
    assert len(mock_http.calls) == 1 + transport.retry.max_retries
    assert sleeps == [pytest.approx(d) for d in BACKOFF]


def test_backoff_is_exponential_capped_and_jittered_by_the_injected_rand(mock_http, clock):
    sleeps: list[float] = []
    rands = iter([0.0, 1.0, 0.0, 1.0, 0.5, 0.0])
    transport = Transport(
        BASE_URL,
        session=requests.Session(),
        retry=RetryPolicy(max_retries=6, base_delay=1.0, max_delay=4.0, jitter=0.5),
        sleep=sleeps.append,
        clock=clock,
        rand=lambda: next(rands),
    )
    mock_http.add(status_response(503))

    with pytest.raises(ServerError):
        transport.request("GET", PATH)

    # min(cap, base * 2**n) plus up to 50 % of it, as rand() decides.
    assert sleeps == pytest.approx([1.0, 3.0, 4.0, 6.0, 5.0, 4.0])


def test_429_retry_after_seconds_is_honoured(mock_http, transport, sleeps):
    mock_http.add(status_response(429, headers={"Retry-After": "7"}))
    mock_http.add(PAGE.response("GET", URL))

    assert transport.request("GET", PATH).status == 200
    assert sleeps == [7.0]


def test_429_retry_after_http_date_is_honoured_against_the_injected_clock(
    mock_http, transport, sleeps, clock
):
    when = email.utils.formatdate(clock() + 12, usegmt=True)
    mock_http.add(status_response(429, headers={"Retry-After": when}))
    mock_http.add(PAGE.response("GET", URL))

    assert transport.request("GET", PATH).status == 200
    assert sleeps == [12.0]


def test_429_without_retry_after_uses_backoff(mock_http, transport, sleeps):
    mock_http.add(status_response(429))
    mock_http.add(PAGE.response("GET", URL))

    assert transport.request("GET", PATH).status == 200
    assert sleeps == [pytest.approx(BACKOFF[0])]


def test_429_retry_after_is_capped(mock_http, clock):
    sleeps: list[float] = []
    transport = make_transport(clock, sleeps, RetryPolicy(max_retries=1, max_retry_after=60.0))
    mock_http.add(status_response(429, headers={"Retry-After": "86400"}))
    mock_http.add(PAGE.response("GET", URL))

    transport.request("GET", PATH)
    assert sleeps == [60.0]


def test_429_forever_raises_rate_limited_after_max_retries(mock_http, transport, sleeps):
    mock_http.add(status_response(429, headers={"Retry-After": "2"}))

    with pytest.raises(RateLimitedError) as caught:
        transport.request("GET", PATH)

    assert caught.value.retry_after == 2.0
    assert caught.value.exit_code == 3
    assert "429" in str(caught.value) and PATH in str(caught.value)
    assert len(mock_http.calls) == 1 + transport.retry.max_retries
    assert sleeps == [2.0, 2.0, 2.0]


def test_429_is_retried_even_on_a_non_idempotent_call(mock_http, transport, sleeps):
    mock_http.add(
        responses.Response(
            "POST", BASE_URL + "/Api/V8/module", status=429, headers={"Retry-After": "1"}, json={}
        )
    )
    mock_http.add(recorded("notes_create").response("POST", BASE_URL + "/Api/V8/module"))

    result = transport.request("POST", "/Api/V8/module", json_body={"data": {}}, idempotent=False)
    assert result.status == 201
    assert sleeps == [1.0]


def test_500_on_a_non_idempotent_call_is_not_retried(mock_http, transport, sleeps):
    mock_http.add(
        responses.Response(
            "POST",
            BASE_URL + "/Api/V8/module",
            status=500,
            json={"errors": {"status": 500, "title": None, "detail": "x"}},
        )
    )

    with pytest.raises(ServerError):
        transport.request("POST", "/Api/V8/module", json_body={"data": {}}, idempotent=False)

    assert len(mock_http.calls) == 1
    assert sleeps == []


def test_suitecrms_database_failure_is_an_answer_never_retried(mock_http, transport, sleeps):
    # v4_1 get_entry_list on Emails with deleted=1: the same query fails every time, and
    # five retries with backoff cost the real sync four minutes before it gave up.
    rest = "/service/v4_1/rest.php"
    mock_http.add(
        recorded("legacy_get_entry_list_emails_deleted").response("POST", BASE_URL + rest)
    )

    with pytest.raises(DatabaseFailureError) as caught:
        transport.request("POST", rest, data={"method": "get_entry_list"})

    assert len(mock_http.calls) == 1
    assert sleeps == []
    assert rest in str(caught.value) and "Database failure" in str(caught.value)
    assert caught.value.exit_code == 1


@pytest.mark.parametrize("status", [200, 500])
def test_html_page_is_retried_then_protocol_error_naming_html_and_path(
    mock_http, transport, sleeps, status
):
    mock_http.add(html_error_page(status).response("GET", URL))

    with pytest.raises(ProtocolError) as caught:
        transport.request("GET", PATH, params=[("page[size]", "3")], auth=FakeAuth())

    message = str(caught.value)
    assert "HTML" in message
    assert PATH in message
    assert "page[size]" not in message
    assert "Bearer" not in message and "token-" not in message
    assert len(mock_http.calls) == 1 + transport.retry.max_retries
    assert sleeps == [pytest.approx(d) for d in BACKOFF]


def test_html_page_on_a_non_idempotent_call_is_not_retried(mock_http, transport, sleeps):
    mock_http.add(html_error_page(200).response("POST", BASE_URL + "/Api/V8/module"))

    with pytest.raises(ProtocolError, match="HTML"):
        transport.request("POST", "/Api/V8/module", json_body={"data": {}}, idempotent=False)
    assert sleeps == []


def test_html_page_then_json_succeeds(mock_http, transport, sleeps):
    mock_http.add(html_error_page(200).response("GET", URL))
    mock_http.add(PAGE.response("GET", URL))

    assert transport.request("GET", PATH).body == PAGE.body
    assert len(sleeps) == 1


def test_invalid_json_is_retried_then_protocol_error(mock_http, transport, sleeps):
    mock_http.add(invalid_json().response("GET", URL))

    with pytest.raises(ProtocolError, match="not valid JSON") as caught:
        transport.request("GET", PATH)
    assert PATH in str(caught.value)
    assert len(mock_http.calls) == 1 + transport.retry.max_retries


def test_json_followed_by_a_php_notice_is_still_decoded(mock_http, transport, sleeps):
    mock_http.add(json_followed_by_php_notice("accounts_list_page1_size3").response("GET", URL))

    result = transport.request("GET", PATH)

    assert result.body == PAGE.body
    assert len(mock_http.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "exc",
    [
        requests.exceptions.ReadTimeout("read timed out"),
        requests.exceptions.ConnectTimeout("connect timed out"),
    ],
)
def test_timeout_is_retried_then_request_timeout_error(mock_http, transport, sleeps, exc):
    mock_http.add(responses.Response("GET", URL, body=exc))

    with pytest.raises(RequestTimeoutError) as caught:
        transport.request("GET", PATH)

    assert PATH in str(caught.value)
    assert caught.value.exit_code == 3
    assert len(mock_http.calls) == 1 + transport.retry.max_retries
    assert sleeps == [pytest.approx(d) for d in BACKOFF]


def test_timeout_then_success(mock_http, transport, sleeps):
    mock_http.add(responses.Response("GET", URL, body=requests.exceptions.ReadTimeout("slow")))
    mock_http.add(PAGE.response("GET", URL))

    assert transport.request("GET", PATH).status == 200
    assert len(sleeps) == 1


def test_every_request_carries_connect_and_read_timeouts(mock_http, transport):
    mock_http.add(PAGE.response("GET", URL))
    transport.request("GET", PATH)
    assert mock_http.calls[0].request.req_kwargs["timeout"] == (
        transport.timeouts.connect,
        transport.timeouts.read,
    )


def test_connection_refused_raises_connection_failed_without_credentials_in_url(
    mock_http, clock, sleeps
):
    transport = make_transport(clock, sleeps, base="https://api:hunter2-secret@crm.example.test")
    refused = requests.exceptions.ConnectionError("[Errno 111] Connection refused")
    mock_http.add(
        responses.Response(
            "GET", "https://api:hunter2-secret@crm.example.test" + PATH, body=refused
        )
    )

    with pytest.raises(ConnectionFailedError) as caught:
        transport.request("GET", PATH)

    message = str(caught.value)
    assert "crm.example.test" in message
    assert "hunter2-secret" not in message
    assert caught.value.exit_code == 3
    assert len(mock_http.calls) == 1 + transport.retry.max_retries


def test_401_renews_once_and_retries(mock_http, transport, sleeps):
    auth = FakeAuth()
    mock_http.add(recorded("error_401_expired_token").response("GET", URL))
    mock_http.add(PAGE.response("GET", URL))

    result = transport.request("GET", PATH, auth=auth)

    assert result.status == 200
    assert auth.renewals == 1
    assert [c.request.headers["Authorization"] for c in mock_http.calls] == [
        "Bearer token-0",
        "Bearer token-1",
    ]
    assert sleeps == []


def test_401_twice_is_an_authentication_error(mock_http, transport):
    auth = FakeAuth()
    mock_http.add(recorded("error_401_expired_token").response("GET", URL))

    with pytest.raises(AuthenticationError) as caught:
        transport.request("GET", PATH, auth=auth)

    assert caught.value.exit_code == 3
    assert auth.renewals == 1
    assert len(mock_http.calls) == 2


def test_204_returns_no_body(mock_http, transport):
    mock_http.add(responses.Response("DELETE", URL, status=204, body=""))
    result = transport.request("DELETE", PATH)
    assert (result.status, result.body) == (204, None)


def test_one_debug_line_per_request_without_query_string(mock_http, transport, caplog):
    mock_http.add(PAGE.response("GET", URL))
    with caplog.at_level(logging.DEBUG, logger="connector.crm.http"):
        transport.request("GET", PATH, params=[("filter[name][eq]", "secret-ish")])
    lines = [r.getMessage() for r in caplog.records if r.name == "connector.crm.http"]
    assert lines == [f"GET {PATH} -> 200 (0 ms)"]
    assert "secret-ish" not in caplog.text


def test_sent_query_string_matches_the_recorded_one(mock_http, transport):
    """urllib3 always percent-encodes brackets on the wire (``page%5Bsize%5D``); PHP
    decodes both spellings to the same ``$_GET['page']['size']``, so the query is
    compared as PHP reads it."""
    mock_http.add(PAGE.response("GET", URL))
    transport.request("GET", PATH, params=[("page[size]", "3"), ("page[number]", "1")])
    assert PAGE.request["query_string"] == "page[size]=3&page[number]=1"
    sent = query_string(mock_http.calls[0]).replace("%5B", "[").replace("%5D", "]")
    assert sent == PAGE.request["query_string"]
