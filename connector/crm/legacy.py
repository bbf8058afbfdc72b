"""SuiteCRM's REST v4_1 client (``service/v4_1/rest.php``), behind the same interface as V8.

Why it matters: V8 cannot list deleted records, v4_1 can (``deleted=1``); v4_1
pages by offset with a multi-column ``order_by`` (stable), and ``set_entries``
writes many records in one request.

Facts this code is built on (shared/suitecrm/reference.md §2): every call is a
form POST with ``method``, ``input_type=JSON``, ``response_type=JSON`` and
``rest_data``; ``rest_data`` is sent as a JSON array in PHP signature order (the
only form that works on both PHP 7 and PHP 8); errors come with HTTP 200 as
``{"name", "number", "description"}``; an invalid session (11) is answered by
logging in again once; ``order_by`` takes bare field names only; values are
strings, HTML-entity encoded, datetimes in DB format UTC.

This module speaks HTTP through ``Transport`` only and knows nothing of journeys.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from connector.crm.client import DEFAULT_PAGE_SIZE, first_answering, not_found_reason
from connector.crm.errormap import LEGACY_INVALID_SESSION, map_legacy_error
from connector.crm.handlers import legacy_errors
from connector.crm.http import Transport
from connector.crm.records import (
    SQL_OPERATORS,
    FieldInfo,
    ModuleInfo,
    Page,
    Query,
    Record,
    ServerInfo,
    clean_record,
)
from connector.errors import (
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConnectorError,
    EndpointNotFoundError,
    NotFoundError,
    ProtocolError,
)
from connector.secrets import Secret

log = logging.getLogger(__name__)

REST_PATHS = ("/service/v4_1/rest.php", "/legacy/service/v4_1/rest.php")
APPLICATION = "suitecrm-journey"

# Table names that are not simply the lower-cased module name.
TABLES: Mapping[str, str] = {
    "CampaignLog": "campaign_log",
    "ProspectLists": "prospect_lists",
    "EmailAddresses": "email_addresses",
    "SurveyResponses": "surveyresponses",
    "AOP_Case_Updates": "aop_case_updates",
}

# Ids per get_entry_list when reading the related records of many records at once.
RELATED_BATCH = 200
_FIELD_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def table_of(module: str) -> str:
    return TABLES.get(module, module.lower())


def _field_name(name: str) -> str:
    if not name or not set(name) <= _FIELD_NAME_CHARS:
        raise ConfigurationError(f"'{name}' is not a valid SuiteCRM field name.")
    return name


def sql_literal(value: str) -> str:
    """Quote a value for SuiteCRM's SQL where fragment (MySQL string literal)."""
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def where_clause(query: Query) -> str:
    """The ``query`` argument of get_entry_list for a neutral ``Query``."""
    table = table_of(query.module)
    parts = [
        f"{table}.{_field_name(c.field)} {SQL_OPERATORS[c.op]} {sql_literal(c.rendered_value())}"
        for c in query.conditions
    ]
    joiner = " OR " if query.match == "or" else " AND "
    clause = joiner.join(parts)
    return f"({clause})" if len(parts) > 1 else clause


def order_clause(query: Query) -> str:
    """Bare field names only (``calls.id`` is silently ignored by SuiteCRM), with
    ``id`` as tie-breaker so pages are stable inside one date_modified."""
    if not query.sort:
        return "id ASC"
    direction = "DESC" if query.sort.startswith("-") else "ASC"
    name = _field_name(query.sort.lstrip("-"))
    if name == "id":
        return f"id {direction}"
    return f"{name} {direction}, id {direction}"


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # the protocol's choice, not ours


def name_values(entry: Mapping[str, Any]) -> dict[str, Any]:
    """``{"f": {"name": "f", "value": v}}`` (or the list form) → ``{"f": v}``."""
    raw = entry.get("name_value_list")
    values: dict[str, Any] = {}
    if isinstance(raw, dict):
        with contextlib.suppress(TypeError, KeyError):  # the usual shape, in one pass
            return {key: item["value"] for key, item in raw.items()}
    if isinstance(raw, Mapping):
        for key, item in raw.items():
            values[str(key)] = item.get("value") if isinstance(item, Mapping) else item
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, Mapping) and "name" in item:
                values[str(item["name"])] = item.get("value")
    return values


