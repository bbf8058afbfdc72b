"""The sandbox's data model: modules, their fields and their link fields.

It turns the compact field lists of ``catalog`` into ``ModuleSpec`` objects the
store, the renderers and both API front ends share: which fields are stored
columns, which are SuiteCRM's non-db fields (shown as ``""``, ``{}`` or
``false`` as a real 7.14 answer shows them), how each value is typed, and how
link fields join two modules. It holds no data and does no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Short type codes used in catalog field lists → (vardef type, dbType).
TYPE_CODES: dict[str, tuple[str, str]] = {
    "": ("varchar", "varchar"),
    "id": ("id", "id"),
    "name": ("name", "varchar"),
    "dt": ("datetime", "datetime"),
    "d": ("date", "date"),
    "e": ("enum", "enum"),
    "i": ("int", "int"),
    "n": ("decimal", "decimal"),
    "b": ("bool", "bool"),
    "B": ("bool", "bool"),
    "t": ("text", "text"),
    "pt": ("parent_type", "varchar"),
    "ph": ("phone", "varchar"),
}
NUMERIC_CODES = frozenset({"i", "n"})


@dataclass(frozen=True)
class FieldSpec:
    """One vardef as the APIs show it.

    ``stored`` fields are columns of the module's table; the others are non-db
    fields whose value is ``default`` unless an enricher computes it.
    ``as_bool`` fields are rendered as JSON booleans by V8 (SuiteCRM does so
    for some tinyint columns, e.g. Emails.flagged).
    """

    name: str
    code: str = ""
    stored: bool = True
    link: bool = False
    default: Any = ""
    as_bool: bool = False

    @property
    def vardef_type(self) -> str:
        if self.link:
            return "link"
        return TYPE_CODES[self.code][0]

    @property
    def db_type(self) -> str:
        if self.link:
            return "link"
        return TYPE_CODES[self.code][1]

    @property
    def is_datetime(self) -> bool:
        return self.code == "dt"

    @property
    def is_numeric(self) -> bool:
        return self.code in NUMERIC_CODES


@dataclass(frozen=True)
class LinkSpec:
    """A link field: how rows of ``module`` relate to rows of ``target``.

    kinds:
      ``m2m``       join table ``table`` with ``self_col`` → this id and
                    ``other_col`` → the target id (``extra`` pins a type column);
      ``children``  ``target.<column>`` holds this record's id;
      ``owner``     this record's ``<column>`` holds the target's id;
      ``parented``  ``target.parent_type``/``parent_id`` point at this record;
      ``parent``    this record's ``parent_type``/``parent_id`` point at the target.
    """

    module: str
    name: str
    target: str
    kind: str
    relationship: str
    column: str = ""
    table: str = ""
    self_col: str = ""
    other_col: str = ""
    extra: tuple[tuple[str, str], ...] = ()


@dataclass
class ModuleSpec:
    """A SuiteCRM module as the sandbox serves it."""

    name: str
    object_name: str
    table: str
    fields: dict[str, FieldSpec]
    relationship_keys: tuple[tuple[str, str], ...] = ()
    links: dict[str, LinkSpec] = field(default_factory=dict)
    name_sql: str = "name"
    label: str = ""
    listed: bool = True
    auto_number: str = ""

    @property
    def columns(self) -> list[str]:
        return ["id", *(f.name for f in self.fields.values() if f.stored)]

    def stored(self, name: str) -> FieldSpec | None:
        spec = self.fields.get(name)
        if name == "id":
            return FieldSpec("id", "id")
        return spec if spec is not None and spec.stored else None


def parse_fields(text: str, base: str) -> dict[str, FieldSpec]:
    """Parse a catalog field list.

    Tokens: ``name[:code]`` a stored column; ``~name`` a non-db field (``{}``
    suffix: shown as an empty object, ``!`` suffix: shown as false); ``@name``
    a link field (``{}`` suffix as above); ``name:B`` a stored tinyint shown
    as a JSON boolean. ``{BASE}`` expands to the common bean fields.
    """
    fields: dict[str, FieldSpec] = {}
    for token in text.replace("{BASE}", base).split():
        spec = _parse_token(token)
        fields[spec.name] = spec
    return fields


def _parse_token(token: str) -> FieldSpec:
    default: Any = ""
    if token.endswith("{}"):
        token, default = token[:-2], {}
    elif token.endswith("!"):
        token, default = token[:-1], False
    if token.startswith("@"):
        return FieldSpec(token[1:], stored=False, link=True, default=default)
    if token.startswith("~"):
        name, _, code = token[1:].partition(":")
        return FieldSpec(name, code, stored=False, default=default)
    name, _, code = token.partition(":")
    if code not in TYPE_CODES:
        raise ValueError(f"unknown type code {code!r} in catalog token {token!r}")
    return FieldSpec(name, code, as_bool=code == "B")
