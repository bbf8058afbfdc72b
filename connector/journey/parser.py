"""Turning the YAML nodes of one mapping file into compiled rules, with every problem.

``parse_rule`` reads one entry of ``rules:``, ``signals:`` or ``default:``;
``parse_when`` and ``parse_journey`` read its conditions and compile them
(regexes, keyword patterns, numbers, dates) so the hot path has nothing left to
parse. Each problem names the line of the offending node and what was expected.
Keyword lists are looked up in the table the loader merged from the whole
``extends`` chain, so a company file can change a list that default.yaml uses.

No I/O: the loader hands in nodes already composed.
"""

from __future__ import annotations

import re
from collections import abc
from dataclasses import dataclass
from datetime import date

import yaml

from connector.journey import standard_fields
from connector.journey.conditions import (
    AnyOf,
    Compare,
    DateCompare,
    HasKeyword,
    IsEmpty,
    Matches,
    NoneOf,
    OneOf,
    RuleCondition,
)
from connector.journey.model import (
    CHANNELS,
    DIRECTIONS,
    MANAGERS,
    MODES,
    PHASES,
    SIGNALS,
    STAGES,
)
from connector.journey.rule import ATTRIBUTES, CURRENT, FROM_RECORD, Rule
from connector.journey.situation import (
    CONTEXT_FIELDS,
    PURCHASE_MOMENTS,
    ContextIn,
    OpenOpportunity,
    PurchaseIs,
)
from connector.journey.source import Walker
from connector.journey.text import keyword_pattern, normalise

FIELD_OPERATORS = (
    "equals", "in", "not", "regex", "keywords", "contains",
    "gt", "gte", "lt", "lte", "before", "after", "empty",
)  # fmt: skip
ALLOWED_VALUES: dict[str, tuple[str, ...]] = {
    "stage": (*STAGES, CURRENT),
    "phase": PHASES,
    "channel": CHANNELS,
    "mode": MODES,
    "managed_by": MANAGERS,
    "direction": (*DIRECTIONS, FROM_RECORD),
}
STAGE_RULE_KEYS = ("id", "description", "module", "when", "journey", "set", "allow_backwards",
                   "before", "after", "priority", "contact")  # fmt: skip
