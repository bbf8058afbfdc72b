"""Fixtures for scenarios against the sandbox: a frozen-clock sandbox, clients, a state DB."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from connector.crm.http import RetryPolicy, Transport
from connector.crm.legacy import LegacyClient, LegacyCredentials
from connector.crm.oauth import OAuthCredentials
from connector.crm.v8 import V8Client
from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    RunningSandbox,
    start_sandbox,
)
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.store.models import TouchpointRow
from connector.sync.pull import PullOptions
from connector.sync.runner import PullReport, run_pull

START = "2026-11-20 09:00:00"
MODULES = (
    "Accounts", "Contacts", "Leads", "Opportunities", "Cases", "AOS_Quotes", "AOS_Invoices",
    "AOS_Contracts", "Campaigns", "CampaignLog", "Calls", "Meetings", "Tasks", "Notes",
    "Emails", "Documents",
)


@dataclass
class World:
    """A sandbox, a state database and the ways to pull one into the other."""

    sandbox: RunningSandbox
    db: StateDB

    def sleep(self, seconds: float) -> None:
        # Waiting moves the sandbox's clock instead of the test's: no real sleeps.
        self.sandbox.control.advance_clock(seconds)

    def v8(self) -> V8Client:
        transport = Transport(self.sandbox.url, sleep=self.sleep,
                              retry=RetryPolicy(max_retries=8))
        return V8Client.connect(
            transport, OAuthCredentials(SANDBOX_CLIENT_ID, Secret(SANDBOX_CLIENT_SECRET))
        )

    def legacy(self) -> LegacyClient:
        transport = Transport(self.sandbox.url, sleep=self.sleep,
                              retry=RetryPolicy(max_retries=8))
        return LegacyClient.connect(
            transport, LegacyCredentials(SANDBOX_USERNAME, Secret(SANDBOX_PASSWORD))
        )

    def pull(self, *, deletions: bool = False, page_size: int = 50, full: bool = False,
             reconcile_hours: float = 24.0, modules: tuple[str, ...] = MODULES,
             progress: Callable[[str, int], None] | None = None) -> PullReport:
        from datetime import timedelta

        client = self.v8()
        legacy = self.legacy() if deletions else None
        try:
            return run_pull(
                client, self.db, modules, clock=self.sandbox.control.now,
                options=PullOptions(page_size=page_size, full=full,
                                    reconcile_every=timedelta(hours=reconcile_hours)),
                deletions=legacy, progress=progress,
            )
        finally:
            client.close()
            if legacy is not None:
                legacy.close()

    def snapshot(self) -> dict[str, tuple[str, str | None]]:
        t = TouchpointRow.__table__
        with self.db.read() as conn:
            rows = conn.execute(select(t.c.key, t.c.content_hash, t.c.customer_key)).all()
        return {r.key: (r.content_hash, r.customer_key) for r in rows}


@pytest.fixture
def world(database_url: Secret) -> Iterator[World]:
    sandbox = start_sandbox(accounts=40, seed=5, now=START)
    db = StateDB.open(database_url)
    try:
        yield World(sandbox, db)
    finally:
        db.close()
        sandbox.stop()
