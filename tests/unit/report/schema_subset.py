"""A validator for the subset of JSON Schema (2020-12) that report/schema.json uses.

``jsonschema`` is not a dependency of the project, and the report's schema needs
little: type, enum, const, pattern, minimum, maximum, minItems, maxItems,
properties, required, additionalProperties, propertyNames, items, $ref to
``#/$defs/...``, plus the annotations ($schema, $id, title, description). Any
other keyword is refused, so the schema cannot quietly use something this
validator would ignore.
"""

from __future__ import annotations

import re
from typing import Any

ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description"})
TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


class UnsupportedKeyword(ValueError):
    """The schema uses a keyword this validator does not implement (never skip it silently)."""


def _is(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("integer", "number"):
        return False
    return isinstance(value, TYPES[name])


def validate(document: Any, schema: dict[str, Any]) -> list[str]:
    """Every place where ``document`` breaks ``schema``, as ``path: problem`` lines."""
    problems: list[str] = []
    _check(document, schema, schema, "$", problems)
    return problems


def _check(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if node is True or node == {}:
        return
    if node is False:
        out.append(f"{path}: not allowed")
        return
    unknown = set(node) - ANNOTATIONS - set(KEYWORDS)
    if unknown:
        raise UnsupportedKeyword(f"{path}: keyword(s) {sorted(unknown)} not supported")
    for keyword, check in KEYWORDS.items():
        if keyword in node:
            check(value, node, root, path, out)


def _ref(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    ref = node["$ref"]
    if not ref.startswith("#/$defs/"):
        raise UnsupportedKeyword(f"{path}: only #/$defs/ references, not {ref}")
    _check(value, root["$defs"][ref.removeprefix("#/$defs/")], root, path, out)


def _type(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    names = node["type"] if isinstance(node["type"], list) else [node["type"]]
    if not any(_is(value, n) for n in names):
        out.append(f"{path}: {type(value).__name__} is not {'/'.join(names)}")


def _enum(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if value not in node["enum"]:
        out.append(f"{path}: {value!r} is not one of {node['enum']}")


def _const(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if value != node["const"] or type(value) is not type(node["const"]):
        out.append(f"{path}: {value!r} is not {node['const']!r}")


def _pattern(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if isinstance(value, str) and not re.search(node["pattern"], value):
        out.append(f"{path}: {value!r} does not match {node['pattern']}")


def _minimum(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if _is(value, "number") and value < node["minimum"]:
        out.append(f"{path}: {value} < {node['minimum']}")


def _maximum(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if _is(value, "number") and value > node["maximum"]:
        out.append(f"{path}: {value} > {node['maximum']}")


def _min_items(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if isinstance(value, list) and len(value) < node["minItems"]:
        out.append(f"{path}: {len(value)} items, fewer than {node['minItems']}")


def _max_items(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if isinstance(value, list) and len(value) > node["maxItems"]:
        out.append(f"{path}: {len(value)} items, more than {node['maxItems']}")


def _items(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, node["items"], root, f"{path}[{index}]", out)


def _required(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if isinstance(value, dict):
        out.extend(f"{path}: missing {name!r}" for name in node["required"] if name not in value)


def _properties(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if isinstance(value, dict):
        for name, sub in node["properties"].items():
            if name in value:
                _check(value[name], sub, root, f"{path}.{name}", out)


def _additional(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if isinstance(value, dict):
        declared = node.get("properties", {})
        for name, item in value.items():
            if name not in declared:
                _check(item, node["additionalProperties"], root, f"{path}.{name}", out)


def _names(value: Any, node: Any, root: dict[str, Any], path: str, out: list[str]) -> None:
    if isinstance(value, dict):
        for name in value:
            _check(name, node["propertyNames"], root, f"{path} key {name!r}", out)


KEYWORDS = {
    "$ref": _ref,
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minimum": _minimum,
    "maximum": _maximum,
    "minItems": _min_items,
    "maxItems": _max_items,
    "items": _items,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "propertyNames": _names,
}
