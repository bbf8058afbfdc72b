"""A SuiteCRM-compatible local server for the demo, the tests and the benchmarks.

It serves SuiteCRM 7.14's V8 JSON:API (under ``/Api``) and REST v4_1 (under
``/service/v4_1/rest.php``) from seeded, realistic data in SQLite, with test
controls (change data, move the clock, faults, a request log) in Python and
under ``/sandbox/admin``. It listens on 127.0.0.1 only. Importing this package
starts nothing and touches neither network nor disk; ``start_sandbox`` does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connector.sandbox.control import ControlError, SandboxControl
from connector.sandbox.credentials import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_PASSWORD_CLIENT_ID,
    SANDBOX_PASSWORD_CLIENT_SECRET,
    SANDBOX_USERNAME,
)
from connector.sandbox.server import RunningSandbox, SandboxConfig, start
from connector.sandbox.services import REAL_LIST_MAX_ENTRIES

__all__ = [
    "SANDBOX_CLIENT_ID",
    "SANDBOX_CLIENT_SECRET",
    "SANDBOX_PASSWORD",
    "SANDBOX_PASSWORD_CLIENT_ID",
    "SANDBOX_PASSWORD_CLIENT_SECRET",
    "SANDBOX_USERNAME",
    "ControlError",
    "RunningSandbox",
    "SandboxConfig",
    "SandboxControl",
    "start_sandbox",
]


def start_sandbox(
    *,
    port: int = 0,
    accounts: int = 50,
    seed: int = 1,
    db: str | None = None,
    latency_ms: float = 0,
    fail_rate: float = 0,
    rate_limit: float | None = None,
    token_ttl: float = 3600,
    html_errors: bool = False,
    drop_rate: float = 0,
    save_latency_ms: float = 0,
    concurrent_saves: int = 2,
    now: str | datetime | None = None,
    activities: bool = True,
    unpaged_limit: int | None = REAL_LIST_MAX_ENTRIES,
    generator: dict[str, Any] | None = None,
) -> RunningSandbox:
    """Start a sandbox in a background thread and return it once it listens.

    ``port=0`` picks a free port. ``db`` is a SQLite file (served as it is when
    it already holds data, else generated into); ``None`` keeps everything in
    memory. ``now`` freezes the sandbox clock at that instant (tests move it
    with ``control``); ``None`` follows the wall clock. ``activities=False``
    generates accounts only (fast, for large paging tests). ``unpaged_limit`` is
    how many rows a V8 list without ``page[size]`` returns: 20, as a stock
    SuiteCRM does (list_max_entries_per_page), or ``None`` for all.
    ``save_latency_ms`` makes every record saved through the APIs cost that
    much server time, ``concurrent_saves`` at a time (a real SuiteCRM: 120-180
    ms, about 2 on a small server). ``generator`` passes further
    ``GeneratorConfig`` fields (``odd_share``,
    ``anchor``, ``years``, ``b2c_share``...).
    """
    return start(
        SandboxConfig(
            port=port,
            accounts=accounts,
            seed=seed,
            db=db,
            latency_ms=latency_ms,
            fail_rate=fail_rate,
            rate_limit=rate_limit,
            token_ttl=token_ttl,
            html_errors=html_errors,
            drop_rate=drop_rate,
            save_latency_ms=save_latency_ms,
            concurrent_saves=concurrent_saves,
            now=now,
            activities=activities,
            unpaged_limit=unpaged_limit,
            generator=dict(generator or {}),
        )
    )
