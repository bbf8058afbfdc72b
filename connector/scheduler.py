"""``suitejourney schedule``: run sync on an interval or a cron line, until stopped.

APScheduler 3 runs one job, the sync, with ``max_instances=1`` (never two at once
in this process; the state database's lock covers other processes and machines),
``coalesce`` (runs missed while the machine slept become one) and a grace time.
SIGTERM and SIGINT ask the running sync to stop after its current page, then the
scheduler stops. A failing run is logged and the next one is tried on schedule;
a configuration error (bad credentials, a module that does not exist) stops the
scheduler instead of hammering SuiteCRM with requests that cannot succeed.

A heartbeat (pid, host, last beat, next run, last result) is kept in the state
database, where ``suitejourney status`` shows it.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from connector.errors import ConfigurationError, ConnectorError
from connector.store.database import StateDB
from connector.store.meta import read_meta, write_meta
from connector.store.runs import owner_name

log = logging.getLogger(__name__)

HEARTBEAT = "scheduler"
HEARTBEAT_EVERY = timedelta(seconds=30)
_EVERY = re.compile(r"^every\s+(\d+)\s*(s|sec|m|min|h|hour|d|day)s?$", re.IGNORECASE)
_UNITS = {
    "s": "seconds",
    "sec": "seconds",
    "m": "minutes",
    "min": "minutes",
    "h": "hours",
    "hour": "hours",
    "d": "days",
    "day": "days",
}

SyncJob = Callable[[Callable[[], bool]], int]


def parse_schedule(text: str, where: str = "schedule") -> BaseTrigger:
    """``every 15m`` / ``every 2h`` / a five-field cron line (UTC), as a trigger."""
    value = text.strip()
    match = _EVERY.match(value)
    if match:
        amount = int(match.group(1))
        if amount <= 0:
            raise ConfigurationError(f"{where}: the interval must be positive, not {value!r}")
        return IntervalTrigger(**{_UNITS[match.group(2).lower()]: amount}, timezone=UTC)
    if len(value.split()) == 5:
        try:
            return CronTrigger.from_crontab(value, timezone=UTC)
        except ValueError as exc:
            raise ConfigurationError(f"{where}: not a valid cron line {value!r}: {exc}") from None
    raise ConfigurationError(
        f"{where}: expected 'every 15m' (s, m, h, d) or a cron line like '*/15 * * * *', "
        f"not {value!r}"
    )


@dataclass
class RunRecord:
    started_at: datetime
    finished_at: datetime
    exit_code: int
    message: str = ""


class SyncScheduler:
    """Runs ``job`` on ``trigger`` until stopped or until a configuration error."""

    def __init__(
        self,
        job: SyncJob,
        trigger: BaseTrigger,
        db: StateDB,
        *,
        grace: timedelta = timedelta(minutes=10),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_runs: int | None = None,
    ) -> None:
        self.job = job
        self.trigger = trigger
        self.db = db
        self.grace = grace
        self.clock = clock
        self.max_runs = max_runs
        self.stop = threading.Event()
        self.fatal: ConnectorError | None = None
        self.runs: list[RunRecord] = []
        self.started_at = clock()
        self._scheduler = BackgroundScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(1)},
        )

    def request_stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        if not self.stop.is_set():
            log.info(
                "stop requested%s: finishing the current page",
                f" (signal {signum})" if signum else "",
            )
        self.stop.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)

    def run(self) -> int:
        """Block until stopped; 0 after a requested stop, the error's code after a fatal one."""
        self._scheduler.add_job(
            self._run_once,
            self.trigger,
            id="sync",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=int(self.grace.total_seconds()),
            next_run_time=self.clock(),
        )
        self._scheduler.start()
        log.info("scheduler started (pid %s)", owner_name())
        beaten = self.clock()
        try:
            while not self.stop.wait(timeout=1.0):
                if self.clock() - beaten >= HEARTBEAT_EVERY:
                    self._beat()
                    beaten = self.clock()
        finally:
            self._scheduler.shutdown(wait=True)
            self._beat(stopped=True)
        if self.fatal is not None:
            return self.fatal.exit_code
        return 0

    def _run_once(self) -> None:
        if self.stop.is_set():
            return
        started = self.clock()
        try:
            code = self.job(self.stop.is_set)
            record = RunRecord(started, self.clock(), code)
            log.info("scheduled sync finished with exit code %d", code)
        except ConfigurationError as exc:
            record = RunRecord(started, self.clock(), exc.exit_code, exc.message)
            log.error("scheduled sync stopped the scheduler: %s", exc.message)
            self.fatal = exc
            self.stop.set()
        except ConnectorError as exc:
            record = RunRecord(started, self.clock(), exc.exit_code, exc.message)
            if exc.kind == "interrupted":
                log.info("scheduled sync interrupted: %s", exc.message)
            else:
                log.warning("scheduled sync failed, will try again on schedule: %s", exc.message)
        except Exception:
            record = RunRecord(started, self.clock(), 1, "unexpected error (see the log)")
            log.exception("scheduled sync crashed; will try again on schedule")
        self.runs.append(record)
        self._beat()
        if self.max_runs is not None and len(self.runs) >= self.max_runs:
            self.stop.set()

    def _beat(self, stopped: bool = False) -> None:
        job = self._scheduler.get_job("sync") if self._scheduler.running else None
        last = self.runs[-1] if self.runs else None
        payload: dict[str, Any] = {
            "owner": owner_name(),
            "started_at": self.started_at.isoformat(),
            "heartbeat_at": self.clock().isoformat(),
            "next_run_at": job.next_run_time.isoformat() if job and job.next_run_time else None,
            "runs": len(self.runs),
            "stopped": stopped,
            "last_run": None
            if last is None
            else {
                "started_at": last.started_at.isoformat(),
                "finished_at": last.finished_at.isoformat(),
                "exit_code": last.exit_code,
                "message": last.message,
            },
        }
        try:
            with self.db.begin() as conn:
                write_meta(conn, HEARTBEAT, json.dumps(payload))
        except Exception:  # a heartbeat must never take the scheduler down
            log.warning("could not write the scheduler heartbeat", exc_info=True)


def read_heartbeat(db: StateDB) -> dict[str, Any] | None:
    with db.read() as conn:
        raw = read_meta(conn, HEARTBEAT)
    return None if raw is None else dict(json.loads(raw))
