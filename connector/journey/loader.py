"""Loading and validating a mapping file, with its ``extends`` chain.

``load_mapping(path)`` returns a ready ``Mapping`` or raises
``ConfigurationProblems`` listing every error as ``file:line: message``;
``validate_mapping(path)`` returns every problem (errors and warnings) without
raising. Both read the chain of files named by ``extends`` (relative to the file
that names it), merge it (a company file overrides rules by id, adds rules before
the inherited ones or ``before:``/``after:`` a given id, drops rules listed in
``remove:``, and overrides keyword lists, module defaults and settings by name),
then look for rules that can never match because an earlier rule always wins.

Reads the YAML files it is given, nothing else; no clock, no network.
"""

from __future__ import annotations

import os
from collections import abc
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from connector.errors import ConfigurationError, ConfigurationProblems
from connector.journey.cost import cost_table, parse_costs
from connector.journey.mapping import Mapping
from connector.journey.model import STAGES
from connector.journey.parser import ALLOWED_VALUES, Placement, RuleParser
from connector.journey.persona import Persona, parse_personas
from connector.journey.rule import (
    BUILT_IN_ATTRIBUTES,
    POST_PURCHASE_STAGES,
    PRE_PURCHASE_STAGES,
    STALL_DAYS,
    JourneySettings,
    Rule,
)
from connector.journey.source import Problem, Problems, Walker, compose, line_of

TOP_LEVEL = ("version", "extends", "settings", "keywords", "modules", "rules", "signals",
             "default", "remove", "personas", "costs")  # fmt: skip
SETTING_TYPES: dict[str, str] = {f.name: str(f.type) for f in fields(JourneySettings)}
# Kept from the time stalls had one threshold before and one after the purchase:
# it sets the post-purchase stages of ``stalled_after_days``.
SETTING_TYPES["stalled_after_days_post_purchase"] = "float"
STALL = "stalled_after_days"


@dataclass
class Layer:
    """One file of the chain: its walker and its top-level nodes."""

    walker: Walker
    top: dict[str, tuple[yaml.Node, yaml.Node]]


@dataclass
class Merged:
    """What the chain adds up to, before the rules become a ``Mapping``."""

    rules: list[Rule] = field(default_factory=list)
    signal_rules: list[Rule] = field(default_factory=list)
    default: Rule | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    modules: dict[str, dict[str, str]] = field(default_factory=dict)
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # rules whose conditions had errors
    personas: list[Persona] = field(default_factory=list)  # the last file's list wins whole
    costs: dict[str, Any] = field(default_factory=dict)  # a later file wins per name


def load_mapping(path: str | Path) -> Mapping:
    """The mapping in ``path`` (with what it extends); every error raised together."""
    mapping, problems, _ = _load(Path(path))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ConfigurationProblems([str(p) for p in errors])
    if mapping is None:
        raise ConfigurationError(
            f"{path}: the mapping could not be loaded; run "
            "'suitejourney mappings validate' to see why"
        )
    return mapping


def validate_mapping(path: str | Path) -> list[Problem]:
    """Every problem of the mapping in ``path`` and the files it extends, in file order."""
    _, problems, files = _load(Path(path))
    # Root of the extends chain first, then each file down to ``path``.
    order = {name: rank for rank, name in enumerate(files)}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.line))


def _load(path: Path) -> tuple[Mapping | None, list[Problem], list[str]]:
    """The mapping (None if no file could be read), every problem, the files in order."""
    problems = Problems()
    layers = _chain(path, problems)
    files = [layer.walker.file for layer in layers]
    if not layers:
        return None, problems.items, files
    merged = Merged()
    for layer in layers:
        _merge_tables(layer, merged)
    for layer in layers:
        _merge_rules(layer, merged)
    default = merged.default or _built_in_default(str(path))
    if not merged.rules and not problems.errors:
        _no_rules(layers, problems)
    # The order rules are tried in: priority first, then the merged file order.
    rules = sorted(merged.rules, key=lambda r: -r.priority)
    _find_unreachable(rules, merged.broken, problems)
    settings = dict(merged.settings)
    settings[STALL] = {**STALL_DAYS, **settings.get(STALL, {})}
    mapping = Mapping(
        rules=tuple(rules),
        signal_rules=tuple(merged.signal_rules),
        default=default,
        settings=JourneySettings(**settings),
        module_attributes=merged.modules,
        keywords=merged.keywords,
        files=tuple(files),
        personas=tuple(merged.personas),
        costs=cost_table(merged.costs),
    )
    return mapping, problems.items, files


