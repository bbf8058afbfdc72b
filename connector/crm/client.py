"""The neutral interface every SuiteCRM client implements (V8 and REST v4_1).

Callers (sync, writeback, the CLI's ``check``) program against ``CrmClient`` and
never learn which API answered. Lists are lazy (``iter_records``), so reading a
module of any size keeps memory flat. Nothing here performs I/O itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any, Protocol, TypeVar, runtime_checkable

from connector.crm.records import FieldInfo, ModuleInfo, Page, Query, Record, ServerInfo
from connector.errors import ConnectorError, EndpointNotFoundError, ProtocolError

DEFAULT_PAGE_SIZE = 200
T = TypeVar("T")


def first_answering(
    paths: Sequence[str],
    attempt: Callable[[str], T],
    failures: list[ConnectorError] | None = None,
) -> T | None:
    """The result of ``attempt`` for the first base path where the API answers (7.x's
    path, then 8.x's ``/legacy`` one); None when none does. A 404 or a web page at a
    path means "not here" (kept in ``failures``, so the caller can say what the
    server answered instead); a server error is raised, not taken for a wrong path."""
    for path in paths:
        try:
            return attempt(path)
        except EndpointNotFoundError as exc:
            if failures is not None:
                failures.append(exc)
            continue
        except ProtocolError as exc:
            if exc.status is not None and exc.status >= 500:
                raise
            if failures is not None:
                failures.append(exc)
            continue
    return None


def not_found_reason(failures: Sequence[ConnectorError]) -> str:
    """What the server answered instead of an API, when it was a page (a login page,
    HTML): ``": <the answer>"``; empty when every path was simply missing."""
    pages = [f for f in failures if isinstance(f, ProtocolError)]
    return f"; {pages[-1].message}" if pages else ""


@runtime_checkable
class CrmClient(Protocol):
    """What the connector needs from SuiteCRM, whichever API provides it."""

    flavour: str
    """``v8`` or ``legacy``."""

    supports_deleted: bool
    """True when lists can include soft-deleted rows (REST v4_1 only)."""

    modified_resolution: timedelta
    """Precision of date_modified in answers: V8 zeroes the seconds, v4_1 keeps them."""

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far (for run statistics and benchmarks)."""

    def authenticate(self) -> None:
        """Obtain a token or session now (``check`` wants the failure early)."""

    def server_info(self) -> ServerInfo: ...

    def list_modules(self) -> Mapping[str, ModuleInfo]: ...

    def module_fields(self, module: str) -> Mapping[str, FieldInfo]: ...

    def count(self, module: str) -> int | None:
        """Number of live records, or None when the API cannot say."""

    def list_page(self, query: Query, *, page_number: int, page_size: int) -> Page:
        """One page (1-based) of a list."""

    def iter_records(self, query: Query, *, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[Record]:
        """Every record the query matches, one page in memory at a time."""

    def get_record(self, module: str, record_id: str, fields: Sequence[str] = ()) -> Record: ...

    def create_record(
        self, module: str, attributes: Mapping[str, Any], record_id: str | None = None
    ) -> Record: ...

    def update_record(
        self, module: str, record_id: str, attributes: Mapping[str, Any]
    ) -> Record: ...

    def delete_record(self, module: str, record_id: str) -> None: ...

    def get_related(self, module: str, record_id: str, link: str) -> list[Record]: ...

    def related_ids(
        self, module: str, record_ids: Sequence[str], links: Sequence[str]
    ) -> dict[str, dict[str, tuple[str, ...]]]:
        """Per record id, per link, the ids of the related records: in one request
        where the API allows it (REST v4_1), one per record and link otherwise (V8)."""

    def add_relationship(
        self, module: str, record_id: str, link: str, related_module: str, related_id: str
    ) -> None: ...

    def remove_relationship(
        self, module: str, record_id: str, link: str, related_id: str
    ) -> None: ...

    def close(self) -> None: ...
