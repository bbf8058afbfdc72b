"""The server's wiring: a database file is generated once and then served as it
is, it listens on 127.0.0.1 only, and stopping frees the port."""

from __future__ import annotations

import socket
from pathlib import Path

import requests

from connector.sandbox import start_sandbox
from tests.sandbox.conftest import FROZEN_AT


def test_a_database_file_is_generated_once_then_reused(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.db")
    with start_sandbox(accounts=4, seed=2, db=db, now=FROZEN_AT) as first:
        ids = first.control.ids("Accounts")
        first.control.add_record("Accounts", {"name": "Kept across restarts"})
    with start_sandbox(accounts=40, seed=9, db=db, now=FROZEN_AT) as second:
        again = second.control.ids("Accounts")
    assert set(ids) < set(again)
    assert len(again) == len(ids) + 1


def test_it_listens_on_loopback_and_stops_cleanly() -> None:
    sandbox = start_sandbox(accounts=2, now=FROZEN_AT)
    assert sandbox.url == f"http://127.0.0.1:{sandbox.port}"
    assert requests.get(f"{sandbox.url}/nothing", timeout=10).status_code == 404
    sandbox.stop()
    sandbox.stop()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", sandbox.port)) != 0
