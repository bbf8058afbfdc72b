"""Reading a mapping file as YAML nodes that remember their line, and the problems found.

``compose`` parses one file with ``yaml.compose`` (never constructs Python
objects, so every value keeps its ``start_mark``); the helpers below walk the
nodes and report what is wrong as ``Problem`` values (file, line, message) in a
shared ``Problems`` list, so a user sees every problem of every file at once.

This module reads only the file it is given; it knows nothing of rules or stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

Scalar = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a mapping file, where it is, and what was expected."""

    file: str
    line: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}: {prefix}{self.message}"


@dataclass
class Problems:
    """Problems collected while reading one or more mapping files."""

    items: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int, message: str) -> None:
        self.items.append(Problem(file, line, message))

    def warn(self, file: str, line: int, message: str) -> None:
        self.items.append(Problem(file, line, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1


def compose(path: Path, problems: Problems) -> yaml.Node | None:
    """The root node of a YAML file, or None (with a problem) if it does not parse."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.error(name, 1, f"cannot read the mapping file ({exc.strerror or exc})")
        return None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        problems.error(name, line, f"not valid YAML: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        problems.error(name, 1, f"not valid YAML: {exc}")
    return None


def scalar(node: yaml.Node) -> Scalar:
    """A scalar node's value with YAML's core types (bool, int, float, null, str)."""
    value = str(node.value)
    tag = node.tag
    if tag.endswith(":bool"):
        return value.lower() in ("true", "yes", "on")
    if tag.endswith(":int"):
        return int(value.replace("_", ""), 0)
    if tag.endswith(":float"):
        return float(value.replace("_", ""))
    if tag.endswith(":null"):
        return None
    return value


@dataclass(frozen=True, slots=True)
class Walker:
    """Node helpers that report shape problems against one file."""

    file: str
    problems: Problems

    def error(self, node: yaml.Node, message: str) -> None:
        self.problems.error(self.file, line_of(node), message)

    def warn(self, node: yaml.Node, message: str) -> None:
        self.problems.warn(self.file, line_of(node), message)

    def entries(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """(key, key node, value node) of a mapping node; duplicate keys are problems."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} should be a mapping of keys to values")
            return []
        seen: set[str] = set()
        found: list[tuple[str, yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"{what}: a key should be plain text")
                continue
            key = str(key_node.value)
            if key in seen:
                self.error(key_node, f"{what}: key '{key}' appears twice")
                continue
            seen.add(key)
            found.append((key, key_node, value_node))
        return found

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        """The items of a sequence node; a single scalar counts as a list of one."""
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.ScalarNode):
            return [node]
        self.error(node, f"{what} should be a list")
        return []

    def text(self, node: yaml.Node, what: str) -> str | None:
        """A scalar as text (numbers and booleans too), or None with a problem."""
        if not isinstance(node, yaml.ScalarNode):
            self.error(node, f"{what} should be a single value, not a list or mapping")
            return None
        value = scalar(node)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(node.value) if not isinstance(value, str) else value

    def texts(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        """A list of scalars (or one scalar) as text."""
        values = (self.text(item, what) for item in self.sequence(node, what))
        return tuple(v for v in values if v is not None)

    def number(self, node: yaml.Node, what: str) -> float | None:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(node, f"{what} should be a number")
            return None
        return float(value)

    def flag(self, node: yaml.Node, what: str) -> bool | None:
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            self.error(node, f"{what} should be true or false")
            return None
        return value
