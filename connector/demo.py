"""``suitejourney demo``: the whole job on embedded defaults, with no setup and no network.

Starts the sandbox in this process with a seeded data set (whose history ends
today, so its planned calls and meetings lie ahead) and runs exactly what
``suitejourney sync`` runs against a real SuiteCRM (settings built by the normal
loader from the sandbox's demo credentials): pull into a temporary SQLite state
database, classify, push the journeys back into the sandbox's CJ modules. Then
it gathers what a first look needs: customers per stage, conversion between
stages, a few timelines, and the HTML analytics report. Everything it prints is
measured, not canned. With ``keep``, the state database stays in that folder
with a ``suitejourney.toml`` that points at it, to explore afterwards with the
commands that read only the state database (timeline, report, review,
mappings diff, corrections export).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from connector.app import load_rules, open_state, sync_configured
from connector.config import Settings, load_settings
from connector.journey import render_timeline_text
from connector.report import Report, compute_report, iter_journey_inputs, render_html
from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    start_sandbox,
)
from connector.store.journeys import largest_journeys
from connector.sync.classify import journey_of
from connector.sync.job import SyncReport
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
    kept: Path | None = None


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


def demo_anchor(now: datetime) -> str:
    """The demo's data ends today (00:00 UTC), so what it plans lies ahead of the run."""
    return f"{now:%Y-%m-%d} 00:00:00"


@contextmanager
def running_sandbox(accounts: int, seed: int) -> Iterator[str]:
    anchor = demo_anchor(datetime.now(UTC))
    sandbox = start_sandbox(port=0, accounts=accounts, seed=seed, generator={"anchor": anchor})
    try:
        yield sandbox.url
    finally:
        sandbox.stop()


def longest_journeys(settings: Settings) -> list[str]:
    """The accounts with the most touchpoints (whose timelines the demo prints)."""
    db = open_state(settings)
    try:
        with db.read() as conn:
            return largest_journeys(conn, "Accounts", TIMELINES)
    finally:
        db.close()


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


def analyse(settings: Settings) -> Report:
    """The analytics report of the demo's journeys (its funnel is what the demo prints)."""
    db = open_state(settings)
    try:
        return compute_report(iter_journey_inputs(db), now=datetime.now(UTC), crm_url=settings.url)
    finally:
        db.close()


def run_demo(
    *,
    accounts: int = DEMO_ACCOUNTS,
    seed: int = DEMO_SEED,
    report_folder: Path | None = None,
    progress: Progress | None = None,
    on_step: Callable[[str], None] | None = None,
    keep: Path | None = None,
) -> DemoResult:
    started = time.perf_counter()
    step = on_step or (lambda _message: None)
    place = (
        nullcontext(str(keep))
        if keep is not None
        else tempfile.TemporaryDirectory(prefix="suitejourney-demo-")
    )
    with place as folder:
        database = Path(folder).resolve() / "demo.db"
        if keep is not None:
            keep_state(Path(folder), database)
        with running_sandbox(accounts, seed) as url:
            settings = demo_settings(url, f"sqlite:///{database}")
            step(f"sandbox on {url}: pull, classify, push")
            report = sync_configured(settings, progress=progress)
        report_figures = analyse(settings)
        reached = {f.stage: f.reached for f in report_figures.overall.funnel.stages}
        texts = timelines(settings, longest_journeys(settings))
        path = None
        if report_folder is not None:
            path = report_folder / "journey-report.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_html(report_figures), encoding="utf-8")
    seconds = time.perf_counter() - started
    return DemoResult(url, report, reached, texts, path, seconds, keep)


def keep_state(folder: Path, database: Path) -> None:
    """Make ``folder`` hold a fresh demo database and a configuration that points at it."""
    folder.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    config = folder / "suitejourney.toml"
    url = "sqlite:///" + database.as_posix()
    config.write_text(
        "# Written by `suitejourney demo --keep`: the demo's state database, to explore with\n"
        "# timeline, report, review, mappings diff and corrections export (the sandbox is gone).\n"
        f'database_url = "{url}"\n',
        encoding="utf-8",
    )
    config.chmod(0o600)
