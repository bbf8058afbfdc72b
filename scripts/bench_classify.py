"""Measure the journey engine: classification plus journey building, on one core.

Generates ``--touchpoints`` synthetic touchpoints (1,000,000 by default) over
``--customers`` customers (50,000), shaped like a SuiteCRM instance's data in
English and Italian: leads and campaign activity, calls, e-mails and meetings,
opportunities through their sales stages, quotes, invoices, contracts and
cases. Customers are generated and built in batches so the input never has to
sit in memory all at once; only ``build_journey`` (which classifies inside) is
timed. Prints touchpoints per second (goal: 200,000) and the peak RSS.
``--review`` builds with the reviewer of doubtful classifications, as
``suitejourney classify`` does.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connector.journey import (  # noqa: E402
    Customer,
    Reviewer,
    Touchpoint,
    build_journey,
    load_mapping,
)
from connector.journey.standard_fields import SALES_STAGES  # noqa: E402

GOAL = 200_000
NOW = datetime(2025, 6, 1, tzinfo=UTC)
SUBJECTS = {
    "en": (
        "Discovery call",
        "Product demo",
        "Your quote",
        "Contract negotiation",
        "Follow-up",
        "Cannot log in",
        "Renewal discussion",
        "Quarterly business review",
        "Question about the invoice",
        "Upsell: extra licences",
        "Left a message",
    ),
    "it": (
        "Chiamata conoscitiva",
        "Demo del prodotto",
        "Il vostro preventivo",
        "Trattativa sul contratto",
        "Prossimi passi",
        "Impossibile accedere",
        "Rinnovo annuale",
        "Revisione trimestrale",
        "Reclamo sulla fattura",
        "Disdetta del servizio",
        "Lasciato un messaggio",
    ),
}
ACTIVITY = ("targeted", "viewed", "link", "targeted", "removed", "send error")
LEAD_SOURCES = ("Web Site", "Trade Show", "Partner", "Cold Call", "Email", "Campaign", "")


@dataclass(frozen=True)
class Batch:
    customers: list[Customer]
    touchpoints: list[list[Touchpoint]]

    @property
    def size(self) -> int:
        return sum(len(t) for t in self.touchpoints)


def _fields(rng: random.Random, module: str, step: int, span: int) -> dict[str, str]:
    progress = step / max(1, span)
    if module == "Opportunities":
        index = min(len(SALES_STAGES) - 1, int(progress * len(SALES_STAGES)))
        return {"sales_stage": SALES_STAGES[index], "amount": str(rng.randint(1, 90) * 1000)}
    if module in ("Calls", "Meetings"):
        return {
            "status": rng.choice(("Held", "Held", "Planned", "Not Held")),
            "direction": rng.choice(("Inbound", "Outbound")),
            "parent_type": "Accounts",
        }
    if module == "Emails":
        return {
            "type": rng.choice(("out", "inbound", "archived", "campaign")),
            "status": rng.choice(("sent", "read", "replied")),
            "description": "Thanks for your time",
        }
    if module == "Cases":
        state = rng.choice(("Open", "Closed", "Closed"))
        return {
            "state": state,
            "status": f"{state}_{'New' if state == 'Open' else 'Closed'}",
            "priority": rng.choice(("P1", "P2", "P3")),
            "type": "Product",
            "resolution": rng.choice(("", "", "Fixed in 7.14.2")),
        }
    if module == "CampaignLog":
        return {"activity_type": rng.choice(ACTIVITY), "target_type": "Contacts"}
    if module == "AOS_Quotes":
        return {"stage": rng.choice(("Draft", "Delivered", "Negotiation", "Closed Accepted"))}
    if module == "AOS_Invoices":
        return {"status": rng.choice(("Paid", "Unpaid", ""))}
    if module == "AOS_Contracts":
        return {"status": rng.choice(("In Progress", "Signed"))}
    return {"lead_source": rng.choice(LEAD_SOURCES), "status": "New"}


MODULES_BY_PHASE = (
    ("Leads", "CampaignLog", "CampaignLog", "Emails", "Calls"),
    ("Calls", "Emails", "Meetings", "Opportunities", "Tasks", "Notes"),
    ("Emails", "Calls", "Opportunities", "AOS_Quotes", "Meetings"),
    ("Opportunities", "AOS_Quotes", "AOS_Invoices", "AOS_Contracts"),
    ("Cases", "Calls", "Emails", "CampaignLog", "Meetings", "AOS_Invoices", "Cases"),
)


def customer_touchpoints(rng: random.Random, index: int, count: int) -> list[Touchpoint]:
    """One customer's touchpoints, roughly following the five stages over two years."""
    customer_key = f"Accounts:{index:08d}"
    language = "it" if index % 3 == 0 else "en"
    start = NOW - timedelta(days=rng.randint(30, 730))
    found = []
    for step in range(count):
        phase = MODULES_BY_PHASE[min(4, step * 5 // max(1, count))]
        module = rng.choice(phase)
        at = start + timedelta(hours=step * rng.randint(6, 72))
        found.append(
            Touchpoint(
                key=f"{module}:{index:08d}-{step:04d}",
                module=module,
                source_id=f"{index:08d}-{step:04d}",
                customer_key=customer_key,
                occurred_at=at,
                subject=rng.choice(SUBJECTS[language]),
                fields=_fields(rng, module, step, count),
            )
        )
    rng.shuffle(found)  # the builder must not depend on the order it is given
    return found


def touchpoint_counts(rng: random.Random, total: int, customers: int) -> list[int]:
    """How many touchpoints each customer gets: varied, at least one, exactly ``total``."""
    mean = total / customers
    counts = [max(1, round(rng.gauss(mean, mean / 3))) for _ in range(customers)]
    missing = total - sum(counts)
    step = 1 if missing > 0 else -1
    index = 0
    while missing:
        if counts[index] + step >= 1:
            counts[index] += step
            missing -= step
        index = (index + 1) % customers
    return counts


def make_batch(rng: random.Random, first: int, counts: list[int]) -> Batch:
    customers = []
    touchpoints = []
    for index, n in enumerate(counts, start=first):
        customers.append(
            Customer(
                key=f"Accounts:{index:08d}",
                kind="account",
                name=f"Customer {index}",
                fields={
                    "account_type": rng.choice(("Customer", "Prospect", "Reseller")),
                    "industry": rng.choice(("Retail", "Banking", "Manufacturing")),
                },
            )
        )
        touchpoints.append(customer_touchpoints(rng, index, n))
    return Batch(customers, touchpoints)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=1_000, help="customers per batch")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--mapping", default=str(ROOT / "mappings" / "default.yaml"))
    parser.add_argument("--review", action="store_true", help="assess doubts as classify does")
    args = parser.parse_args(argv)
    mapping = load_mapping(args.mapping)
    reviewer = Reviewer(mapping, detail=False) if args.review else None
    doubts = 0
    rng = random.Random(args.seed)
    counts = touchpoint_counts(rng, args.touchpoints, args.customers)
    built = classified = 0
    elapsed = generating = 0.0
    statuses: dict[str, int] = {}
    for first in range(0, args.customers, args.batch):
        started = time.perf_counter()
        batch = make_batch(rng, first, counts[first : first + args.batch])
        # Collect the generator's garbage now, so that work is not billed to the engine.
        gc.collect()
        generating += time.perf_counter() - started
        started = time.perf_counter()
        journeys = [
            build_journey(c, t, mapping, NOW, reviewer=reviewer)
            for c, t in zip(batch.customers, batch.touchpoints, strict=True)
        ]
        elapsed += time.perf_counter() - started
        built += len(journeys)
        classified += batch.size
        for journey in journeys:
            statuses[journey.status] = statuses.get(journey.status, 0) + 1
            doubts += len(journey.doubts)
    rate = classified / elapsed
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"customers            {built:,}")
    print(f"touchpoints          {classified:,}")
    print(f"generation           {generating:.1f} s (not timed)")
    print(f"classify + build     {elapsed:.2f} s")
    verdict = "met" if rate >= GOAL else "MISSED"
    print(f"touchpoints/second   {rate:,.0f} (goal {GOAL:,}: {verdict})")
    print(f"peak RSS             {peak_mb:,.0f} MiB")
    if reviewer is not None:
        print(f"doubtful             {doubts:,}")
    print("statuses             " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())))
    return 0 if rate >= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
