"""Lanes inside a module, the API the pull reads through, related records per page,
and no request from a thread that holds a transaction open."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from connector.crm.client import CrmClient
from connector.secrets import Secret
from connector.store.cursors import load_cursor
from connector.store.database import StateDB
from connector.store.models import TouchpointRow
from connector.sync.pull import PullOptions
from connector.sync.runner import PullReport, run_pull
from tests.integration.conftest import MODULES, World

T = TouchpointRow.__table__


def pull(
    world: World,
    client: CrmClient,
    *,
    readers: int,
    page_size: int = 7,
    modules: tuple[str, ...] = MODULES,
    deletions: CrmClient | None = None,
    db: StateDB | None = None,
) -> PullReport:
    return run_pull(
        client,
        db or world.db,
        modules,
        clock=world.sandbox.control.now,
        options=PullOptions(page_size=page_size, readers=readers),
        deletions=deletions,
    )


def stored_ids(db: StateDB, module: str) -> list[str]:
    with db.read() as conn:
        return list(conn.execute(select(T.c.source_id).where(T.c.module == module)).scalars())


def test_lanes_read_every_record_once_and_fold_into_one_cursor(world: World) -> None:
    client = world.v8()
    try:
        report = pull(world, client, readers=3, modules=("Calls", "Tasks", "Meetings"))
    finally:
        client.close()
    assert report.status == "ok"
    control = world.sandbox.control
    for stats in report.modules:
        ids = stored_ids(world.db, stats.module)
        assert sorted(ids) == sorted(control.ids(stats.module)), stats.module
        # Each record read once: the tie group of Tasks is walked whole in each lane.
        assert stats.read == len(ids) == stats.created, stats
        with world.db.read() as conn:
            cursor = load_cursor(conn, stats.module)
        assert cursor.lanes == () and cursor.date_modified is not None


def test_a_pull_by_lanes_stores_what_one_reader_stores(world: World, tmp_path: Path) -> None:
    single = StateDB.open(Secret(f"sqlite:///{tmp_path / 'single.db'}"))
    client = world.v8()
    try:
        assert pull(world, client, readers=1, db=single).status == "ok"
        assert pull(world, client, readers=4).status == "ok"
    finally:
        client.close()
    with single.read() as conn:
        one = dict(conn.execute(select(T.c.key, T.c.content_hash)).all())
    assert {k: v[0] for k, v in world.snapshot().items()} == one
    single.close()


def test_a_second_pull_with_nothing_new_costs_one_request_per_stream(world: World) -> None:
    client = world.legacy()
    try:
        pull(world, client, readers=2, modules=("Calls", "Accounts"))
        world.sleep(600)
        again = pull(world, client, readers=2, modules=("Calls", "Accounts"))
    finally:
        client.close()
    assert [(m.module, m.read, m.requests) for m in again.modules] == [
        ("Accounts", 0, 1),
        ("Calls", 0, 1),
    ]


def test_through_rest_v4_1_documents_read_their_accounts_with_the_list(world: World) -> None:
    client = world.legacy()
    try:
        report = pull(world, client, readers=1, page_size=50, modules=("Accounts", "Documents"))
    finally:
        client.close()
    documents = next(m for m in report.modules if m.module == "Documents")
    count = world.sandbox.control.count("Documents")
    assert documents.created == count > 0
    assert documents.requests <= count // 50 + 2  # list pages only, no request per document
    assert documents.orphans < count  # linked to their accounts through the relationship


def test_beside_v8_documents_cost_one_v4_1_request_per_page(world: World) -> None:
    client, legacy = world.v8(), world.legacy()
    try:
        report = pull(
            world, client, readers=1, page_size=50, modules=("Accounts", "Documents"),
            deletions=legacy,
        )
    finally:
        client.close()
        legacy.close()
    documents = next(m for m in report.modules if m.module == "Documents")
    count = world.sandbox.control.count("Documents")
    pages = count // 50 + 1
    assert documents.created == count
    assert documents.requests <= 2 * pages + 2  # a page, its relationships; deletions
    assert documents.orphans < count


class Watched:
    """A client that fails any request made by a thread holding a transaction open."""

    def __init__(self, client: CrmClient, open_in: threading.local) -> None:
        self._client = client
        self._open = open_in
        self.requests_seen = 0

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._client, name)
        if not callable(value) or name in ("close",):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            assert not getattr(self._open, "depth", 0), f"{name} inside a transaction"
            self.requests_seen += 1
            return value(*args, **kwargs)

        return call


def watch_transactions(db: StateDB, open_in: threading.local) -> None:
    begin: Callable[[], Any] = db.begin

    @contextmanager
    def counted() -> Iterator[Connection]:
        open_in.depth = getattr(open_in, "depth", 0) + 1
        try:
            with begin() as conn:
                yield conn
        finally:
            open_in.depth -= 1

    db.begin = counted  # type: ignore[method-assign]


def test_no_request_is_made_while_a_transaction_is_open(world: World) -> None:
    open_in = threading.local()
    watch_transactions(world.db, open_in)
    client, legacy = world.v8(), world.legacy()
    watched, watched_legacy = Watched(client, open_in), Watched(legacy, open_in)
    try:
        first = pull(world, watched, readers=2, deletions=watched_legacy)  # type: ignore[arg-type]
        world.sleep(600)
        control = world.sandbox.control
        control.delete_record("Calls", control.ids("Calls", limit=1)[0])
        second = pull(world, watched, readers=2, deletions=watched_legacy)  # type: ignore[arg-type]
    finally:
        client.close()
        legacy.close()
    assert first.status == second.status == "ok"
    assert watched.requests_seen > 0 and watched_legacy.requests_seen > 0
    assert sum(m.deleted for m in second.modules) >= 1
