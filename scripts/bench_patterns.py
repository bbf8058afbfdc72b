"""Benchmark of personas, patterns and cost to serve on 50,000 customers.

Usage: python scripts/bench_patterns.py [--customers 50000] [--touchpoints 1000000]

1. Builds a state database (cached in .bench-cache/): synthetic customers and
   touchpoints (the generator of ``bench_classify``, plus account sizes and
   B2C contacts and leads so every default persona has customers), each
   journey built by ``build_journey`` with mappings/default.yaml and stored by
   ``store_journey`` exactly as ``classify`` stores it. While building, the
   persona, cost-to-serve and revenue computations are timed on their own.
2. In a fresh child process (so its peak RSS is its own): streams every stored
   journey through ``compute_personas`` (what ``suitejourney patterns`` and the
   report's personas section do) and renders the text and the JSON; prints the
   seconds and the peak resident memory of that whole process.

Goal (issue 22): patterns and costs in <= 10 s with <= 100 MB on 50,000 customers.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connector.journey import Customer, build_journey, load_mapping  # noqa: E402
from connector.journey.cost import cost_to_serve, won_revenue  # noqa: E402
from connector.journey.persona import assign_persona, customer_profile  # noqa: E402
from connector.secrets import Secret  # noqa: E402
from connector.store.database import StateDB  # noqa: E402
from connector.sync.classify import store_journey  # noqa: E402
from scripts.bench_classify import NOW, customer_touchpoints, touchpoint_counts  # noqa: E402
from scripts.benchsupport import CACHE, peak_rss_mb, run_child  # noqa: E402

GOAL_SECONDS = 10.0
GOAL_MB = 100.0
EMPLOYEES = ("10", "50", "200", "1000", "5000", "", "50-200")
KINDS = ("account",) * 8 + ("contact", "lead")
TYPES = ("Customer", "Prospect", "Reseller", "Partner", "")


def customer(rng: random.Random, index: int) -> Customer:
    kind = rng.choice(KINDS)
    module = {"account": "Accounts", "contact": "Contacts", "lead": "Leads"}[kind]
    fields = {"lead_source": rng.choice(("Web Site", "Campaign", "Trade Show", ""))}
    if kind == "account":
        fields |= {"employees": rng.choice(EMPLOYEES), "account_type": rng.choice(TYPES),
                   "billing_address_country": rng.choice(("Italy", "USA", "Germany"))}  # fmt: skip
    return Customer(f"{module}:{index:08d}", kind, f"Customer {index}", fields)


def build_database(path: Path, customers: int, touchpoints: int, seed: int) -> dict[str, float]:
    """The state database of the benchmark; the time the value computations took."""
    mapping = load_mapping(ROOT / "mappings" / "default.yaml")
    rng = random.Random(seed)
    counts = touchpoint_counts(rng, touchpoints, customers)
    db = StateDB.open(Secret(f"sqlite:///{path}"))
    value_seconds = 0.0
    built = 0
    try:
        for first in range(0, customers, 1_000):
            with db.begin() as conn:
                for index in range(first, min(customers, first + 1_000)):
                    who = customer(rng, index)
                    items = customer_touchpoints(rng, index, counts[index])
                    journey = build_journey(who, items, mapping, NOW)
                    started = time.perf_counter()  # the persona, cost and revenue again, alone
                    classified = journey.touchpoints
                    profile = customer_profile(who, [c.touchpoint for c in classified])
                    assign_persona(mapping.personas, profile, who.name)
                    bought = next(
                        (t.touchpoint_key for t in journey.transitions if t.to_stage == "purchase"),
                        None,
                    )
                    cost_to_serve(classified, mapping.costs, bought)
                    won_revenue(classified)
                    value_seconds += time.perf_counter() - started
                    store_journey(conn, journey, NOW + timedelta(seconds=1))
                    built += 1
    finally:
        db.close()
    return {"customers": built, "value_seconds": value_seconds}


def child(path: str) -> None:
    """Stream the stored journeys through compute_personas; print seconds and peak RSS."""
    from connector.commands.patterns import render_patterns
    from connector.report import compute_personas, iter_journey_summaries, personas_dict

    db = StateDB.open(Secret(f"sqlite:///{path}"))
    started = time.perf_counter()
    personas = compute_personas(iter_journey_summaries(db))
    text = render_patterns(personas)
    document = json.dumps(personas_dict(personas))
    seconds = time.perf_counter() - started
    db.close()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_rss_mb(),
                "customers": personas.overall.customers,
                "personas": len(personas.personas),
                "paths": sum(p.paths for p in personas.personas),
                "patterns": sum(len(p.patterns) for p in personas.personas),
                "text_kb": len(text) / 1024,
                "json_kb": len(document) / 1024,
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--touchpoints", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"patterns-{args.customers}-{args.touchpoints}-{args.seed}.db"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        built = build_database(partial, args.customers, args.touchpoints, args.seed)
        partial.rename(path)
        print(
            f"built {built['customers']:,.0f} journeys in {time.perf_counter() - started:.0f} s; "
            f"persona + cost to serve + revenue took {built['value_seconds']:.2f} s of it "
            f"({built['value_seconds'] / built['customers'] * 1e6:.0f} µs per customer)"
        )
    print(f"state database: {path} ({path.stat().st_size / 2**20:,.0f} MiB)")
    result = run_child(Path(__file__), [str(path)])
    ok = result["seconds"] <= GOAL_SECONDS and result["peak_mb"] <= GOAL_MB
    print(
        f"patterns + costs: {result['customers']:,.0f} customers, {result['personas']:.0f} "
        f"personas, {result['paths']:,.0f} distinct paths -> {result['patterns']:.0f} patterns "
        f"in {result['seconds']:.2f} s, peak RSS of the process {result['peak_mb']:.0f} MiB "
        f"(goal <= {GOAL_SECONDS:g} s and <= {GOAL_MB:g} MB: {'met' if ok else 'MISSED'})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
