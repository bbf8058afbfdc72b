"""The sync job: pull, then classify, then push, for one configured instance.

This is what ``suitejourney sync`` runs once and ``suitejourney schedule`` runs on
its schedule. It builds its clients and opens the state database from the
settings, runs each step, closes everything, and returns a report whose exit
code follows DESIGN.md (0 done, 1 done with failures).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from connector.app import connect_client, connect_legacy, open_state
from connector.config import Settings
from connector.sync.pull import Progress, PullOptions
from connector.sync.runner import PullReport, run_pull


@dataclass(frozen=True)
class SyncReport:
    pull: PullReport

    @property
    def exit_code(self) -> int:
        return self.pull.exit_code


def utc_now() -> datetime:
    return datetime.now(UTC)


def run_sync(
    settings: Settings,
    *,
    full: bool = False,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> SyncReport:
    db = open_state(settings)
    client = connect_client(settings)
    deletions = connect_legacy(settings) if client.flavour == "v8" else None
    try:
        pulled = run_pull(
            client,
            db,
            settings.modules,
            clock=utc_now,
            options=PullOptions(page_size=settings.page_size, full=full),
            deletions=deletions,
            progress=progress,
            should_stop=should_stop,
        )
    finally:
        client.close()
        if deletions is not None:
            deletions.close()
        db.close()
    return SyncReport(pull=pulled)
