"""One configured SuiteCRM instance, as the sync's steps are given it.

``connector.app`` (the one composition root) builds an ``Instance`` from the
settings: how to open a client (each call opens a new one, closed by whoever
opened it), the REST v4_1 client for deletions beside V8, the configured writer,
the namespace of the CJ records' ids, and how to read the instance. The steps in
``connector.sync`` take it, and never read settings or build clients themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from connector.crm.client import CrmClient
from connector.writeback.writers import Writer


def unknown_module_message(module: str) -> str:
    return (
        f"SuiteCRM has no module named '{module}': fix `modules`; names are case-sensitive, "
        "and modules your edition lacks must be left out."
    )


@dataclass(frozen=True)
class Instance:
    """What a run needs to reach one SuiteCRM instance."""

    connect: Callable[[], CrmClient]
    """An authenticated client (V8 or REST v4_1, as configured)."""
    connect_deletions: Callable[[], CrmClient | None]
    """A REST v4_1 client for deletions, or None when no user is configured; raises
    ``ConfigurationError`` or ``TransientError`` when v4_1 refuses or does not answer."""
    open_writer: Callable[[], Writer]
    namespace: uuid.UUID
    modules: tuple[str, ...]
    page_size: int = 200
    concurrency: int = 1
    readers: int = 1
    """List requests in flight inside one module (``pull_readers``)."""
    touchpoint_records: str = "milestones"
    write_concurrency: int = 1
    explain_unknown_module: Callable[[str], str] = unknown_module_message
    """The message for a module SuiteCRM does not have, saying where to fix it."""
    connect_reader: Callable[[], CrmClient] | None = None
    """The client the pull reads through (``pull_api``: REST v4_1 when a user is set),
    when it differs from ``connect``."""

    def open_reader(self) -> CrmClient:
        return (self.connect_reader or self.connect)()
