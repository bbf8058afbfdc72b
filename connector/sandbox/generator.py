"""Deterministic generator of realistic SuiteCRM data for the sandbox.

Same seed, same data: every account draws from its own ``random.Random`` keyed
by (seed, account number), and ids come from those generators too. Each account
lives a journey over two or three years before ``anchor``: a lead from a
campaign, a web form, a trade show or a partner; conversion into an account
and contacts; discovery calls, demos, meetings, emails both ways; opportunities
moving through the sales stages to Closed Won or Closed Lost; quotes, invoices,
contracts; post-sale cases, yearly renewals and upsells; or a stall; planned
calls and meetings after ``anchor``, calls not held, overdue open deals, records
imported long after the first contact. Some customers are
B2C contacts without an account. A configured share of the activities is odd
(missing dates, orphan or unknown parents, very long text, non-Latin names);
``oddities`` adds the rows old databases hold (zero, impossible and absurd
dates, control characters: see ``connector.sandbox.oddities``).
As in a real instance loaded with SuiteCRM's demo data, the first ``tie_group``
Tasks and Emails share one date_modified (the install time, ``anchor``), and a
share of e-mail subjects hold HTML-like text ("Re: offer <buyer@example.org>",
``<b>…</b>``, ``<img … onerror=…>``), which SuiteCRM's save-time cleaning mangles.
Rows are streamed into the store in batches (``executemany``), never held all
in memory, so a million touchpoints fit. No network; writes only to ``Store``.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from connector.sandbox.catalog import JOIN_TABLES
from connector.sandbox.clock import parse_instant, to_db
from connector.sandbox.history import HistoryWriter, Sink
from connector.sandbox.oddities import add_oddities
from connector.sandbox.store import Store

log = logging.getLogger(__name__)

DEFAULT_ANCHOR = "2026-11-01 09:00:00"
ACTIVITY_TABLES = frozenset({"calls", "meetings", "tasks", "notes", "emails"})
TIE_TABLES = frozenset({"tasks", "emails"})
HTML_SUBJECTS = (
    "Re: {name} <{address}>",
    "<b>{name}</b>",
    "{name} <img src=x onerror=alert(1)>",
    'Fwd: "{name}" <{address}> & co',
)


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate. ``odd_share`` is the fraction of activities that are odd."""

    accounts: int = 50
    seed: int = 1
    anchor: str = DEFAULT_ANCHOR
    years: float = 2.5
    odd_share: float = 0.05
    b2c_share: float = 0.15
    stalled_lead_share: float = 0.07
    activities: bool = True
    batch_size: int = 5000
    oddities: bool = False  # add the rows of ``connector.sandbox.oddities``
    tie_group: int = 200
    html_subjects: float = 0.05


@dataclass
class GenerationStats:
    """What was generated, for the tests and the scripts."""

    rows: Counter[str] = field(default_factory=Counter)
    odd: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    stages: Counter[str] = field(default_factory=Counter)
    # planned, planned_past, not_held, imported, renewal, overdue_opportunity, ...
    timing: Counter[str] = field(default_factory=Counter)
    html_subjects: int = 0

    @property
    def activities(self) -> int:
        return sum(n for t, n in self.rows.items() if t in ACTIVITY_TABLES)

    @property
    def touchpoints(self) -> int:
        return sum(n for t, n in self.rows.items() if t not in JOIN_TABLES and t != "campaigns")


