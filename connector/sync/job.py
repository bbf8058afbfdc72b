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

from connector.app import connect_client, connect_legacy, load_rules, open_state
from connector.config import Settings
from connector.sync.classify import ClassifyReport, classify_customers, stage_counts
from connector.sync.pull import Progress, PullOptions
from connector.sync.runner import PullReport, run_pull


@dataclass(frozen=True)
class SyncReport:
    pull: PullReport
    classified: ClassifyReport
    customers: dict[str, dict[str, int]]

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
    rules = load_rules(settings)  # a broken mapping stops the run before any request
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
        classified = classify_customers(db, rules, utc_now(), should_stop=should_stop)
        with db.read() as conn:
            customers = stage_counts(conn)
    finally:
        client.close()
        if deletions is not None:
            deletions.close()
        db.close()
    return SyncReport(pull=pulled, classified=classified, customers=customers)