def _no_rules(layers: list[Layer], problems: Problems) -> None:
    """A mapping without a stage rule would put every touchpoint in the default stage."""
    named = [layer for layer in layers if "rules" in layer.top]
    layer = named[-1] if named else layers[-1]
    line = line_of(layer.top["rules"][0]) if "rules" in layer.top else 1
    problems.error(
        layer.walker.file,
        line,
        "the mapping has no stage rules, so every touchpoint would get the default stage; "
        "add rules, or start from the shipped rules with 'extends: default.yaml'",
    )


def _chain(path: Path, problems: Problems) -> list[Layer]:
    """The files from the root of the ``extends`` chain down to ``path``."""
    layers: list[Layer] = []
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None:
        walker = Walker(str(current), problems)
        if current.resolve() in seen:
            problems.error(layers[0].walker.file, 1, f"'extends' loops back to {current}")
            break
        seen.add(current.resolve())
        if not current.exists() and layers:
            node = layers[0].top["extends"][1]
            layers[0].walker.error(node, f"'extends' names {current}, which does not exist")
            break
        if not current.exists():
            raise ConfigurationError(
                f"{current}: no such mapping file; give the path of a "
                "YAML mapping such as mappings/default.yaml"
            )
        root = compose(current, problems)
        if root is None:
            break
        top = {k: (kn, vn) for k, kn, vn in walker.entries(root, "the mapping file")}
        for key, (key_node, _) in top.items():
            if key not in TOP_LEVEL:
                walker.error(
                    key_node,
                    f"unknown top-level key '{key}'; expected one of {', '.join(TOP_LEVEL)}",
                )
        layers.insert(0, Layer(walker, top))
        current = None
        if "extends" in top:
            target = walker.text(top["extends"][1], "extends")
            current = Path(os.path.normpath(Path(walker.file).parent / target)) if target else None
    return layers


def _merge_tables(layer: Layer, merged: Merged) -> None:
    """Settings, keyword lists and module defaults: the later file wins per name."""
    w = layer.walker
    if "settings" in layer.top:
        for key, key_node, value_node in w.entries(layer.top["settings"][1], "settings"):
            if key not in SETTING_TYPES:
                w.error(
                    key_node, f"unknown setting '{key}'; expected one of {', '.join(SETTING_TYPES)}"
                )
                continue
            if key == STALL or key == "stalled_after_days_post_purchase":
                stall = merged.settings.setdefault(STALL, {})
                stall.update(_stall_days(w, key, value_node))
                continue
            value = _setting(w, key, value_node)
            if value is not None:
                merged.settings[key] = value
    if "keywords" in layer.top:
        for name, _, value_node in w.entries(layer.top["keywords"][1], "keywords"):
            words = w.texts(value_node, f"keyword list {name}")
            if not any(word.strip("* ") for word in words):
                w.error(value_node, f"keyword list '{name}' is empty")
            merged.keywords[name] = words
    if "costs" in layer.top:
        parse_costs(w, layer.top["costs"][1], merged.costs)
    if "modules" in layer.top:
        for module, _, value_node in w.entries(layer.top["modules"][1], "modules"):
            attrs = merged.modules.setdefault(module, {})
            for key, key_node, attr_node in w.entries(value_node, f"modules.{module}"):
                value = w.text(attr_node, key)
                if key not in BUILT_IN_ATTRIBUTES:
                    w.error(
                        key_node,
                        f"unknown module default '{key}'; expected one of "
                        f"{', '.join(BUILT_IN_ATTRIBUTES)}",
                    )
                elif value not in ALLOWED_VALUES[key]:
                    w.error(
                        attr_node,
                        f"unknown {key} '{value}'; expected one of "
                        f"{', '.join(ALLOWED_VALUES[key])}",
                    )
                else:
                    attrs[key] = value


def _setting(w: Walker, key: str, node: yaml.Node) -> object:
    kind = SETTING_TYPES[key]
    if kind == "bool":
        return w.flag(node, key)
    if kind == "float":
        number = w.number(node, key)
        if number is not None and number <= 0:
            w.error(node, f"{key} should be a positive number of days")
            return None
        return number
    return w.texts(node, key)


def _stall_days(w: Walker, key: str, node: yaml.Node) -> dict[str, float]:
    """Stall thresholds per stage: a table by stage, or one number for the stages
    before the purchase (after it, for ``stalled_after_days_post_purchase``)."""
    if not isinstance(node, yaml.MappingNode):
        number = w.number(node, key)
        if number is None:
            return {}
        if number <= 0:
            w.error(node, f"{key} should be a positive number of days")
            return {}
        stages = POST_PURCHASE_STAGES if key.endswith("post_purchase") else PRE_PURCHASE_STAGES
        return dict.fromkeys(stages, number)
    found: dict[str, float] = {}
    for stage, stage_node, value_node in w.entries(node, key):
        if stage not in STAGES:
            w.error(
                stage_node, f"unknown stage '{stage}' in {key}; expected one of {', '.join(STAGES)}"
            )
            continue
        number = w.number(value_node, f"{key}.{stage}")
        if number is not None and number <= 0:
            w.error(value_node, f"{key}.{stage} should be a positive number of days")
        elif number is not None:
            found[stage] = number
    return found


