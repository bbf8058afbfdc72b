"""The sandbox's V8 JSON:API over real HTTP: lists, filters, paging, writes,
relationships, the CJ modules, tokens and their failures."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_PASSWORD_CLIENT_ID,
    SANDBOX_PASSWORD_CLIENT_SECRET,
    RunningSandbox,
)
from tests.sandbox.conftest import Api

PIVOT = "2025-06-01 00:00:00"


def live_accounts(sandbox: RunningSandbox) -> list[dict[str, Any]]:
    store = sandbox.app.services.store
    return store.select(sandbox.app.services.catalog["Accounts"])


@pytest.mark.parametrize(
    ("op", "test"),
    [
        ("eq", lambda v: v == PIVOT),
        ("neq", lambda v: v != PIVOT),
        ("gt", lambda v: v > PIVOT),
        ("gte", lambda v: v >= PIVOT),
        ("lt", lambda v: v < PIVOT),
        ("lte", lambda v: v <= PIVOT),
    ],
)
def test_filter_operators_select_what_sql_would(
    sandbox: RunningSandbox, api: Api, op: str, test: Any
) -> None:
    expected = {
        r["id"] for r in live_accounts(sandbox) if r["date_modified"] and test(r["date_modified"])
    }
    answer = api.v8(
        "GET",
        "module/Accounts",
        params={f"filter[date_modified][{op}]": PIVOT, "page[size]": "100", "page[number]": "1"},
    ).json()
    assert {r["id"] for r in answer["data"]} == expected


def test_or_joins_every_condition(sandbox: RunningSandbox, api: Api) -> None:
    rows = live_accounts(sandbox)
    first, second = rows[0], rows[1]
    answer = api.v8(
        "GET",
        "module/Accounts",
        params={
            "filter[operator]": "or",
            "filter[name][eq]": first["name"],
            "filter[id][eq]": second["id"],
            "page[size]": "50",
            "page[number]": "1",
        },
    ).json()
    expected = {r["id"] for r in rows if r["name"] == first["name"] or r["id"] == second["id"]}
    assert {r["id"] for r in answer["data"]} == expected


def test_paging_sorted_by_date_modified_returns_every_row_once(
    sandbox: RunningSandbox, api: Api
) -> None:
    seen: list[str] = []
    stamps: list[str] = []
    number = 1
    while True:
        answer = api.v8(
            "GET",
            "module/Calls",
            params={
                "sort": "date_modified",
                "page[size]": "7",
                "page[number]": str(number),
                "fields[Calls]": "date_modified",
            },
        ).json()
        if not answer["data"]:
            assert answer["meta"] == {"message": "Request was successful, but there is no result"}
            break
        assert answer["meta"]["records-on-this-page"] == len(answer["data"])
        seen += [r["id"] for r in answer["data"]]
        stamps += [r["attributes"]["date_modified"] for r in answer["data"]]
        number += 1
    count = sandbox.control.count("Calls")
    assert len(seen) == len(set(seen)) == count
    assert stamps == sorted(stamps)
    assert number - 1 == -(-count // 7)


def test_a_list_without_paging_returns_list_max_entries_rows_and_no_meta(api: Api) -> None:
    answer = api.v8("GET", "module/Emails").json()
    assert set(answer) == {"data"}
    assert len(answer["data"]) == 20


def test_create_update_delete_round_trip(sandbox: RunningSandbox, api: Api) -> None:
    chosen = str(uuid.uuid4())
    body = {
        "data": {
            "type": "Notes",
            "id": chosen,
            "attributes": {
                "name": 'O\'Neil said "<b>hi</b>" & left',
                "parent_type": "Accounts",
                "parent_id": live_accounts(sandbox)[0]["id"],
            },
        }
    }
    created = api.v8("POST", "module", body=body)
    assert created.status_code == 201
    attributes = created.json()["data"]["attributes"]
    assert attributes["name"] == "O&#039;Neil said &quot;&lt;b&gt;hi&lt;/b&gt;&quot; & left"
    assert attributes["parent_name"] == live_accounts(sandbox)[0]["name"]
    assert attributes["date_modified"] == "2026-11-22T21:49:00+00:00"

    duplicate = api.v8("POST", "module", body=body)
    assert duplicate.status_code == 400  # as recorded (notes_create_existing_id)
    assert duplicate.json()["errors"] == {
        "status": 400,
        "title": None,
        "detail": f"Bean Notes with id {chosen} is already exist",
    }

    sandbox.control.advance_clock(120)
    updated = api.v8(
        "PATCH",
        "module",
        body={"data": {"type": "Notes", "id": chosen, "attributes": {"name": "edited"}}},
    )
    assert updated.status_code == 201
    assert updated.json()["data"]["attributes"]["date_modified"] == "2026-11-22T21:51:00+00:00"

    deleted = api.v8("DELETE", f"module/Notes/{chosen}")
    assert deleted.json() == {
        "meta": {"message": f"Record with id {chosen} is deleted"},
        "data": [],
    }
    gone = api.v8("GET", f"module/Notes/{chosen}")
    assert gone.status_code == 400
    assert gone.json()["errors"]["detail"] == f"Notes module with id {chosen} is not found"
    assert sandbox.control.get_record("Notes", chosen)["deleted"] == 1
    listed = api.v8("GET", "module/Notes", params={"filter[id][eq]": chosen, "page[size]": "5"})
    assert listed.json()["data"] == []


def test_unknown_properties_are_refused(api: Api) -> None:
    answer = api.v8(
        "POST", "module", body={"data": {"type": "Accounts", "attributes": {"colour": "red"}}}
    )
    assert answer.status_code == 400
    assert answer.json()["errors"]["detail"] == "Property colour in Account module is invalid"


def test_cj_modules_are_writable_and_linked(sandbox: RunningSandbox, api: Api) -> None:
    account = live_accounts(sandbox)[2]["id"]
    journey = api.v8(
        "POST",
        "module",
        body={
            "data": {
                "type": "CJ_Journeys",
                "attributes": {
                    "name": "Journey",
                    "account_id": account,
                    "current_stage": "purchase",
                    "health_score": 72,
                },
            }
        },
    )
    assert journey.status_code == 201
    journey_id = journey.json()["data"]["id"]
    touch = {
        "data": {
            "type": "CJ_Touchpoints",
            "attributes": {
                "name": "Demo",
                "journey_id": journey_id,
                "account_id": account,
                "stage": "evaluation",
                "external_key": "Meetings:abc",
                "occurred_at": "2026-01-02 10:00:00",
            },
        }
    }
    assert api.v8("POST", "module", body=touch).status_code == 201
    again = api.v8("POST", "module", body=touch)
    assert again.status_code == 400
    assert again.json()["errors"]["detail"].startswith("Database failure")

    related = api.v8("GET", f"module/Accounts/{account}/relationships/cj_journeys").json()
    assert [r["id"] for r in related["data"]] == [journey_id]
    assert related["data"][0]["links"] == {"self": f"V8/module/CJ_Journeys/{journey_id}"}
    points = api.v8("GET", f"module/CJ_Journeys/{journey_id}/relationships/cj_touchpoints").json()
    assert [p["attributes"]["external_key"] for p in points["data"]] == ["Meetings:abc"]
    assert points["data"][0]["attributes"]["occurred_at"] == "2026-01-02T10:00:00+00:00"


def test_relationships_can_be_added_and_removed(sandbox: RunningSandbox, api: Api) -> None:
    account = live_accounts(sandbox)[3]["id"]
    contact = sandbox.control.add_record("Contacts", {"first_name": "Ada", "last_name": "Lovelace"})
    added = api.v8(
        "POST",
        f"module/Accounts/{account}/relationships/contacts",
        body={"data": {"type": "Contacts", "id": contact}},
    )
    assert added.status_code == 201
    assert added.json()["meta"]["relationshipLink"] == "contacts"
    shown = api.v8("GET", f"module/Contacts/{contact}").json()["data"]["attributes"]
    assert shown["account_id"] == account
    assert shown["name"] == "Ada Lovelace"
    removed = api.v8("DELETE", f"module/Accounts/{account}/relationships/contacts/{contact}")
    assert removed.status_code == 200
    again = api.v8("DELETE", f"module/Accounts/{account}/relationships/contacts/{contact}")
    assert again.status_code == 400
    assert again.json()["errors"]["detail"] == f"Module with {contact} id is not related to Account"


def test_meta_lists_the_cj_modules_and_their_fields(api: Api) -> None:
    modules = api.v8("GET", "meta/modules").json()["data"]["attributes"]
    assert {"Accounts", "CJ_Journeys", "AOS_Quotes"} <= set(modules)
    fields = api.v8("GET", "meta/fields/CJ_Touchpoints").json()["data"]["attributes"]
    assert fields["external_key"]["dbType"] == "varchar"
    assert fields["cj_journeys"] == {
        "type": "link",
        "dbType": "link",
        "required": False,
        "source": "non-db",
        "relationship": "cj_journeys_cj_touchpoints",
    }


def test_unknown_routes_and_methods(api: Api) -> None:
    assert api.v8("GET", "no/such/route").json() == {"message": "Not found"}
    assert api.v8("PUT", "module").status_code == 405


def token(api: Api, **form: str) -> Any:
    return api.http.post(f"{api.url}/Api/access_token", data=form, timeout=10)


def test_tokens_expire_on_the_sandbox_clock(sandbox: RunningSandbox, api: Api) -> None:
    access = api.token()
    assert api.v8("GET", "meta/modules", token=access).status_code == 200
    before = sandbox.control.now()
    sandbox.control.advance_clock(3601)
    try:
        expired = api.v8("GET", "meta/modules", token=access)
    finally:
        sandbox.control.set_clock(before)
    assert expired.status_code == 401
    assert expired.json()["hint"] == "Access token could not be verified"
    garbage = api.v8("GET", "meta/modules", token="garbage")
    assert garbage.json()["hint"] == "The JWT string must have two dots"


def test_refresh_tokens_rotate(api: Api) -> None:
    first = token(
        api,
        grant_type="password",
        client_id=SANDBOX_PASSWORD_CLIENT_ID,
        client_secret=SANDBOX_PASSWORD_CLIENT_SECRET,
        username="admin",
        password=SANDBOX_PASSWORD,
    ).json()
    second = token(
        api,
        grant_type="refresh_token",
        client_id=SANDBOX_PASSWORD_CLIENT_ID,
        client_secret=SANDBOX_PASSWORD_CLIENT_SECRET,
        refresh_token=first["refresh_token"],
    )
    assert second.status_code == 200
    assert set(second.json()) == {"token_type", "expires_in", "access_token", "refresh_token"}
    reused = token(
        api,
        grant_type="refresh_token",
        client_id=SANDBOX_PASSWORD_CLIENT_ID,
        client_secret=SANDBOX_PASSWORD_CLIENT_SECRET,
        refresh_token=first["refresh_token"],
    )
    assert (reused.status_code, reused.json()["error"]) == (401, "invalid_request")
    old = api.v8("GET", "meta/modules", token=first["access_token"])
    assert old.json()["hint"] == "Access token has been revoked"


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        (
            {
                "grant_type": "client_credentials",
                "client_id": SANDBOX_CLIENT_ID,
                "client_secret": "x",
            },
            401,
            "invalid_client",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"},
            500,
            "unknown_error",
        ),
        (
            {
                "grant_type": "password",
                "client_id": SANDBOX_CLIENT_ID,
                "client_secret": SANDBOX_CLIENT_SECRET,
                "username": "admin",
                "password": SANDBOX_PASSWORD,
            },
            401,
            "invalid_client",
        ),
        (
            {
                "grant_type": "client_credentials",
                "client_id": SANDBOX_CLIENT_ID,
                "client_secret": SANDBOX_CLIENT_SECRET,
                "scope": "all",
            },
            400,
            "invalid_scope",
        ),
        ({"grant_type": "implicit"}, 400, "unsupported_grant_type"),
        ({"grant_type": "client_credentials"}, 400, "invalid_request"),
    ],
)
def test_token_failures_answer_as_suitecrm(
    api: Api, form: dict[str, str], status: int, error: str
) -> None:
    answer = token(api, **form)
    assert (answer.status_code, answer.json()["error"]) == (status, error)
    assert answer.json()["message"] == answer.json()["error_description"]


def test_a_wrong_user_password_is_a_500_that_repeats_it(api: Api) -> None:
    answer = token(
        api,
        grant_type="password",
        client_id=SANDBOX_PASSWORD_CLIENT_ID,
        client_secret=SANDBOX_PASSWORD_CLIENT_SECRET,
        username="admin",
        password="oops",
    )
    assert answer.status_code == 500
    assert answer.json()["error_description"] == "The password is invalid: oops"
