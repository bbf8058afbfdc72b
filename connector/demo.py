"""``suitejourney demo``: the whole job on embedded defaults, with no setup and no network.

Starts the sandbox in this process with a seeded data set and runs exactly what
``suitejourney sync`` runs against a real SuiteCRM (settings built by the normal
loader from the sandbox's demo credentials): pull into a temporary SQLite state
database, classify, push the journeys back into the sandbox's CJ modules. Then
it gathers what a first look needs: customers per stage, conversion between
stages, a few timelines, and the HTML analytics report. Everything it prints is
measured, not canned.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from connector.app import load_rules, open_state
from connector.config import Settings, load_settings
from connector.journey import STAGES, render_timeline_text
from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    start_sandbox,
)
from connector.sync.classify import journey_of
from connector.sync.job import SyncReport, run_sync
from connector.sync.pull import Progress

DEMO_ACCOUNTS = 40
DEMO_SEED = 7
TIMELINES = 3


@dataclass(frozen=True)
class DemoResult:
    url: str
    sync: SyncReport
    reached: dict[str, int]
    timelines: tuple[str, ...]
    report_path: Path | None
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
            "grant": "client_credentials",
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


def reached_counts(settings: Settings) -> tuple[dict[str, int], list[str]]:
    """Customers that reached each stage; the keys of the longest journeys."""
    import json

    from sqlalchemy import select

    from connector.store.models import JourneyRow

    table = JourneyRow.__table__
    reached = dict.fromkeys(STAGES, 0)
    db = open_state(settings)
    try:
        with db.read() as conn:
            for row in conn.execute(select(table.c.data_json)):
                stages = json.loads(row.data_json)["stages"]
                entered = [s for s in STAGES if stages[s]["entered_at"] is not None]
                # A customer that jumped a stage (awareness straight to decision) has
                # passed it: reached = entered this stage or a later one.
                furthest = max((STAGES.index(s) for s in entered), default=-1)
                for rank, stage in enumerate(STAGES):
                    reached[stage] += rank <= furthest
            longest = list(
                conn.execute(
                    select(table.c.customer_key)
                    .where(table.c.customer_key.like("Accounts:%"))
                    .order_by(table.c.touchpoint_count.desc(), table.c.customer_key)
                    .limit(TIMELINES)
                ).scalars()
            )
    finally:
        db.close()
    return reached, longest


def timelines(settings: Settings, keys: list[str]) -> tuple[str, ...]:
    rules = load_rules(settings)
    db = open_state(settings)
    texts = []
    try:
        with db.read() as conn:
            for key in keys:
                journey = journey_of(conn, key, rules, datetime.now(UTC))
                if journey is not None:
                    texts.append(render_timeline_text(journey))
    finally:
        db.close()
    return tuple(texts)


def write_report(settings: Settings, path: Path) -> Path:
    """The HTML analytics report of the demo's journeys."""
    from connector.report import compute_report, iter_journey_inputs, render_html

    db = open_state(settings)
    try:
        report = compute_report(
            iter_journey_inputs(db), now=datetime.now(UTC), crm_url=settings.url
        )
    finally:
        db.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path


def run_demo(
    *,
    accounts: int = DEMO_ACCOUNTS,
    seed: int = DEMO_SEED,
    report_folder: Path | None = None,
    progress: Progress | None = None,
    on_step: Callable[[str], None] | None = None,
) -> DemoResult:
    started = time.perf_counter()
    step = on_step or (lambda _message: None)
    with tempfile.TemporaryDirectory(prefix="suitejourney-demo-") as folder:
        settings = demo_settings("http://127.0.0.1", f"sqlite:///{Path(folder) / 'demo.db'}")
        with running_sandbox(accounts, seed) as url:
            settings = demo_settings(url, settings.database_url.reveal())
            step(f"sandbox on {url}: pull, classify, push")
            report = run_sync(settings, progress=progress)
        reached, longest = reached_counts(settings)
        texts = timelines(settings, longest)
        path = (
            write_report(settings, report_folder / "journey-report.html") if report_folder else None
        )
    return DemoResult(url, report, reached, texts, path, time.perf_counter() - started)
