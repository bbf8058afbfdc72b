"""A live loop for `serve`: a sandbox that notifies, a synced state database, the service.

The sandbox (frozen clock) posts signed notifications on its saves to a running
``RealtimeService`` (waitress on 127.0.0.1, port 0) whose refresher reads the
sandbox over V8 and writes CJ records back with the API writer. The world is
synced once first (pull, classify, push), as a scheduled sync would have done.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from connector.journey import load_mapping
from connector.realtime.notification import Change, encode_changes
from connector.realtime.service import RealtimeService, ServeOptions
from connector.realtime.signature import signed_headers
from connector.sandbox import start_sandbox
from connector.secrets import Secret
from connector.store.database import StateDB
from connector.sync.refresh import Refresher
from connector.writeback.payload import record_id
from connector.writeback.writers import ApiWriter
from tests.integration.conftest import MODULES, START, World
from tests.integration.writeback.conftest import MAPPING, NAMESPACE, api_writer, classify, push_with

SECRET = "realtime-test-secret-0123456789"


@dataclass
class Live:
    world: World
    service: RealtimeService
    refresher: Refresher
    http: requests.Session

    @property
    def control(self) -> Any:
        return self.world.sandbox.control

    def journey(self, account_id: str) -> dict[str, Any]:
        """The CJ_Journeys record of an account, as the sandbox holds it."""
        found = self.control.get_record(
            "CJ_Journeys", record_id(NAMESPACE, "journey", f"Accounts:{account_id}")
        )
        assert found is not None, f"no CJ_Journeys record for account {account_id}"
        return dict(found)

    def post(
        self, changes: list[Change], *, secret: str = SECRET, at: float | None = None
    ) -> requests.Response:
        body = encode_changes(changes)
        stamp = int(time.time() if at is None else at)
        headers = signed_headers(secret.encode(), stamp, body)
        return self.http.post(self.service.notify_url, data=body, headers=headers, timeout=5)

    def sync(self) -> Any:
        """A whole sync as the scheduler runs it; returns the push report."""
        self.world.pull()
        classify(self.world)
        return push_with(self.world, api_writer(self.world))


@pytest.fixture
def live(database_url: Secret) -> Iterator[Live]:
    sandbox = start_sandbox(accounts=6, seed=11, now=START)
    db = StateDB.open(database_url)
    world = World(sandbox, db)
    world.pull()
    classify(world)
    push_with(world, api_writer(world))
    refresher = Refresher(
        db,
        load_mapping(MAPPING),
        NAMESPACE,
        connect=world.v8,
        writer=lambda: ApiWriter(world.v8()),
        clock=sandbox.control.now,
        owner="test-serve:1",
        touchpoint_records="all",  # as push_with writes them
    )
    options = ServeOptions(
        secret=Secret(SECRET), modules=MODULES, host="127.0.0.1", port=0, debounce=0.05
    )
    service = RealtimeService(options, refresher.refresh).start()
    sandbox.control.set_webhook(service.notify_url, SECRET)
    http = requests.Session()
    try:
        yield Live(world, service, refresher, http)
    finally:
        http.close()
        sandbox.control.set_webhook(None)
        service.stop()
        refresher.close()
        db.close()
        sandbox.stop()
