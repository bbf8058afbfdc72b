"""Turn stored rows into the values SuiteCRM's APIs show: V8 resources and v4_1 entries.

SuiteCRM answers with HTML-escaped strings (its ``to_html`` replaces ``"``,
``'``, ``<`` and ``>``; ``&`` is left alone, as the recorded "Q.R.&E. Corp"
shows), V8 datetimes as ``YYYY-MM-DDTHH:MM:00+00:00`` (seconds zeroed), v4_1
datetimes raw, and fills relate and other non-db fields. Those fields are
computed here for a whole page at once (one query per related module), never
row by row. This module reads through ``Store`` and knows nothing of HTTP.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from connector.sandbox.schema import FieldSpec, ModuleSpec
from connector.sandbox.store import Store

ENTITIES = str.maketrans({'"': "&quot;", "'": "&#039;", "<": "&lt;", ">": "&gt;"})

USERS: dict[str, str] = {
    "1": "Administrator",
    "seed_sally_id": "Sally Bronsen",
    "seed_max_id": "Max Jensen",
    "seed_chris_id": "Chris Olliver",
    "seed_will_id": "Will Westin",
    "seed_sarah_id": "Sarah Smith",
    "seed_giulia_id": "Giulia Rossi",
}
USER_NAME_FIELDS = {
    "created_by_name": "created_by",
    "modified_by_name": "modified_user_id",
    "assigned_user_name": "assigned_user_id",
    "corrected_by_name": "corrected_by",
}
# module → (name field, id field, related module)
RELATES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "Accounts": (
        ("parent_name", "parent_id", "Accounts"),
        ("campaign_name", "campaign_id", "Campaigns"),
    ),
    "Contacts": (
        ("campaign_name", "campaign_id", "Campaigns"),
        ("report_to_name", "reports_to_id", "Contacts"),
    ),
    "Leads": (
        ("campaign_name", "campaign_id", "Campaigns"),
        ("contact_name", "contact_id", "Contacts"),
        ("report_to_name", "reports_to_id", "Contacts"),
    ),
    "Cases": (("account_name", "account_id", "Accounts"),),
    "Opportunities": (("campaign_name", "campaign_id", "Campaigns"),),
    "Tasks": (("contact_name", "contact_id", "Contacts"),),
    "Notes": (("contact_name", "contact_id", "Contacts"),),
    "CampaignLog": (("campaign_name", "campaign_id", "Campaigns"),),
    "AOS_Quotes": (
        ("billing_account", "billing_account_id", "Accounts"),
        ("billing_contact", "billing_contact_id", "Contacts"),
        ("opportunity", "opportunity_id", "Opportunities"),
    ),
    "AOS_Invoices": (
        ("billing_account", "billing_account_id", "Accounts"),
        ("billing_contact", "billing_contact_id", "Contacts"),
    ),
    "AOS_Contracts": (
        ("contract_account", "contract_account_id", "Accounts"),
        ("opportunity", "opportunity_id", "Opportunities"),
        ("contact", "contact_id", "Contacts"),
    ),
    "CJ_Journeys": (
        ("account_name", "account_id", "Accounts"),
        ("contact_name", "contact_id", "Contacts"),
    ),
    "CJ_Touchpoints": (
        ("journey_name", "journey_id", "CJ_Journeys"),
        ("account_name", "account_id", "Accounts"),
    ),
    "CJ_Corrections": (
        ("account_name", "account_id", "Accounts"),
        ("contact_name", "contact_id", "Contacts"),
    ),
}
# module → (join table, own column, account column): the non-db account_id of
# Contacts and Opportunities comes from a join table, most recent link first.
ACCOUNT_JOINS: dict[str, tuple[str, str, str]] = {
    "Contacts": ("accounts_contacts", "contact_id", "account_id"),
    "Opportunities": ("accounts_opportunities", "opportunity_id", "account_id"),
}


def encode(value: str) -> str:
    return value.translate(ENTITIES)


def v8_datetime(value: str | None) -> str:
    if not value:
        return ""
    return f"{value[:10]}T{value[11:16]}:00+00:00"


class Renderer:
    """Renders rows of any module for V8 and v4_1 answers."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.catalog = store.catalog

    # -- computed fields -------------------------------------------------------------

    def computed(self, spec: ModuleSpec, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Values of the non-db fields SuiteCRM fills, for each row, in one pass."""
        extra: list[dict[str, Any]] = [{} for _ in rows]
        fields = spec.fields
        for name, source in USER_NAME_FIELDS.items():
            if name in fields:
                for out, row in zip(extra, rows, strict=True):
                    out[name] = USERS.get(row.get(source) or "", "")
        if "name" in fields and not fields["name"].stored:
            self._names(spec, rows, extra)
        if "parent_type" in spec.columns and "parent_name" in fields:
            self._parent_names(rows, extra)
        for name_field, id_field, module in RELATES.get(spec.name, ()):
            names = self.store.names(self.catalog[module], (r.get(id_field) or "" for r in rows))
            for out, row in zip(extra, rows, strict=True):
                out[name_field] = names.get(row.get(id_field) or "", "")
        if spec.name in ACCOUNT_JOINS:
            self._accounts(spec, rows, extra)
        if spec.name == "Opportunities":
            for out, row in zip(extra, rows, strict=True):
                if row.get("currency_id") == "-99":
                    out["currency_name"], out["currency_symbol"] = "US Dollars", "$"
        return extra

    @staticmethod
    def _names(
        spec: ModuleSpec, rows: Sequence[Mapping[str, Any]], extra: list[dict[str, Any]]
    ) -> None:
        for out, row in zip(extra, rows, strict=True):
            if spec.name == "Documents":
                out["name"] = row.get("document_name") or ""
            else:
                full = " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p)
                out["name"] = full
                out["full_name"] = full

    def _parent_names(self, rows: Sequence[Mapping[str, Any]], extra: list[dict[str, Any]]) -> None:
        by_type: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if row.get("parent_type") in self.catalog and row.get("parent_id"):
                by_type[row["parent_type"]].add(row["parent_id"])
        names = {t: self.store.names(self.catalog[t], ids) for t, ids in by_type.items()}
        for out, row in zip(extra, rows, strict=True):
            out["parent_name"] = names.get(row.get("parent_type") or "", {}).get(
                row.get("parent_id") or "", ""
            )

    def _accounts(
        self, spec: ModuleSpec, rows: Sequence[Mapping[str, Any]], extra: list[dict[str, Any]]
    ) -> None:
        table, own, other = ACCOUNT_JOINS[spec.name]
        links = self.store.latest_links(table, own, other, (r["id"] for r in rows))
        names = self.store.names(self.catalog["Accounts"], links.values())
        for out, row in zip(extra, rows, strict=True):
            account = links.get(row["id"], "")
            out["account_id"] = account
            out["account_name"] = names.get(account, "")

    # -- V8 ------------------------------------------------------------------------

    @staticmethod
    def _plan(spec: ModuleSpec, wanted: Iterable[str] | None) -> AttributePlan:
        chosen = set(wanted) if wanted is not None else None
        return AttributePlan(
            [f for f in spec.fields.values() if chosen is None or f.name in chosen]
        )

    def v8_resources(
        self,
        spec: ModuleSpec,
        rows: Sequence[Mapping[str, Any]],
        fields: Iterable[str] | None = None,
        *,
        related: bool = False,
    ) -> list[dict[str, Any]]:
        """JSON:API resource objects; ``related`` gives the relationship-listing shape."""
        plan = self._plan(spec, fields)
        extra = self.computed(spec, rows)
        resources = []
        for row, computed in zip(rows, extra, strict=True):
            record_id = row["id"]
            resource: dict[str, Any] = {
                "type": spec.object_name,
                "id": record_id,
                "attributes": plan.attributes(row, computed),
            }
            if related:
                resource["links"] = {"self": f"V8/module/{spec.object_name}/{record_id}"}
            else:
                base = f"V8/module/{spec.name}/{record_id}/relationships/"
                resource["relationships"] = {
                    module: {"links": {"related": base + link}}
                    for module, link in spec.relationship_keys
                }
            resources.append(resource)
        return resources

    # -- v4_1 ----------------------------------------------------------------------

    def name_value_lists(
        self, spec: ModuleSpec, rows: Sequence[Mapping[str, Any]], fields: Sequence[str] = ()
    ) -> list[dict[str, dict[str, str]]]:
        """v4_1 ``name_value_list`` objects: every value a string, datetimes raw."""
        if fields:
            chosen = [f for f in dict.fromkeys(fields) if f == "id" or f in spec.fields]
        else:
            chosen = ["id", *(f.name for f in spec.fields.values() if not f.link)]
        extra = self.computed(spec, rows)
        out = []
        for row, computed in zip(rows, extra, strict=True):
            nvl: dict[str, dict[str, str]] = {}
            for name in chosen:
                spec_field = spec.fields.get(name)
                if name == "id" or (spec_field is not None and spec_field.stored):
                    value = row.get(name)
                    text = "" if value is None else encode(str(value))
                else:
                    default = spec_field.default if spec_field is not None else ""
                    text = str(computed.get(name, default if isinstance(default, str) else ""))
                    text = encode(text)
                nvl[name] = {"name": name, "value": text}
            out.append(nvl)
        return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.translate(ENTITIES)
    return str(value)


class AttributePlan:
    """How to render one module's attributes fast: a template dict in vardef order
    (non-db defaults already in place) that each row copies and fills."""

    def __init__(self, fields: Sequence[FieldSpec]) -> None:
        self.template = {f.name: f.default for f in fields}
        self.plain = [f.name for f in fields if f.stored and not f.is_datetime and not f.as_bool]
        self.datetimes = [f.name for f in fields if f.stored and f.is_datetime]
        self.bools = [f.name for f in fields if f.stored and f.as_bool]
        self.virtual = frozenset(f.name for f in fields if not f.stored)

    def attributes(self, row: Mapping[str, Any], computed: Mapping[str, Any]) -> dict[str, Any]:
        attributes = self.template.copy()
        attributes.update(zip(self.plain, map(_text, map(row.get, self.plain)), strict=True))
        for name in self.datetimes:
            attributes[name] = v8_datetime(row.get(name))
        for name in self.bools:
            attributes[name] = str(row.get(name) or "0") not in ("0", "")
        for name, value in computed.items():
            if name in self.virtual:
                attributes[name] = value.translate(ENTITIES) if isinstance(value, str) else value
        return attributes