def _merge_rules(layer: Layer, merged: Merged) -> None:
    w = layer.walker
    parser = RuleParser(w, merged.keywords)
    inherited = list(merged.rules)
    if "rules" in layer.top:
        own, placements = _parse_list(parser, layer.top["rules"][1], "stage", merged.broken)
        merged.rules = _overlay(w, inherited, own, placements)
    if "signals" in layer.top:
        own, placements = _parse_list(parser, layer.top["signals"][1], "signal", set())
        merged.signal_rules = _overlay(w, merged.signal_rules, own, placements)
    if "default" in layer.top:
        default, _ = parser.parse_rule(layer.top["default"][1], "default")
        if default is not None and default.conditions:
            w.error(
                layer.top["default"][1],
                "the default rule applies when no rule matches; "
                "it takes no 'when' or 'journey' conditions",
            )
        merged.default = default if default is not None else merged.default
    if "personas" in layer.top:
        merged.personas = parse_personas(parser, layer.top["personas"][1])
    if "remove" in layer.top:
        for node in w.sequence(layer.top["remove"][1], "remove"):
            rule_id = w.text(node, "remove")
            if not any(r.id == rule_id for r in merged.rules):
                w.error(node, f"remove: unknown rule id '{rule_id}'")
            merged.rules = [r for r in merged.rules if r.id != rule_id]


def _parse_list(
    parser: RuleParser, node: yaml.Node, kind: str, broken: set[str]
) -> tuple[list[Rule], list[Placement]]:
    rules: list[Rule] = []
    placements: list[Placement] = []
    seen: dict[str, Rule] = {}
    for item in parser.walker.sequence(node, f"{kind} rules"):
        errors = len(parser.walker.problems.errors)
        rule, placement = parser.parse_rule(item, kind)
        if rule is None:
            continue
        if len(parser.walker.problems.errors) > errors:
            broken.add(rule.id)
        if rule.id in seen:
            parser.walker.error(
                item, f"rule id '{rule.id}' is already used at line {seen[rule.id].line}"
            )
            continue
        seen[rule.id] = rule
        rules.append(rule)
        if placement is not None:
            placements.append(placement)
    return rules, placements


def _overlay(
    w: Walker, inherited: list[Rule], own: list[Rule], placements: list[Placement]
) -> list[Rule]:
    """Inherited rules with ``own`` replacing by id, new ones first, placed ones moved
    (a placed rule that sets no priority takes its anchor's, so it is tried next to it)."""
    placed = {p.rule_id for p in placements}
    by_id = {r.id: r for r in own}
    result = [by_id.get(r.id, r) for r in inherited]
    inherited_ids = {r.id for r in inherited}
    fresh = [r for r in own if r.id not in inherited_ids and r.id not in placed]
    result = fresh + result
    for placement in placements:
        rule = by_id[placement.rule_id]
        result = [r for r in result if r.id != rule.id]
        anchor = next((i for i, r in enumerate(result) if r.id == placement.anchor), None)
        if anchor is None:
            side = "after" if placement.after else "before"
            w.problems.error(
                w.file,
                placement.line,
                f"unknown rule id '{placement.anchor}' to place rule '{rule.id}' {side}",
            )
            continue
        if placement.inherit_priority:
            rule = replace(rule, priority=result[anchor].priority)
        result.insert(anchor + 1 if placement.after else anchor, rule)
    return result


def _built_in_default(file: str) -> Rule:
    return Rule(
        id="default",
        description="No rule matched: the customer stays in the stage reached so far.",
        modules=None,
        conditions=(),
        attributes={},
        signals=(),
        allow_backwards=False,
        file=file,
        line=1,
    )


def _covers(earlier: Rule, later: Rule) -> bool:
    if earlier.modules is None:
        return True
    return later.modules is not None and later.modules <= earlier.modules


def _find_unreachable(rules: abc.Sequence[Rule], broken: set[str], problems: Problems) -> None:
    """A rule is unreachable if an earlier rule matches everything it matches.

    A rule whose conditions had errors lost them, so it looks broader than it is
    and is not used to accuse later rules.
    """
    for j, later in enumerate(rules):
        for earlier in rules[:j]:
            if earlier.id in broken:
                continue
            if _covers(earlier, later) and all(
                c.implied_by_all(later.conditions) for c in earlier.conditions
            ):
                problems.error(
                    later.file,
                    later.line,
                    f"rule '{later.id}' can never match: "
                    f"rule '{earlier.id}' ({earlier.source}) comes first and "
                    "matches every record this one matches",
                )
                break
