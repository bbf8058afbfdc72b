"""`serve` end to end on the sandbox: saves notify, journeys follow within seconds."""

from __future__ import annotations

import time

from connector.crm.records import Condition, Op, Query
from connector.realtime.notification import Change
from connector.sync.runner import DEFAULT_LEASE, Lease
from tests.integration.realtime.conftest import Live


def an_account(live: Live) -> str:
    return sorted(live.control.ids("Accounts"))[0]


def call_of(account: str, name: str = "Realtime call: pricing question") -> dict[str, str]:
    return {
        "name": name,
        "parent_type": "Accounts",
        "parent_id": account,
        "date_start": "2026-11-20 08:30:00",
        "direction": "Inbound",
        "status": "Held",
        "duration_hours": "0",
        "duration_minutes": "15",
    }


def test_a_call_saved_through_v8_updates_the_journey_within_seconds(live: Live) -> None:
    account = an_account(live)
    before = int(live.journey(account)["touchpoint_count"])
    client = live.world.v8()
    try:
        started = time.monotonic()
        created = client.create_record("Calls", call_of(account))
        assert live.service.worker.wait_processed(1, timeout=10)
        elapsed = time.monotonic() - started
    finally:
        client.close()
    assert elapsed < 10
    assert int(live.journey(account)["touchpoint_count"]) == before + 1
    counts = live.service.counters.snapshot()
    assert counts["notifications_accepted"] >= 1
    assert counts["customers_updated"] >= 1
    # What serve wrote is what a full sync computes: the next sync writes nothing.
    assert live.sync().written == 0

    client = live.world.v8()
    try:
        client.delete_record("Calls", created.id)
    finally:
        client.close()
    assert live.service.worker.wait_processed(2, timeout=10)
    assert int(live.journey(account)["touchpoint_count"]) == before
    assert live.sync().written == 0


def test_forged_stale_and_replayed_notifications_change_nothing(live: Live) -> None:
    account = an_account(live)
    journey = live.journey(account)
    calls = live.world.v8()
    try:
        call = next(
            c
            for c in calls.iter_records(
                Query("Calls", (Condition("parent_id", Op.EQ, account),)), page_size=50
            )
        )
    finally:
        calls.close()
    # The call changes in SuiteCRM without a notification (the hook is not told).
    live.control.set_webhook(None)
    live.control.update_record("Calls", call.id, {"name": "Renamed silently"})
    live.control.reset_requests()
    change = [Change("Calls", call.id, "after_save", "2026-11-20 09:00:00")]

    assert live.post(change, secret="not-the-secret-at-all-000").status_code == 401
    assert live.post(change, at=time.time() - 301).status_code == 401  # older than 5 min
    assert live.post(change, at=time.time() + 301).status_code == 401  # from the future
    unsigned = live.http.post(live.service.notify_url, data=b'{"module":"Calls"}', timeout=5)
    assert unsigned.status_code == 401

    assert len(live.service.queue) == 0
    assert live.control.requests().total == 0  # SuiteCRM was not even asked
    assert live.journey(account)["sync_hash"] == journey["sync_hash"]
    counts = live.service.counters.snapshot()
    assert counts["refused_bad_signature"] == 1
    assert counts["refused_stale"] == 2
    assert counts["refused_unsigned"] == 1

    # A genuine notification is accepted once; the same request again is a replay.
    first = live.post(change, at=int(time.time()))
    assert first.status_code == 202
    assert live.service.worker.wait_processed(1, timeout=10)
    replay = live.http.post(
        live.service.notify_url,
        data=first.request.body,
        headers=dict(first.request.headers),
        timeout=5,
    )
    assert replay.status_code == 409
    assert live.service.counters.get("refused_replayed") == 1
    assert live.service.worker.state.processed == 1
    health = live.http.get(live.service.url + "/healthz", timeout=5)
    assert health.status_code == 200
    assert health.json()["status"] == "ok"


def test_a_burst_of_1000_notifications_is_absorbed_and_ends_right(live: Live) -> None:
    accounts = sorted(live.control.ids("Accounts"))[:3]
    calls = [
        live.control.add_record("Calls", call_of(a, f"burst {a[:4]} {n}"))
        for a in accounts
        for n in range(10)
    ]
    saves = 1000 - len(calls)
    for n in range(saves):
        live.control.update_record("Calls", calls[n % len(calls)], {"name": f"burst save {n}"})
    # Every save notified (synchronously, as the PHP hook does) and was accepted.
    counts = live.service.counters.snapshot()
    assert counts["notifications_accepted"] == 1000
    assert not [k for k in counts if k.startswith("refused_")]
    # Memory stays bounded: saves of one record while it waits are one entry.
    assert live.service.queue.peak <= len(calls) + 2 * len(accounts)
    deadline = time.monotonic() + 30
    while len(live.service.queue) and time.monotonic() < deadline:
        live.service.worker.wait_processed(live.service.worker.state.processed + 1, timeout=1)
    assert len(live.service.queue) == 0
    # The final state is right: serve wrote every journey as a full sync would.
    assert live.sync().written == 0


def test_serve_waits_while_a_sync_holds_the_lock(live: Live) -> None:
    live.service.worker.lock_retry = 0.05
    account = an_account(live)
    before = int(live.journey(account)["touchpoint_count"])
    sync = Lease(live.world.db, live.control.now, DEFAULT_LEASE, owner="sync-host:2")
    sync.acquire()
    try:
        live.control.add_record("Calls", call_of(account))
        assert live.service.worker.wait_processed(2, timeout=10)
        assert live.service.counters.get("batches_waiting_for_sync") >= 2
        assert int(live.journey(account)["touchpoint_count"]) == before  # nothing written
    finally:
        sync.release()
    deadline = live.service.worker.state.processed + 1
    assert live.service.worker.wait_processed(deadline, timeout=10)
    while len(live.service.queue):
        live.service.worker.wait_processed(live.service.worker.state.processed + 1, timeout=1)
    assert int(live.journey(account)["touchpoint_count"]) == before + 1
