"""Test controls, in Python and through the admin endpoint another process uses:
changing data while the server runs, moving the clock, and the request log."""

from __future__ import annotations

import pytest
import requests

from connector.sandbox import ControlError, RunningSandbox
from tests.sandbox.conftest import Api


def admin(
    sandbox: RunningSandbox, method: str, path: str, body: object = None
) -> requests.Response:
    return requests.request(method, f"{sandbox.url}/sandbox/admin{path}", json=body, timeout=10)


def test_an_incremental_read_sees_changes_made_from_outside(
    sandbox: RunningSandbox, api: Api
) -> None:
    before = admin(sandbox, "GET", "/clock").json()["now"]
    moved = admin(sandbox, "POST", "/clock", {"advance": 3600}).json()["now"]
    assert moved > before
    account = sandbox.control.ids("Accounts", limit=1)[0]
    changed = admin(
        sandbox, "PATCH", f"/records/Accounts/{account}", {"attributes": {"industry": "Energy"}}
    )
    assert changed.json()["record"]["date_modified"] == moved
    added = admin(
        sandbox,
        "POST",
        "/records/Calls",
        {
            "attributes": {
                "name": "New call",
                "parent_type": "Accounts",
                "parent_id": account,
                "status": "Held",
            }
        },
    ).json()
    removed = sandbox.control.ids("Meetings", limit=1)[0]
    assert admin(sandbox, "DELETE", f"/records/Meetings/{removed}").json()["record"]["deleted"] == 1

    token = api.token()  # after the clock moved an hour: older tokens have expired
    since = {"filter[date_modified][gte]": moved, "page[size]": "50", "page[number]": "1"}
    accounts = api.v8("GET", "module/Accounts", token=token, params=since).json()["data"]
    assert [a["id"] for a in accounts] == [account]
    calls = api.v8("GET", "module/Calls", token=token, params=since).json()["data"]
    assert [c["id"] for c in calls] == [added["id"]]
    assert api.v8("GET", "module/Meetings", token=token, params=since).json()["data"] == []
    session = api.session()
    tombstones = api.legacy(
        "get_entry_list",
        [
            session,
            "Meetings",
            f"meetings.date_modified >= '{moved}'",
            "",
            0,
            ["id", "deleted"],
            [],
            10,
            1,
            False,
        ],
    )
    assert [e["id"] for e in tombstones["entry_list"]] == [removed]


def test_the_request_log_counts_per_endpoint(sandbox: RunningSandbox, api: Api) -> None:
    token = api.token()
    assert admin(sandbox, "DELETE", "/requests").json() == {"total": 0}
    for _ in range(3):
        api.v8("GET", "module/Cases", token=token, params={"page[size]": "2", "page[number]": "1"})
    api.v8("GET", "module/Nope", token=token)
    counts = admin(sandbox, "GET", "/requests").json()
    assert counts["counts"] == {"GET /Api/V8/module/{module}": 4}
    assert counts["statuses"] == {"200": 3, "400": 1}
    snapshot = sandbox.control.requests()
    assert snapshot.count("GET /Api/V8/module/{module}", "Cases") == 3


def test_faults_and_tokens_through_the_admin_endpoint(sandbox: RunningSandbox, api: Api) -> None:
    token = api.token()
    assert admin(sandbox, "PATCH", "/faults", {"latency_ms": 1}).json()["latency_ms"] == 1
    assert admin(sandbox, "PATCH", "/faults", {"latency_ms": 0}).status_code == 200
    assert admin(sandbox, "PATCH", "/faults", {"bogus": 1}).status_code == 400
    assert admin(sandbox, "POST", "/faults/queue", {"kind": "502"}).status_code == 200
    assert api.v8("GET", "meta/modules", token=token).status_code == 502
    assert admin(sandbox, "POST", "/tokens/expire").json()["expired"] >= 1
    refused = api.v8("GET", "meta/modules", token=token)
    assert refused.json()["hint"] == "Access token has been revoked"


def test_control_errors_name_the_problem(sandbox: RunningSandbox) -> None:
    with pytest.raises(ControlError, match="unknown module"):
        sandbox.control.add_record("Nope", {})
    with pytest.raises(ControlError, match="no field"):
        sandbox.control.add_record("Accounts", {"colour": "red"})
    with pytest.raises(ControlError, match="no live"):
        sandbox.control.update_record("Accounts", "00000000-0000-0000-0000-000000000000", {})
    assert admin(sandbox, "GET", "/records/Accounts/none").status_code == 400
    assert admin(sandbox, "GET", "/nowhere").status_code == 404
