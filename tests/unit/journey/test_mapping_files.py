"""Loading, extending and validating mapping files: every problem names its file:line."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from connector.errors import ConfigurationError, ConfigurationProblems
from connector.journey import STAGES, classify, load_mapping, validate_mapping

from .factories import CONTEXTS, DEFAULT_MAPPING, touchpoint

EXAMPLE = DEFAULT_MAPPING.parent / "examples" / "company.yaml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    return [str(p) for p in validate_mapping(path)]


def test_the_shipped_mappings_have_no_problem() -> None:
    assert validate_mapping(DEFAULT_MAPPING) == []
    assert validate_mapping(EXAMPLE) == []


BROKEN = """
rules:
  - id: one
    description: a stage that does not exist
    module: Calls
    set: {stage: awarness}
  - id: two
    description: a field and an operator that do not exist
    module: Calls
    when:
      statuz: Held
      status: {like: Held}
  - id: three
    description: a regex that does not compile and an unknown keyword list
    module: Emails
    when:
      subject: {regex: '(unclosed'}
      text: {keywords: [nonexistent]}
    set: {stage: evaluation}
  - id: one
    description: a duplicate id
    module: Meetings
    set: {stage: evaluation}
  - description: no id at all
    set: {stage: evaluation}
  - id: four
    description: an unknown module and a bad journey condition
    module: Phonecalls
    journey: {purchase: sometime}
    set: {stage: evaluation, channel: fax}
