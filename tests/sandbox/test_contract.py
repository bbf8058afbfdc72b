"""Contract tests: every recorded real SuiteCRM 7.14.6 answer, replayed against the sandbox.

For each recorded request the same request (credentials, tokens, sessions and
record ids replaced by the sandbox's) goes to a sandbox holding 50 accounts,
like the recording instance, and the answer's structure is compared: status,
content type, keys, value types, pagination meta and links, and error bodies.
Ids and texts are not compared, except error details, Accounts page links and
the answers that show what SuiteCRM does to what it is sent (its save-time
cleaning of text, set_entries with and without new_with_id, the Emails deleted
listing that fails), which do not depend on the data.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_PASSWORD_CLIENT_ID,
    SANDBOX_PASSWORD_CLIENT_SECRET,
    RunningSandbox,
    start_sandbox,
)
from tests.sandbox.conftest import Api

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "recorded"
CASES = sorted(RECORDED.glob("*.json"))
RECORDED_ACCOUNT = "31d5362c-0725-d759-3167-6b0363a00e6b"
RECORDED_NOTE = "75720071-84ee-1c90-676a-6b0364eed2b4"
RECORDED_PASSWORD = "AdminPass123"
RECORDED_HTML_NOTE = "83602cdc-4098-c1cf-53c6-6b0f973253f5"
# get_entry after set_entries: the set_entries that made (or did not make) the record.
SET_ENTRIES_BEFORE = {
    "legacy_get_entry_after_set_entries_with_new_with_id.json": (
        "legacy_set_entries_chosen_id_with_new_with_id.json"
    ),
    "legacy_get_entry_after_set_entries_without_new_with_id.json": (
        "legacy_set_entries_chosen_id_without_new_with_id.json"
    ),
}
# Answers compared value for value (ids substituted), not only by shape.
EXACT = frozenset(
    {
        "legacy_get_entry_after_set_entries_without_new_with_id.json",
        "legacy_set_entries_chosen_id_with_new_with_id.json",
        "legacy_set_entries_chosen_id_without_new_with_id.json",
    }
)
CLEANED_TEXT = frozenset({"notes_create_html_like_text.json", "notes_get_html_like_text.json"})
SUBSTITUTIONS = {
    "7dffa5e9-101a-4c1a-9e58-4b8e83ea72d7": SANDBOX_CLIENT_ID,
    "cc-secret-peer-123": SANDBOX_CLIENT_SECRET,
    "ece4a63e-f5fa-438d-bfd4-1744173a93b2": SANDBOX_PASSWORD_CLIENT_ID,
    "pw-secret-peer-123": SANDBOX_PASSWORD_CLIENT_SECRET,
    RECORDED_PASSWORD: SANDBOX_PASSWORD,
    hashlib.md5(RECORDED_PASSWORD.encode()).hexdigest(): hashlib.md5(
        SANDBOX_PASSWORD.encode()
    ).hexdigest(),
}
# Data-dependent members: strings here may be null there and back.
LOOSE_KEYS = {"first", "prev", "next", "last"}
# Members whose keys may grow: the sandbox has the CJ module installed.
SUPERSET_KEYS = {"attributes", "relationships"}


@pytest.fixture(scope="module")
def contract() -> Iterator[RunningSandbox]:
    with start_sandbox(
        accounts=50,
        seed=3,
        now="2026-11-22 21:52:42",
        generator={"b2c_share": 0, "stalled_lead_share": 0},
    ) as running:
        # As on the recording instance: one account touched after the demo data was
        # loaded, and two deleted notes.
        running.control.update_record(
            "Accounts", busiest_account(running), {"description": "Touched by the contract tests"}
        )
        for note in running.control.ids("Notes", limit=2):
            running.control.delete_record("Notes", note)
        yield running


def busiest_account(sandbox: RunningSandbox) -> str:
    """An account with calls, cases, contacts, emails, meetings and opportunities."""
    store = sandbox.app.services.store
    spec = sandbox.app.services.catalog["Accounts"]
    for row in store.select(spec):
        if all(
            store.related(spec.links[link], row["id"])
            for link in ("calls", "cases", "contacts", "emails", "meetings", "opportunities")
        ):
            return str(row["id"])
    raise AssertionError("no account with every kind of related record")


def shape_matches(recorded: Any, actual: Any, path: str = "$") -> list[str]:
    """Differences in structure between a recorded value and the sandbox's."""
    if isinstance(recorded, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {type(actual).__name__}"]
        problems = []
        missing = set(recorded) - set(actual)
        extra = set(actual) - set(recorded)
        if missing:
            problems.append(f"{path}: missing keys {sorted(missing)}")
        if extra and path.rsplit(".", 1)[-1].split("[")[0] not in SUPERSET_KEYS:
            problems.append(f"{path}: unexpected keys {sorted(extra)}")
        for key in set(recorded) & set(actual):
            if key in LOOSE_KEYS and (recorded[key] is None or actual[key] is None):
                continue
            problems += shape_matches(recorded[key], actual[key], f"{path}.{key}")
        return problems
    if isinstance(recorded, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {type(actual).__name__}"]
        if recorded and actual:
            return shape_matches(recorded[0], actual[0], f"{path}[0]")
        return [] if bool(recorded) == bool(actual) else [f"{path}: emptiness differs"]
    if type(recorded) is not type(actual):
        return [f"{path}: expected {type(recorded).__name__}, got {type(actual).__name__}"]
    return []


def trim_open_maps(file: str, recorded: Any, actual: Any) -> Any:
    """meta/fields and meta/modules are open maps: the recording instance had more
    modules, and vardef entries carry optional keys (len, default, comments).
    Keep the entries both sides have, and of each field the keys every vardef has."""
    if not file.startswith("meta_"):
        return recorded
    attributes = recorded["data"]["attributes"]
    shown = actual["data"]["attributes"]
    if file == "meta_modules.json":
        kept = {k: v for k, v in attributes.items() if k in shown}
    else:
        assert set(attributes) <= set(shown), sorted(set(attributes) - set(shown))
        kept = {
            k: {key: v[key] for key in ("type", "dbType", "required")}
            for k, v in attributes.items()
        }
        for name, entry in shown.items():
            shown[name] = {key: entry[key] for key in ("type", "dbType", "required")}
    return {**recorded, "data": {**recorded["data"], "attributes": kept}}


def substitute(text: str, ids: dict[str, str]) -> str:
    for old, new in {**SUBSTITUTIONS, **ids}.items():
        text = text.replace(old, new)
    return text


class Replayer:
    """Turns a recorded request into the same request to the sandbox."""

    def __init__(self, sandbox: RunningSandbox, case: dict[str, Any]) -> None:
        self.sandbox = sandbox
        self.api = Api(sandbox)
        self.case = case
        self.ids: dict[str, str] = {RECORDED_ACCOUNT: busiest_account(sandbox)}

    def chosen_ids(self, file: str) -> None:
        """Fresh ids in place of the client-chosen ids a recorded request carries."""
        text = json.dumps(json.loads((RECORDED / file).read_text())["request"])
        for recorded in re.findall(
            r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text
        ):
            self.ids.setdefault(recorded, str(uuid.uuid4()))

    def prepare(self, file: str) -> None:
        control = self.sandbox.control
        if file.startswith("legacy_set_entries_"):
            self.chosen_ids(file)
        if file in SET_ENTRIES_BEFORE:
            before = SET_ENTRIES_BEFORE[file]
            self.chosen_ids(before)
            made = Replayer(self.sandbox, json.loads((RECORDED / before).read_text()))
            made.ids = self.ids
            assert made.send(before).status_code == 200
        if file == "legacy_get_entry_list_calls_deleted.json" and not self.deleted("Calls"):
            control.delete_record("Calls", control.ids("Calls", limit=1)[0])
        if file in ("notes_get_html_like_text.json", "notes_create_existing_id.json"):
            create = json.loads((RECORDED / "notes_create_html_like_text.json").read_text())
            answer = self.api.v8("POST", "module", body=create["request"]["body"]["json"])
            assert answer.status_code == 201, answer.text
            self.ids[RECORDED_HTML_NOTE] = answer.json()["data"]["id"]
        if file.startswith("notes_") and file != "notes_create.json":
            note = control.add_record(
                "Notes",
                {
                    "name": "Peer recorder note",
                    "parent_type": "Accounts",
                    "parent_id": self.ids[RECORDED_ACCOUNT],
                },
            )
            self.ids[RECORDED_NOTE] = note
            if file == "notes_get_after_delete.json":
                control.delete_record("Notes", note)

    def deleted(self, module: str) -> int:
        control = self.sandbox.control
        return control.count(module, include_deleted=True) - control.count(module)

    def token(self, file: str) -> str:
        token = self.api.token()
        if file == "error_401_token_expired_server_side.json":
            self.sandbox.control.expire_tokens()
        if file == "error_401_expired_token.json":
            # Sign now, then check an hour and a bit later; the clock goes back after.
            self.sandbox.control.advance_clock(3700)
        if file == "error_401_invalid_token.json":
            return "not-a-jwt"
        return token

    def send(self, file: str) -> requests.Response:
        request = self.case["request"]
        self.prepare(file)
        headers = {k: v for k, v in request["headers"].items() if k != "Authorization"}
        if "Authorization" in request["headers"]:
            headers["Authorization"] = f"Bearer {self.token(file)}"
        query = [(k, substitute(v, self.ids)) for k, v in request["query"]]
        path = substitute(request["path"], self.ids)
        url = f"{self.sandbox.url}{path}" + (f"?{urlencode(query)}" if query else "")
        body = request.get("body") or {}
        data: Any = None
        if "json" in body:
            data = substitute(json.dumps(body["json"]), self.ids)
        elif "form" in body:
            form = dict(body["form"])
            if "rest_data" in form:
                form["rest_data"] = self.rest_data(form["rest_data"])
            if form.get("refresh_token") == "REDACTED":
                form["refresh_token"] = self.refresh_token()
            data = {k: substitute(v, self.ids) for k, v in form.items()}
        return requests.request(request["method"], url, headers=headers, data=data, timeout=10)

    def rest_data(self, text: str) -> str:
        if '"REDACTED"' in text:
            text = text.replace('"REDACTED"', json.dumps(self.api.session()))
        return substitute(text, self.ids)

    def refresh_token(self) -> str:
        answer = requests.post(
            f"{self.sandbox.url}/Api/access_token",
            data={
                "grant_type": "password",
                "client_id": SANDBOX_PASSWORD_CLIENT_ID,
                "client_secret": SANDBOX_PASSWORD_CLIENT_SECRET,
                "username": "admin",
                "password": SANDBOX_PASSWORD,
            },
            timeout=10,
        )
        return str(answer.json()["refresh_token"])


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_sandbox_answers_like_the_recorded_suitecrm(contract: RunningSandbox, path: Path) -> None:
    case = json.loads(path.read_text())
    replayer = Replayer(contract, case)
    before = contract.control.now()
    try:
        answer = replayer.send(path.name)
    finally:
        contract.control.set_clock(before)
    recorded = case["response"]
    assert answer.status_code == recorded["status"], answer.text[:500]
    expected_type = recorded["headers"]["content-type"].split(";")[0]
    assert answer.headers["Content-Type"].split(";")[0] == expected_type
    if recorded["body_kind"] == "text":
        assert answer.text == recorded["body"]
        return
    body = answer.json() if answer.content else None
    problems = shape_matches(trim_open_maps(path.name, recorded["body"], body), body)
    assert not problems, problems[:10]
    expected = recorded["body"]
    if isinstance(expected, dict) and "errors" in expected:
        detail = substitute(expected["errors"]["detail"], replayer.ids)
        assert body["errors"]["detail"] == detail
    if isinstance(expected, dict) and "error" in expected:
        assert body["error"] == expected["error"]
        assert body.get("hint") == expected.get("hint")
    if path.name.startswith("accounts_list") and isinstance(expected, dict):
        assert body.get("meta") == expected.get("meta")
        assert body.get("links") == expected.get("links")
    if path.name in EXACT:
        assert body == json.loads(substitute(json.dumps(expected), replayer.ids))
    if path.name == "legacy_get_entry_after_set_entries_with_new_with_id.json":
        shown = body["entry_list"][0]["name_value_list"]
        assert {k: v["value"] for k, v in shown.items() if k != "id"} == {
            "name": "set_entries chosen id with new_with_id",
            "deleted": "0",
        }
    if path.name in CLEANED_TEXT:
        # SuiteCRM's save-time cleaning, then V8's HTML escaping, exactly as recorded.
        for name in ("name", "description"):
            assert body["data"]["attributes"][name] == expected["data"]["attributes"][name]


def test_the_sandbox_datetimes_follow_each_api(contract: RunningSandbox) -> None:
    api = Api(contract)
    account = busiest_account(contract)
    v8 = api.v8("GET", f"module/Accounts/{account}").json()["data"]["attributes"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00\+00:00", v8["date_modified"])
    entry = api.legacy(
        "get_entry", [api.session(), "Accounts", account, ["date_modified"], [], False]
    )
    raw = entry["entry_list"][0]["name_value_list"]["date_modified"]["value"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", raw)
    assert v8["date_modified"][:16] == raw.replace(" ", "T")[:16]