def record_from_entry(module: str, entry: Mapping[str, Any], *, compact: bool = False) -> Record:
    values = name_values(entry)
    record_id = str(entry.get("id") or values.get("id") or "")
    return clean_record(
        module,
        record_id,
        values,
        deleted=str(values.get("deleted", "0")) in ("1", "True", "true"),
        compact=compact,
    )


def with_links(
    records: list[Record], relationship_list: Any, links: Sequence[str]
) -> list[Record]:
    """``records`` with ``related`` set from get_entry_list's ``relationship_list`` (one
    ``{"link_list": [{"name", "records": [{"link_value": {"id": …}}]}]}`` per entry, in
    the entries' order); a link not answered counts as no related record."""
    lists = relationship_list if isinstance(relationship_list, list) else []
    out = []
    for index, record in enumerate(records):
        item = lists[index] if index < len(lists) else None
        link_list = item.get("link_list") if isinstance(item, Mapping) else None
        related: dict[str, tuple[str, ...]] = dict.fromkeys(links, ())
        for link in link_list if isinstance(link_list, list) else []:
            if not isinstance(link, Mapping) or link.get("name") not in related:
                continue
            ids = []
            for entry in link.get("records") or []:
                value = entry.get("link_value") if isinstance(entry, Mapping) else None
                if isinstance(value, Mapping):
                    ids.append(str(name_values({"name_value_list": value}).get("id") or ""))
            related[str(link["name"])] = tuple(i for i in ids if i)
        out.append(replace(record, related=related))
    return out


@dataclass(frozen=True)
class LegacyCredentials:
    username: str
    password: Secret


