"""The pool of writers: several units in flight, each writer used by one thread, stops
and errors that let the units in flight finish."""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence

import pytest

from connector.errors import TransientError
from connector.writeback.payload import CjRecord
from connector.writeback.pool import Unit, WriterPool, carry_out
from connector.writeback.writers import WriteOutcome


class FakeWriter:
    """Counts requests, notices being used by two threads at once, fails on a chosen id."""

    name = "fake"

    def __init__(self, fail_on: str = "") -> None:
        self.fail_on = fail_on
        self.calls: list[str] = []
        self.closed = False
        self.users = 0
        self.overlap = False

    @property
    def operations(self) -> int:
        return len(self.calls)

    def upsert(
        self, records: Sequence[CjRecord], synced_at: str, known: Collection[str] = ()
    ) -> WriteOutcome:
        self.users += 1
        self.overlap |= self.users > 1
        try:
            self.calls += [f"upsert {r.id}" for r in records]
            if any(r.id == self.fail_on for r in records):
                raise TransientError("SuiteCRM is down")
            return WriteOutcome(written=list(records))
        finally:
            self.users -= 1

    def delete(self, module: str, ids: Sequence[str]) -> WriteOutcome:
        self.calls += [f"delete {module} {i}" for i in ids]
        return WriteOutcome(deleted=list(ids))

    def close(self) -> None:
        self.closed = True


def record(module: str, rid: str) -> CjRecord:
    return CjRecord(module, rid, rid, "Accounts:1", {}, "h")


def unit(n: int) -> Unit:
    return Unit(journeys={f"Accounts:{n}": "h"}, writes=[record("CJ_Journeys", f"j{n}")])


def test_a_unit_writes_the_journey_first_and_deletes_it_last() -> None:
    writer = FakeWriter()
    u = Unit(
        writes=[record("CJ_Touchpoints", "t1"), record("CJ_Journeys", "j1")],
        deletes=[("CJ_Journeys", "k", "j0", "c"), ("CJ_Touchpoints", "k2", "t0", "c")],
    )
    outcome = carry_out(writer, u)
    assert writer.calls == [
        "upsert j1",
        "upsert t1",
        "delete CJ_Touchpoints t0",
        "delete CJ_Journeys j0",
    ]
    assert outcome.deleted == ["t0", "j0"]


def test_units_run_concurrently_each_on_a_writer_of_its_own() -> None:
    together = threading.Barrier(3, timeout=10)  # passes only with 3 units in flight at once
    writers: list[FakeWriter] = []

    class Meeting(FakeWriter):
        def upsert(
            self, records: Sequence[CjRecord], synced_at: str, known: Collection[str] = ()
        ) -> WriteOutcome:
            if records[0].id in ("j0", "j1", "j2"):
                together.wait()
            return super().upsert(records, synced_at, known)

    def connect() -> FakeWriter:
        writers.append(Meeting())
        return writers[-1]

    first = Meeting()
    pool = WriterPool(first, connect, 3)
    done = [u for u, _ in pool.run((unit(n) for n in range(9)), lambda: False)]
    assert sorted(next(iter(u.journeys)) for u in done) == [f"Accounts:{n}" for n in range(9)]
    assert len(writers) == 2, "one writer per thread, connected when needed"
    assert not any(w.overlap for w in [first, *writers]), "a writer was shared by two threads"
    assert pool.operations == 9
    pool.close_extra()
    assert all(w.closed for w in writers) and not first.closed


def test_a_stop_lets_the_units_in_flight_finish_and_says_units_were_left() -> None:
    stop = threading.Event()
    pool = WriterPool(FakeWriter(), lambda: FakeWriter(), 2)
    done = []
    for u, _ in pool.run((unit(n) for n in range(10)), stop.is_set):
        done.append(u)
        stop.set()
    assert 1 <= len(done) <= 3 and pool.interrupted


def test_a_stop_after_the_last_unit_is_no_interruption() -> None:
    pool = WriterPool(FakeWriter(), None, 1)
    assert len(list(pool.run([unit(1)], lambda: True))) == 1
    assert not pool.interrupted


def test_an_error_is_raised_after_the_units_in_flight_are_yielded() -> None:
    pool = WriterPool(FakeWriter(fail_on="j1"), lambda: FakeWriter(fail_on="j1"), 2)
    done: list[Unit] = []
    with pytest.raises(TransientError):
        for u, _ in pool.run((unit(n) for n in range(50)), lambda: False):
            done.append(u)
    assert len(done) < 49, "submissions went on after the error"


def test_size_one_runs_in_the_callers_thread() -> None:
    caller = threading.get_ident()
    seen: list[int] = []

    class Here(FakeWriter):
        def upsert(
            self, records: Sequence[CjRecord], synced_at: str, known: Collection[str] = ()
        ) -> WriteOutcome:
            seen.append(threading.get_ident())
            return super().upsert(records, synced_at, known)

    pool = WriterPool(Here(), None, 4)  # no way to connect more: one writer
    assert len(list(pool.run([unit(1), unit(2)], lambda: False))) == 2
    assert seen == [caller, caller]
