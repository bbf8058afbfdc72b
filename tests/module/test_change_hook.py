"""The CJ module's change hook under php-cli: its signing agrees with the connector's,
and it delivers to a real `serve`, quickly, swallowing every failure."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from connector.realtime.notification import Change, parse_body
from connector.realtime.service import RealtimeService, ServeOptions
from connector.realtime.signature import sign
from connector.secrets import Secret
from connector.sync.refresh import RecordRef, RefreshReport
from tests.module.conftest import MODULE_SOURCE, PHP_HELPERS

SECRET = "php-hook-test-secret-0123456789"
CALL = "5f0c7d1e-2b51-4c1b-9c1e-0a6a3c6f1e01"


def php_run(php: str, *args: str, timeout: float = 30) -> Any:
    result = subprocess.run(
        [php, str(PHP_HELPERS / "notifier_scenarios.php"), str(MODULE_SOURCE), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    return json.loads(result.stdout)


def save(
    php: str,
    config: dict[str, Any],
    beans: Sequence[tuple[str, str]],
    queued: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    args = [json.dumps(config), json.dumps(list(beans))]
    if queued is not None:
        args.append(json.dumps(queued))
    found: dict[str, Any] = php_run(php, "save", *args)
    return found


@pytest.mark.parametrize(
    ("secret", "timestamp", "body"),
    [
        (SECRET, "1800000000", '{"events":[]}'),
        ("k", "1", ""),
        ("sécret ünïcode", "1764756902", '{"module":"Calls","id":"é","time":"2026-12-03 10:00"}'),
    ],
)
def test_the_php_signature_is_the_connectors(
    php: str, secret: str, timestamp: str, body: str
) -> None:
    signed = php_run(php, "sign", secret, timestamp, body)["signature"]
    assert signed == sign(secret.encode("utf-8"), int(timestamp), body.encode("utf-8"))


def test_the_php_body_is_what_the_connector_parses(php: str) -> None:
    events = [
        {"module": "Calls", "id": CALL, "event": "after_save", "time": "2026-12-03 10:15:02"},
        {"module": "AOS_Quotes", "id": "17", "event": "after_delete", "time": "2026-12-03 10:15"},
    ]
    result = subprocess.run(
        [
            php,
            str(PHP_HELPERS / "notifier_scenarios.php"),
            str(MODULE_SOURCE),
            "body",
            json.dumps(events),
            "00ff",
        ],
        capture_output=True,
        check=True,
        timeout=30,
    )
    assert parse_body(result.stdout) == [
        Change("Calls", CALL, "after_save", "2026-12-03 10:15:02"),
        Change("AOS_Quotes", "17", "after_delete", "2026-12-03 10:15"),
    ]


@pytest.fixture
def serve() -> Iterator[tuple[RealtimeService, list[RecordRef]]]:
    refreshed: list[RecordRef] = []

    def refresh(refs: Sequence[RecordRef]) -> RefreshReport:
        refreshed.extend(refs)
        return RefreshReport(read=len(refs))

    options = ServeOptions(
        secret=Secret(SECRET), modules=("Calls", "Meetings"), port=0, debounce=0.0
    )
    service = RealtimeService(options, refresh).start()
    try:
        yield service, refreshed
    finally:
        service.stop()


def config(url: str, secret: str = SECRET, queue: bool = True) -> dict[str, Any]:
    return {"cj_notify_url": url, "cj_notify_secret": secret, "cj_notify_queue": queue}


def test_a_save_reaches_serve(php: str, serve: tuple[RealtimeService, list[RecordRef]]) -> None:
    service, refreshed = serve
    out = save(php, config(service.notify_url), [("Calls", CALL), ("Calls", CALL)])
    assert out["log"] == []
    assert out["queries"] == []  # nothing queued: the connector answered
    service.worker.wait_processed(1, timeout=10)
    assert refreshed == [RecordRef("Calls", CALL)]
    assert service.counters.get("notifications_accepted") == 1  # one per record and request


def test_queued_changes_are_resent_after_the_next_success(
    php: str, serve: tuple[RealtimeService, list[RecordRef]]
) -> None:
    service, refreshed = serve
    waiting = [
        {
            "id": f"q{n}",
            "module": "Meetings",
            "record_id": f"m{n}",
            "event": "after_save",
            "event_time": "2026-12-03 09:00:00",
            "date_entered": "2026-12-03 09:00:01",
        }
        for n in range(3)
    ]
    out = save(php, config(service.notify_url), [("Calls", CALL)], queued=waiting)
    assert out["queue"] == []
    assert any(q.startswith("DELETE FROM cj_notify_queue") for q in out["queries"])
    deadline = time.monotonic() + 10
    while len(refreshed) < 4 and time.monotonic() < deadline:
        service.worker.wait_processed(service.worker.state.processed + 1, timeout=1)
    assert sorted(r.record_id for r in refreshed) == [CALL, "m0", "m1", "m2"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_with_the_connector_down_the_save_is_not_held_up_and_the_change_is_queued(
    php: str,
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/notify"
    out = save(php, config(url), [("Calls", CALL), ("Meetings", "m1"), ("Calls", "c2")])
    assert sum(out["seconds"]) < 1.5
    assert out["queries"][0].startswith("CREATE TABLE cj_notify_queue")
    assert [(q["module"], q["record_id"], q["event"]) for q in out["queue"]] == [
        ("Calls", CALL, "after_save"),
        ("Meetings", "m1", "after_save"),
        ("Calls", "c2", "after_save"),
    ]
    levels = [level for level, _ in out["log"]]
    assert levels == ["warn"]  # one failed post; the rest queued without trying
    assert SECRET not in json.dumps(out)


def test_a_connector_that_does_not_answer_costs_at_most_a_second(php: str) -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/notify"
        out = save(php, {**config(url, queue=False), "cj_notify_timeout": 30}, [("Calls", CALL)])
    assert out["seconds"][0] < 1.6  # the timeout is capped at one second
    assert out["queries"] == []  # the queue is off


def test_a_wrong_secret_is_refused_and_logged(
    php: str, serve: tuple[RealtimeService, list[RecordRef]]
) -> None:
    service, refreshed = serve
    out = save(php, config(service.notify_url, secret="not-the-shared-secret"), [("Calls", CALL)])
    assert [level for level, _ in out["log"]] == ["error"]
    assert "cj_notify_secret" in out["log"][0][1]
    assert "not-the-shared-secret" not in json.dumps(out["log"])
    assert service.counters.get("refused_bad_signature") == 1
    assert len(out["queue"]) == 1  # kept until the secret is fixed
    assert refreshed == []


def test_unconfigured_the_hook_does_nothing(php: str) -> None:
    out = save(php, {}, [("Calls", CALL)])
    assert out == {"log": [], "queries": [], "queue": [], "seconds": out["seconds"]}


def test_the_manifest_hooks_every_module_the_connector_reads(php: str) -> None:
    from connector.config import DEFAULT_MODULES
    from connector.sandbox.webhook import HOOKED_MODULES

    code = (
        "define('sugarEntry', true); include 'manifest.php';"
        " echo json_encode($installdefs['logic_hooks']);"
    )
    result = subprocess.run(
        [php, "-r", code], cwd=MODULE_SOURCE, capture_output=True, text=True, timeout=30
    )
    hooks = json.loads(result.stdout)
    events = {
        "after_save": "afterSave",
        "after_delete": "afterDelete",
        "after_relationship_add": "afterRelationshipAdd",
    }
    assert {(h["module"], h["hook"]) for h in hooks} == {
        (m, e) for m in DEFAULT_MODULES for e in events
    }
    assert set(DEFAULT_MODULES) == HOOKED_MODULES  # the sandbox emulates the same hooks
    source = MODULE_SOURCE / "SugarModules" / "modules" / "CJ_Journeys" / "CJ_ChangeHook.php"
    text = source.read_text(encoding="utf-8")
    for hook in hooks:
        assert hook["file"] == "modules/CJ_Journeys/CJ_ChangeHook.php"  # copied with the module
        assert hook["class"] == "CJ_ChangeHook"
        assert hook["function"] == events[hook["hook"]]
        assert f"public function {hook['function']}(" in text
