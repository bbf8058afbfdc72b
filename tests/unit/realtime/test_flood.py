"""A flood over real HTTP (waitress on 127.0.0.1): 429s, bounded memory, a live service."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import requests

from connector.realtime.notification import Change, encode_changes
from connector.realtime.service import RealtimeService, ServeOptions
from connector.realtime.signature import signed_headers
from connector.secrets import Secret
from connector.sync.refresh import RecordRef, RefreshReport

SECRET = "flood-test-secret-0123456789"


def test_a_flood_beyond_the_queue_is_refused_and_the_service_lives_on() -> None:
    release = threading.Event()
    refreshed: list[RecordRef] = []

    def refresh(refs: Sequence[RecordRef]) -> RefreshReport:
        release.wait(10)  # the worker is busy: the queue fills up
        refreshed.extend(refs)
        return RefreshReport(read=len(refs))

    options = ServeOptions(
        secret=Secret(SECRET), modules=("Calls",), port=0, debounce=0.0, capacity=50, batch=10
    )
    service = RealtimeService(options, refresh).start()
    statuses: dict[int, int] = {}
    try:
        with requests.Session() as http:
            for n in range(1000):
                body = encode_changes([Change("Calls", f"c{n}", "after_save", "2026-12-03 10:00")])
                headers = signed_headers(SECRET.encode(), int(time.time()), body)
                status = http.post(service.notify_url, data=body, headers=headers, timeout=5)
                statuses[status.status_code] = statuses.get(status.status_code, 0) + 1
                assert len(service.queue) <= 50
            health = http.get(service.url + "/healthz", timeout=5).json()
        # The worker holds one batch of 10; the queue holds 50 more; the rest is refused.
        assert statuses[202] <= 60
        assert statuses[429] == 1000 - statuses[202]
        assert health["status"] == "ok"
        assert health["queue"]["peak"] <= 50
        assert health["counts"]["refused_queue_full"] == statuses[429]
        assert len(service.app.replay) <= 1000
    finally:
        release.set()
        left = service.stop()
    assert left == 0
    assert len(refreshed) == statuses[202]
