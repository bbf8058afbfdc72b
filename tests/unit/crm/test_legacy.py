"""LegacyClient (REST v4_1) against recorded SuiteCRM 7.14 answers."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest

from connector.crm.legacy import (
    LegacyClient,
    LegacyCredentials,
    order_clause,
    sql_literal,
    where_clause,
)
from connector.crm.records import Condition, Op, Query
from connector.errors import AuthenticationError, ConfigurationError, ProtocolError
from connector.secrets import Secret
from tests.unit.crm.conftest import (
    BASE_URL,
    form_of,
    legacy_method,
    recorded,
    rest_data,
)
from tests.unit.crm.synthetic_responses import (
    html_error_page,
    legacy_entries,
    legacy_entry_with_entities,
    legacy_login,
    legacy_page,
)

REST_URL = BASE_URL + "/service/v4_1/rest.php"
CREDS = LegacyCredentials("admin", Secret("AdminPass123"))
DM = datetime(2026, 11, 22, 21, 49, 36, tzinfo=UTC)


@pytest.fixture
def client(transport) -> LegacyClient:
    return LegacyClient(transport, CREDS)


def add(mock_http, rec) -> None:
    mock_http.add(rec.response("POST", REST_URL))


def recorded_args(name: str) -> dict:
    """The recorded rest_data: a JSON object whose key order is the PHP signature."""
    return json.loads(recorded(name).request["body"]["form"]["rest_data"])


# -- where / order_by --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (Query("Calls"), ""),
        (
            Query("Calls", conditions=(Condition("date_modified", Op.GTE, DM),)),
            "calls.date_modified >= '2026-11-22 21:49:36'",
        ),
        (
            Query("Accounts", conditions=(Condition("date_modified", Op.GT, DM),)),
            "accounts.date_modified > '2026-11-22 21:49:36'",
        ),
        (
            Query(
                "Calls",
                conditions=(
                    Condition("date_modified", Op.GTE, DM),
                    Condition("status", Op.NEQ, "Held"),
                ),
            ),
            "(calls.date_modified >= '2026-11-22 21:49:36' AND calls.status <> 'Held')",
        ),
        (
            Query(
                "Calls",
                match="or",
                conditions=(Condition("date_modified", Op.LT, DM), Condition("deleted", Op.EQ, 1)),
            ),
            "(calls.date_modified < '2026-11-22 21:49:36' OR calls.deleted = '1')",
        ),
        (
            Query("Accounts", conditions=(Condition("name", Op.EQ, "O'Reilly"),)),
            "accounts.name = 'O\\'Reilly'",
        ),
        (
            Query("Accounts", conditions=(Condition("name", Op.LTE, "back\\slash' OR '1'='1"),)),
            "accounts.name <= 'back\\\\slash\\' OR \\'1\\'=\\'1'",
        ),
        (
            Query("ProspectLists", conditions=(Condition("name", Op.EQ, "x"),)),
            "prospect_lists.name = 'x'",
        ),
    ],
)
def test_where_clause(query, expected):
    assert where_clause(query) == expected


@pytest.mark.parametrize("bad", ["name; DROP TABLE users", "calls.name", "", "name'"])
def test_where_clause_refuses_field_names_that_are_not_names(bad):
    with pytest.raises(ConfigurationError):
        where_clause(Query("Calls", conditions=(Condition(bad, Op.EQ, "x"),)))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date_modified", "date_modified ASC, id ASC"),
        ("-date_modified", "date_modified DESC, id DESC"),
        ("id", "id ASC"),
        ("-id", "id DESC"),
        (None, "id ASC"),
    ],
)
def test_order_clause_uses_bare_names_with_id_as_tie_breaker(sort, expected):
    assert order_clause(Query("Calls", sort=sort)) == expected


def test_order_clause_refuses_a_qualified_name():
    with pytest.raises(ConfigurationError):
        order_clause(Query("Calls", sort="calls.date_modified"))


def test_sql_literal_escapes_quotes_and_backslashes():
    assert sql_literal("it's a \\ test") == "'it\\'s a \\\\ test'"


# -- login -------------------------------------------------------------------------------


def test_login_sends_the_md5_of_the_password_never_the_password(mock_http, client):
    add(mock_http, legacy_login("sess-1"))

    client.authenticate()

    form = form_of(mock_http.calls[0])
    assert {k: form[k] for k in ("method", "input_type", "response_type")} == {
        "method": "login",
        "input_type": "JSON",
        "response_type": "JSON",
    }
    recorded_md5 = recorded_args("legacy_login")["user_auth"]["password"]
    assert recorded_md5 == hashlib.md5(b"AdminPass123").hexdigest()
    assert rest_data(mock_http.calls[0]) == [
        {"user_name": "admin", "password": recorded_md5},
        "suitecrm-journey",
        [],
    ]
    assert "AdminPass123" not in mock_http.calls[0].request.body
    assert client.user["user_name"] == "admin"


def test_invalid_login_is_an_authentication_error(mock_http, transport):
    add(mock_http, recorded("legacy_login_bad_password"))
    client = LegacyClient(transport, LegacyCredentials("admin", Secret("wrong-password")))

    with pytest.raises(AuthenticationError) as caught:
        client.authenticate()

    assert caught.value.exit_code == 3
    assert "wrong-password" not in str(caught.value)
    assert hashlib.md5(b"wrong-password").hexdigest() not in str(caught.value)
    assert len(mock_http.calls) == 1


def test_connect_falls_back_to_the_suitecrm_8_path(mock_http, transport):
    mock_http.add(html_error_page(404).response("POST", REST_URL))
    mock_http.add(
        legacy_login("sess-1").response("POST", BASE_URL + "/legacy/service/v4_1/rest.php")
    )

    client = LegacyClient.connect(transport, CREDS)

    assert client.rest_path == "/legacy/service/v4_1/rest.php"


# -- get_entry_list ----------------------------------------------------------------------


def test_get_entry_list_rest_data_is_an_array_in_php_signature_order(mock_http, client):
    add(mock_http, legacy_login("sess-1"))
    add(mock_http, recorded("legacy_get_entry_list_accounts_modified_since"))
    query = Query(
        "Accounts",
        conditions=(Condition("date_modified", Op.GT, DM),),
        fields=("name", "date_modified", "deleted"),
    )

    records, next_offset, total = client.fetch(query, offset=0, max_results=20)

    sent = rest_data(mock_http.calls[1])
    assert isinstance(sent, list)
    expected = recorded_args("legacy_get_entry_list_accounts_modified_since")
    expected.update(session="sess-1", order_by="date_modified ASC, id ASC")
    assert dict(zip(expected, sent, strict=True)) == expected
    assert legacy_method(mock_http.calls[1]) == "get_entry_list"
    assert (next_offset, total) == (1, 1)
    assert records[0].date_modified == datetime(2026, 11, 22, 21, 52, 42, tzinfo=UTC)


def test_deleted_records_come_back_marked_deleted(mock_http, client):
    add(mock_http, legacy_login("sess-1"))
    add(mock_http, recorded("legacy_get_entry_list_notes_deleted"))
    query = Query(
        "Notes",
        conditions=(Condition("deleted", Op.EQ, 1),),
        fields=("name",),
        include_deleted=True,
        sort=None,
    )

    records = list(client.iter_records(query, page_size=20))

    sent = dict(
        zip(
            recorded_args("legacy_get_entry_list_notes_deleted"),
            rest_data(mock_http.calls[1]),
            strict=True,
        )
    )
    assert sent["deleted"] == 1
    assert sent["select_fields"] == ["id", "name", "date_modified", "deleted"]
    assert sent["query"] == "notes.deleted = '1'"
    assert [r.deleted for r in records] == [True, True]
    assert [r.module for r in records] == ["Notes", "Notes"]


def test_entities_are_unescaped_and_seconds_kept(mock_http, client):
    add(mock_http, legacy_login("sess-1"))
    add(mock_http, legacy_entry_with_entities())

    (record,) = client.iter_records(Query("Accounts"), page_size=20)

    assert record.get("name") == "O'Reilly & Sons"
    assert record.date_modified == datetime(2026, 11, 22, 21, 52, 42, tzinfo=UTC)
    assert record.deleted is False


@pytest.mark.parametrize(
    ("pages", "expected_offsets", "expected_count"),
    [
        # total_count reached: no third request although the page was full
        ([(3, 0, 6, 3), (3, 3, 6, 6)], [0, 3], 6),
        # a short page ends the walk
        ([(3, 0, 7, 3), (3, 3, 7, 6), (1, 6, 7, 7)], [0, 3, 6], 7),
        # rows vanished while reading: total_count says 9, the third page is empty
        ([(3, 0, 9, 3), (3, 3, 9, 6), (0, 6, 9, 6)], [0, 3, 6], 6),
        # next_offset from the server is where the next page starts
        ([(3, 0, 20, 5), (2, 5, 20, 7)], [0, 5], 5),
    ],
    ids=["total_count", "short_page", "empty_page", "next_offset"],
)
def test_iter_records_offset_pagination(mock_http, client, pages, expected_offsets, expected_count):
    add(mock_http, legacy_login("sess-1"))
    for count, start, total, next_offset in pages:
        add(
            mock_http,
            legacy_page(
                legacy_entries(count, start=start), total_count=total, next_offset=next_offset
            ),
        )

    records = list(client.iter_records(Query("Calls"), page_size=3))

    calls = [c for c in mock_http.calls if legacy_method(c) == "get_entry_list"]
    assert [rest_data(c)[4] for c in calls] == expected_offsets
    assert all(rest_data(c)[7] == 3 for c in calls)
    assert all(rest_data(c)[3] == "date_modified ASC, id ASC" for c in calls)
    assert len(records) == expected_count
    assert len({r.id for r in records}) == expected_count


def test_iter_records_is_lazy(mock_http, client):
    add(mock_http, legacy_login("sess-1"))
    add(mock_http, legacy_page(legacy_entries(3), total_count=5, next_offset=3))
    add(mock_http, legacy_page(legacy_entries(2, start=3), total_count=5, next_offset=5))

    records = client.iter_records(Query("Calls"), page_size=3)
    assert len(mock_http.calls) == 0
    for _ in range(3):
        next(records)
    assert len(mock_http.calls) == 2
    assert len(list(records)) == 2
    assert len(mock_http.calls) == 3


def test_a_repeated_page_raises_instead_of_looping(mock_http, client):
    add(mock_http, legacy_login("sess-1"))
    add(mock_http, legacy_page(legacy_entries(3), total_count=50, next_offset=3))
    add(mock_http, legacy_page(legacy_entries(3), total_count=50, next_offset=6))

    with pytest.raises(ProtocolError, match="same Calls rows twice"):
        list(client.iter_records(Query("Calls"), page_size=3))


def test_invalid_session_mid_iteration_logs_in_again_once_and_retries(mock_http, client):
    add(mock_http, legacy_login("sess-1"))
    add(mock_http, legacy_page(legacy_entries(3), total_count=5, next_offset=3))
    add(mock_http, recorded("legacy_get_entry_list_invalid_session"))
    add(mock_http, legacy_login("sess-2"))
    add(mock_http, legacy_page(legacy_entries(2, start=3), total_count=5, next_offset=5))

    records = list(client.iter_records(Query("Calls"), page_size=3))

    assert len(records) == 5
    assert [legacy_method(c) for c in mock_http.calls] == [
        "login",
        "get_entry_list",
        "get_entry_list",
        "login",
        "get_entry_list",
    ]
    assert [rest_data(c)[0] for c in mock_http.calls if legacy_method(c) != "login"] == [
        "sess-1",
        "sess-1",
        "sess-2",
    ]
    assert [rest_data(c)[4] for c in mock_http.calls[2:] if legacy_method(c) != "login"] == [3, 3]


def test_invalid_session_after_a_fresh_login_is_an_authentication_error(mock_http, client):
    add(mock_http, legacy_login("sess-1"))
    add(mock_http, recorded("legacy_get_entry_list_invalid_session"))
    add(mock_http, legacy_login("sess-2"))
    add(mock_http, recorded("legacy_get_entry_list_invalid_session"))

    with pytest.raises(AuthenticationError) as caught:
        list(client.iter_records(Query("Calls"), page_size=3))

    assert "sess-1" not in str(caught.value) and "sess-2" not in str(caught.value)
    assert len(mock_http.calls) == 4


# -- relationships and logout ------------------------------------------------------------


def test_get_relationships_rest_data_in_php_signature_order(mock_http, client):
    add(mock_http, legacy_login("sess-1"))
    rec = recorded("legacy_get_relationships_account_calls")
    add(mock_http, rec)

    related = client.get_related("Accounts", "31d5362c-0725-d759-3167-6b0363a00e6b", "calls")

    sent = dict(zip(recorded_args(rec.name), rest_data(mock_http.calls[1]), strict=True))
    expected = recorded_args(rec.name)
    for key in (
        "module_name",
        "module_id",
        "link_field_name",
        "related_module_query",
        "deleted",
        "order_by",
        "offset",
    ):
        assert sent[key] == expected[key], key
    assert sent["session"] == "sess-1"
    assert [(r.module, r.id, r.get("name")) for r in related] == [
        ("Calls", "41b31bb4-5213-7fac-9a34-6b03633bc59f", "Left a message")
    ]


def test_close_logs_out_with_the_session(mock_http, client):
    add(mock_http, legacy_login("sess-1"))
    add(mock_http, recorded("legacy_logout"))

    client.authenticate()
    client.close()

    assert legacy_method(mock_http.calls[1]) == "logout"
    assert rest_data(mock_http.calls[1]) == ["sess-1"]
