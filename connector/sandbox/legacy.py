"""SuiteCRM's REST v4_1 (``/service/v4_1/rest.php``) as the sandbox serves it.

Form fields ``method``, ``input_type``, ``response_type`` and ``rest_data``;
``rest_data`` may be a JSON array (positional, PHP signature order) or an object
with the PHP parameter names. Answers keep SuiteCRM's shapes and quirks: HTTP
200 even for errors (a bare ``{name, number, description}``), every value a
string, datetimes raw UTC with seconds, ``deleted=1`` listing live and deleted
rows together (except on Emails, whose list query breaks with deleted=1: HTTP 500
"Database failure", as recorded), ``order_by`` ignoring table-qualified names.
``set_entry``/``set_entries`` with a client-chosen id create the record only with
``new_with_id``: without it SuiteCRM updates a row that does not exist, creates
nothing and answers the id all the same; with it on an id that exists, the
INSERT fails and the request dies with "Database failure". ``query`` is parsed
by ``legacy_query``, never executed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Callable, Mapping
from typing import Any

from connector.sandbox.legacy_query import QueryError, parse_order_by, parse_where
from connector.sandbox.records import ConstraintError, RecordError
from connector.sandbox.schema import ModuleSpec
from connector.sandbox.services import Services
from connector.sandbox.wire import (
    HTML_TYPE,
    JSON_UTF8,
    Request,
    Response,
    html_response,
    json_response,
)

SIGNATURES: dict[str, tuple[str, ...]] = {
    "login": ("user_auth", "application", "name_value_list"),
    "logout": ("session",),
    "get_server_info": (),
    "get_user_id": ("session",),
    "get_available_modules": ("session", "filter"),
    "get_entry_list": (
        "session",
        "module_name",
        "query",
        "order_by",
        "offset",
        "select_fields",
        "link_name_to_fields_array",
        "max_results",
        "deleted",
        "favorites",
    ),
    "get_entries_count": ("session", "module_name", "query", "deleted"),
    "get_entry": (
        "session",
        "module_name",
        "id",
        "select_fields",
        "link_name_to_fields_array",
        "track_view",
    ),
    "get_entries": (
        "session",
        "module_name",
        "ids",
        "select_fields",
        "link_name_to_fields_array",
        "track_view",
    ),
    "set_entry": ("session", "module_name", "name_value_list", "track_view"),
    "set_entries": ("session", "module_name", "name_value_lists"),
    "get_relationships": (
        "session",
        "module_name",
        "module_id",
        "link_field_name",
        "related_module_query",
        "related_fields",
        "related_module_link_name_to_fields_array",
        "deleted",
        "order_by",
        "offset",
        "limit",
    ),
    "set_relationship": (
        "session",
        "module_name",
        "module_id",
        "link_field_name",
        "related_ids",
        "name_value_list",
        "delete",
    ),
}
ALIASES = {"application_name": "application"}
INVALID_LOGIN = {
    "name": "Invalid Login",
    "number": 10,
    "description": "Login attempt failed please check the username and password",
}
INVALID_SESSION = {
    "name": "Invalid Session ID",
    "number": 11,
    "description": "The session ID is invalid",
}
NO_MODULE = {
    "name": "Module Does Not Exist",
    "number": 20,
    "description": "This module is not available on this server",
}
ACCESS_DENIED = {"name": "Access Denied", "number": 40, "description": "You do not have access"}
DELETED_WARNING = "Access to this object is denied since it has been deleted or does not exist"
DB_FAILURE = "Database failure. Please refer to suitecrm.log for details."
# Modules whose get_entry_list fails with deleted=1 (SuiteCRM drops the Email list
# query's own where clause and MySQL answers error 1064).
NO_DELETED_LISTING = frozenset({"Emails"})


class DatabaseFailure(Exception):
    """SuiteCRM's sugar_die on a failed query: HTTP 500, a one-line text page."""


def db_failure() -> Response:
    return Response(500, DB_FAILURE.encode("utf-8"), HTML_TYPE)


