"""No request reaches SuiteCRM while a state-database transaction is open.

Every test runs under ``tests.transactions.TransactionGuard`` (installed by
tests/conftest.py), so every test that drives a step talking to SuiteCRM and
writing the state database (the sync, the corrections read-back, ``serve``'s
refresh, the corrections import) fails if a request leaves inside a transaction.
These tests prove the guard refuses what it must and lets through what it may.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import responses

from connector.crm.http import RetryPolicy, Transport
from connector.secrets import Secret
from connector.store.database import StateDB
from tests.transactions import RequestInTransaction, TransactionGuard

BASE = "https://crm.example.test"
PATH = "/Api/V8/module/Accounts"


@pytest.fixture
def db(tmp_path: Path) -> StateDB:
    return StateDB.open(Secret(f"sqlite:///{tmp_path / 'state.db'}"))


@pytest.fixture
def transport() -> Transport:
    return Transport(BASE, retry=RetryPolicy(max_retries=0), sleep=lambda _s: None)


@pytest.fixture
def mock_http() -> responses.RequestsMock:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.GET, BASE + PATH, json={"data": []})
        yield mock


@pytest.mark.parametrize("opening", ["begin", "read"])
def test_a_request_inside_a_transaction_is_refused_and_fails_the_test(
    db: StateDB,
    transport: Transport,
    mock_http: responses.RequestsMock,
    transaction_guard: TransactionGuard,
    opening: str,
) -> None:
    with getattr(db, opening)(), pytest.raises(RequestInTransaction) as refused:
        transport.request("GET", PATH)
    assert PATH in str(refused.value)
    assert __name__ in str(refused.value)  # names who opened the transaction
    assert len(mock_http.calls) == 0  # nothing was sent
    assert len(transaction_guard.refused) == 1
    transaction_guard.refused.clear()  # this test's refusal was wanted: do not fail it


def test_a_request_before_or_after_a_transaction_goes_through(
    db: StateDB, transport: Transport, mock_http: responses.RequestsMock
) -> None:
    assert transport.request("GET", PATH).body == {"data": []}
    with db.begin() as conn:  # a transaction opened and closed again
        conn.exec_driver_sql("SELECT 1")
    with db.read() as conn:
        conn.exec_driver_sql("SELECT 1")
    assert transport.request("GET", PATH).status == 200
    assert len(mock_http.calls) == 2


def test_another_threads_transaction_does_not_stop_a_request(
    db: StateDB, transport: Transport, mock_http: responses.RequestsMock
) -> None:
    opened, release = threading.Event(), threading.Event()

    def writer() -> None:
        with db.begin():
            opened.set()
            release.wait(timeout=10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert opened.wait(timeout=10)
        assert transport.request("GET", PATH).status == 200
    finally:
        release.set()
        thread.join()


def test_known_offenders_are_tolerated_but_noted() -> None:
    guard = TransactionGuard(tolerated=frozenset({"connector.sync.pull"}))
    guard.open_here().append("connector.sync.pull._write")
    guard.check("GET", PATH)
    assert guard.allowed and not guard.refused
    guard.open_here().append("connector.sync.classify.rebuild")
    with pytest.raises(RequestInTransaction):
        guard.check("GET", PATH)
