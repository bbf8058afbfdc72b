"""Several write requests in flight: units of work run on a small pool of writers.

A unit is what the push checkpoints at once: one journey (its CJ_Journeys
record, its changed CJ_Touchpoints, the touchpoint records to delete) for the
api writer, or a few journeys filling a request for the batch writers. Each
worker thread takes a writer of its own (the first is the caller's; more are
connected on demand, up to ``size``), so no HTTP session or database
connection is ever shared between threads. Only the caller's thread touches the
state database: ``run`` yields each finished unit with its outcome, in the
order they finish, and the caller records it before asking for the next.

A stop (``should_stop``) or an error ends submissions; the units already in
flight still finish and are yielded, then the error, if any, is raised. With
``size == 1`` everything runs in the caller's thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from connector.writeback.payload import JOURNEYS, CjRecord
from connector.writeback.writers import WriteOutcome, Writer


@dataclass
class Unit:
    """Writes and deletes recorded together (see the module docstring)."""

    journeys: dict[str, str | None] = field(default_factory=dict)  # customer → hash to record
    writes: list[CjRecord] = field(default_factory=list)
    known: set[str] = field(default_factory=set)  # ids of records SuiteCRM already holds
    stored: set[tuple[str, str]] = field(default_factory=set)  # (kind, key) with a state row
    # (module, key, id, customer): records to delete
    deletes: list[tuple[str, str, str, str]] = field(default_factory=list)
    synced_at: str = ""

    @property
    def empty(self) -> bool:
        return not self.writes and not self.deletes


def carry_out(writer: Writer, unit: Unit) -> WriteOutcome:
    """The unit's requests: journeys first, then touchpoints, then deletions."""
    outcome = WriteOutcome()
    if unit.writes:
        ordered = sorted(unit.writes, key=lambda r: r.module != JOURNEYS)
        written = writer.upsert(ordered, unit.synced_at, unit.known)
        outcome.written += written.written
        outcome.failed += written.failed
    modules: dict[str, list[str]] = {}
    for module, _, record_id, _ in unit.deletes:
        modules.setdefault(module, []).append(record_id)
    for module in sorted(modules, key=lambda m: m == JOURNEYS):  # a journey after its records
        removed = writer.delete(module, modules[module])
        outcome.deleted += removed.deleted
        outcome.failed += removed.failed
    return outcome


class WriterPool:
    """Up to ``size`` writers, each used by one thread at a time."""

    def __init__(self, first: Writer, connect: Callable[[], Writer] | None, size: int) -> None:
        self.size = size if connect is not None else 1
        self._connect = connect
        self._idle: queue.SimpleQueue[Writer] = queue.SimpleQueue()
        self._idle.put(first)
        self._all = [first]
        self._lock = threading.Lock()
        self._baseline = first.operations
        self.interrupted = False  # a stop left units undone

    @property
    def operations(self) -> int:
        """Requests (or statements) made through the pool, connecting extra writers included."""
        with self._lock:
            return sum(w.operations for w in self._all) - self._baseline

    def _take(self) -> Writer:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            assert self._connect is not None
            writer = self._connect()
            with self._lock:
                self._all.append(writer)
            return writer

    def _run(self, unit: Unit) -> WriteOutcome:
        writer = self._take()
        try:
            return carry_out(writer, unit)
        finally:
            self._idle.put(writer)

    def close_extra(self) -> None:
        """Close the writers this pool connected (the caller closes the first)."""
        with self._lock:
            extra, self._all = self._all[1:], self._all[:1]
        for writer in extra:
            writer.close()

    def run(
        self, units: Iterable[Unit], should_stop: Callable[[], bool]
    ) -> Iterator[tuple[Unit, WriteOutcome]]:
        source = iter(units)
        if self.size == 1:
            unit = next(source, None)
            while unit is not None:
                yield unit, self._run(unit)
                unit = next(source, None)
                if unit is not None and should_stop():
                    self.interrupted = True
                    return
            return
        pending: dict[Future[WriteOutcome], Unit] = {}
        error: BaseException | None = None
        exhausted = False
        with ThreadPoolExecutor(self.size, thread_name_prefix="push") as executor:
            while True:
                while not exhausted and error is None and len(pending) < self.size:
                    unit = next(source, None)
                    if unit is None:
                        exhausted = True
                        break
                    pending[executor.submit(self._run, unit)] = unit
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    unit = pending.pop(future)
                    try:
                        outcome = future.result()
                    except BaseException as exc:  # raised once the others have finished
                        error = error or exc
                        continue
                    yield unit, outcome
                if not exhausted and error is None and should_stop():
                    self.interrupted = next(source, None) is not None
                    exhausted = True
        if error is not None:
            raise error
