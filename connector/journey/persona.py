"""Personas: the groups of customers a mapping defines, to compare their journeys.

A mapping's ``personas:`` block is a list; a customer belongs to the first
persona whose ``when:`` conditions all hold for its profile (a persona without
``when:`` takes everyone left), and to ``other`` when none does. The conditions
are the rule language's field conditions (values, lists, ``not``, numbers,
``regex``, ``keywords``, ``empty``, ``any``) read against the customer's
profile:

- the customer's own SuiteCRM record: for an account ``industry``,
  ``account_type``, ``employees``, ``annual_revenue``,
  ``billing_address_country`` …; for a contact or a lead its own fields;
- ``lead_source``: the record's own, else the earliest of its converted leads
  that has one, else the earliest of its contacts (accounts have none of their
  own in SuiteCRM);
- ``customer_kind``: account, contact (B2C) or lead (a prospect).

A later file of an ``extends`` chain that has ``personas:`` replaces the whole
list. ``parse_personas`` reads the block; pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import yaml

from connector.journey import standard_fields
from connector.journey.conditions import RuleCondition, TouchpointView
from connector.journey.model import Customer, JourneyContext, Touchpoint
from connector.journey.parser import RULE_ID, RuleParser
from connector.journey.source import Walker

PERSONA_KEYS = ("id", "label", "description", "when")
KINDS = ("account", "contact", "lead")
PROFILE_MODULES = ("Accounts", "Contacts", "Leads")
LEAD_SOURCE_MODULES = ("Leads", "Contacts")  # where an account's lead source comes from
DERIVED_FIELDS = frozenset({"customer_kind", "lead_source"})
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NO_CONTEXT = JourneyContext()


@dataclass(frozen=True, slots=True)
class Persona:
    """One persona as written: who belongs (all ``conditions`` hold), where it was written."""

    id: str
    label: str
    description: str
    conditions: tuple[RuleCondition, ...]
    file: str
    line: int

    def matches(self, record: TouchpointView) -> bool:
        return all(c.test(record, _NO_CONTEXT) for c in self.conditions)


OTHER = Persona("other", "Other customers", "No persona of the mapping matched.", (), "", 0)


def customer_profile(customer: Customer, touchpoints: Sequence[Touchpoint]) -> dict[str, str]:
    """The fields personas test (module docstring); ``touchpoints`` in time order."""
    profile = {k: v for k, v in customer.fields.items() if isinstance(v, str)}
    profile["customer_kind"] = customer.kind
    if not profile.get("lead_source", "").strip():
        for module in LEAD_SOURCE_MODULES:
            source = next(
                (
                    t.fields.get("lead_source", "").strip()
                    for t in touchpoints
                    if t.module == module and t.fields.get("lead_source", "").strip()
                ),
                "",
            )
            if source:
                profile["lead_source"] = source
                break
    return profile


def assign_persona(personas: Sequence[Persona], profile: Mapping[str, str], name: str) -> Persona:
    """The first persona whose conditions hold for ``profile``; ``OTHER`` when none does."""
    if not personas:
        return OTHER
    record = TouchpointView(Touchpoint("", "", "", None, _EPOCH, name, profile))
    return next((p for p in personas if p.matches(record)), OTHER)


def parse_personas(parser: RuleParser, node: yaml.Node) -> list[Persona]:
    """The ``personas:`` list of one file, with every problem reported on the walker."""
    w = parser.walker
    personas: list[Persona] = []
    seen: dict[str, Persona] = {}
    for item in w.sequence(node, "personas"):
        persona = _persona(parser, item)
        if persona is None:
            continue
        if persona.id in seen or persona.id == OTHER.id:
            where = f"at line {seen[persona.id].line}" if persona.id in seen else "for no match"
            w.error(item, f"persona id '{persona.id}' is already used {where}")
            continue
        for earlier in personas:
            if all(c.implied_by_all(persona.conditions) for c in earlier.conditions):
                w.error(
                    item,
                    f"persona '{persona.id}' can never match: persona '{earlier.id}' "
                    f"(line {earlier.line}) comes first and matches every customer this one does",
                )
                break
        seen[persona.id] = persona
        personas.append(persona)
    return personas


def _persona(parser: RuleParser, node: yaml.Node) -> Persona | None:
    w = parser.walker
    entries = {k: (kn, vn) for k, kn, vn in w.entries(node, "a persona")}
    for key, (key_node, _) in entries.items():
        if key not in PERSONA_KEYS:
            w.error(
                key_node, f"unknown persona key '{key}'; expected one of {', '.join(PERSONA_KEYS)}"
            )
    if "id" not in entries:
        w.error(node, "a persona needs an 'id' (letters, digits, '-', '_', '.')")
        return None
    persona_id = w.text(entries["id"][1], "id")
    if persona_id is None or not RULE_ID.match(persona_id):
        w.error(
            entries["id"][1],
            f"persona id '{persona_id}' should use letters, digits, '-', '_' or '.'",
        )
        return None
    label = _text(parser, entries, "label") or persona_id
    conditions: list[RuleCondition] = []
    if "when" in entries:
        _check_fields(w, entries["when"][1])
        conditions = parser.parse_when(entries["when"][1], ())
    return Persona(
        id=persona_id,
        label=label,
        description=_text(parser, entries, "description"),
        conditions=tuple(conditions),
        file=w.file,
        line=int(node.start_mark.line) + 1,
    )


def _text(parser: RuleParser, entries: dict[str, tuple[yaml.Node, yaml.Node]], key: str) -> str:
    if key not in entries:
        return ""
    return (parser.walker.text(entries[key][1], key) or "").strip()


def _known(name: str) -> bool:
    return name in DERIVED_FIELDS or any(
        standard_fields.is_known_field(module, name) for module in PROFILE_MODULES
    )


def _check_fields(w: Walker, node: yaml.Node) -> None:
    """Field names of a persona's ``when:`` (``any:`` groups too) must be customer fields."""
    if not isinstance(node, yaml.MappingNode):
        return  # parse_when reports the shape
    for key_node, value_node in node.value:
        name = str(key_node.value)
        if name == "any":
            for group in w.sequence(value_node, "any"):
                _check_fields(w, group)
        elif not _known(name):
            fields = sorted(
                DERIVED_FIELDS | {f for m in PROFILE_MODULES for f in standard_fields.MODULES[m]}
            )
            w.error(
                key_node,
                f"unknown customer field '{name}' in a persona; expected one of "
                f"{', '.join(fields)} or a custom field ending in _c",
            )
        elif name == "customer_kind":
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for item in items:
                if isinstance(item, yaml.ScalarNode) and str(item.value) not in KINDS:
                    w.error(
                        item,
                        f"unknown customer_kind '{item.value}'; expected one of {', '.join(KINDS)}",
                    )
