"""Telling a person's stage edit from the connector's own write, and the YAML file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from connector.crm.records import Record
from connector.errors import ConfigurationProblems, UsageError
from connector.sync.corrections import correction_from_record, edit_from_record
from connector.sync.exchange import parse_yaml

AT = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)


def touchpoint(**values: Any) -> Record:
    attributes = {
        "external_key": "Calls:c1",
        "stage": "decision",
        "rule_stage": "decision",
        "corrected_stage": "",
        "rule_id": "call-decision",
        "modified_user_id": "seed_sarah_id",
        "modified_by_name": "Sarah Smith",
        **values,
    }
    return Record("CJ_Touchpoints", "tp1", attributes, AT)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # as the connector wrote it: stage is the rules' stage, or the correction's
        ({}, None),
        ({"stage": "evaluation", "corrected_stage": "evaluation"}, None),
        ({"stage": "not_a_touchpoint", "corrected_stage": "not_a_touchpoint"}, None),
        # written before corrections existed: nothing to compare with
        ({"rule_stage": "", "stage": "loyalty"}, None),
        ({"external_key": "", "stage": "loyalty"}, None),
        # a person changed the stage
        ({"stage": "evaluation"}, ("evaluation", False)),
        ({"stage": "not_a_touchpoint"}, ("not_a_touchpoint", False)),
        ({"stage": "loyalty", "corrected_stage": "evaluation"}, ("loyalty", False)),
        # a person put back the rules' stage: the correction is withdrawn
        ({"stage": "decision", "corrected_stage": "evaluation"}, ("decision", True)),
    ],
)
def test_a_stage_edit_is_what_differs_from_what_the_connector_wrote(
    values: dict[str, str], expected: tuple[str, bool] | None
) -> None:
    edit = edit_from_record(touchpoint(**values))
    if expected is None:
        assert edit is None
        return
    assert edit is not None
    assert (edit.stage, edit.withdrawn) == expected
    assert (edit.key, edit.rule_stage, edit.by, edit.at) == (
        "Calls:c1",
        "decision",
        "seed_sarah_id",
        AT,
    )


def test_a_correction_record_says_who_and_when_or_falls_back_on_the_last_save() -> None:
    record = Record(
        "CJ_Corrections",
        "k1",
        {
            "touchpoint_key": "Calls:c1",
            "stage": "evaluation",
            "corrected_by": "",
            "modified_user_id": "seed_max_id",
            "modified_by_name": "Max Jensen",
            "corrected_at": "",
            "description": "demo only",
        },
        AT,
    )
    correction = correction_from_record(record)
    assert correction is not None
    assert (correction.corrected_by, correction.corrected_by_name, correction.corrected_at) == (
        "seed_max_id",
        "Max Jensen",
        AT,
    )
    assert (correction.crm_id, correction.note) == ("k1", "demo only")
    assert correction_from_record(Record("CJ_Corrections", "k2", {"stage": "loyalty"})) is None


GOOD = """\
# exported
version: 1
corrections:
- touchpoint: Calls:c1
  stage: evaluation
  previous_stage: decision
  rule: call-decision
  by: seed_sarah_id
  by_name: Sarah Smith
  at: '2026-11-20T09:05:00Z'
  note: ''
  subject: Demo and quote
  customer: Accounts:a1
- touchpoint: Emails:e1
  stage: not_a_touchpoint
"""


def test_an_exported_file_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "corrections.yaml"
    path.write_text(GOOD, encoding="utf-8")
    first, second = parse_yaml(path)
    assert (first.touchpoint_key, first.stage, first.previous_stage, first.rule_id) == (
        "Calls:c1",
        "evaluation",
        "decision",
        "call-decision",
    )
    assert (first.corrected_by, first.corrected_at, first.origin) == ("seed_sarah_id", AT, "import")
    assert (second.touchpoint_key, second.stage, second.corrected_at) == (
        "Emails:e1",
        "not_a_touchpoint",
        None,
    )


def test_every_problem_of_a_file_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "corrections:\n"
        "- touchpoint: Calls\n"  # line 2
        "  stage: evaluation\n"
        "- touchpoint: Calls:c2\n"  # line 4
        "  stage: won\n"
        "- touchpoint: Calls:c3\n"  # line 6
        "  stage: loyalty\n"
        "  colour: red\n"
        "  at: yesterday\n"
        "- touchpoint: Calls:c4\n"  # line 10
        "  stage: loyalty\n"
        "- touchpoint: Calls:c4\n"  # line 12
        "  stage: purchase\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationProblems) as caught:
        parse_yaml(path)
    message = caught.value.message
    assert f"{path}:2: touchpoint must be 'Module:id'" in message
    assert f"{path}:4: stage 'won' is not one of" in message
    assert f"{path}:6: unknown key(s) colour." in message
    assert f"{path}:6: at 'yesterday' is not a date and time" in message
    assert f"{path}:12: Calls:c4 is corrected twice (also line 10)." in message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("corrections: [\n", ":2: not valid YAML"),
        ("- just a list\n", ":1: expected a 'corrections:' list"),
        ("corrections: {a: 1}\n", ":1: 'corrections' must be a list"),
    ],
)
def test_a_file_that_is_not_an_export_is_one_line_error(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=expected.replace("(", r"\(")):
        parse_yaml(path)
    with pytest.raises(UsageError, match="cannot read"):
        parse_yaml(tmp_path / "missing.yaml")
