"""The worker: takes due batches from the queue and hands them to the refresher.

One thread. Each batch becomes a list of ``RecordRef`` for the refresher (which
takes the instance lock, reads the records by id, rebuilds and pushes their
customers). A batch that meets a running sync waits ``LOCK_RETRY`` seconds and
is tried again, as many times as it takes (the sync ends, or its lease does);
one that meets an unreachable SuiteCRM is retried with a growing delay and
dropped after ``max_attempts`` (the next scheduled sync reads those records
anyway); a configuration error or a bug drops the batch, is logged and counted,
and the worker goes on. Nothing a batch does stops the service.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from connector.errors import ConnectorError, TransientError
from connector.realtime.counters import Counters
from connector.realtime.queue import ChangeQueue, Pending
from connector.sync.refresh import RecordRef, RefreshReport
from connector.sync.runner import SyncLockedError

log = logging.getLogger(__name__)

LOCK_RETRY = 5.0
FIRST_RETRY = 2.0
MAX_RETRY = 300.0

Refresh = Callable[[Sequence[RecordRef]], RefreshReport]


@dataclass
class WorkerState:
    processed: int = 0
    batches: int = 0
    last_batch_at: float | None = None
    last_error: str = ""


class Worker:
    def __init__(
        self,
        queue: ChangeQueue,
        refresh: Refresh,
        counters: Counters,
        *,
        batch: int = 200,
        max_attempts: int = 8,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.queue = queue
        self.refresh = refresh
        self.counters = counters
        self.batch = batch
        self.max_attempts = max_attempts
        self.clock = clock
        self.lock_retry = LOCK_RETRY
        self.state = WorkerState()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._idle = threading.Condition()

    # -- one batch ----------------------------------------------------------------

    def process(self, batch: Sequence[Pending]) -> None:
        """Refresh one batch; failures are retried, dropped or logged, never raised."""
        try:
            self._process(batch)
        finally:
            with self._idle:
                self.state.processed += 1
                self._idle.notify_all()

    def wait_processed(self, count: int, timeout: float) -> bool:
        """Block until ``count`` batches were processed in all (for tests and benchmarks)."""
        with self._idle:
            return self._idle.wait_for(lambda: self.state.processed >= count, timeout)

    def _process(self, batch: Sequence[Pending]) -> None:
        refs = [RecordRef(p.module, p.record_id, p.deleted) for p in batch]
        started = time.perf_counter()
        try:
            report = self.refresh(refs)
        except SyncLockedError:
            self.counters.add("batches_waiting_for_sync")
            self.queue.retry(batch, self.lock_retry)
            return
        except TransientError as exc:
            self._failed(batch, exc.message)
            return
        except ConnectorError as exc:
            self.counters.add("batches_failed")
            self.counters.add("records_dropped", len(batch))
            self.state.last_error = exc.message
            log.error("dropped %d changed records: %s", len(batch), exc.message)
            return
        except Exception as exc:  # a bug: log it with its traceback, keep serving
            self.counters.add("batches_failed")
            self.counters.add("records_dropped", len(batch))
            self.state.last_error = f"internal error: {type(exc).__name__}"
            log.exception("dropped %d changed records after an internal error", len(batch))
            return
        self._done(report, len(batch), time.perf_counter() - started)

    def _failed(self, batch: Sequence[Pending], message: str) -> None:
        self.counters.add("batches_retried")
        self.state.last_error = message
        keep = [p for p in batch if p.attempts + 1 < self.max_attempts]
        dropped = len(batch) - len(keep)
        if dropped:
            self.counters.add("records_dropped", dropped)
            log.warning(
                "gave up on %d changed records after %d attempts (%s); the next scheduled "
                "sync reads them",
                dropped,
                self.max_attempts,
                message,
            )
        attempts = max((p.attempts for p in keep), default=0)
        delay = min(MAX_RETRY, FIRST_RETRY * 2**attempts)
        if keep:
            self.queue.retry(keep, delay)
            log.warning("SuiteCRM could not be reached (%s); retrying in %.0f s", message, delay)

    def _done(self, report: RefreshReport, records: int, seconds: float) -> None:
        pushed = report.pushed
        written = pushed.written if pushed else 0
        self.counters.add("batches")
        self.counters.add("records_refreshed", records)
        self.counters.add("customers_updated", len(report.customers))
        self.counters.add("cj_records_written", written)
        if report.skipped:
            self.counters.add("records_skipped", len(report.skipped))
            for module, record_id, why in report.skipped:
                log.warning("skipped %s %s: %s", module, record_id, why)
        if pushed and pushed.failed:
            self.counters.add("cj_records_failed", len(pushed.failed))
            for module, record_id, message in pushed.failed:
                log.warning("SuiteCRM refused %s %s: %s", module, record_id, message)
        self.state.batches += 1
        self.state.last_batch_at = self.clock()
        self.state.last_error = ""
        log.info(
            "refreshed %d records (%d read, %d removed): %d customers, %d CJ records "
            "written in %.2f s",
            records,
            report.read,
            report.removed,
            len(report.customers),
            written,
            seconds,
        )

    # -- the thread ---------------------------------------------------------------

    def run_once(self, timeout: float | None = None) -> bool:
        """Wait for a due batch (at most ``timeout`` seconds) and process it."""
        batch = self.queue.wait(self.batch, timeout)
        if not batch:
            return False
        self.process(batch)
        return True

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.run_once()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="serve-worker", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, *, drain: bool = True, timeout: float = 30.0) -> int:
        """Stop after the current batch; with ``drain``, refresh what is still waiting
        (once, without retries). Returns the number of records left unrefreshed."""
        self._stopping.set()
        self.queue.close()
        if self._thread is not None:
            self._thread.join(timeout)
        left = self.queue.drain()
        if drain and left:
            for start in range(0, len(left), self.batch):
                part = left[start : start + self.batch]
                for pending in part:
                    pending.attempts = self.max_attempts  # no retry after shutdown
                self.process(part)
            left = self.queue.drain()
        if left:
            log.warning(
                "%d changed records were not refreshed; the next scheduled sync reads them",
                len(left),
            )
        return len(left)
