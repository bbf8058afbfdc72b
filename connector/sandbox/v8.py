"""SuiteCRM's V8 JSON:API as the sandbox serves it under ``/Api``.

Routes, bearer checks and answers shaped like SuiteCRM 7.14.6's (see the
recorded responses): lists with ``meta``/``links``, single records, create and
update answering 201, soft delete, relationships, ``meta/modules`` and
``meta/fields``, errors as ``{"errors": {...}}`` with status 400 (a duplicate
client-chosen id too), 401 bodies from the OAuth layer, ``{"message":
"Not found"}`` for unknown routes. Data access goes through ``Services``.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from connector.sandbox.auth import TokenError
from connector.sandbox.records import (
    UUID_RE,
    ConstraintError,
    DuplicateIdError,
    RecordNotFoundError,
    UnknownFieldError,
)
from connector.sandbox.schema import ModuleSpec
from connector.sandbox.services import Services
from connector.sandbox.store import Where
from connector.sandbox.v8query import (
    DB_FAILURE,
    NO_RESULT,
    V8Error,
    filter_where,
    page_links,
    parse_list_query,
    parse_record_query,
    total_pages,
)
from connector.sandbox.wire import JSON_UTF8, JSONAPI_TYPE, Request, Response, json_response

log = logging.getLogger(__name__)

ACCESS = ["access", "delete", "edit", "export", "import", "list", "massupdate", "view"]
Handler = Callable[[Request, list[str]], Response]
SEG = r"([^/]+)"


def ok(payload: Any, status: int = 200) -> Response:
    return json_response(status, payload, JSONAPI_TYPE)


def no_result() -> Response:
    return ok({"meta": {"message": NO_RESULT}, "data": []})


class V8Api:
    """Answers requests whose path starts with ``/Api``."""

    def __init__(self, services: Services) -> None:
        self.s = services
        self.routes: list[tuple[re.Pattern[str], dict[str, tuple[str, Handler]]]] = [
            (
                re.compile(r"^/V8/module/?$"),
                {
                    "POST": ("POST /V8/module", self.create),
                    "PATCH": ("PATCH /V8/module", self.update),
                },
            ),
            (
                re.compile(rf"^/V8/module/{SEG}/?$"),
                {"GET": ("GET /V8/module/{module}", self.list_records)},
            ),
            (
                re.compile(rf"^/V8/module/{SEG}/{SEG}/?$"),
                {
                    "GET": ("GET /V8/module/{module}/{id}", self.get),
                    "DELETE": ("DELETE /V8/module/{module}/{id}", self.delete),
                },
            ),
            (
                re.compile(rf"^/V8/module/{SEG}/{SEG}/relationships/?$"),
                {"POST": ("POST /V8/module/{module}/{id}/relationships", self.relate)},
            ),
            (
                re.compile(rf"^/V8/module/{SEG}/{SEG}/relationships/{SEG}/?$"),
                {
                    "GET": ("GET /V8/module/{module}/{id}/relationships/{link}", self.related),
                    "POST": ("POST /V8/module/{module}/{id}/relationships/{link}", self.relate),
                },
            ),
            (
                re.compile(rf"^/V8/module/{SEG}/{SEG}/relationships/{SEG}/{SEG}/?$"),
                {
                    "DELETE": (
                        "DELETE /V8/module/{module}/{id}/relationships/{link}/{related_id}",
                        self.unrelate,
                    )
                },
            ),
            (
                re.compile(r"^/V8/meta/modules/?$"),
                {"GET": ("GET /V8/meta/modules", self.meta_modules)},
            ),
            (
                re.compile(rf"^/V8/meta/fields/{SEG}/?$"),
                {"GET": ("GET /V8/meta/fields/{module}", self.meta_fields)},
            ),
            (re.compile(r"^/V8/logout/?$"), {"POST": ("POST /V8/logout", self.logout)}),
        ]

    def route(self, request: Request, path: str) -> tuple[str, Callable[[], Response]]:
        """The endpoint's name (for the request log) and the call that answers it."""
        if path.rstrip("/") in ("/access_token", "/index.php/access_token"):
            if request.method != "POST":
                return "405", lambda: json_response(
                    405, {"message": "Method not allowed. Must be one of: POST"}
                )
            return "POST /access_token", lambda: self.token(request)
        if path.startswith("/index.php/"):
            path = path[len("/index.php") :]
        for pattern, methods in self.routes:
            match = pattern.match(path)
            if not match:
                continue
            if request.method not in methods:
                allowed = ", ".join(methods)
                message = {"message": f"Method not allowed. Must be one of: {allowed}"}
                return "405", partial(json_response, 405, message)
            name, handler = methods[request.method]
            return name, partial(self._guarded, request, handler, list(match.groups()))
        return "404", partial(json_response, 404, {"message": "Not found"})

    def _guarded(self, request: Request, handler: Handler, args: list[str]) -> Response:
        try:
            request.headers = dict(request.headers)
            jti = self.s.oauth.verify(request.header("Authorization"))
            request.headers["X-Sandbox-Token"] = jti
        except TokenError as exc:
            return json_response(exc.status, exc.body())
        try:
            return handler(request, args)
        except V8Error as exc:
            return json_response(exc.status, exc.body(), exc.content_type)

    # -- token -------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        basic = None
        header = request.header("Authorization") or ""
        if header.lower().startswith("basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                basic = (user, password)
            except ValueError:
                basic = None
        try:
            body = self.s.oauth.grant(request.params(), basic)
        except TokenError as exc:
            return json_response(exc.status, exc.body())
        return json_response(200, body, JSON_UTF8)

    # -- helpers -------------------------------------------------------------------

    def _module(self, name: str) -> ModuleSpec:
        spec = self.s.module(name)
        if spec is None:
            raise V8Error(f"Module {name} does not exist")
        return spec

    def _record(self, spec: ModuleSpec, name: str, record_id: str) -> dict[str, Any]:
        row = self.s.store.get(spec, record_id) if UUID_RE.match(record_id) else None
        if row is None:
            raise V8Error(
                f"{name} module with id {record_id} is not found", content_type=JSONAPI_TYPE
            )
        return row

    def _one(
        self, spec: ModuleSpec, record_id: str, fields: list[str] | None = None
    ) -> dict[str, Any]:
        row = self.s.store.get(spec, record_id)
        assert row is not None
        return self.s.renderer.v8_resources(spec, [row], fields)[0]

    @staticmethod
    def _data(request: Request) -> dict[str, Any]:
        body = request.json() if request.is_json() else None
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise V8Error('The required option "data" is missing.')
        return data

    # -- records -------------------------------------------------------------------

    def list_records(self, request: Request, args: list[str]) -> Response:
        (name,) = args
        spec = self._module(name)
        query = parse_list_query(spec, request.query)
        where = filter_where(spec, query)
        if query.page_size is None and query.page_number is None:
            rows = self.s.store.select(spec, where, query.sort, limit=self.s.unpaged_limit)
            if not rows:
                return no_result()
            return ok({"data": self.s.renderer.v8_resources(spec, rows, query.fields)})
        size = query.page_size or self.s.unpaged_limit or 20
        number = query.page_number or 0
        offset = max(0, (number - 1) * size)
        rows = self.s.store.select(spec, where, query.sort, limit=size, offset=offset)
        if not rows:
            return no_result()
        pages = total_pages(self.s.store.count(spec, where), size)
        return ok(
            {
                "meta": {"total-pages": pages, "records-on-this-page": len(rows)},
                "data": self.s.renderer.v8_resources(spec, rows, query.fields),
                "links": page_links(name, request.query, number, pages),
            }
        )

    def get(self, request: Request, args: list[str]) -> Response:
        name, record_id = args
        spec = self._module(name)
        fields = parse_record_query(spec, request.query)
        row = self._record(spec, name, record_id)
        return ok({"data": self.s.renderer.v8_resources(spec, [row], fields)[0]})

    def create(self, request: Request, args: list[str]) -> Response:
        data = self._data(request)
        type_name = str(data.get("type") or "")
        spec = self._module(type_name)
        record_id = data.get("id")
        if record_id is not None and not UUID_RE.match(str(record_id)):
            raise V8Error(f'The option "id" with value "{record_id}" is invalid.')
        attributes = data.get("attributes") or {}
        if not isinstance(attributes, dict):
            raise V8Error('The option "attributes" with value array is invalid.')
        try:
            new_id = self.s.records.create(
                spec, attributes, str(record_id) if record_id else None, zoned_as_null=True
            )
        except DuplicateIdError:
            raise V8Error(
                f"Bean {type_name} with id {record_id} is already exist", content_type=JSONAPI_TYPE
            ) from None
        except UnknownFieldError as exc:
            raise V8Error(f"Property {exc.field} in {spec.object_name} module is invalid") from None
        except ConstraintError:
            raise V8Error(DB_FAILURE) from None
        self.s.saves.pay()
        return ok({"data": self._one(spec, new_id)}, 201)

    def update(self, request: Request, args: list[str]) -> Response:
        data = self._data(request)
        type_name = str(data.get("type") or "")
        spec = self._module(type_name)
        record_id = str(data.get("id") or "")
        if not record_id:
            raise V8Error('The required option "id" is missing.')
        self._record(spec, type_name, record_id)
        attributes = data.get("attributes") or {}
        try:
            self.s.records.update(spec, record_id, attributes, zoned_as_null=True)
        except UnknownFieldError as exc:
            raise V8Error(f"Property {exc.field} in {spec.object_name} module is invalid") from None
        except ConstraintError:
            raise V8Error(DB_FAILURE) from None
        except RecordNotFoundError:
            raise V8Error(f"{type_name} module with id {record_id} is not found") from None
        self.s.saves.pay()
        row = self.s.store.get(spec, record_id, include_deleted=True)
        assert row is not None
        return ok({"data": self.s.renderer.v8_resources(spec, [row])[0]}, 201)

    def delete(self, request: Request, args: list[str]) -> Response:
        name, record_id = args
        spec = self._module(name)
        self._record(spec, name, record_id)
        self.s.records.mark_deleted(spec, record_id)
        self.s.saves.pay()
        return ok({"meta": {"message": f"Record with id {record_id} is deleted"}, "data": []})

    # -- relationships ---------------------------------------------------------------

    def _link(self, spec: ModuleSpec, link: str) -> None:
        field = spec.fields.get(link)
        if field is None or not field.link:
            raise V8Error(f"Cannot load relationship {link} for {spec.object_name} module")

    def related(self, request: Request, args: list[str]) -> Response:
        name, record_id, link = args
        spec = self._module(name)
        self._record(spec, name, record_id)
        self._link(spec, link)
        empty = ok(
            {
                "meta": {
                    "message": f"There is no relationship set in {spec.object_name} "
                    f"module with {link} link field"
                },
                "data": None,
            }
        )
        link_spec = spec.links.get(link)
        if link_spec is None:
            return empty
        target = self.s.catalog[link_spec.target]
        query = parse_list_query(target, request.query)
        where = filter_where(target, query) if query.conditions else Where()
        rows = self.s.store.related(link_spec, record_id, where)
        if not rows:
            return empty
        size = query.page_size or len(rows)
        number = query.page_number or 1
        page = rows[(number - 1) * size : number * size]
        pages = total_pages(len(rows), size)
        body: dict[str, Any] = {
            "meta": {
                "total-records": len(rows),
                "total-pages": pages,
                "records-on-this-page": len(page),
            },
            "data": self.s.renderer.v8_resources(target, page, query.fields, related=True),
        }
        if query.page_size is not None:
            body["links"] = page_links(
                f"{name}/{record_id}/relationships/{link}", request.query, number, pages
            )
        return ok(body)

    def relate(self, request: Request, args: list[str]) -> Response:
        name, record_id = args[0], args[1]
        spec = self._module(name)
        self._record(spec, name, record_id)
        data = self._data(request)
        related_name = str(data.get("type") or "")
        target = self._module(related_name)
        related_id = str(data.get("id") or "")
        self._record(target, related_name, related_id)
        if len(args) == 3:
            self._link(spec, args[2])
            link_spec = spec.links.get(args[2])
        else:
            link_spec = next((lk for lk in spec.links.values() if lk.target == target.name), None)
        if link_spec is None or link_spec.target != target.name:
            raise V8Error(f"Relationship between {spec.name} and {target.name} cannot be found")
        self.s.records.relate(link_spec, record_id, related_id)
        return ok(
            {
                "meta": {
                    "message": f"Relationship created between {spec.name} and {target.name}",
                    "sourceModule": spec.name,
                    "sourceModuleLabel": spec.label,
                    "sourceId": record_id,
                    "relatedModule": target.name,
                    "relatedModuleLabel": target.label,
                    "relatedId": related_id,
                    "relationshipLink": link_spec.name,
                },
                "data": None,
            },
            201,
        )

    def unrelate(self, request: Request, args: list[str]) -> Response:
        name, record_id, link, related_id = args
        spec = self._module(name)
        self._record(spec, name, record_id)
        self._link(spec, link)
        link_spec = spec.links.get(link)
        related = self.s.store.related(link_spec, record_id) if link_spec else []
        if not any(r["id"] == related_id for r in related):
            raise V8Error(f"Module with {related_id} id is not related to {spec.object_name}")
        assert link_spec is not None
        self.s.store.unrelate(link_spec, record_id, related_id, self.s.clock.db_now())
        return ok(
            {
                "meta": {
                    "message": f"Relationship deleted between {spec.name} and {link_spec.target}",
                    "sourceModule": spec.name,
                    "sourceId": record_id,
                    "relatedModule": link_spec.target,
                    "relatedId": related_id,
                    "relationshipLink": link,
                },
                "data": None,
            }
        )

    # -- metadata ------------------------------------------------------------------

    def meta_modules(self, request: Request, args: list[str]) -> Response:
        attributes = {
            spec.name: {"label": spec.label, "access": ACCESS}
            for spec in self.s.catalog.values()
            if spec.listed
        }
        return ok({"data": {"type": "modules", "attributes": attributes}})

    def meta_fields(self, request: Request, args: list[str]) -> Response:
        spec = self._module(args[0])
        attributes: dict[str, Any] = {"id": {"type": "id", "required": True, "dbType": "id"}}
        for f in spec.fields.values():
            entry: dict[str, Any] = {
                "type": f.vardef_type,
                "dbType": f.db_type,
                "required": f.name == "name" and f.stored,
            }
            if f.db_type in ("varchar", "enum") and not f.link:
                entry["len"] = 150 if f.name == "name" else (100 if f.db_type == "enum" else 255)
            if f.vardef_type == "bool":
                entry["default"] = "0"
            if not f.stored:
                entry["source"] = "non-db"
            if f.link:
                link = spec.links.get(f.name)
                entry["relationship"] = link.relationship if link else f"{spec.table}_{f.name}"
            attributes[f.name] = entry
        return ok({"data": {"type": "fields", "attributes": attributes}})

    def logout(self, request: Request, args: list[str]) -> Response:
        self.s.oauth.revoke(request.header("X-Sandbox-Token") or "")
        return ok({"meta": {"message": "You have been successfully logged out"}, "data": None})
