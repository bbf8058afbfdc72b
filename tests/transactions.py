"""The guard every test runs under: no request to SuiteCRM while a transaction is open.

A request made while the state database holds a transaction keeps that
transaction (and, for a write, the database's write lock) open for as long as
SuiteCRM takes to answer: a slow or retried request stalls every other writer.
The rule (STYLE.md): read from SuiteCRM first, then open the transaction,
write, commit.

``TransactionGuard.install`` wraps ``StateDB.begin`` and ``StateDB.read`` to keep,
per thread, the transactions open and the function that opened each, and
``Transport.request`` to refuse (``RequestInTransaction``) a request made while
one is open in the same thread. Other threads are free: a parallel pull's reader
may wait for an answer while another thread writes. Every refusal is also kept,
so a caller that swallows the error still fails the test at teardown.

``KNOWN_OFFENDERS`` lists the modules still opening transactions around requests
(the pull's related-record reads, the push's writes), tolerated until their
rework lands; delete an entry when its module is fixed.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from connector.crm.http import Transport
from connector.store.database import Connection, StateDB

KNOWN_OFFENDERS: frozenset[str] = frozenset()


class RequestInTransaction(AssertionError):
    """A request to SuiteCRM was made while a state-database transaction was open."""


class TransactionGuard:
    def __init__(self, tolerated: frozenset[str] = KNOWN_OFFENDERS) -> None:
        self.tolerated = tolerated
        self.local = threading.local()
        self.refused: list[str] = []
        self.allowed: list[str] = []

    def open_here(self) -> list[str]:
        """Who opened each transaction open in this thread, oldest first."""
        stack: list[str] | None = getattr(self.local, "stack", None)
        if stack is None:
            stack = self.local.stack = []
        return stack

    @contextmanager
    def tracking(
        self, inner: AbstractContextManager[Connection], opener: str
    ) -> Iterator[Connection]:
        with inner as conn:
            stack = self.open_here()
            stack.append(opener)
            try:
                yield conn
            finally:
                stack.pop()

    def check(self, method: str, path: str) -> None:
        openers = self.open_here()
        if not openers:
            return
        what = f"{method} {path} while a transaction opened by {', '.join(openers)} is open"
        if all(opener.startswith(tuple(self.tolerated)) for opener in openers):
            self.allowed.append(what)
            return
        self.refused.append(what)
        raise RequestInTransaction(what)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        guard = self
        begin, read, request = StateDB.begin, StateDB.read, Transport.request

        def opener() -> str:
            frame = sys._getframe(2)  # the caller of begin() or read()
            return f"{frame.f_globals.get('__name__', '?')}.{frame.f_code.co_name}"

        def guarded(
            original: Callable[[StateDB], AbstractContextManager[Connection]],
        ) -> Callable[[StateDB], AbstractContextManager[Connection]]:
            def opened(db: StateDB) -> AbstractContextManager[Connection]:
                return guard.tracking(original(db), opener())

            return opened

        def checked(transport: Transport, method: str, path: str, **kwargs: Any) -> Any:
            guard.check(method, path)
            return request(transport, method, path, **kwargs)

        monkeypatch.setattr(StateDB, "begin", guarded(begin))
        monkeypatch.setattr(StateDB, "read", guarded(read))
        monkeypatch.setattr(Transport, "request", checked)
