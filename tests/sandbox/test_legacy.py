"""The sandbox's REST v4_1 over real HTTP: login, lists with SQL fragments,
deleted rows, counts, writes into the CJ modules, relationships, errors."""

from __future__ import annotations

import hashlib
import json

import pytest

from connector.sandbox import SANDBOX_PASSWORD, RunningSandbox
from tests.sandbox.conftest import Api

ACCESS_DENIED = {"name": "Access Denied", "number": 40, "description": "You do not have access"}


@pytest.fixture(scope="module")
def session(api: Api) -> str:
    return api.session()


def values(entry: dict[str, object]) -> dict[str, str]:
    nvl = entry["name_value_list"]
    assert isinstance(nvl, dict)
    return {k: v["value"] for k, v in nvl.items()}


def test_login_takes_md5_or_plain_and_refuses_the_rest(api: Api) -> None:
    plain = api.legacy(
        "login",
        [{"user_name": "admin", "password": SANDBOX_PASSWORD, "encryption": "PLAIN"}, "tests", []],
    )
    assert plain["module_name"] == "Users"
    named = api.legacy(
        "login",
        {
            "user_auth": {
                "user_name": "admin",
                "password": hashlib.md5(SANDBOX_PASSWORD.encode()).hexdigest(),
            },
            "application_name": "tests",
            "name_value_list": [],
        },
    )
    assert len(named["id"]) == 26
    wrong = api.legacy("login", [{"user_name": "admin", "password": "0" * 32}, "tests", []])
    assert wrong["number"] == 10


def test_an_unknown_session_is_error_11(api: Api) -> None:
    answer = api.legacy("get_entry_list", ["nope", "Calls", "", "", 0, ["id"], [], 1, 0, False])
    assert answer == {
        "name": "Invalid Session ID",
        "number": 11,
        "description": "The session ID is invalid",
    }


def test_get_entry_list_pages_with_offsets_and_counts(
    sandbox: RunningSandbox, api: Api, session: str
) -> None:
    total = sandbox.control.count("Calls")
    seen: list[str] = []
    offset = 0
    while True:
        page = api.legacy(
            "get_entry_list",
            [
                session,
                "Calls",
                "",
                "date_modified ASC, id ASC",
                offset,
                ["id", "date_modified", "parent_type"],
                [],
                25,
                0,
                False,
            ],
        )
        assert page["total_count"] == str(total)
        if page["result_count"] == 0:
            break
        seen += [e["id"] for e in page["entry_list"]]
        stamps = [values(e)["date_modified"] for e in page["entry_list"]]
        assert stamps == sorted(stamps)
        assert page["next_offset"] == offset + page["result_count"]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == total


def test_deleted_one_lists_live_and_deleted_rows(
    sandbox: RunningSandbox, api: Api, session: str
) -> None:
    gone = sandbox.control.ids("Tasks", limit=1)[0]
    sandbox.control.delete_record("Tasks", gone)
    live = api.legacy("get_entries_count", [session, "Tasks", "", 0])["result_count"]
    every = api.legacy("get_entries_count", [session, "Tasks", "", 1])["result_count"]
    assert int(live) == sandbox.control.count("Tasks")
    assert int(every) == sandbox.control.count("Tasks", include_deleted=True) > int(live)
    tombstones = api.legacy(
        "get_entry_list",
        [
            session,
            "Tasks",
            "tasks.deleted = 1",
            "",
            0,
            ["id", "deleted", "date_modified"],
            [],
            100,
            1,
            False,
        ],
    )
    assert gone in {e["id"] for e in tombstones["entry_list"]}
    assert {values(e)["deleted"] for e in tombstones["entry_list"]} == {"1"}
    assert values(tombstones["entry_list"][0])["date_modified"] == "2026-11-22 21:49:36"


