"""The foundation's clients read the sandbox end to end over real HTTP.

The heavy case walks 10,000 accounts (generated without their activities, to
keep the test fast) with ``V8Client.iter_records`` and checks every id comes
exactly once; the request log shows how many pages that took. The legacy
client reads a journey-filled sandbox, deleted rows included.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connector.crm.http import Transport
from connector.crm.legacy import LegacyClient, LegacyCredentials
from connector.crm.oauth import OAuthCredentials
from connector.crm.records import Query
from connector.crm.v8 import V8Client
from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    RunningSandbox,
    start_sandbox,
)
from connector.secrets import Secret
from tests.sandbox.conftest import FROZEN_AT


@pytest.fixture(scope="module")
def ten_thousand() -> Iterator[RunningSandbox]:
    with start_sandbox(accounts=10_000, seed=11, activities=False, now=FROZEN_AT) as running:
        yield running


def test_the_v8_client_iterates_ten_thousand_accounts(ten_thousand: RunningSandbox) -> None:
    client = V8Client.connect(
        Transport(ten_thousand.url),
        OAuthCredentials(SANDBOX_CLIENT_ID, Secret(SANDBOX_CLIENT_SECRET)),
    )
    ten_thousand.control.reset_requests()
    ids = [record.id for record in client.iter_records(Query("Accounts"), page_size=500)]
    assert len(ids) == 10_000
    assert len(set(ids)) == 10_000
    log = ten_thousand.control.requests()
    assert log.count("GET /Api/V8/module/{module}", "Accounts") == 21  # 20 full pages + 1 empty
    assert log.statuses == {200: 21}


def test_the_legacy_client_reads_deleted_rows_too(sandbox: RunningSandbox) -> None:
    deleted = sandbox.control.ids("Calls", limit=1)[0]
    sandbox.control.delete_record("Calls", deleted)
    client = LegacyClient.connect(
        Transport(sandbox.url), LegacyCredentials(SANDBOX_USERNAME, Secret(SANDBOX_PASSWORD))
    )
    live = {r.id for r in client.iter_records(Query("Calls"), page_size=50)}
    everything = {
        r.id: r for r in client.iter_records(Query("Calls", include_deleted=True), page_size=50)
    }
    assert deleted not in live
    assert everything[deleted].deleted
    assert live | {deleted} == set(everything)
    assert len(live) == sandbox.control.count("Calls")
