"""One command's run in the state database: what ``status`` lists afterwards.

``RunLog`` writes the ``sync_runs`` row when a run starts, notes each phase's
counts as the phase ends (so a run killed half-way still shows what it did),
adds the errors of failed records, and closes the row with its status. Every
command that moves data keeps one: ``pull``, ``classify``, ``push``, ``sync`` and
the scheduler's syncs (kind ``scheduled``). The SQL lives in ``store.runs``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from connector.errors import ConnectorError
from connector.store.database import StateDB
from connector.store.runs import add_error, finish_run, save_summary, start_run

RUN_KINDS = ("sync", "scheduled", "pull", "classify", "push")


class RunLog:
    """The ``sync_runs`` row of one run, from start to finish."""

    def __init__(self, db: StateDB, kind: str, clock: Callable[[], datetime]) -> None:
        if kind not in RUN_KINDS:
            raise ValueError(f"unknown run kind {kind!r}")
        self.db = db
        self.kind = kind
        self.clock = clock
        self.summary: dict[str, Any] = {}
        self.status = "running"
        with db.begin() as conn:
            self.id = start_run(conn, kind, clock())

    @property
    def closed(self) -> bool:
        return self.status != "running"

    def note(self, phase: str, data: Any) -> None:
        """Keep what one phase did (its counts, where it stopped) in the run's summary."""
        self.summary[phase] = data
        with self.db.begin() as conn:
            save_summary(conn, self.id, self.summary)

    def errors(self, failures: Iterable[tuple[str, str, str]], kind: str = "record") -> None:
        """One error row per (module, record id, message)."""
        now = self.clock()
        with self.db.begin() as conn:
            for module, record_id, message in failures:
                add_error(
                    conn, self.id, now, message, module=module, record_id=record_id, kind=kind
                )

    def finish(self, status: str, message: str = "") -> None:
        """Close the run (once; later calls change nothing)."""
        if self.closed:
            return
        self.status = status
        with self.db.begin() as conn:
            if self.summary:
                save_summary(conn, self.id, self.summary)
            finish_run(conn, self.id, status, self.clock(), message)

    @contextmanager
    def closed_on_failure(self) -> Iterator[None]:
        """Close the run when the block raises: ``interrupted`` for a stop, ``failed``
        otherwise, with the error's message; the error goes on."""
        try:
            yield
        except ConnectorError as exc:
            self.finish("interrupted" if exc.kind == "interrupted" else "failed", exc.message)
            raise
        except BaseException:
            self.finish("failed", "interrupted")
            raise
