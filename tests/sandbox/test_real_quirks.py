"""What a real SuiteCRM 7.14.6 did to the product, reproduced by the sandbox by default:
save-time cleaning of every text field, set_entries without new_with_id creating
nothing, the Emails deleted listing failing, zoned ISO dates stored as NULL, tie
groups and HTML-like subjects in the generated data."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from connector.sandbox import RunningSandbox
from connector.sandbox.catalog import build_catalog
from connector.sandbox.cleaning import clean_text, needs_cleaning
from connector.sandbox.generator import GeneratorConfig, generate
from connector.sandbox.store import Store
from tests.sandbox.conftest import Api

DB_FAILURE = "Database failure. Please refer to suitecrm.log for details."


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("Re: <john@example.com> & <b>bold</b>", "Re:  & <b>bold</b>"),
        (
            '{"subject":"<img src=x onerror=alert(1)>","mail":"<john@example.com>",'
            '"q":"a & b \\"c\\""}',
            '{"subject":"<img src="x" alt="x" />","mail":"","q":"a & b \\"c\\""}',
        ),
        ('plain "quoted" & {json} [1,2] text', 'plain "quoted" & {json} [1,2] text'),
        ("unclosed <b>bold", "unclosed <b>bold</b>"),
        ("<script>alert(1)</script>after", "after"),
        ("Réunion \u2039client\u203a 東京", "Réunion \u2039client\u203a 東京"),
    ],
)
def test_text_is_cleaned_as_suitecrm_cleans_it(sent: str, stored: str) -> None:
    assert clean_text(sent) == stored


def test_only_text_with_a_non_simple_character_is_purified() -> None:
    assert not needs_cleaning("a-z A-Z 0-9 `~!@#$%^&*()_=+{}[];:'\",./\\?|\r\n àé 東")
    assert needs_cleaning("a < b")
    assert needs_cleaning("tab\there")


def test_every_text_field_is_cleaned_on_save_and_escaped_on_v8_reads(
    sandbox: RunningSandbox, api: Api
) -> None:
    timeline = json.dumps({"tp": [["Re: <john@example.com>"]], "v": 1})
    created = api.v8(
        "POST",
        "module",
        body={
            "data": {
                "type": "CJ_Journeys",
                "attributes": {
                    "name": "<b>Acme</b> <sales@acme.example>",
                    "last_channel": "<i>email</i>",
                    "timeline_json": timeline,
                },
            }
        },
    )
    assert created.status_code == 201
    record = created.json()["data"]
    stored = sandbox.control.get_record("CJ_Journeys", record["id"])
    assert stored is not None
    assert stored["name"] == "<b>Acme</b> "
    assert stored["last_channel"] == "<i>email</i>"
    assert stored["timeline_json"] == '{"tp": [["Re: "]], "v": 1}'
    assert record["attributes"]["name"] == "&lt;b&gt;Acme&lt;/b&gt; "

    session = api.session()
    api.legacy(
        "set_entries",
        [
            session,
            "CJ_Journeys",
            [
                [
                    {"name": "id", "value": record["id"]},
                    {"name": "name", "value": "v4_1 <x@y.z> too"},
                ]
            ],
        ],
    )
    again = sandbox.control.get_record("CJ_Journeys", record["id"])
    assert again is not None and again["name"] == "v4_1  too"


def test_v8_stores_a_zoned_iso_date_as_null_and_the_db_format_as_sent(
    sandbox: RunningSandbox, api: Api
) -> None:
    def occurred(value: str) -> object:
        answer = api.v8(
            "POST",
            "module",
            body={
                "data": {
                    "type": "CJ_Touchpoints",
                    "attributes": {
                        "name": "dated",
                        "external_key": f"Calls:{uuid.uuid4()}",
                        "occurred_at": value,
                    },
                }
            },
        )
        assert answer.status_code == 201  # answered as a success either way
        row = sandbox.control.get_record("CJ_Touchpoints", answer.json()["data"]["id"])
        assert row is not None
        return row["occurred_at"]

    assert occurred("2026-01-02T10:00:00+00:00") is None
    assert occurred("2026-01-02T10:00:00Z") is None
    assert occurred("2026-01-02 10:00:37") == "2026-01-02 10:00:37"


def test_set_entries_creates_a_chosen_id_only_with_new_with_id(
    sandbox: RunningSandbox, api: Api
) -> None:
    session = api.session()
    without, with_flag = str(uuid.uuid4()), str(uuid.uuid4())
    answer = api.legacy(
        "set_entries",
        [
            session,
            "Notes",
            [
                [{"name": "id", "value": without}, {"name": "name", "value": "lost"}],
                [
                    {"name": "id", "value": with_flag},
                    {"name": "new_with_id", "value": True},
                    {"name": "name", "value": "kept"},
                ],
            ],
        ],
    )
    assert answer == {"ids": [without, with_flag]}  # 200 and both ids: nothing says so
    assert sandbox.control.get_record("Notes", without) is None
    kept = sandbox.control.get_record("Notes", with_flag)
    assert kept is not None and kept["name"] == "kept"

    updated = api.legacy(
        "set_entries",
        [
            session,
            "Notes",
            [[{"name": "id", "value": with_flag}, {"name": "name", "value": "updated"}]],
        ],
    )
    assert updated == {"ids": [with_flag]}
    row = sandbox.control.get_record("Notes", with_flag)
    assert row is not None and row["name"] == "updated"


def test_new_with_id_on_an_existing_id_dies_with_a_database_failure(
    sandbox: RunningSandbox, api: Api
) -> None:
    existing = sandbox.control.add_record("Notes", {"name": "already here"})
    answer = requests.post(
        f"{sandbox.url}/service/v4_1/rest.php",
        data={
            "method": "set_entries",
            "input_type": "JSON",
            "response_type": "JSON",
            "rest_data": json.dumps(
                [
                    api.session(),
                    "Notes",
                    [
                        [
                            {"name": "id", "value": existing},
                            {"name": "new_with_id", "value": True},
                            {"name": "name", "value": "again"},
                        ]
                    ],
                ]
            ),
        },
        timeout=10,
    )
    assert answer.status_code == 500
    assert answer.text == DB_FAILURE
    row = sandbox.control.get_record("Notes", existing)
    assert row is not None and row["name"] == "already here"


def test_v4_1_cannot_list_deleted_emails_but_other_modules(
    sandbox: RunningSandbox, api: Api
) -> None:
    session = api.session()

    def listing(module: str, deleted: int) -> requests.Response:
        return requests.post(
            f"{sandbox.url}/service/v4_1/rest.php",
            data={
                "method": "get_entry_list",
                "input_type": "JSON",
                "response_type": "JSON",
                "rest_data": json.dumps(
                    [session, module, "", "id", 0, ["id"], [], 5, deleted, False]
                ),
            },
            timeout=10,
        )

    failed = listing("Emails", 1)
    assert (failed.status_code, failed.text) == (500, DB_FAILURE)
    assert failed.headers["Content-Type"].startswith("text/html")
    assert listing("Emails", 0).status_code == 200
    assert listing("Calls", 1).status_code == 200


def test_generated_data_holds_tie_groups_and_html_like_subjects() -> None:
    store = Store(build_catalog())
    store.create_schema()
    stats = generate(store, GeneratorConfig(accounts=60, seed=4, tie_group=40))
    for table in ("tasks", "emails"):
        (count,) = store.conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE date_modified = '2026-11-01 09:00:00'"
        ).fetchone()
        assert count == 40, table
    subjects = [
        str(name) for (name,) in store.conn.execute("SELECT name FROM emails") if "<" in str(name)
    ]
    assert len(subjects) == stats.html_subjects > 0
    assert any("@" in s and ">" in s for s in subjects)
