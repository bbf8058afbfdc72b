"""Benchmark of the report's computation: synthetic journeys in, seconds and peak memory out.

Usage: python scripts/bench_report.py [CUSTOMERS]   (default 20,000)

Builds journey dictionaries shaped like ``journey_to_dict`` (five to twenty
touchpoints each, random stages, channels and statuses, seeded), streams them
through ``compute_report`` from a generator (so only the tallies stay in
memory), then renders the three formats; prints the time of each step (the
time to make the fake journeys measured apart and left out) and the process's
peak resident memory.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from connector.journey.model import CHANNELS, MODES, STAGES, STATUSES
from connector.report import (
    JourneyInput,
    compute_report,
    render_html,
    render_json,
    render_report_csv,
)

T0 = datetime(2024, 1, 1, tzinfo=UTC)
NOW = T0 + timedelta(days=700)
INDUSTRIES = ("Banking", "Retail", "Energy", "Media", "Education", "")
TYPES = ("Customer", "Prospect", "Partner", "")
SOURCES = ("Web Site", "Campaign", "Cold Call", "Trade Show", "")


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def fake_journey(rng: random.Random, n: int) -> dict[str, Any]:
    top = rng.randrange(len(STAGES))
    at = T0 + timedelta(days=rng.uniform(0, 400))
    points, transitions, stages = [], [], {}
    previous = None
    for rank in range(top + 1):
        stage = STAGES[rank]
        entered = at
        for i in range(rng.randint(1, 4)):
            at += timedelta(days=rng.uniform(0.5, 20))
            key = f"Calls:{n}-{rank}-{i}"
            if i == 0:
                transitions.append({"from": previous, "to": stage, "at": iso(at),
                                    "touchpoint_key": key})  # fmt: skip
                entered = at
            signals = ["case_open"] if stage == "loyalty" and rng.random() < 0.2 else []
            points.append({"key": key, "occurred_at": iso(at), "stage": stage,
                           "channel": rng.choice(CHANNELS), "mode": rng.choice(MODES),
                           "managed_by": "company", "signals": signals})  # fmt: skip
        left = None if rank == top else at
        stages[stage] = {"entered_at": iso(entered), "left_at": left and iso(left),
                         "days": ((left or NOW) - entered).total_seconds() / 86400}  # fmt: skip
        previous = stage
    return {
        "customer_key": f"Accounts:{n:08d}", "customer_kind": "account",
        "customer_name": f"Customer {n}", "current_stage": previous,
        "status": rng.choice(STATUSES), "status_reason": "",
        "health": {"score": rng.randint(0, 100)},
        "first_touch": points[0]["occurred_at"], "last_touch": points[-1]["occurred_at"],
        "touchpoint_count": len(points), "stages": stages, "transitions": transitions,
        "touchpoints": points,
    }  # fmt: skip


def inputs(count: int) -> Iterator[JourneyInput]:
    rng = random.Random(7)
    for n in range(count):
        profile = {"industry": rng.choice(INDUSTRIES), "account_type": rng.choice(TYPES),
                   "lead_source": rng.choice(SOURCES)}  # fmt: skip
        yield JourneyInput(fake_journey(rng, n), profile)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    started = time.perf_counter()
    made = sum(1 for _ in inputs(count))  # the cost of making the inputs, to subtract
    assert made == count
    making = time.perf_counter() - started
    started = time.perf_counter()
    report = compute_report(inputs(count), now=NOW, crm_url="https://crm.example.com")
    took = time.perf_counter() - started - making
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"compute_report: {count:,} journeys in {took:.2f} s "
        f"({took / count * 1e6:.0f} µs each, making them took {making:.2f} s more); "
        f"peak RSS of the whole process {peak:.0f} MiB"
    )
    for name, render in (("html", render_html), ("csv", render_report_csv), ("json", render_json)):
        started = time.perf_counter()
        size = len(render(report))
        print(f"  {name}: {size / 1024:.0f} KiB in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