class LegacyError(Exception):
    def __init__(self, body: Mapping[str, Any]) -> None:
        super().__init__(body.get("name"))
        self.body = dict(body)


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def _name_values(value: Any) -> dict[str, Any]:
    """``{"f": v}`` or ``[{"name": f, "value": v}]`` → ``{"f": v}``."""
    if isinstance(value, dict):
        return {str(k): (v.get("value") if isinstance(v, dict) else v) for k, v in value.items()}
    if isinstance(value, list):
        return {
            str(i["name"]): i.get("value") for i in value if isinstance(i, dict) and "name" in i
        }
    return {}


class LegacyApi:
    """Answers ``/service/v4_1/rest.php``."""

    def __init__(self, services: Services, users: Mapping[str, str]) -> None:
        self.s = services
        self.users = dict(users)
        self._sessions: dict[str, str] = {}
        self._lock = threading.Lock()
        self.methods: dict[str, Callable[[dict[str, Any]], Any]] = {
            "login": self.login,
            "logout": self.logout,
            "get_server_info": self.server_info,
            "get_user_id": self.user_id,
            "get_available_modules": self.available_modules,
            "get_entry_list": self.entry_list,
            "get_entries_count": self.entries_count,
            "get_entry": self.entry,
            "get_entries": self.entries,
            "set_entry": self.set_entry,
            "set_entries": self.set_entries,
            "get_relationships": self.relationships,
            "set_relationship": self.set_relationship,
        }

    def route(self, request: Request) -> tuple[str, Callable[[], Response]]:
        fields = dict(request.query)
        if request.method == "POST":
            fields.update(request.form())
        method = fields.get("method", "")
        return f"v4_1 {method or '(none)'}", lambda: self.answer(
            method, fields.get("rest_data", "")
        )

    def answer(self, method: str, rest_data: str) -> Response:
        handler = self.methods.get(method)
        if handler is None:
            return json_response(200, None, JSON_UTF8)
        try:
            decoded = json.loads(rest_data) if rest_data else []
        except ValueError:
            decoded = []
        args = self._arguments(method, decoded)
        if args is None:
            # PHP 8 named arguments: an unknown name is a fatal error.
            return html_response(
                500, "Internal Server Error", "PHP Fatal error: Unknown named parameter"
            )
        try:
            return json_response(200, handler(args), JSON_UTF8)
        except LegacyError as exc:
            return json_response(200, exc.body, JSON_UTF8)
        except (ConstraintError, DatabaseFailure):
            return db_failure()

    @staticmethod
    def _arguments(method: str, decoded: Any) -> dict[str, Any] | None:
        names = SIGNATURES[method]
        if isinstance(decoded, list):
            return dict(zip(names, decoded, strict=False))
        if isinstance(decoded, dict):
            args: dict[str, Any] = {}
            for key, value in decoded.items():
                name = ALIASES.get(key, key)
                if name not in names:
                    return None
                args[name] = value
            return args
        return {}

    # -- sessions ------------------------------------------------------------------

    def _session(self, args: Mapping[str, Any]) -> str:
        session = str(args.get("session") or "")
        with self._lock:
            user = self._sessions.get(session)
        if user is None:
            raise LegacyError(INVALID_SESSION)
        return user

    def _module(self, args: Mapping[str, Any]) -> ModuleSpec:
        spec = self.s.catalog.get(str(args.get("module_name") or ""))
        if spec is None:
            raise LegacyError(NO_MODULE)
        return spec

    def login(self, args: dict[str, Any]) -> Any:
        auth = args.get("user_auth") if isinstance(args.get("user_auth"), dict) else {}
        assert isinstance(auth, dict)
        user = str(auth.get("user_name") or "")
        given = str(auth.get("password") or "")
        clear = self.users.get(user)
        if clear is None:
            raise LegacyError(INVALID_LOGIN)
        if str(auth.get("encryption") or "").upper() == "PLAIN":
            valid = secrets.compare_digest(given, clear)
        else:
            valid = secrets.compare_digest(given.lower(), hashlib.md5(clear.encode()).hexdigest())
        if not valid:
            raise LegacyError(INVALID_LOGIN)
        session = secrets.token_hex(13)
        with self._lock:
            self._sessions[session] = user
        values: dict[str, Any] = {
            "user_id": "1",
            "user_name": user,
            "user_language": "en_us",
            "user_currency_id": None,
            "user_is_admin": True,
            "user_default_team_id": None,
            "user_default_dateformat": "m/d/Y",
            "user_default_timeformat": "H:i",
            "user_number_separator": ",",
            "user_decimal_separator": ".",
            "mobile_max_list_entries": None,
            "mobile_max_subpanel_entries": None,
            "user_currency_name": "US Dollars",
        }
        return {
            "id": session,
            "module_name": "Users",
            "name_value_list": {k: {"name": k, "value": v} for k, v in values.items()},
        }

    def logout(self, args: dict[str, Any]) -> Any:
        session = str(args.get("session") or "")
        with self._lock:
            self._sessions.pop(session, None)
        return None

    def server_info(self, args: dict[str, Any]) -> Any:
        return {
            "flavor": "CE",
            "version": "6.5.25",
            "suitecrm_version": "7.14.6",
            "gmt_time": self.s.clock.db_now(),
        }

    def user_id(self, args: dict[str, Any]) -> Any:
        self._session(args)
        return "1"

    def available_modules(self, args: dict[str, Any]) -> Any:
        self._session(args)
        return {
            "modules": [
                {
                    "module_key": spec.name,
                    "module_label": spec.label,
                    "favorite_enabled": False,
                    "acls": [
                        {"action": a, "access": True} for a in ("edit", "delete", "list", "view")
                    ],
                }
                for spec in self.s.catalog.values()
            ]
        }

    # -- reads ---------------------------------------------------------------------

    def _where(self, spec: ModuleSpec, query: Any) -> Any:
        try:
            return parse_where(spec, str(query or ""))
        except QueryError:
            raise LegacyError(ACCESS_DENIED) from None

    def _entries(
        self, spec: ModuleSpec, rows: list[dict[str, Any]], fields: Any
    ) -> list[dict[str, Any]]:
        chosen = [str(f) for f in fields] if isinstance(fields, list) else []
        lists = self.s.renderer.name_value_lists(spec, rows, chosen)
        return [
            {"id": r["id"], "module_name": spec.name, "name_value_list": nvl}
            for r, nvl in zip(rows, lists, strict=True)
        ]

    def _link_lists(self, spec: ModuleSpec, rows: list[dict[str, Any]], links: Any) -> list[Any]:
        if not isinstance(links, list) or not links:
            return []
        out = []
        for row in rows:
            link_list = []
            for item in links:
                if not isinstance(item, dict) or item.get("name") not in spec.links:
                    continue
                link = spec.links[item["name"]]
                target = self.s.catalog[link.target]
                related = self.s.store.related(link, row["id"])
                value = item.get("value")
                fields = [str(f) for f in value] if isinstance(value, list) else ["id"]
                values = self.s.renderer.name_value_lists(target, related, fields)
                link_list.append(
                    {"name": link.name, "records": [{"link_value": v} for v in values]}
                )
            out.append({"link_list": link_list})
        return out

    def entry_list(self, args: dict[str, Any]) -> Any:
        self._session(args)
        spec = self._module(args)
        where = self._where(spec, args.get("query"))
        include_deleted = _flag(args.get("deleted"))
        if include_deleted and spec.name in NO_DELETED_LISTING:
            raise DatabaseFailure(spec.name)
        offset = max(0, _int(args.get("offset")))
        limit = _int(args.get("max_results")) or self.s.unpaged_limit or 20
        order = parse_order_by(spec, args.get("order_by"))
        rows = self.s.store.select(
            spec, where, order, limit=limit, offset=offset, include_deleted=include_deleted
        )
        total = self.s.store.count(spec, where, include_deleted=include_deleted)
        return {
            "result_count": len(rows),
            "total_count": str(total),
            "next_offset": offset + len(rows),
            "entry_list": self._entries(spec, rows, args.get("select_fields")),
            "relationship_list": self._link_lists(
                spec, rows, args.get("link_name_to_fields_array")
            ),
        }

    def entries_count(self, args: dict[str, Any]) -> Any:
        self._session(args)
        spec = self._module(args)
        where = self._where(spec, args.get("query"))
        count = self.s.store.count(spec, where, include_deleted=_flag(args.get("deleted")))
        return {"result_count": str(count)}

    def entry(self, args: dict[str, Any]) -> Any:
        return self.entries({**args, "ids": [args.get("id")]})

    def entries(self, args: dict[str, Any]) -> Any:
        self._session(args)
        spec = self._module(args)
        ids = [str(i) for i in args.get("ids") or []]
        entries = []
        rows = []
        for record_id in ids:
            row = self.s.store.get(spec, record_id)
            if row is None:
                entries.append(
                    {
                        "id": record_id,
                        "module_name": spec.name,
                        "name_value_list": [
                            {"name": "warning", "value": DELETED_WARNING},
                            {"name": "deleted", "value": "1"},
                        ],
                    }
                )
            else:
                rows.append(row)
                entries.extend(self._entries(spec, [row], args.get("select_fields")))
        return {
            "entry_list": entries,
            "relationship_list": self._link_lists(
                spec, rows, args.get("link_name_to_fields_array")
            ),
        }

    def relationships(self, args: dict[str, Any]) -> Any:
        self._session(args)
        spec = self._module(args)
        link = spec.links.get(str(args.get("link_field_name") or ""))
        record_id = str(args.get("module_id") or "")
        if link is None or self.s.store.get(spec, record_id) is None:
            return {"entry_list": [], "relationship_list": []}
        target = self.s.catalog[link.target]
        where = self._where(target, args.get("related_module_query"))
        limit = _int(args.get("limit")) or None
        rows = self.s.store.related(
            link, record_id, where, limit=limit, offset=max(0, _int(args.get("offset")))
        )
        return {
            "entry_list": self._entries(target, rows, args.get("related_fields")),
            "relationship_list": [],
        }

    # -- writes --------------------------------------------------------------------

    def _save(self, spec: ModuleSpec, values: dict[str, Any]) -> str:
        known = {k: v for k, v in values.items() if k in spec.fields}
        record_id = str(values.get("id") or "")
        try:
            if record_id and not _flag(values.get("new_with_id")):
                if self.s.store.get(spec, record_id) is not None:
                    self.s.records.update(spec, record_id, known)
                    self.s.saves.pay()
                # else: an UPDATE of no row; nothing is created, the id is answered
                return record_id
            if record_id and self.s.store.exists(spec, record_id):
                raise DatabaseFailure(f"duplicate id {record_id}")
            record_id = self.s.records.create(spec, known, record_id or None)
            self.s.saves.pay()
            return record_id
        except ConstraintError:
            raise
        except RecordError:
            raise LegacyError(ACCESS_DENIED) from None

    def set_entry(self, args: dict[str, Any]) -> Any:
        self._session(args)
        spec = self._module(args)
        values = _name_values(args.get("name_value_list"))
        record_id = self._save(spec, values)
        return {
            "id": record_id,
            "entry_list": {k: {"name": k, "value": v} for k, v in values.items()},
        }

    def set_entries(self, args: dict[str, Any]) -> Any:
        self._session(args)
        spec = self._module(args)
        lists = args.get("name_value_lists") or []
        return {"ids": [self._save(spec, _name_values(v)) for v in lists]}

    def set_relationship(self, args: dict[str, Any]) -> Any:
        self._session(args)
        spec = self._module(args)
        link = spec.links.get(str(args.get("link_field_name") or ""))
        record_id = str(args.get("module_id") or "")
        related_ids = args.get("related_ids") or []
        if isinstance(related_ids, str):
            related_ids = [related_ids]
        result = {"created": 0, "failed": 0, "deleted": 0}
        if link is None or self.s.store.get(spec, record_id) is None:
            result["failed"] = len(related_ids)
            return result
        target = self.s.catalog[link.target]
        now = self.s.clock.db_now()
        for related_id in map(str, related_ids):
            if self.s.store.get(target, related_id) is None:
                result["failed"] += 1
            elif _flag(args.get("delete")):
                self.s.store.unrelate(link, record_id, related_id, now)
                result["deleted"] += 1
            else:
                self.s.records.relate(link, record_id, related_id)
                result["created"] += 1
        return result
