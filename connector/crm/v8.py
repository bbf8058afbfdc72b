"""SuiteCRM's V8 JSON:API client: OAuth2 tokens, lists, records, relationships, metadata.

Facts this code is built on (shared/suitecrm/): the API is at ``{site}/Api`` on
7.x and ``{site}/legacy/Api`` on 8.x (OAuth2 at its ``access_token``: see
``connector.crm.oauth``); a list without ``page[size]`` returns everything (or 20 rows) and
without ``page[number]`` its links loop, so both are always sent, with a sort
(no ORDER BY otherwise, and pages overlap); filters take only eq, neq, gt, gte,
lt, lte joined by one ``filter[operator]``; datetimes go out in DB format UTC;
``type`` in answers is the bean name (``Account``), not the module; an unknown
id is a 400; update (PATCH) answers 201.

This module speaks HTTP through ``Transport`` only (answers read by
``handlers.V8_ERRORS``) and knows nothing of journeys.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any

from connector.crm.client import DEFAULT_PAGE_SIZE, first_answering, not_found_reason
from connector.crm.http import HttpResult, Transport
from connector.crm.oauth import BearerAuth, OAuthCredentials, TokenSource
from connector.crm.records import (
    FieldInfo,
    ModuleInfo,
    Page,
    Query,
    Record,
    ServerInfo,
    clean_record,
    unescape_value,
)
from connector.errors import (
    ConfigurationError,
    ConnectorError,
    NotFoundError,
    ProtocolError,
    RemoteConfigurationError,
    UnknownModuleError,
)

log = logging.getLogger(__name__)

API_PATHS = ("/Api", "/legacy/Api")
JSONAPI = "application/vnd.api+json"


def record_from_resource(
    module: str, resource: Mapping[str, Any], *, compact: bool = False
) -> Record:
    """A JSON:API resource object → ``Record`` (cleaned at the edge, dates parsed)."""
    attributes = resource.get("attributes") or {}
    if attributes.__class__ is not dict and not isinstance(attributes, Mapping):
        attributes = {}  # (the class test first: an ABC check costs a µs per record)
    record_id = resource.get("id", "")
    deleted = attributes.get("deleted", "0")
    return clean_record(
        module,
        record_id if record_id.__class__ is str else str(record_id),
        attributes,
        deleted=deleted == "1" or str(deleted) == "1",
        compact=compact,
    )


def list_params(query: Query, page_number: int, page_size: int) -> list[tuple[str, str]]:
    """Query parameters for a V8 list, in the form SuiteCRM expects."""
    params: list[tuple[str, str]] = []
    if query.fields:
        fields = list(dict.fromkeys(query.fields))
        if "date_modified" not in fields:
            fields.append("date_modified")
        params.append((f"fields[{query.module}]", ",".join(fields)))
    if query.conditions:
        if len(query.conditions) > 1:
            params.append(("filter[operator]", query.match))
        seen: set[tuple[str, str]] = set()
        for cond in query.conditions:
            key = (cond.field, cond.op.value)
            if key in seen:
                raise ConfigurationError(
                    f"V8 cannot filter {query.module}.{cond.field} twice with '{cond.op.value}' "
                    "(PHP keeps only the last); combine the conditions."
                )
            seen.add(key)
            params.append((f"filter[{cond.field}][{cond.op.value}]", cond.rendered_value()))
    if query.sort:
        params.append(("sort", query.sort))
    params.append(("page[size]", str(page_size)))
    params.append(("page[number]", str(page_number)))
    return params


class V8Client:
    """``CrmClient`` over the V8 JSON:API."""

    flavour = "v8"
    supports_deleted = False
    modified_resolution = timedelta(minutes=1)

    def __init__(self, transport: Transport, credentials: OAuthCredentials, api_path: str) -> None:
        self.transport = transport
        self.credentials = credentials
        self.api_path = api_path.rstrip("/")
        self.tokens = TokenSource(transport, f"{self.api_path}/access_token", credentials)
        self.auth = BearerAuth(self.tokens)

    @classmethod
    def connect(
        cls, transport: Transport, credentials: OAuthCredentials, api_path: str | None = None
    ) -> V8Client:
        """A client whose token works; with ``api_path=None`` try 7.x's ``/Api`` and then
        8.x's ``/legacy/Api``, keeping the first whose token endpoint exists."""
        candidates = (api_path,) if api_path else API_PATHS

        def attempt(path: str) -> V8Client:
            client = cls(transport, credentials, path)
            client.authenticate()
            return client

        failures: list[ConnectorError] = []
        found = first_answering(candidates, attempt, failures)
        if found is not None:
            return found
        tried = ", ".join(transport.url(f"{p}/access_token") for p in candidates)
        answered = not_found_reason(failures)
        if answered:
            raise RemoteConfigurationError(f"no SuiteCRM V8 API found (tried {tried}){answered}")
        raise RemoteConfigurationError(
            f"no SuiteCRM V8 API found (tried {tried}): check the url setting "
            "(the site root, without /index.php) and that mod_rewrite and .htaccess are set up."
        ) from None

    # -- plumbing -------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] | None = None,
        body: Any = None,
        module: str | None = None,
        record_id: str | None = None,
        idempotent: bool = True,
    ) -> HttpResult:
        headers = {"Accept": JSONAPI}
        if body is not None:
            headers["Content-Type"] = JSONAPI
        return self.transport.request(
            method,
            f"{self.api_path}/V8/{path.lstrip('/')}",
            params=params,
            json_body=body,
            headers=headers,
            auth=self.auth,
            idempotent=idempotent,
            module=module,
            record_id=record_id,
        )

    @staticmethod
    def _data(result: HttpResult, what: str) -> Any:
        body = result.body
        if not isinstance(body, Mapping) or "data" not in body:
            raise ProtocolError(f"SuiteCRM answered {what} without a 'data' member.")
        return body["data"]

    # -- CrmClient ------------------------------------------------------------------

    def authenticate(self) -> None:
        self.tokens.access_token()

    def server_info(self) -> ServerInfo:
        # V8 does not reveal the SuiteCRM version; 8.x is told apart by its path.
        generation = "8.x" if self.api_path.startswith("/legacy") else "7.x"
        return ServerInfo(
            flavour="v8",
            base_url=self.transport.base_url,
            api_path=self.api_path,
            version=None,
            details={"generation": generation, "grant": self.tokens.grant},
        )

    def list_modules(self) -> dict[str, ModuleInfo]:
        data = self._data(self._call("GET", "meta/modules"), "meta/modules")
        attributes = data.get("attributes") if isinstance(data, Mapping) else None
        if not isinstance(attributes, Mapping):
            raise ProtocolError("SuiteCRM answered meta/modules without module attributes.")
        modules: dict[str, ModuleInfo] = {}
        for name, info in attributes.items():
            info = info if isinstance(info, Mapping) else {}
            access = info.get("access") or []
            modules[str(name)] = ModuleInfo(
                name=str(name),
                label=unescape_value(str(info.get("label") or name)),
                access=frozenset(str(a) for a in access),
            )
        return modules

    def module_fields(self, module: str) -> dict[str, FieldInfo]:
        result = self._call("GET", f"meta/fields/{module}", module=module)
        data = self._data(result, f"meta/fields/{module}")
        attributes = data.get("attributes") if isinstance(data, Mapping) else None
        if not isinstance(attributes, Mapping):
            raise ProtocolError(f"SuiteCRM answered meta/fields/{module} without fields.")
        fields: dict[str, FieldInfo] = {}
        for name, spec in attributes.items():
            spec = spec if isinstance(spec, Mapping) else {}
            fields[str(name)] = FieldInfo(
                name=str(name),
                type=str(spec.get("type") or ""),
                db_type=str(spec["dbType"]) if spec.get("dbType") else None,
                required=bool(spec.get("required")),
                relationship=str(spec["relationship"]) if spec.get("relationship") else None,
            )
        return fields

    def count(self, module: str) -> int | None:
        # With page[size]=1, total-pages is the number of rows (ACL aside: SuiteCRM#8653).
        page = self.list_page(Query(module, fields=("id",), sort="id"), page_number=1, page_size=1)
        if page.total_pages is not None:
            return page.total_pages
        return len(page)

    def list_page(self, query: Query, *, page_number: int, page_size: int) -> Page:
        if query.include_deleted:
            raise ConfigurationError(
                "the V8 API cannot list deleted records (SuiteCRM#8631); use the legacy API."
            )
        if page_number < 1 or page_size < 1:
            raise ValueError("page_number and page_size start at 1")
        result = self._call(
            "GET",
            f"module/{query.module}",
            params=list_params(query, page_number, page_size),
            module=query.module,
        )
        body = result.body if isinstance(result.body, Mapping) else {}
        data = body.get("data")
        if data is None:
            data = []
        if not isinstance(data, list):
            raise ProtocolError(f"SuiteCRM answered the {query.module} list without a data list.")
        meta = body.get("meta") if isinstance(body.get("meta"), Mapping) else {}
        total_pages = meta.get("total-pages") if isinstance(meta, Mapping) else None
        records = tuple(
            record_from_resource(query.module, r, compact=query.compact)
            for r in data
            if r.__class__ is dict or isinstance(r, Mapping)
        )
        return Page(
            records=records,
            number=page_number,
            size=page_size,
            total_pages=int(total_pages)
            if isinstance(total_pages, int | str) and str(total_pages).isdigit()
            else None,
        )

    def iter_records(self, query: Query, *, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[Record]:
        """Walk the pages in order until a short or empty page.

        ``total-pages`` is not trusted (it ignores ACL). A page that repeats the
        previous one exactly means the server ignores paging: stop with an error
        rather than loop forever.
        """
        number = 1
        previous: tuple[str, ...] | None = None
        while True:
            page = self.list_page(query, page_number=number, page_size=page_size)
            ids = tuple(r.id for r in page.records)
            if ids and ids == previous:
                raise ProtocolError(
                    f"SuiteCRM returned the same {query.module} page twice (page {number}); "
                    "the server ignores page[number]."
                )
            yield from page.records
            if len(page.records) < page_size or not ids:
                return
            previous = ids
            number += 1

    def get_record(self, module: str, record_id: str, fields: Sequence[str] = ()) -> Record:
        params = [(f"fields[{module}]", ",".join(fields))] if fields else None
        result = self._call(
            "GET", f"module/{module}/{record_id}", params=params, module=module, record_id=record_id
        )
        data = self._data(result, f"{module} {record_id}")
        if not isinstance(data, Mapping):
            raise NotFoundError(f"{module} record {record_id} not found.", module, record_id)
        return record_from_resource(module, data)

    def create_record(
        self, module: str, attributes: Mapping[str, Any], record_id: str | None = None
    ) -> Record:
        resource: dict[str, Any] = {"type": module, "attributes": dict(attributes)}
        if record_id:
            resource["id"] = record_id
        result = self._call(
            "POST",
            "module",
            body={"data": resource},
            module=module,
            record_id=record_id,
            idempotent=record_id is not None,
        )
        return record_from_resource(module, self._data(result, f"create {module}"))

    def update_record(self, module: str, record_id: str, attributes: Mapping[str, Any]) -> Record:
        body = {"data": {"type": module, "id": record_id, "attributes": dict(attributes)}}
        result = self._call("PATCH", "module", body=body, module=module, record_id=record_id)
        return record_from_resource(module, self._data(result, f"update {module} {record_id}"))

    def delete_record(self, module: str, record_id: str) -> None:
        self._call("DELETE", f"module/{module}/{record_id}", module=module, record_id=record_id)

    def get_related(self, module: str, record_id: str, link: str) -> list[Record]:
        result = self._call(
            "GET",
            f"module/{module}/{record_id}/relationships/{link}",
            module=module,
            record_id=record_id,
        )
        data = result.body.get("data") if isinstance(result.body, Mapping) else None
        related: list[Record] = []
        for item in data or []:
            if isinstance(item, Mapping):
                related.append(record_from_resource(str(item.get("type", "")), item))
        return related

    def related_ids(
        self, module: str, record_ids: Sequence[str], links: Sequence[str]
    ) -> dict[str, dict[str, tuple[str, ...]]]:
        # V8 has no list of relationships for many records: one request per record and link.
        return {
            record_id: {
                link: tuple(r.id for r in self.get_related(module, record_id, link))
                for link in links
            }
            for record_id in record_ids
        }

    def add_relationship(
        self, module: str, record_id: str, link: str, related_module: str, related_id: str
    ) -> None:
        self._call(
            "POST",
            f"module/{module}/{record_id}/relationships/{link}",
            body={"data": {"type": related_module, "id": related_id}},
            module=module,
            record_id=record_id,
        )

    def remove_relationship(self, module: str, record_id: str, link: str, related_id: str) -> None:
        self._call(
            "DELETE",
            f"module/{module}/{record_id}/relationships/{link}/{related_id}",
            module=module,
            record_id=record_id,
        )

    def module_exists(self, module: str) -> bool:
        try:
            self.list_page(Query(module, fields=("id",), sort=None), page_number=1, page_size=1)
        except UnknownModuleError:
            return False
        return True

    @property
    def requests_made(self) -> int:
        return self.transport.stats.requests

    def close(self) -> None:
        self.transport.close()