"""


def test_every_problem_of_a_broken_file_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", BROKEN)
    found = problems_of(path)
    expected_lines = {
        "unknown stage 'awarness'": 5,
        "unknown field 'statuz' for module Calls": 10,
        "unknown operator 'like' on field status": 11,
        "a rule needs 'set:' with at least a stage": 6,
        "bad regex /(unclosed/ on subject": 16,
        "unknown keyword list 'nonexistent'": 17,
        "rule id 'one' is already used at line 2": 19,
        "a rule needs an 'id'": 23,
        "unknown module 'Phonecalls'": 27,
        "'purchase' should be one of before, after, window, after_window": 28,
        "unknown channel 'fax'": 29,
    }
    for message, line in expected_lines.items():
        hits = [p for p in found if message in p]
        assert hits, f"no problem says {message!r}: {found}"
        assert hits[0].startswith(f"{path}:{line}: "), hits[0]
    assert all(p.startswith(f"{path}:") for p in found)


def test_load_raises_every_error_together_with_exit_code_2(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", BROKEN)
    with pytest.raises(ConfigurationProblems) as caught:
        load_mapping(path)
    assert caught.value.exit_code == 2
    assert len(caught.value.problems) >= 10
    assert f"{path}:5: unknown stage 'awarness'" in str(caught.value)


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "syntax.yaml",
        """
        rules:
          - id: x
            description: fine
            set: {stage: awareness
          - id: y
        """,
    )
    found = problems_of(path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:5: not valid YAML")


def test_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no such mapping file"):
        load_mapping(tmp_path / "nope.yaml")


def test_a_rule_an_earlier_one_always_beats_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "shadow.yaml",
        """
        rules:
          - id: calls-held
            description: every held call
            module: Calls
            when: {status: [Held, Planned]}
            set: {stage: evaluation}
          - id: inbound-held
            description: never reached
            module: Calls
            when: {status: Held, direction: Inbound}
            set: {stage: awareness}
          - id: demo-any
            description: demo words anywhere
            when:
              text: {keywords: [demo]}
            set: {stage: evaluation}
          - id: demo-meeting
            description: never reached either
            module: Meetings
            when:
              text: {keywords: [demo]}
              status: Held
            set: {stage: evaluation}
          - id: also-shadowed
            description: a subset of the earlier rule's words
            module: Meetings
            when:
              text: {contains: [workshop]}
            set: {stage: evaluation}
          - id: not-shadowed
            description: a word the earlier rule does not look for
            module: Meetings
            when:
              text: {contains: [webinar]}
            set: {stage: evaluation}
        keywords:
          demo: [demo, workshop]
        """,
    )
    found = problems_of(path)
    assert found == [
        f"{path}:7: rule 'inbound-held' can never match: rule 'calls-held' ({path}:2) "
        "comes first and matches every record this one matches",
        f"{path}:17: rule 'demo-meeting' can never match: rule 'demo-any' ({path}:12) "
        "comes first and matches every record this one matches",
        f"{path}:24: rule 'also-shadowed' can never match: rule 'demo-any' ({path}:12) "
        "comes first and matches every record this one matches",
    ]


def test_a_narrower_earlier_rule_does_not_shadow(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ok.yaml",
        """
        rules:
          - id: held-after
            description: held calls after the purchase
            module: Calls
            when: {status: Held}
            journey: {purchase: after}
            set: {stage: loyalty}
          - id: held
            description: held calls
            module: Calls
            when: {status: Held}
            set: {stage: evaluation}
        """,
    )
    assert problems_of(path) == []


def test_unknown_dropdown_value_is_only_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "studio.yaml",
        """
        rules:
          - id: custom-stage
            description: a stage added in Studio
            module: Opportunities
            when: {sales_stage: Technical Validation}
            set: {stage: evaluation}
        """,
    )
    (problem,) = validate_mapping(path)
    assert problem.severity == "warning"
    assert str(problem).startswith(f"{path}:5: warning: 'Technical Validation' is not a stock")
    assert load_mapping(path).rules[0].id == "custom-stage"


COMPANY = """
extends: {parent}
settings:
  stalled_after_days: 30
keywords:
  demo: [demo, collaudo]
rules:
  - id: first-of-all
    description: a new rule goes before the inherited ones
    module: Tasks
    when: {{priority: High}}
    set: {{stage: decision}}
  - id: call-prospecting
    description: replaced in place
    module: Calls
    set: {{stage: evaluation}}
  - id: placed
    description: placed after a given rule
    module: Calls
    when: {{direction: Inbound}}
    set: {{stage: awareness}}
    after: call-demo
remove: [note-internal]
"""


def test_a_company_file_extends_the_default(tmp_path: Path) -> None:
    path = write(tmp_path, "company.yaml", COMPANY.format(parent=DEFAULT_MAPPING))
    assert problems_of(path) == []
    mapping = load_mapping(path)
    ids = [rule.id for rule in mapping.rules]
    # Rules are tried by priority: a new rule goes first among those of its priority (0),
    # a placed one takes its anchor's priority and is tried right after it.
    assert ids.index("first-of-all") == [r.priority for r in mapping.rules].index(0)
    assert ids.index("placed") == ids.index("call-demo") + 1
    assert mapping.rules[ids.index("placed")].priority == 50
    assert "note-internal" not in ids
    # One number sets the stall threshold of the stages before the purchase.
    thresholds = {stage: mapping.settings.stall_days(stage) for stage in STAGES}
    assert thresholds == {
        "awareness": 30, "evaluation": 30, "decision": 30, "purchase": 90, "loyalty": 400,
    }  # fmt: skip
    assert mapping.rule("call-prospecting") is not None
    prospecting = classify(
        touchpoint("Calls", "Left a message", status="Held"), CONTEXTS["pre"], mapping
    )
    assert (prospecting.rule_id, prospecting.stage) == ("call-prospecting", "evaluation")
    # The overridden keyword list reaches the inherited rules that use it.
    acceptance = classify(
        touchpoint("Calls", "Collaudo impianto", status="Held"), CONTEXTS["pre"], mapping
    )
    assert acceptance.rule_id == "call-demo"


def test_unknown_rule_ids_in_a_company_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "company.yaml",
        f"""
        extends: {DEFAULT_MAPPING}
        rules:
          - id: placed
            description: placed after a rule that does not exist
            module: Calls
            set: {{stage: awareness}}
            after: call-demox
        remove: [no-such-rule]
        """,
    )
    assert problems_of(path) == [
        f"{path}:7: unknown rule id 'call-demox' to place rule 'placed' after",
        f"{path}:8: remove: unknown rule id 'no-such-rule'",
    ]


def test_extends_a_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, "company.yaml", "extends: missing.yaml\n")
    assert problems_of(path) == [
        f"{path}:1: 'extends' names {tmp_path / 'missing.yaml'}, which does not exist"
    ]


def test_extends_loop(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    path = write(tmp_path, "b.yaml", "extends: a.yaml\n")
    assert any("loops back" in p for p in problems_of(path))


def test_problems_in_the_extended_file_name_that_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        "base.yaml",
        """
        rules:
          - id: base-rule
            description: broken in the base file
            module: Calls
            set: {stage: nowhere}
        """,
    )
    path = write(tmp_path, "child.yaml", "extends: base.yaml\nsettings: {recency_days: -3}\n")
    assert problems_of(path) == [
        f"{tmp_path / 'base.yaml'}:5: unknown stage 'nowhere'; expected one of awareness, "
        "evaluation, decision, purchase, loyalty, current",
        f"{path}:2: recency_days should be a positive number of days",
    ]


def test_unknown_top_level_key_and_setting(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "typo.yaml",
        """
        rule: []
        settings:
          stall_days: 4
        """,
    )
    found = problems_of(path)
    assert found[0].startswith(f"{path}:1: unknown top-level key 'rule'")
    assert found[1].startswith(f"{path}:3: unknown setting 'stall_days'")


def test_the_default_rule_takes_no_conditions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "default.yaml",
        """
        default:
          description: stays
          when: {status: Held}
          set: {stage: current}
        """,
    )
    assert problems_of(path) == [
        f"{path}:2: the default rule applies when no rule matches; it takes no 'when' or "
        "'journey' conditions"
    ]


def test_stall_thresholds_priorities_and_contact_are_checked(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "timing.yaml",
        f"""
        extends: {DEFAULT_MAPPING}
        settings:
          stalled_after_days: {{evaluation: 20, loyalty: -1, closing: 5}}
          stalled_after_days_post_purchase: 200
          purchase_window_days: 0
        rules:
          - id: half
            description: a priority that is not a whole number
            module: Calls
            set: {{stage: current}}
            priority: 2.5
            contact: maybe
        default:
          description: the default cannot be outranked or kept aside
          set: {{stage: current}}
          priority: 5
        """,
    )
    assert problems_of(path) == [
        f"{path}:3: stalled_after_days.loyalty should be a positive number of days",
        f"{path}:3: unknown stage 'closing' in stalled_after_days; expected one of "
        "awareness, evaluation, decision, purchase, loyalty",
        f"{path}:5: purchase_window_days should be a positive number of days",
        f"{path}:11: 'priority' should be a whole number from -1000 to 1000",
        f"{path}:12: contact should be true or false",
        f"{path}:14: the default rule is tried last and counts as contact; "
        "it takes no 'priority' or 'contact'",
    ]


def test_a_company_file_sets_stall_thresholds_per_stage(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "timing.yaml",
        f"""
        extends: {DEFAULT_MAPPING}
        settings:
          stalled_after_days_post_purchase: 200
          stalled_after_days: {{decision: 20}}
        """,
    )
    settings = load_mapping(path).settings
    assert [settings.stall_days(stage) for stage in STAGES] == [60, 60, 20, 200, 200]
    assert (settings.purchase_window_days, settings.overdue_opportunity_days) == (30, 30)
