"""``suitejourney demo``: the connector's job on embedded defaults, with no setup.

Starts the sandbox in this process with a seeded data set, connects to it exactly
as to a real SuiteCRM (settings built by the normal loader from the sandbox's demo
credentials, the same composition root as every command), checks it, and pulls
every module into a temporary SQLite state database. What it reports is
measured, not canned.

As classification and write-back land, they join this run.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from connector.app import connect_client, connect_legacy, open_state
from connector.config import Settings, load_settings
from connector.crm.probe import ProbeReport, probe
from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    start_sandbox,
)
from connector.sync.pull import Progress, PullOptions
from connector.sync.runner import PullReport, run_pull

DEMO_ACCOUNTS = 40
DEMO_SEED = 7


@dataclass(frozen=True)
class DemoResult:
    url: str
    report: ProbeReport
    pull: PullReport
    requests: int
    seconds: float


def demo_settings(url: str, database_url: str) -> Settings:
    """Settings for the sandbox, built through the normal loader (no file, no env)."""
    return load_settings(
        config_path=None,
        env={"SUITEJOURNEY_PASSWORD": SANDBOX_PASSWORD},
        flags={
            "url": url,
            "client_id": SANDBOX_CLIENT_ID,
            "client_secret": SANDBOX_CLIENT_SECRET,
            "username": SANDBOX_USERNAME,
            "database_url": database_url,
            "api": "v8",
        },
    )


@contextmanager
def running_sandbox(accounts: int, seed: int) -> Iterator[str]:
    sandbox = start_sandbox(port=0, accounts=accounts, seed=seed)
    try:
        yield sandbox.url
    finally:
        sandbox.stop()


def run_demo(
    *,
    accounts: int = DEMO_ACCOUNTS,
    seed: int = DEMO_SEED,
    progress: Progress | None = None,
) -> DemoResult:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="suitejourney-demo-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'demo.db'}"
        with running_sandbox(accounts, seed) as url:
            settings = demo_settings(url, database_url)
            client = connect_client(settings)
            deletions = connect_legacy(settings)
            db = open_state(settings)
            try:
                report = probe(client, settings.modules)
                readable = [m.name for m in report.modules if m.ok]
                pulled = run_pull(
                    client,
                    db,
                    readable,
                    clock=lambda: datetime.now(UTC),
                    options=PullOptions(page_size=settings.page_size),
                    deletions=deletions,
                    progress=progress,
                )
                requests = client.requests_made + (deletions.requests_made if deletions else 0)
            finally:
                client.close()
                if deletions is not None:
                    deletions.close()
                db.close()
    return DemoResult(url, report, pulled, requests, time.perf_counter() - started)
