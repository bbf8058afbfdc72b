"""V8Client, TokenSource and BearerAuth against recorded SuiteCRM 7.14 answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import responses
from responses import matchers

from connector.crm.http import Transport
from connector.crm.oauth import OAuthCredentials, TokenSource
from connector.crm.records import Condition, Op, Query
from connector.crm.v8 import V8Client, list_params
from connector.errors import (
    AuthenticationError,
    ConfigurationError,
    EndpointNotFoundError,
    NotFoundError,
    ProtocolError,
    RemoteConfigurationError,
    ServerError,
    UnknownModuleError,
)
from connector.secrets import Secret
from tests.unit.crm.conftest import (
    BASE_URL,
    FakeClock,
    form_of,
    json_of,
    path_of,
    query_string,
    recorded,
)
from tests.unit.crm.synthetic_responses import (
    html_error_page,
    refresh_refused,
    relationship_changed,
    token,
    v8_record_with_entities,
)

CC = OAuthCredentials(
    client_id="7dffa5e9-101a-4c1a-9e58-4b8e83ea72d7", client_secret=Secret("cc-secret-peer-123")
)
PW = OAuthCredentials(
    client_id="ece4a63e-f5fa-438d-bfd4-1744173a93b2",
    client_secret=Secret("pw-secret-peer-123"),
    username="admin",
    password=Secret("AdminPass123"),
    grant_type="password",
)
TOKEN_URL = BASE_URL + "/Api/access_token"
ACCOUNTS_URL = BASE_URL + "/Api/V8/module/Accounts"
MODULE_URL = BASE_URL + "/Api/V8/module"
ACCOUNT_ID = "31d5362c-0725-d759-3167-6b0363a00e6b"
NOTE_ID = "75720071-84ee-1c90-676a-6b0364eed2b4"
DM = datetime(2026, 11, 22, 21, 49, 36, tzinfo=UTC)


def ids_of(name: str) -> list[str]:
    return [r["id"] for r in recorded(name).body["data"]]


def page_match(number: int, size: int) -> list[object]:
    return [
        matchers.query_param_matcher(
            {"page[number]": str(number), "page[size]": str(size)}, strict_match=False
        )
    ]


@pytest.fixture
def client(transport: Transport) -> V8Client:
    return V8Client(transport, CC, "/Api")


def add_token(mock_http, access: str, refresh: str | None = None, url: str = TOKEN_URL) -> None:
    grant = "password" if refresh else "client_credentials"
    mock_http.add(token(access, refresh, grant=grant).response("POST", url))


def unbracket(qs: str) -> str:
    """Undo only the percent-encoding of brackets; test_sent_query_keeps_brackets_literal
    checks the brackets themselves, so the other rows compare everything else exactly."""
    return qs.replace("%5B", "[").replace("%5D", "]")


# -- list parameters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "number", "size", "expected"),
    [
        (
            Query("Accounts"),
            1,
            3,
            [("sort", "date_modified"), ("page[size]", "3"), ("page[number]", "1")],
        ),
        (Query("Accounts", sort=None), 2, 50, [("page[size]", "50"), ("page[number]", "2")]),
        (
            Query("Accounts", fields=("name", "name"), sort="-date_modified"),
            1,
            5,
            [
                ("fields[Accounts]", "name,date_modified"),
                ("sort", "-date_modified"),
                ("page[size]", "5"),
                ("page[number]", "1"),
            ],
        ),
        (
            Query("Calls", conditions=(Condition("date_modified", Op.GTE, DM),)),
            1,
            3,
            [
                ("filter[date_modified][gte]", "2026-11-22 21:49:36"),
                ("sort", "date_modified"),
                ("page[size]", "3"),
                ("page[number]", "1"),
            ],
        ),
        (
            Query(
                "Calls",
                conditions=(
                    Condition("date_modified", Op.GTE, DM),
                    Condition("status", Op.NEQ, "Held"),
                ),
                match="or",
            ),
            4,
            10,
            [
                ("filter[operator]", "or"),
                ("filter[date_modified][gte]", "2026-11-22 21:49:36"),
                ("filter[status][neq]", "Held"),
                ("sort", "date_modified"),
                ("page[size]", "10"),
                ("page[number]", "4"),
            ],
        ),
        # an aware non-UTC datetime goes out as UTC in database format
        (
            Query(
                "Calls",
                conditions=(
                    Condition(
                        "date_modified",
                        Op.GT,
                        datetime(2026, 11, 22, 23, 49, 36, tzinfo=timezone(timedelta(hours=2))),
                    ),
                ),
                sort=None,
            ),
            1,
            1,
            [
                ("filter[date_modified][gt]", "2026-11-22 21:49:36"),
                ("page[size]", "1"),
                ("page[number]", "1"),
            ],
        ),
    ],
)
def test_list_params(query, number, size, expected):
    assert list_params(query, number, size) == expected


def test_list_params_refuses_the_same_field_and_operator_twice():
    query = Query(
        "Calls",
        conditions=(Condition("date_modified", Op.GTE, DM), Condition("date_modified", Op.GTE, DM)),
    )
    with pytest.raises(ConfigurationError, match="twice"):
        list_params(query, 1, 3)


# -- the exact query string sent ---------------------------------------------------------


def test_sent_query_escapes_values_as_php_reads_them(mock_http, client):
    """Values escaped (a ``+`` would become a space); brackets compared as PHP decodes them."""
    add_token(mock_http, "AT-1")
    mock_http.add(recorded("accounts_list_page1_size3").response("GET", ACCOUNTS_URL))
    query = Query(
        "Accounts",
        conditions=(
            Condition("date_modified", Op.GTE, DM),
            Condition("date_modified", Op.LT, "2100-01-01 00:00:00"),
        ),
    )

    client.list_page(query, page_number=1, page_size=3)

    sent = query_string(mock_http.calls[1]).replace("%5B", "[").replace("%5D", "]")
    assert sent == (
        "filter[operator]=and&filter[date_modified][gte]=2026-11-22+21%3A49%3A36"
        "&filter[date_modified][lt]=2100-01-01+00%3A00%3A00"
        "&sort=date_modified&page[size]=3&page[number]=1"
    )


@pytest.mark.parametrize(
    ("name", "query", "size"),
    [
        (
            "accounts_filter_date_modified_range_and",
            Query(
                "Accounts",
                conditions=(
                    Condition("date_modified", Op.GTE, datetime(2000, 1, 1, tzinfo=UTC)),
                    Condition("date_modified", Op.LT, datetime(2100, 1, 1, tzinfo=UTC)),
                ),
                fields=("name",),
                sort=None,
            ),
            3,
        ),
        (
            "accounts_filter_date_modified_gt_iso8601",
            Query(
                "Accounts",
                conditions=(Condition("date_modified", Op.GT, "2026-11-22T21:49:36+00:00"),),
                sort=None,
            ),
            20,
        ),
        (
            "accounts_filter_date_modified_gt",
            Query("Accounts", conditions=(Condition("date_modified", Op.GT, DM),), sort=None),
            20,
        ),
        (
            "accounts_list_sorted_fields",
            Query("Accounts", fields=("name", "date_modified", "deleted"), sort="-date_modified"),
            5,
        ),
        ("accounts_list_page1_size3", Query("Accounts", sort=None), 3),
    ],
)
def test_sent_query_matches_the_recorded_request(mock_http, client, name, query, size):
    rec = recorded(name)
    add_token(mock_http, "AT-1")
    mock_http.add(rec.response("GET", ACCOUNTS_URL))

    client.list_page(query, page_number=1, page_size=size)

    sent = unbracket(query_string(mock_http.calls[1])).split("&")
    expected = rec.request["query_string"].split("&")
    if not any(p.startswith("page[number]=") for p in expected):
        expected.append("page[number]=1")  # the recorder omitted it; we always send it
    assert sorted(sent) == sorted(expected)
    assert [p for p in sent if p.startswith("page[")] == [f"page[size]={size}", "page[number]=1"]


# -- pagination --------------------------------------------------------------------------


def test_iter_records_pages_until_a_short_page(mock_http, client):
    add_token(mock_http, "AT-1")
    for number, name in [
        (1, "accounts_list_page1_size3"),
        (2, "accounts_list_page2_size3"),
        (3, "accounts_list_last_page_size3"),
    ]:
        mock_http.add(recorded(name).response("GET", ACCOUNTS_URL, match=page_match(number, 3)))

    records = list(client.iter_records(Query("Accounts"), page_size=3))

    assert [r.id for r in records] == (
        ids_of("accounts_list_page1_size3")
        + ids_of("accounts_list_page2_size3")
        + ids_of("accounts_list_last_page_size3")
    )
    sent = [unbracket(query_string(c)) for c in mock_http.calls[1:]]
    assert sent == [f"sort=date_modified&page[size]=3&page[number]={n}" for n in (1, 2, 3)]
    assert all(r.module == "Accounts" for r in records)


def test_iter_records_stops_at_an_empty_page_after_full_ones(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(
        recorded("accounts_list_page1_size3").response("GET", ACCOUNTS_URL, match=page_match(1, 3))
    )
    mock_http.add(
        recorded("accounts_list_beyond_last_page_size3").response(
            "GET", ACCOUNTS_URL, match=page_match(2, 3)
        )
    )

    records = list(client.iter_records(Query("Accounts"), page_size=3))

    assert [r.id for r in records] == ids_of("accounts_list_page1_size3")
    assert len(mock_http.calls) == 3


def test_iter_records_is_lazy(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(
        recorded("accounts_list_page1_size3").response("GET", ACCOUNTS_URL, match=page_match(1, 3))
    )
    mock_http.add(
        recorded("accounts_list_last_page_size3").response(
            "GET", ACCOUNTS_URL, match=page_match(2, 3)
        )
    )

    records = client.iter_records(Query("Accounts"), page_size=3)
    assert len(mock_http.calls) == 0

    first_page = [next(records) for _ in range(3)]
    assert [r.id for r in first_page] == ids_of("accounts_list_page1_size3")
    assert len(mock_http.calls) == 2  # the token and page 1, not page 2

    assert next(records).id == ids_of("accounts_list_last_page_size3")[0]
    assert len(mock_http.calls) == 3
    assert len(list(records)) == 1


def test_a_repeated_page_raises_instead_of_looping(mock_http, client):
    add_token(mock_http, "AT-1")
    page = recorded("accounts_list_page1_size3")
    mock_http.add(page.response("GET", ACCOUNTS_URL, match=page_match(1, 3)))
    mock_http.add(page.response("GET", ACCOUNTS_URL, match=page_match(2, 3)))

    records = client.iter_records(Query("Accounts"), page_size=3)
    with pytest.raises(ProtocolError, match="same Accounts page twice"):
        list(records)
    assert len(mock_http.calls) == 3


def test_v8_cannot_list_deleted_records(client):
    with pytest.raises(ConfigurationError, match="legacy"):
        client.list_page(Query("Notes", include_deleted=True), page_number=1, page_size=3)


# -- tokens during an iteration ----------------------------------------------------------


def test_token_expiry_mid_iteration_gets_a_new_token_before_the_next_page(
    mock_http, client, clock: FakeClock
):
    add_token(mock_http, "AT-1")
    mock_http.add(
        recorded("accounts_list_page1_size3").response("GET", ACCOUNTS_URL, match=page_match(1, 3))
    )
    add_token(mock_http, "AT-2")
    mock_http.add(
        recorded("accounts_list_last_page_size3").response(
            "GET", ACCOUNTS_URL, match=page_match(2, 3)
        )
    )

    records = client.iter_records(Query("Accounts"), page_size=3)
    first = [next(records) for _ in range(3)]
    clock.advance(3600)  # the hour is over before page 2
    rest = list(records)

    assert len(first) + len(rest) == 5
    assert [path_of(c) for c in mock_http.calls] == [
        "/Api/access_token",
        "/Api/V8/module/Accounts",
        "/Api/access_token",
        "/Api/V8/module/Accounts",
    ]
    assert mock_http.calls[1].request.headers["Authorization"] == "Bearer AT-1"
    assert mock_http.calls[3].request.headers["Authorization"] == "Bearer AT-2"
    assert all(c.response.status_code != 401 for c in mock_http.calls)


def test_token_is_renewed_a_margin_before_expiry_not_earlier(mock_http, client, clock):
    add_token(mock_http, "AT-1")
    add_token(mock_http, "AT-2")

    assert client.tokens.access_token() == "AT-1"
    clock.advance(3600 - 60 - 1)
    assert client.tokens.access_token() == "AT-1"
    clock.advance(1)
    assert client.tokens.access_token() == "AT-2"
    assert client.tokens.issued == 2


def test_401_mid_iteration_renews_once_and_retries_the_page(mock_http, client, sleeps):
    add_token(mock_http, "AT-1")
    mock_http.add(
        recorded("accounts_list_page1_size3").response("GET", ACCOUNTS_URL, match=page_match(1, 3))
    )
    mock_http.add(
        recorded("error_401_token_expired_server_side").response(
            "GET", ACCOUNTS_URL, match=page_match(2, 3)
        )
    )
    add_token(mock_http, "AT-2")
    mock_http.add(
        recorded("accounts_list_last_page_size3").response(
            "GET", ACCOUNTS_URL, match=page_match(2, 3)
        )
    )

    records = list(client.iter_records(Query("Accounts"), page_size=3))

    assert [r.id for r in records] == (
        ids_of("accounts_list_page1_size3") + ids_of("accounts_list_last_page_size3")
    )
    pages = [c for c in mock_http.calls if path_of(c) == "/Api/V8/module/Accounts"]
    assert [c.request.headers["Authorization"] for c in pages] == [
        "Bearer AT-1",
        "Bearer AT-1",
        "Bearer AT-2",
    ]
    assert unbracket(query_string(pages[1])) == unbracket(query_string(pages[2]))
    assert client.transport.stats.renewals == 1
    assert sleeps == []


def test_401_then_success(mock_http, client):
    add_token(mock_http, "AT-1")
    url = f"{ACCOUNTS_URL}/{ACCOUNT_ID}"
    mock_http.add(recorded("error_401_expired_token").response("GET", url))
    add_token(mock_http, "AT-2")
    mock_http.add(recorded("accounts_get_single").response("GET", url))

    record = client.get_record("Accounts", ACCOUNT_ID)

    assert record.id == ACCOUNT_ID
    assert client.tokens.issued == 2


def test_401_twice_is_an_authentication_error_with_exit_code_3(mock_http, client):
    add_token(mock_http, "AT-1")
    url = f"{ACCOUNTS_URL}/{ACCOUNT_ID}"
    mock_http.add(recorded("error_401_invalid_token").response("GET", url))
    add_token(mock_http, "AT-2")

    with pytest.raises(AuthenticationError) as caught:
        client.get_record("Accounts", ACCOUNT_ID)

    assert caught.value.exit_code == 3
    assert [path_of(c) for c in mock_http.calls] == [
        "/Api/access_token",
        f"/Api/V8/module/Accounts/{ACCOUNT_ID}",
        "/Api/access_token",
        f"/Api/V8/module/Accounts/{ACCOUNT_ID}",
    ]
    assert "AT-1" not in str(caught.value) and "AT-2" not in str(caught.value)


# -- token grants ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "credentials"),
    [
        ("token_failure_bad_secret", OAuthCredentials(CC.client_id, Secret("wrong-secret"))),
        (
            "token_failure_grant_not_allowed",
            OAuthCredentials(
                CC.client_id, CC.client_secret, "admin", Secret("AdminPass123"), "password"
            ),
        ),
        ("token_failure_unknown_client", OAuthCredentials("no-such-client", Secret("x"))),
        (
            "token_failure_bad_user_password",
            OAuthCredentials(
                PW.client_id, PW.client_secret, "admin", Secret("wrong-password"), "password"
            ),
        ),
    ],
    ids=["bad_secret_401", "grant_not_allowed_401", "unknown_client_500", "bad_user_password_500"],
)
def test_bad_credentials_are_an_authentication_error_without_secrets(
    mock_http, transport, sleeps, name, credentials
):
    rec = recorded(name)
    mock_http.add(rec.response("POST", TOKEN_URL))
    tokens = TokenSource(transport, "/Api/access_token", credentials)

    with pytest.raises(AuthenticationError) as caught:
        tokens.access_token()

    message = str(caught.value)
    assert caught.value.exit_code == 3
    assert "wrong-password" not in message
    assert "AdminPass123" not in message
    assert credentials.client_secret.reveal() not in message
    assert rec.body["error_description"] not in message
    assert form_of(mock_http.calls[0]) == rec.request["body"]["form"]
    grants = [form_of(call)["grant_type"] for call in mock_http.calls]
    expected = [credentials.grant] + [g for g in [credentials.alternative] if g]
    # Never retried; with grant "auto" and a user set, the other grant is tried once.
    assert grants == expected
    assert sleeps == []


def test_auto_grant_falls_back_to_the_password_grant_once(mock_http, transport):
    """A password client refuses client_credentials like a bad secret: with a user set,
    ``auto`` tries the password grant once and keeps it."""
    mock_http.add(recorded("token_failure_bad_secret").response("POST", TOKEN_URL))
    mock_http.add(
        responses.POST,
        TOKEN_URL,
        status=200,
        json={
            "token_type": "Bearer",
            "expires_in": 3600,
            "access_token": "AT-pw",
            "refresh_token": "RT-pw",
        },
    )
    credentials = OAuthCredentials(
        PW.client_id, PW.client_secret, username="admin", password=Secret("AdminPass123")
    )
    tokens = TokenSource(transport, "/Api/access_token", credentials)

    assert tokens.access_token() == "AT-pw"
    assert tokens.grant == "password"
    assert [form_of(c)["grant_type"] for c in mock_http.calls] == ["client_credentials", "password"]
    assert "password" not in form_of(mock_http.calls[0])
    assert tokens.access_token() == "AT-pw"  # cached: no third call


def test_auto_grant_without_a_user_never_sends_a_password(mock_http, transport):
    mock_http.add(recorded("token_failure_bad_secret").response("POST", TOKEN_URL))
    with pytest.raises(AuthenticationError):
        TokenSource(transport, "/Api/access_token", CC).access_token()
    assert [form_of(c)["grant_type"] for c in mock_http.calls] == ["client_credentials"]


@pytest.mark.parametrize("grant", ["password", "client_credentials"])
def test_an_explicit_grant_is_never_swapped(mock_http, transport, grant):
    mock_http.add(recorded("token_failure_grant_not_allowed").response("POST", TOKEN_URL))
    credentials = OAuthCredentials(
        CC.client_id,
        CC.client_secret,
        username="admin",
        password=Secret("AdminPass123"),
        grant_type=grant,
    )
    with pytest.raises(AuthenticationError):
        TokenSource(transport, "/Api/access_token", credentials).access_token()
    assert [form_of(c)["grant_type"] for c in mock_http.calls] == [grant]


def test_password_grant_refresh_token_is_used_and_rotated(mock_http, transport, clock):
    add_token(mock_http, "AT-1", "RT-1")
    mock_http.add(token("AT-2", "RT-2", grant="refresh_token").response("POST", TOKEN_URL))
    mock_http.add(token("AT-3", "RT-3", grant="refresh_token").response("POST", TOKEN_URL))
    tokens = TokenSource(transport, "/Api/access_token", PW)

    assert tokens.access_token() == "AT-1"
    clock.advance(3600)
    assert tokens.access_token() == "AT-2"
    clock.advance(3600)
    assert tokens.access_token() == "AT-3"

    forms = [form_of(c) for c in mock_http.calls]
    assert forms[0] == recorded("token_password_success").request["body"]["form"]
    expected_refresh = dict(recorded("token_refresh_success").request["body"]["form"])
    assert forms[1] == {**expected_refresh, "refresh_token": "RT-1"}
    assert forms[2] == {**expected_refresh, "refresh_token": "RT-2"}


@pytest.mark.parametrize(("status", "error"), [(401, "invalid_request"), (400, "invalid_grant")])
def test_refused_refresh_falls_back_to_the_password_grant(
    mock_http, transport, clock, status, error
):
    add_token(mock_http, "AT-1", "RT-1")
    mock_http.add(refresh_refused(status, error).response("POST", TOKEN_URL))
    add_token(mock_http, "AT-2", "RT-2")
    tokens = TokenSource(transport, "/Api/access_token", PW)

    tokens.access_token()
    clock.advance(3600)

    assert tokens.access_token() == "AT-2"
    assert [form_of(c)["grant_type"] for c in mock_http.calls] == [
        "password",
        "refresh_token",
        "password",
    ]
    assert form_of(mock_http.calls[2])["password"] == "AdminPass123"


def test_client_credentials_has_no_refresh_token_and_asks_again(mock_http, transport, clock):
    add_token(mock_http, "AT-1")
    add_token(mock_http, "AT-2")
    tokens = TokenSource(transport, "/Api/access_token", CC)

    tokens.access_token()
    clock.advance(3600)
    tokens.access_token()

    assert [form_of(c) for c in mock_http.calls] == [
        recorded("token_client_credentials_success").request["body"]["form"]
    ] * 2


def test_token_answer_without_access_token_is_a_protocol_error(mock_http, transport):
    rec = recorded("token_client_credentials_success")
    mock_http.add(
        rec.with_body({"token_type": "Bearer", "expires_in": 3600}).response("POST", TOKEN_URL)
    )
    with pytest.raises(ProtocolError, match="without an access token"):
        TokenSource(transport, "/Api/access_token", CC).access_token()


# -- base path detection -----------------------------------------------------------------


@pytest.mark.parametrize("not_found", [recorded("error_404_unknown_route"), html_error_page(404)])
def test_connect_falls_back_to_legacy_api_on_suitecrm_8(mock_http, transport, not_found):
    mock_http.add(not_found.response("POST", TOKEN_URL))
    add_token(mock_http, "AT-1", url=BASE_URL + "/legacy/Api/access_token")
    mock_http.add(
        recorded("accounts_list_page1_size3").response(
            "GET", BASE_URL + "/legacy/Api/V8/module/Accounts"
        )
    )

    client = V8Client.connect(transport, CC)
    page = client.list_page(Query("Accounts"), page_number=1, page_size=3)

    assert client.api_path == "/legacy/Api"
    assert client.server_info().details["generation"] == "8.x"
    assert len(page) == 3
    assert mock_http.calls[2].request.headers["Authorization"] == "Bearer AT-1"


def test_connect_keeps_api_on_suitecrm_7(mock_http, transport):
    add_token(mock_http, "AT-1")
    client = V8Client.connect(transport, CC)
    assert client.api_path == "/Api"
    assert len(mock_http.calls) == 1


def test_connect_without_any_api_names_every_url_tried(mock_http, transport):
    not_found = recorded("error_404_unknown_route")
    mock_http.add(not_found.response("POST", TOKEN_URL))
    mock_http.add(not_found.response("POST", BASE_URL + "/legacy/Api/access_token"))

    with pytest.raises(RemoteConfigurationError) as caught:
        V8Client.connect(transport, CC)

    assert TOKEN_URL in str(caught.value)
    assert BASE_URL + "/legacy/Api/access_token" in str(caught.value)
    assert caught.value.exit_code == 3


# -- errors ------------------------------------------------------------------------------


def test_unknown_module_is_unknown_module_error(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(
        recorded("error_400_unknown_module").response(
            "GET", BASE_URL + "/Api/V8/module/NoSuchModule"
        )
    )

    with pytest.raises(UnknownModuleError) as caught:
        list(client.iter_records(Query("NoSuchModule"), page_size=3))

    assert caught.value.module == "NoSuchModule"
    assert caught.value.exit_code == 2  # the `modules` setting is the fix
    assert len(mock_http.calls) == 2, "a 400 is not retried"


def test_module_exists_is_false_for_an_unknown_module(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(
        recorded("error_400_unknown_module").response(
            "GET", BASE_URL + "/Api/V8/module/NoSuchModule"
        )
    )
    assert client.module_exists("NoSuchModule") is False


def test_unknown_id_is_not_found(mock_http, client):
    add_token(mock_http, "AT-1")
    missing = "00000000-0000-0000-0000-000000000000"
    mock_http.add(recorded("error_unknown_id").response("GET", f"{ACCOUNTS_URL}/{missing}"))

    with pytest.raises(NotFoundError) as caught:
        client.get_record("Accounts", missing)

    assert (caught.value.module, caught.value.record_id) == ("Accounts", missing)
    assert len(mock_http.calls) == 2


def test_unknown_route_is_endpoint_not_found(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(recorded("error_404_unknown_route").response("GET", ACCOUNTS_URL))

    with pytest.raises(EndpointNotFoundError, match="404"):
        client.list_page(Query("Accounts"), page_number=1, page_size=3)


# -- records -----------------------------------------------------------------------------


def test_v8_datetimes_are_aware_utc_and_entities_unescaped(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(v8_record_with_entities().response("GET", f"{ACCOUNTS_URL}/{ACCOUNT_ID}"))

    record = client.get_record("Accounts", ACCOUNT_ID)

    assert record.module == "Accounts"
    assert record.date_modified == datetime(2026, 11, 22, 21, 49, tzinfo=UTC)
    assert record.date_modified.utcoffset() == timedelta(0)
    assert record.datetime_of("date_entered") == datetime(2026, 11, 22, 21, 49, tzinfo=UTC)
    assert record.get("name") == "O'Reilly & Sons"
    assert record.get("description") == '<b>VIP</b> "gold"'
    assert record.deleted is False


def test_get_record_sends_sparse_fields(mock_http, client):
    add_token(mock_http, "AT-1")
    rec = recorded("accounts_get_single_sparse")
    mock_http.add(rec.response("GET", f"{ACCOUNTS_URL}/{ACCOUNT_ID}"))

    record = client.get_record("Accounts", ACCOUNT_ID, ["name", "date_modified", "description"])

    assert unbracket(query_string(mock_http.calls[1])) == rec.request["query_string"]
    assert set(record.attributes) == {"name", "date_modified", "description"}


# -- writes ------------------------------------------------------------------------------


def test_create_with_a_client_id(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(recorded("notes_create").response("POST", MODULE_URL))
    attributes = recorded("notes_create").request["body"]["json"]["data"]["attributes"]

    record = client.create_record("Notes", attributes, record_id=NOTE_ID)

    sent = mock_http.calls[1].request
    assert sent.headers["Content-Type"] == "application/vnd.api+json"
    assert sent.headers["Accept"] == "application/vnd.api+json"
    assert json_of(mock_http.calls[1]) == {
        "data": {"type": "Notes", "id": NOTE_ID, "attributes": attributes}
    }
    assert (record.module, record.id) == ("Notes", NOTE_ID)


def test_create_without_id_sends_the_recorded_body(mock_http, client):
    add_token(mock_http, "AT-1")
    rec = recorded("notes_create")
    mock_http.add(rec.response("POST", MODULE_URL))

    client.create_record("Notes", rec.request["body"]["json"]["data"]["attributes"])

    assert json_of(mock_http.calls[1]) == rec.request["body"]["json"]


def test_500_on_create_without_id_is_not_retried(mock_http, client, sleeps):
    add_token(mock_http, "AT-1")
    mock_http.add(
        responses.Response(
            "POST",
            MODULE_URL,
            status=500,
            json={"errors": {"status": 500, "title": None, "detail": "Internal error"}},
        )
    )

    with pytest.raises(ServerError):
        client.create_record("Notes", {"name": "x"})

    assert len(mock_http.calls) == 2
    assert sleeps == []


def test_500_on_create_with_id_is_retried(mock_http, client, sleeps):
    add_token(mock_http, "AT-1")
    mock_http.add(
        responses.Response(
            "POST",
            MODULE_URL,
            status=500,
            json={"errors": {"status": 500, "title": None, "detail": "Internal error"}},
        )
    )
    mock_http.add(recorded("notes_create").response("POST", MODULE_URL))

    record = client.create_record("Notes", {"name": "x"}, record_id=NOTE_ID)

    assert record.id == NOTE_ID
    assert len(sleeps) == 1


def test_create_with_unknown_type_is_unknown_module(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(recorded("create_bad_type").response("POST", MODULE_URL))
    with pytest.raises(UnknownModuleError):
        client.create_record("NoSuchModule", {"name": "x"})


def test_update_accepts_201(mock_http, client):
    add_token(mock_http, "AT-1")
    rec = recorded("notes_update")
    mock_http.add(rec.response("PATCH", MODULE_URL))

    record = client.update_record("Notes", NOTE_ID, {"name": "Peer recorder note (edited)"})

    assert json_of(mock_http.calls[1]) == rec.request["body"]["json"]
    assert record.get("name") == "Peer recorder note (edited)"
    assert record.date_modified == datetime(2026, 11, 22, 21, 52, tzinfo=UTC)


def test_delete(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(recorded("notes_delete").response("DELETE", f"{MODULE_URL}/Notes/{NOTE_ID}"))

    assert client.delete_record("Notes", NOTE_ID) is None
    assert mock_http.calls[1].request.method == "DELETE"
    assert mock_http.calls[1].request.body is None


def test_get_related(mock_http, client):
    add_token(mock_http, "AT-1")
    rec = recorded("relationship_accounts_calls")
    mock_http.add(rec.response("GET", f"{ACCOUNTS_URL}/{ACCOUNT_ID}/relationships/calls"))

    related = client.get_related("Accounts", ACCOUNT_ID, "calls")

    assert [r.id for r in related] == [r["id"] for r in rec.body["data"]]
    assert related[0].get("name") == "Left a message"
    assert related[0].date_modified == datetime(2026, 11, 22, 21, 49, tzinfo=UTC)


def test_add_relationship_request_shape(mock_http, client):
    add_token(mock_http, "AT-1")
    call_id = "41b31bb4-5213-7fac-9a34-6b03633bc59f"
    mock_http.add(
        relationship_changed("Call with id added").response(
            "POST", f"{ACCOUNTS_URL}/{ACCOUNT_ID}/relationships/calls"
        )
    )

    client.add_relationship("Accounts", ACCOUNT_ID, "calls", "Calls", call_id)

    assert json_of(mock_http.calls[1]) == {"data": {"type": "Calls", "id": call_id}}
    assert mock_http.calls[1].request.headers["Content-Type"] == "application/vnd.api+json"


def test_remove_relationship_request_shape(mock_http, client):
    add_token(mock_http, "AT-1")
    call_id = "41b31bb4-5213-7fac-9a34-6b03633bc59f"
    mock_http.add(
        relationship_changed("Call with id removed").response(
            "DELETE", f"{ACCOUNTS_URL}/{ACCOUNT_ID}/relationships/calls/{call_id}"
        )
    )

    client.remove_relationship("Accounts", ACCOUNT_ID, "calls", call_id)

    assert mock_http.calls[1].request.method == "DELETE"
    assert mock_http.calls[1].request.body is None


# -- metadata ----------------------------------------------------------------------------


def test_list_modules_and_fields(mock_http, client):
    add_token(mock_http, "AT-1")
    mock_http.add(recorded("meta_modules").response("GET", BASE_URL + "/Api/V8/meta/modules"))
    mock_http.add(
        recorded("meta_fields_accounts").response("GET", BASE_URL + "/Api/V8/meta/fields/Accounts")
    )

    modules = client.list_modules()
    fields = client.module_fields("Accounts")

    assert modules["Accounts"].readable
    assert "list" in modules["Calls"].access
    assert fields["date_modified"].type == "datetime"
    assert fields["id"].required is True