def test_query_fragments_filter_and_bad_ones_are_refused(
    sandbox: RunningSandbox, api: Api, session: str
) -> None:
    answer = api.legacy(
        "get_entry_list",
        [
            session,
            "Calls",
            "calls.direction = 'Inbound' AND (calls.status IN ('Held', 'Planned') "
            "OR calls.name LIKE 'Intro%') AND calls.date_start IS NOT NULL",
            "",
            0,
            ["direction", "status", "name", "date_start"],
            [],
            500,
            0,
            False,
        ],
    )
    rows = [values(e) for e in answer["entry_list"]]
    assert rows
    for row in rows:
        assert row["direction"] == "Inbound"
        assert row["status"] in ("Held", "Planned") or row["name"].startswith("Intro")
        assert row["date_start"]
    for bad in (
        "1=1; DROP TABLE calls",
        "calls.id IN (SELECT id FROM accounts)",
        "accounts.name = 'x'",
        "no_such_column = 1",
    ):
        assert (
            api.legacy("get_entry_list", [session, "Calls", bad, "", 0, [], [], 5, 0, False])
            == ACCESS_DENIED
        )
    assert sandbox.control.count("Calls") > 0


def test_table_qualified_order_by_is_ignored(api: Api, session: str) -> None:
    def ids(order: str) -> list[str]:
        page = api.legacy(
            "get_entry_list", [session, "Accounts", "", order, 0, ["id"], [], 100, 0, False]
        )
        return [e["id"] for e in page["entry_list"]]

    assert ids("accounts.name DESC") == ids("")
    assert ids("name DESC") != ids("")


def test_set_entries_writes_touchpoints_and_set_entry_updates(
    sandbox: RunningSandbox, api: Api, session: str
) -> None:
    rows = [
        [
            {"name": "name", "value": f"Touch {n}"},
            {"name": "external_key", "value": f"Calls:{n}"},
            {"name": "stage", "value": "awareness"},
        ]
        for n in range(3)
    ]
    ids = api.legacy("set_entries", [session, "CJ_Touchpoints", rows])["ids"]
    assert len(ids) == 3
    answer = api.legacy(
        "set_entry",
        {
            "session": session,
            "module_name": "CJ_Touchpoints",
            "name_value_list": {"id": ids[0], "stage": "loyalty"},
        },
    )
    assert answer["id"] == ids[0]
    assert sandbox.control.get_record("CJ_Touchpoints", ids[0])["stage"] == "loyalty"
    assert sandbox.control.count("CJ_Touchpoints") >= 3


def test_relationships_read_and_write(sandbox: RunningSandbox, api: Api, session: str) -> None:
    account = sandbox.control.ids("Accounts", limit=1)[0]
    journey = sandbox.control.add_record("CJ_Journeys", {"name": "J"})
    made = api.legacy(
        "set_relationship", [session, "Accounts", account, "cj_journeys", [journey], [], 0]
    )
    assert made == {"created": 1, "failed": 0, "deleted": 0}
    related = api.legacy(
        "get_relationships",
        [session, "Accounts", account, "cj_journeys", "", ["id", "name"], [], 0, "", 0, 10],
    )
    assert [e["id"] for e in related["entry_list"]] == [journey]
    assert related["relationship_list"] == []
    linked = api.legacy(
        "get_entry_list",
        [
            session,
            "Accounts",
            f"accounts.id = '{account}'",
            "",
            0,
            ["id"],
            [{"name": "cj_journeys", "value": ["id"]}],
            1,
            0,
            False,
        ],
    )
    records = linked["relationship_list"][0]["link_list"][0]["records"]
    assert [r["link_value"]["id"]["value"] for r in records] == [journey]


def test_unknown_modules_and_php8_unknown_arguments(api: Api, session: str) -> None:
    assert api.legacy("get_entries_count", [session, "Nope", "", 0])["number"] == 20
    answer = api.http.post(
        f"{api.url}/service/v4_1/rest.php",
        data={
            "method": "logout",
            "input_type": "JSON",
            "response_type": "JSON",
            "rest_data": json.dumps({"session": session, "extra": 1}),
        },
        timeout=10,
    )
    assert answer.status_code == 500


def test_get_entries_flags_missing_ids(api: Api, session: str) -> None:
    answer = api.legacy(
        "get_entries",
        [session, "Accounts", ["00000000-0000-0000-0000-000000000000"], ["id"], [], False],
    )
    assert answer["entry_list"][0]["name_value_list"][1] == {"name": "deleted", "value": "1"}