class BatchWriter(Sink):
    """Buffers rows per table and flushes them with ``executemany``; ties the first
    Tasks and Emails to one instant and gives some e-mails HTML-like subjects
    (with its own random generator, so the journeys drawn do not change)."""

    def __init__(
        self,
        store: Store,
        batch_size: int,
        stats: GenerationStats,
        config: GeneratorConfig | None = None,
    ) -> None:
        self.store = store
        self.batch_size = batch_size
        self.stats = stats
        config = config or GeneratorConfig(tie_group=0, html_subjects=0.0)
        self.tie_group = config.tie_group
        self.tie_instant = config.anchor
        self.tied: Counter[str] = Counter()
        self.html_share = config.html_subjects
        self.html_rng = random.Random(f"{config.seed}:html-subjects")
        self.columns: dict[str, list[str]] = {
            spec.table: spec.columns for spec in store.catalog.values()
        }
        for table, (left, right, extra) in JOIN_TABLES.items():
            self.columns[table] = ["id", left, right, *extra, "date_modified", "deleted"]
        self.buffers: dict[str, list[tuple[Any, ...]]] = {}

    def add(self, table: str, row: dict[str, Any]) -> None:
        if table in TIE_TABLES and self.tied[table] < self.tie_group and not row.get("deleted"):
            row["date_modified"] = self.tie_instant
            self.tied[table] += 1
        if table == "emails" and self.html_share and self.html_rng.random() < self.html_share:
            template = self.html_rng.choice(HTML_SUBJECTS)
            address = row.get("from_addr_name") or "buyer@example.org"
            row["name"] = template.format(name=row.get("name") or "", address=address)
            self.stats.html_subjects += 1
        columns = self.columns[table]
        buffer = self.buffers.setdefault(table, [])
        buffer.append(tuple(row.get(c) for c in columns))
        self.stats.rows[table] += 1
        if len(buffer) >= self.batch_size:
            self.flush(table)

    def odd(self, kind: str) -> None:
        self.stats.odd[kind] += 1

    def timing(self, kind: str) -> None:
        self.stats.timing[kind] += 1

    def flush(self, table: str | None = None) -> None:
        tables = [table] if table else list(self.buffers)
        for name in tables:
            rows = self.buffers.get(name)
            if rows:
                self.store.insert_many(name, self.columns[name], rows)
                self.buffers[name] = []


def make_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def iter_campaigns(
    seed: int, count: int, start: datetime, end: datetime
) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{seed}:campaigns")
    kinds = ("Email", "NewsLetter", "Web", "Telesales", "Mail", "Radio")
    span = (end - start).total_seconds()
    for number in range(count):
        begins = start + timedelta(seconds=rng.uniform(0, span * 0.9))
        kind = rng.choice(kinds)
        yield {
            "id": make_uuid(rng),
            "name": f"{kind} campaign {begins:%Y-%m} #{number + 1}",
            "date_entered": to_db(begins),
            "date_modified": to_db(begins + timedelta(days=2)),
            "modified_user_id": "1",
            "created_by": "1",
            "deleted": 0,
            "assigned_user_id": "seed_sally_id",
            "campaign_type": kind,
            "status": "Complete" if begins < end - timedelta(days=90) else "Active",
            "start_date": f"{begins:%Y-%m-%d}",
            "end_date": f"{begins + timedelta(days=60):%Y-%m-%d}",
            "budget": str(rng.choice((1000, 2500, 5000, 10000))),
            "currency_id": "-99",
            "tracker_key": str(number + 1),
            "impressions": str(rng.randint(0, 50000)),
            "objective": "Generate qualified leads",
        }


def generate(store: Store, config: GeneratorConfig) -> GenerationStats:
    """Fill an empty store; returns what was written."""
    stats = GenerationStats()
    writer = BatchWriter(store, config.batch_size, stats, config)
    end = parse_instant(config.anchor)
    start = end - timedelta(days=365 * config.years)
    campaigns = list(iter_campaigns(config.seed, max(3, config.accounts // 25), start, end))
    for row in campaigns:
        writer.add("campaigns", row)
    campaign_ids = [c["id"] for c in campaigns]
    kinds = ["b2b"] * config.accounts
    if config.activities:
        kinds += ["b2c"] * round(config.accounts * config.b2c_share)
        kinds += ["lead"] * round(config.accounts * config.stalled_lead_share)
    for number, kind in enumerate(kinds):
        rng = random.Random(f"{config.seed}:{kind}:{number}")
        builder = HistoryWriter(rng, writer, start, end, campaign_ids, config.odd_share, kind=kind)
        outcome = builder.build(full=config.activities)
        stats.outcomes[outcome] += 1
        stats.stages.update(builder.stages)
        if config.oddities and not stats.odd["control_chars"] and builder.account_id:
            add_oddities(writer, builder.account_id, end)
    writer.flush()
    store.set_meta(
        {
            "seed": str(config.seed),
            "accounts": str(config.accounts),
            "anchor": config.anchor,
            "generator": "2",
        }
    )
    log.info(
        "generated %d rows for %d accounts (seed %d)",
        sum(stats.rows.values()),
        config.accounts,
        config.seed,
    )
    return stats