class LegacyClient:
    """``CrmClient`` over REST v4_1."""

    flavour = "legacy"
    supports_deleted = True
    modified_resolution = timedelta(seconds=1)

    def __init__(
        self, transport: Transport, credentials: LegacyCredentials, rest_path: str = REST_PATHS[0]
    ) -> None:
        self.transport = transport
        self.credentials = credentials
        self.rest_path = rest_path
        self._session: Secret | None = None
        self.user: dict[str, Any] = {}

    @classmethod
    def connect(
        cls, transport: Transport, credentials: LegacyCredentials, rest_path: str | None = None
    ) -> LegacyClient:
        """A logged-in client; with ``rest_path=None`` try 7.x's path, then 8.x's."""
        candidates = (rest_path,) if rest_path else REST_PATHS

        def attempt(path: str) -> LegacyClient:
            client = cls(transport, credentials, path)
            client.authenticate()
            return client

        failures: list[ConnectorError] = []
        found = first_answering(candidates, attempt, failures)
        if found is not None:
            return found
        tried = ", ".join(transport.url(p) for p in candidates)
        answered = not_found_reason(failures) or ": check the url setting."
        raise EndpointNotFoundError(f"no SuiteCRM REST v4_1 API found (tried {tried}){answered}")

    # -- plumbing -------------------------------------------------------------------

    def _post(
        self,
        method: str,
        args: list[Any],
        *,
        module: str | None = None,
        session_renewal: bool = False,
    ) -> Any:
        """One v4_1 call; an error in the answer is raised (``handlers.legacy_errors``),
        but with ``session_renewal`` an expired session (11) is returned to renew."""
        form = {
            "method": method,
            "input_type": "JSON",
            "response_type": "JSON",
            "rest_data": json.dumps(args, separators=(",", ":")),
        }
        handler = legacy_errors(method, module, session_renewal=session_renewal)
        return self.transport.request(
            "POST", self.rest_path, data=form, module=module, handler=handler
        ).body

    def _call(self, method: str, args: list[Any], *, module: str | None = None) -> Any:
        """A call that needs a session: log in if needed, and once more on error 11 (the
        session id travels in the form, so the client renews it, not the transport)."""
        body = self._post(method, [self._session_id(), *args], module=module, session_renewal=True)
        if not _session_expired(body):
            return body
        log.info("v4_1 session expired; logging in again")
        self._session = None
        body = self._post(method, [self._session_id(), *args], module=module, session_renewal=True)
        if _session_expired(body):
            raise map_legacy_error(body, method=method, module=module)
        return body

    def _session_id(self) -> str:
        if self._session is None:
            self.authenticate()
        assert self._session is not None
        return self._session.reveal()

    # -- CrmClient ------------------------------------------------------------------

    def authenticate(self) -> None:
        auth = {
            "user_name": self.credentials.username,
            "password": md5_hex(self.credentials.password.reveal()),
        }
        body = self._post("login", [auth, APPLICATION, []])
        if not isinstance(body, Mapping) or not body.get("id"):
            raise AuthenticationError(
                f"SuiteCRM answered the v4_1 login ({self.rest_path}) without a session id: "
                "check username and password."
            )
        self._session = Secret(str(body["id"]))
        self.user = name_values(body)

    def server_info(self) -> ServerInfo:
        body = self._post("get_server_info", [])
        info = body if isinstance(body, Mapping) else {}
        version = info.get("suitecrm_version") or info.get("version")
        details = {k: str(v) for k, v in info.items() if isinstance(v, str | int)}
        return ServerInfo(
            flavour="legacy",
            base_url=self.transport.base_url,
            api_path=self.rest_path,
            version=str(version) if version else None,
            details=details,
        )

    def list_modules(self) -> dict[str, ModuleInfo]:
        body = self._call("get_available_modules", ["default"])
        modules: dict[str, ModuleInfo] = {}
        modules_list = body.get("modules") if isinstance(body, Mapping) else None
        for item in modules_list or []:
            if not isinstance(item, Mapping):
                continue
            name = str(item.get("module_key") or item.get("module_label") or "")
            acls = {
                str(a.get("action"))
                for a in item.get("acls") or []
                if isinstance(a, Mapping) and a.get("access")
            }
            modules[name] = ModuleInfo(name, str(item.get("module_label") or name), frozenset(acls))
        return modules

    def module_fields(self, module: str) -> dict[str, FieldInfo]:
        body = self._call("get_module_fields", [module, []], module=module)
        fields: dict[str, FieldInfo] = {}
        for name, spec in ((body or {}).get("module_fields") or {}).items():
            spec = spec if isinstance(spec, Mapping) else {}
            options = spec.get("options")
            if not isinstance(options, Mapping):
                options = {}
            fields[str(name)] = FieldInfo(
                name=str(name),
                type=str(spec.get("type") or ""),
                required=bool(spec.get("required")),
                options=tuple(str(k) for k in options),
            )
        return fields

    def count(self, module: str, query: Query | None = None) -> int | None:
        where = where_clause(query) if query and query.conditions else ""
        deleted = 1 if query and query.include_deleted else 0
        body = self._call("get_entries_count", [module, where, deleted], module=module)
        raw = body.get("result_count") if isinstance(body, Mapping) else None
        try:
            return int(raw) if raw is not None else None
        except (TypeError, ValueError):
            return None

    def _fields(self, query: Query) -> list[str]:
        if not query.fields:
            return []
        wanted = ["id", *query.fields, "date_modified"]
        if query.include_deleted:
            wanted.append("deleted")
        return list(dict.fromkeys(wanted))

    def fetch(
        self, query: Query, *, offset: int, max_results: int
    ) -> tuple[list[Record], int, int]:
        """One get_entry_list call: (records, next_offset, total_count or -1)."""
        args = [
            query.module,
            where_clause(query),
            order_clause(query),
            offset,
            self._fields(query),
            [{"name": link, "value": ["id"]} for link in query.links],
            max_results,
            1 if query.include_deleted else 0,
            False,
        ]
        body = self._call("get_entry_list", args, module=query.module)
        if not isinstance(body, Mapping) or "entry_list" not in body:
            raise ProtocolError(
                f"SuiteCRM answered get_entry_list on {query.module} without entries."
            )
        entries = [e for e in body["entry_list"] if isinstance(e, Mapping)]
        records = [record_from_entry(query.module, e, compact=query.compact) for e in entries]
        if query.links:
            records = with_links(records, body.get("relationship_list"), query.links)
        try:
            total = int(body.get("total_count", -1))
        except (TypeError, ValueError):
            total = -1
        next_offset = int(body.get("next_offset") or offset + len(records))
        return records, next_offset, total

    def list_page(self, query: Query, *, page_number: int, page_size: int) -> Page:
        if page_number < 1 or page_size < 1:
            raise ValueError("page_number and page_size start at 1")
        records, _next, total = self.fetch(
            query, offset=(page_number - 1) * page_size, max_results=page_size
        )
        pages = -(-total // page_size) if total >= 0 else None
        return Page(
            tuple(records),
            page_number,
            page_size,
            total_pages=pages,
            total_records=total if total >= 0 else None,
        )

    def iter_records(self, query: Query, *, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[Record]:
        offset = 0
        previous: tuple[str, ...] | None = None
        while True:
            records, next_offset, total = self.fetch(query, offset=offset, max_results=page_size)
            ids = tuple(r.id for r in records)
            if ids and ids == previous:
                raise ProtocolError(
                    f"SuiteCRM returned the same {query.module} rows twice at offset {offset}; "
                    "the server ignores the offset."
                )
            yield from records
            if not records or len(records) < page_size or (0 <= total <= next_offset):
                return
            previous = ids
            offset = max(next_offset, offset + len(records))

    def get_record(self, module: str, record_id: str, fields: Sequence[str] = ()) -> Record:
        body = self._call("get_entry", [module, record_id, list(fields), [], False], module=module)
        entries = (body or {}).get("entry_list") or []
        if not entries or not isinstance(entries[0], Mapping):
            raise NotFoundError(f"{module} record {record_id} not found.", module, record_id)
        values = name_values(entries[0])
        if "warning" in values:
            raise NotFoundError(
                f"{module} record {record_id} does not exist or is deleted (v4_1 get_entry).",
                module,
                record_id,
            )
        return record_from_entry(module, entries[0])

    def get_records(
        self, module: str, ids: Sequence[str], fields: Sequence[str] = ()
    ) -> dict[str, Record | None]:
        """Many records by id in one request (get_entries); None for an id that does not
        exist or is deleted (SuiteCRM answers those with a warning entry)."""
        args = [module, list(ids), list(fields), [], False]
        body = self._call("get_entries", args, module=module)
        found: dict[str, Record | None] = dict.fromkeys(ids)
        entries = body.get("entry_list") if isinstance(body, Mapping) else None
        for entry in entries or []:
            if not isinstance(entry, Mapping):
                continue
            values = name_values(entry)
            record_id = str(entry.get("id") or values.get("id") or "")
            if record_id in found and "warning" not in values:
                found[record_id] = record_from_entry(module, entry)
        return found

    def related_ids(
        self, module: str, record_ids: Sequence[str], links: Sequence[str]
    ) -> dict[str, dict[str, tuple[str, ...]]]:
        """One get_entry_list for all ``record_ids`` (``id IN (…)``), asking for the
        related ids of ``links`` (``relationship_list``, aligned with the entries)."""
        found: dict[str, dict[str, tuple[str, ...]]] = {}
        for start in range(0, len(record_ids), RELATED_BATCH):
            part = list(dict.fromkeys(record_ids[start : start + RELATED_BATCH]))
            listed = ", ".join(sql_literal(i) for i in part)
            args = [
                module,
                f"{table_of(module)}.id IN ({listed})",
                "id ASC",
                0,
                ["id"],
                [{"name": link, "value": ["id"]} for link in links],
                len(part),
                0,
                False,
            ]
            body = self._call("get_entry_list", args, module=module)
            entries = body.get("entry_list") if isinstance(body, Mapping) else None
            records = [
                record_from_entry(module, e) for e in entries or [] if isinstance(e, Mapping)
            ]
            rels = body.get("relationship_list") if isinstance(body, Mapping) else None
            for record in with_links(records, rels, links):
                found[record.id] = dict(record.related or {})
        return {i: found.get(i, dict.fromkeys(links, ())) for i in record_ids}

    def create_record(
        self, module: str, attributes: Mapping[str, Any], record_id: str | None = None
    ) -> Record:
        values = dict(attributes)
        if record_id:
            values["id"] = record_id
            values.setdefault("new_with_id", True)
        new_id = self._set_entry(module, values)
        return Record(module, new_id, dict(attributes))

    def update_record(self, module: str, record_id: str, attributes: Mapping[str, Any]) -> Record:
        new_id = self._set_entry(module, {**attributes, "id": record_id})
        return Record(module, new_id, dict(attributes))

    def _set_entry(self, module: str, values: Mapping[str, Any]) -> str:
        pairs = [{"name": k, "value": _wire(v)} for k, v in values.items()]
        body = self._call("set_entry", [module, pairs], module=module)
        new_id = (body or {}).get("id") if isinstance(body, Mapping) else None
        if not new_id or new_id == "-1":
            raise BadRequestError(f"SuiteCRM did not save the {module} record (v4_1 set_entry).")
        return str(new_id)

    def set_entries(self, module: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
        """Save many records in one request; ids in the order given.

        A row with a chosen ``id`` updates that record; it creates it only with
        ``new_with_id`` set. Without it SuiteCRM answers the id and creates nothing;
        with it on an id that exists, the request dies ("Database failure") after
        saving the rows before. Check what was stored (``get_records``)."""
        lists = [[{"name": k, "value": _wire(v)} for k, v in row.items()] for row in rows]
        body = self._call("set_entries", [module, lists], module=module)
        ids = (body or {}).get("ids") if isinstance(body, Mapping) else None
        if not isinstance(ids, list) or len(ids) != len(rows):
            raise ProtocolError(
                f"SuiteCRM answered set_entries on {module} with {len(ids or [])} ids "
                f"for {len(rows)} records."
            )
        return [str(i) for i in ids]

    def delete_record(self, module: str, record_id: str) -> None:
        self._set_entry(module, {"id": record_id, "deleted": "1"})

    def get_related(self, module: str, record_id: str, link: str) -> list[Record]:
        args = [module, record_id, link, "", [], [], 0, "", 0, 0]
        body = self._call("get_relationships", args, module=module)
        entries = (body or {}).get("entry_list") or []
        return [
            record_from_entry(str(e.get("module_name") or ""), e)
            for e in entries
            if isinstance(e, Mapping)
        ]

    def add_relationship(
        self, module: str, record_id: str, link: str, related_module: str, related_id: str
    ) -> None:
        self._relate(module, record_id, link, related_id, delete=0)

    def remove_relationship(self, module: str, record_id: str, link: str, related_id: str) -> None:
        self._relate(module, record_id, link, related_id, delete=1)

    def _relate(
        self, module: str, record_id: str, link: str, related_id: str, *, delete: int
    ) -> None:
        args = [module, record_id, link, [related_id], [], delete]
        body = self._call("set_relationship", args, module=module)
        failed = int((body or {}).get("failed") or 0) if isinstance(body, Mapping) else 0
        if failed:
            raise BadRequestError(
                f"SuiteCRM could not {'remove' if delete else 'add'} the {module}.{link} "
                f"relationship of {record_id} to {related_id} (v4_1 set_relationship)."
            )

    @property
    def requests_made(self) -> int:
        return self.transport.stats.requests

    def close(self) -> None:
        if self._session is not None:
            try:
                self._post("logout", [self._session.reveal()])
            except Exception as exc:  # a failed logout must not hide the run's result
                log.debug("v4_1 logout failed: %s", type(exc).__name__)
            self._session = None
        self.transport.close()


def _wire(value: Any) -> Any:
    if isinstance(value, bool):
        return "1" if value else "0"
    return value


def _session_expired(body: Any) -> bool:
    return isinstance(body, Mapping) and str(body.get("number")) == str(LEGACY_INVALID_SESSION)