SIGNAL_RULE_KEYS = ("id", "description", "module", "when", "journey", "signals")
RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _one_of(values: abc.Iterable[str]) -> str:
    return ", ".join(values)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a company file puts a new rule: ``before:`` or ``after:`` a rule id."""

    rule_id: str
    anchor: str
    after: bool
    line: int
    inherit_priority: bool = True  # the rule sets no priority: it takes the anchor's


@dataclass(frozen=True)
class RuleParser:
    """Compiles rules of one file against the merged keyword lists."""

    walker: Walker
    keywords: abc.Mapping[str, tuple[str, ...]]

    def parse_rule(self, node: yaml.Node, kind: str) -> tuple[Rule | None, Placement | None]:
        """One rule (``kind`` is "stage", "signal" or "default"), or None if unusable."""
        w = self.walker
        allowed = SIGNAL_RULE_KEYS if kind == "signal" else STAGE_RULE_KEYS
        entries = {k: (kn, vn) for k, kn, vn in w.entries(node, f"a {kind} rule")}
        for key, (key_node, _) in entries.items():
            if key not in allowed:
                w.error(key_node, f"unknown rule key '{key}'; expected one of {_one_of(allowed)}")
        rule_id = self._rule_id(node, entries, kind)
        modules = self._modules(entries.get("module"))
        known = modules if modules is not None else ()
        conditions: list[RuleCondition] = []
        if "when" in entries:
            conditions += self.parse_when(entries["when"][1], known)
        if "journey" in entries:
            conditions += self.parse_journey(entries["journey"][1])
        description = ""
        if "description" in entries:
            description = w.text(entries["description"][1], "description") or ""
        if not description.strip():
            w.error(node, f"rule '{rule_id}' needs a one-line description")
        attributes = self._attributes(entries.get("set"), kind, node)
        signals = self._signals(entries.get("signals"), node) if kind == "signal" else ()
        backwards = False
        if "allow_backwards" in entries:
            backwards = bool(w.flag(entries["allow_backwards"][1], "allow_backwards"))
        priority = self._priority(entries.get("priority"))
        contact = True
        if "contact" in entries:
            contact = w.flag(entries["contact"][1], "contact") is not False
        if kind == "default" and ("priority" in entries or "contact" in entries):
            w.error(
                node,
                "the default rule is tried last and counts as contact; "
                "it takes no 'priority' or 'contact'",
            )
        if rule_id is None:
            return None, None
        rule = Rule(
            id=rule_id,
            description=description.strip(),
            modules=frozenset(modules) if modules is not None else None,
            conditions=tuple(conditions),
            attributes=attributes,
            signals=signals,
            allow_backwards=backwards,
            file=w.file,
            line=int(node.start_mark.line) + 1,
            priority=priority,
            contact=contact,
        )
        return rule, self._placement(rule_id, entries)

    def _priority(self, entry: tuple[yaml.Node, yaml.Node] | None) -> int:
        if entry is None:
            return 0
        number = self.walker.number(entry[1], "priority")
        if number is None:
            return 0
        if number != int(number) or not -1000 <= number <= 1000:
            self.walker.error(entry[1], "'priority' should be a whole number from -1000 to 1000")
            return 0
        return int(number)

    def _rule_id(
        self, node: yaml.Node, entries: dict[str, tuple[yaml.Node, yaml.Node]], kind: str
    ) -> str | None:
        if "id" not in entries:
            if kind == "default":
                return "default"
            self.walker.error(node, "a rule needs an 'id' (letters, digits, '-', '_', '.')")
            return None
        rule_id = self.walker.text(entries["id"][1], "id")
        if rule_id is not None and not RULE_ID.match(rule_id):
            self.walker.error(
                entries["id"][1], f"rule id '{rule_id}' should use letters, digits, '-', '_' or '.'"
            )
            return None
        return rule_id

    def _modules(self, entry: tuple[yaml.Node, yaml.Node] | None) -> tuple[str, ...] | None:
        if entry is None:
            return None
        modules = self.walker.texts(entry[1], "module")
        for name in modules:
            if name not in standard_fields.MODULES:
                self.walker.error(
                    entry[1],
                    f"unknown module '{name}'; expected one of {_one_of(standard_fields.MODULES)}",
                )
        return modules

    def _placement(
        self, rule_id: str, entries: dict[str, tuple[yaml.Node, yaml.Node]]
    ) -> Placement | None:
        for key in ("before", "after"):
            if key in entries:
                anchor = self.walker.text(entries[key][1], key)
                if anchor:
                    line = int(entries[key][1].start_mark.line) + 1
                    inherit = "priority" not in entries
                    return Placement(rule_id, anchor, key == "after", line, inherit)
        return None

    def _attributes(
        self, entry: tuple[yaml.Node, yaml.Node] | None, kind: str, node: yaml.Node
    ) -> dict[str, str]:
        w = self.walker
        if entry is None:
            if kind == "stage":
                w.error(node, "a rule needs 'set:' with at least a stage")
            return {}
        attributes: dict[str, str] = {}
        written: set[str] = set()
        for key, key_node, value_node in w.entries(entry[1], "set"):
            written.add(key)
            if key not in ALLOWED_VALUES:
                w.error(
                    key_node, f"unknown attribute '{key}'; expected one of {_one_of(ATTRIBUTES)}"
                )
                continue
            value = w.text(value_node, key)
            if value is None:
                continue
            if value not in ALLOWED_VALUES[key]:
                w.error(
                    value_node,
                    f"unknown {key} '{value}'; expected one of {_one_of(ALLOWED_VALUES[key])}",
                )
                continue
            attributes[key] = value
        if kind == "stage" and "stage" not in written:
            w.error(
                entry[0],
                f"'set:' needs a stage; expected one of {_one_of(ALLOWED_VALUES['stage'])}",
            )
        return attributes

    def _signals(
        self, entry: tuple[yaml.Node, yaml.Node] | None, node: yaml.Node
    ) -> tuple[str, ...]:
        if entry is None:
            self.walker.error(
                node, f"a signal rule needs 'signals:'; expected some of {_one_of(SIGNALS)}"
            )
            return ()
        names = self.walker.texts(entry[1], "signals")
        for name in names:
            if name not in SIGNALS:
                self.walker.error(
                    entry[1], f"unknown signal '{name}'; expected one of {_one_of(SIGNALS)}"
                )
        return tuple(n for n in names if n in SIGNALS)

    def parse_when(self, node: yaml.Node, modules: tuple[str, ...]) -> list[RuleCondition]:
        """The field conditions of a ``when:`` block (all must hold)."""
        conditions: list[RuleCondition] = []
        for name, key_node, value_node in self.walker.entries(node, "when"):
            if name == "any":
                groups = [
                    self.parse_when(g, modules) for g in self.walker.sequence(value_node, "any")
                ]
                conditions.append(AnyOf(groups))
                continue
            for module in modules:
                if not standard_fields.is_known_field(module, name):
                    self.walker.error(
                        key_node,
                        f"unknown field '{name}' for module {module}; "
                        f"expected one of {_one_of(sorted(_fields(module)))} "
                        "or a custom field ending in _c",
                    )
            conditions += self.parse_field(name, value_node, modules)
        return conditions

    def parse_field(
        self, name: str, node: yaml.Node, modules: tuple[str, ...]
    ) -> list[RuleCondition]:
        """The conditions on one field: a value, a list of values, or operators."""
        w = self.walker
        if not isinstance(node, yaml.MappingNode):
            values = w.texts(node, name)
            self._check_values(name, values, node, modules)
            return [OneOf(name, values)]
        conditions: list[RuleCondition] = []
        for op, op_node, value_node in w.entries(node, f"conditions on {name}"):
            if op not in FIELD_OPERATORS:
                w.error(
                    op_node,
                    f"unknown operator '{op}' on field {name}; expected one of "
                    f"{_one_of(FIELD_OPERATORS)}",
                )
                continue
            condition = self._operator(name, op, value_node, modules)
            if condition is not None:
                conditions.append(condition)
        return conditions

    def _operator(
        self, name: str, op: str, node: yaml.Node, modules: tuple[str, ...]
    ) -> RuleCondition | None:
        w = self.walker
        if op in ("equals", "in", "not"):
            values = w.texts(node, op)
            self._check_values(name, values, node, modules)
            return NoneOf(name, values) if op == "not" else OneOf(name, values)
        if op == "regex":
            return self._regex(name, node)
        if op in ("keywords", "contains"):
            return self._keywords(name, op, node)
        if op in ("gt", "gte", "lt", "lte"):
            number = w.number(node, f"'{op}' on {name}")
            return None if number is None else Compare(name, op, number)
        if op in ("before", "after"):
            return self._date(name, op, node)
        flag = w.flag(node, f"'empty' on {name}")
        return None if flag is None else IsEmpty(name, flag)

    def _regex(self, name: str, node: yaml.Node) -> RuleCondition | None:
        source = self.walker.text(node, "regex")
        if source is None:
            return None
        try:
            return Matches(name, re.compile(source, re.IGNORECASE))
        except re.error as exc:
            self.walker.error(node, f"bad regex /{source}/ on {name}: {exc}")
            return None

    def _keywords(self, name: str, op: str, node: yaml.Node) -> RuleCondition | None:
        entries = self.walker.texts(node, op)
        if op == "contains":
            words = entries
            label = "words " + ", ".join(f"'{e}'" for e in entries)
        else:
            unknown = [e for e in entries if e not in self.keywords]
            known = _one_of(sorted(self.keywords)) or "(none: add them under 'keywords:')"
            for entry in unknown:
                self.walker.error(node, f"unknown keyword list '{entry}'; expected one of {known}")
            if unknown:
                return None
            words = tuple(word for e in entries for word in self.keywords.get(e, ()))
            label = "keyword list " + ", ".join(entries)
        words = tuple(word for word in words if normalise(word).strip("* "))
        if not words:
            self.walker.error(node, f"'{op}' on {name} needs at least one keyword")
            return None
        frozen = frozenset(normalise(word) for word in words)
        return HasKeyword(name, label, frozen, keyword_pattern(words))

    def _date(self, name: str, op: str, node: yaml.Node) -> RuleCondition | None:
        value = self.walker.text(node, op)
        if value is None:
            return None
        if value != "occurred_at":
            try:
                date.fromisoformat(value)
            except ValueError:
                self.walker.error(
                    node, f"'{op}' on {name} needs a date YYYY-MM-DD or occurred_at, not '{value}'"
                )
                return None
        return DateCompare(name, op, value)

    def _check_values(
        self, name: str, values: tuple[str, ...], node: yaml.Node, modules: tuple[str, ...]
    ) -> None:
        for module in modules:
            stock = standard_fields.stock_values(module, name)
            if stock is None:
                continue
            lowered = {s.lower() for s in stock}
            for value in values:
                if value.lower() not in lowered:
                    self.walker.warn(
                        node,
                        f"'{value}' is not a stock value of {module}.{name} "
                        f"({_one_of(repr(s) for s in stock)}); fine only if your "
                        "SuiteCRM adds it in Studio",
                    )

    def parse_journey(self, node: yaml.Node) -> list[RuleCondition]:
        """The conditions of a ``journey:`` block (all must hold)."""
        w = self.walker
        conditions: list[RuleCondition] = []
        allowed = ("purchase", "open_opportunity", *CONTEXT_FIELDS)
        for key, key_node, value_node in w.entries(node, "journey"):
            if key == "purchase":
                value = w.text(value_node, key)
                if value not in PURCHASE_MOMENTS:
                    w.error(value_node, f"'purchase' should be one of {_one_of(PURCHASE_MOMENTS)}")
                    continue
                conditions.append(PurchaseIs(value))
            elif key == "open_opportunity":
                flag = w.flag(value_node, key)
                if flag is not None:
                    conditions.append(OpenOpportunity(flag))
            elif key in CONTEXT_FIELDS:
                values = w.texts(value_node, key)
                self._check_context(key, values, value_node)
                conditions.append(ContextIn(key, values))
            else:
                w.error(
                    key_node,
                    f"unknown journey condition '{key}'; expected one of {_one_of(allowed)}",
                )
        return conditions

    def _check_context(self, key: str, values: tuple[str, ...], node: yaml.Node) -> None:
        expected = {"stage": STAGES, "customer_kind": ("account", "contact")}.get(key)
        for value in values:
            if expected is not None and value not in expected:
                self.walker.error(
                    node, f"unknown {key} '{value}'; expected one of {_one_of(expected)}"
                )
            elif key == "customer_type" and value not in standard_fields.ACCOUNT_TYPES:
                self.walker.warn(
                    node,
                    f"'{value}' is not a stock account_type "
                    f"({_one_of(standard_fields.ACCOUNT_TYPES[1:])})",
                )


def _fields(module: str) -> set[str]:
    return set(standard_fields.MODULES.get(module, {})) | standard_fields.COMMON_FIELDS
