"""Faults: reproducible from the seed, queued on demand, rate limits on the
sandbox clock, HTML error pages, answers cut off mid-body, added latency."""

from __future__ import annotations

import pytest
import requests

from connector.sandbox import RunningSandbox, start_sandbox
from connector.sandbox.clock import SandboxClock
from connector.sandbox.faults import FaultInjector, FaultSettings
from tests.sandbox.conftest import FROZEN_AT, Api


def statuses(injector: FaultInjector, count: int) -> list[object]:
    out: list[object] = []
    for _ in range(count):
        decision = injector.decide()
        out.append(
            decision.response.status if decision.response else ("drop" if decision.drop else 200)
        )
    return out


def test_the_same_seed_fails_the_same_requests() -> None:
    settings = FaultSettings(fail_rate=0.3, drop_rate=0.1)
    first = statuses(FaultInjector(settings, 4, SandboxClock(FROZEN_AT)), 200)
    again = statuses(FaultInjector(settings, 4, SandboxClock(FROZEN_AT)), 200)
    other = statuses(FaultInjector(settings, 5, SandboxClock(FROZEN_AT)), 200)
    assert first == again != other
    assert 30 < first.count(500) < 90
    assert first.count("drop") > 0


def test_latency_sleeps_through_the_injected_sleep() -> None:
    slept: list[float] = []
    injector = FaultInjector(
        FaultSettings(latency_ms=250), 1, SandboxClock(FROZEN_AT), sleep=slept.append
    )
    injector.decide()
    assert slept == [0.25]


def test_the_rate_limit_refills_on_the_sandbox_clock() -> None:
    clock = SandboxClock(FROZEN_AT)
    injector = FaultInjector(FaultSettings(rate_limit=2), 1, clock)
    assert statuses(injector, 3) == [200, 200, 429]
    refused = injector.decide().response
    assert refused is not None and refused.headers["Retry-After"] == "1"
    clock.advance(1)
    assert statuses(injector, 3) == [200, 200, 429]


def test_unknown_fault_kinds_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultInjector(FaultSettings(), 1, SandboxClock(FROZEN_AT)).queue("teapot")


def test_queued_faults_over_http(sandbox: RunningSandbox, api: Api) -> None:
    token = api.token()
    sandbox.control.queue_fault("429")
    sandbox.control.queue_fault("html")
    sandbox.control.queue_fault("503")
    limited = api.v8("GET", "meta/modules", token=token)
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "1")
    page = api.v8("GET", "meta/modules", token=token)
    assert page.status_code == 500
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<h1>Internal Server Error</h1>" in page.text
    assert api.v8("GET", "meta/modules", token=token).status_code == 503
    assert api.v8("GET", "meta/modules", token=token).status_code == 200


def test_a_dropped_answer_breaks_off_mid_body(sandbox: RunningSandbox, api: Api) -> None:
    token = api.token()
    sandbox.control.queue_fault("drop")
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(
            f"{sandbox.url}/Api/V8/module/Accounts",
            params={"page[size]": "5"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
    log = sandbox.control.requests()
    assert log.entries[-1].fault == "drop"


def test_fail_rate_and_html_errors_from_the_start() -> None:
    with start_sandbox(
        accounts=3, seed=9, now=FROZEN_AT, fail_rate=1.0, html_errors=True
    ) as running:
        answer = requests.post(f"{running.url}/Api/access_token", data={}, timeout=10)
        assert answer.status_code == 500
        assert answer.headers["Content-Type"].startswith("text/html")
        running.control.set_faults(fail_rate=0.0)
        assert Api(running).token()
