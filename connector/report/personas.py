"""Per persona: who they are, what they cost, what they bring, and their prevailing patterns.

The persona, the cost to serve and the won revenue are computed with each
journey (``connector.journey.persona`` and ``cost``) and stored in it; this
module only adds them up, one journey at a time, per persona and for all
customers:

- customers, share of all customers, customers that bought and the conversion;
- days from the first touch to the first purchase, and the health score
  (median, 90th percentile);
- cost to serve: total, acquisition and service, per customer, acquisition and
  service per customer that bought, and per stage;
- revenue: customers with a won opportunity amount, the total, per such
  customer, and their cost to serve as a share of it;
- patterns (``patterns.group_paths``): the largest groups, in order, until they
  cover ``coverage`` of the persona's customers or ``limit`` of them are shown.
  For each: customers and share, exact paths merged, conversion to purchase,
  median days to purchase, where the others dropped off (the stage of those
  lost or stalled before buying) and how many are still on their way.

Journeys stored by a version without personas count as ``(unknown)``, without a
cost. Memory: per persona, counters per distinct path and small histograms.
Pure; no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from connector.journey.model import STAGES
from connector.report.figures import (
    CostFigures,
    Pattern,
    PersonaFigures,
    Personas,
    RevenueFigures,
    Step,
)
from connector.report.inputs import parse_time
from connector.report.patterns import Group, Histogram, Path, PathStats, group_paths

TOLERANCE = 1.0
COVERAGE = 0.8
LIMIT = 5
ALL = "all"
UNKNOWN = "(unknown)"
MIXED = "mixed"


class PersonaFacts(NamedTuple):
    """What the persona figures read from one journey."""

    persona: str
    label: str
    path: Path
    status: str
    stage: str | None
    to_purchase: float | None  # days; None without a purchase
    health: int
    cost: Mapping[str, Any] | None
    revenue: float | None


def persona_facts(summary: Mapping[str, Any]) -> PersonaFacts | None:
    """The facts of one journey's summary (``journey.summary.journey_summary``); None
    without touchpoints."""
    path = tuple((str(stage), str(channel)) for stage, channel in summary.get("path") or ())
    if not path:
        return None
    persona: Mapping[str, Any] = summary.get("persona") or {}
    bought = parse_time(summary.get("purchase_at"))
    first = parse_time(summary.get("first_touch"))
    days = None
    if bought is not None and first is not None:
        days = max(0.0, (bought - first).total_seconds() / 86400.0)
    cost = summary.get("cost")
    revenue = summary.get("revenue")
    stage = summary.get("current_stage")
    return PersonaFacts(
        persona=str(persona.get("id") or UNKNOWN),
        label=str(persona.get("label") or persona.get("id") or "Persona not computed yet"),
        path=path,
        status=str(summary.get("status") or "active"),
        stage=stage if stage in STAGES else None,
        to_purchase=days,
        health=int(summary.get("health") or 0),
        cost=cost if isinstance(cost, Mapping) else None,
        revenue=float(revenue) if isinstance(revenue, int | float) else None,
    )


def _ratio(part: float, whole: float, digits: int = 4) -> float | None:
    return round(part / whole, digits) if whole else None


@dataclass
class PersonaTally:
    """The running totals of one persona (or of all customers)."""

    id: str
    label: str
    customers: int = 0
    purchased: int = 0
    to_purchase: Histogram = field(default_factory=Histogram)
    health: Histogram = field(default_factory=lambda: Histogram(0))
    currencies: Counter[str] = field(default_factory=Counter)
    cost: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])  # total, acq., service
    by_stage: list[float] = field(default_factory=lambda: [0.0] * len(STAGES))
    revenue_customers: int = 0
    revenue: float = 0.0
    revenue_cost: float = 0.0  # cost to serve of the customers with revenue
    paths: dict[Path, PathStats] = field(default_factory=dict)
    steps: dict[Step, Step] = field(default_factory=dict)  # one tuple per distinct step

    def add(self, facts: PersonaFacts, *, keep_paths: bool = True) -> None:
        self.customers += 1
        if facts.to_purchase is not None:
            self.purchased += 1
            self.to_purchase.add(facts.to_purchase)
        self.health.add(facts.health)
        total = self._add_cost(facts.cost)
        if facts.revenue is not None:
            self.revenue_customers += 1
            self.revenue += facts.revenue
            self.revenue_cost += total or 0.0
        if keep_paths:
            stats = self.paths.get(facts.path)
            if stats is None:
                path = tuple(self.steps.setdefault(step, step) for step in facts.path)
                stats = self.paths[path] = PathStats()
            stats.add(facts.status, facts.stage, facts.to_purchase, total)

    def _add_cost(self, cost: Mapping[str, Any] | None) -> float | None:
        if cost is None:
            return None
        total = float(cost.get("total") or 0.0)
        self.currencies[str(cost.get("currency") or "")] += 1
        self.cost[0] += total
        self.cost[1] += float(cost.get("acquisition") or 0.0)
        self.cost[2] += float(cost.get("service") or 0.0)
        by_stage: Mapping[str, Any] = cost.get("by_stage") or {}
        for rank, stage in enumerate(STAGES):
            self.by_stage[rank] += float(by_stage.get(stage) or 0.0)
        return total

    def cost_figures(self) -> CostFigures:
        costed = sum(self.currencies.values())
        currency = next(iter(self.currencies)) if len(self.currencies) == 1 else MIXED
        total, acquisition, service = self.cost
        return CostFigures(
            currency=currency if costed else "",
            customers=costed,
            total=round(total, 2),
            acquisition=round(acquisition, 2),
            service=round(service, 2),
            per_customer=_ratio(total, costed, 2),
            acquisition_per_purchase=_ratio(acquisition, self.purchased, 2) if costed else None,
            service_per_purchase=_ratio(service, self.purchased, 2) if costed else None,
            by_stage={s: round(v, 2) for s, v in zip(STAGES, self.by_stage, strict=True)},
        )

    def figures(
        self, everyone: int, tolerance: float, coverage: float, limit: int
    ) -> PersonaFigures:
        patterns: list[Pattern] = []
        covered = 0
        if self.paths:
            groups, _ = group_paths(self.paths, tolerance)
            for group in groups:
                if len(patterns) >= limit or covered >= coverage * self.customers:
                    break
                covered += group.stats.customers
                patterns.append(self._pattern(len(patterns) + 1, group))
        return PersonaFigures(
            id=self.id,
            label=self.label,
            customers=self.customers,
            share=_ratio(self.customers, everyone),
            purchased=self.purchased,
            conversion=_ratio(self.purchased, self.customers),
            to_purchase=self.to_purchase.spread(),
            health=self.health.spread(),
            cost=self.cost_figures(),
            revenue=RevenueFigures(
                customers=self.revenue_customers,
                total=round(self.revenue, 2),
                per_customer=_ratio(self.revenue, self.revenue_customers, 2),
                cost_to_revenue=_ratio(self.revenue_cost, self.revenue),
            ),
            paths=len(self.paths),
            patterns=tuple(patterns),
            covered=_ratio(covered, self.customers) if self.paths else None,
        )

    def _pattern(self, rank: int, group: Group) -> Pattern:
        stats = group.stats
        return Pattern(
            rank=rank,
            steps=group.steps,
            customers=stats.customers,
            share=_ratio(stats.customers, self.customers) or 0.0,
            variants=group.variants,
            purchased=stats.purchased,
            conversion=_ratio(stats.purchased, stats.customers),
            to_purchase=(stats.days or Histogram()).spread(),
            dropoff={s: n for s in STAGES if (n := (stats.dropoff or {}).get(s, 0))},
            in_progress=stats.in_progress,
            outcomes=dict(sorted(stats.outcomes.items())),
            cost_per_customer=_ratio(stats.cost, stats.costed, 2),
        )


@dataclass
class PersonaBook:
    """Every persona's tally and the one of all customers; ``add`` then ``result``."""

    overall: PersonaTally = field(default_factory=lambda: PersonaTally(ALL, "All customers"))
    tallies: dict[str, PersonaTally] = field(default_factory=dict)

    def add(self, facts: PersonaFacts | None) -> None:
        if facts is None:
            return
        self.overall.add(facts, keep_paths=False)
        tally = self.tallies.get(facts.persona)
        if tally is None:
            tally = self.tallies[facts.persona] = PersonaTally(facts.persona, facts.label)
        tally.add(facts)

    def result(
        self, tolerance: float = TOLERANCE, coverage: float = COVERAGE, limit: int = LIMIT
    ) -> Personas:
        everyone = self.overall.customers
        ranked = sorted(
            self.tallies.values(),
            key=lambda t: (t.id in (UNKNOWN, "other"), -t.customers, t.id),
        )
        return Personas(
            tolerance=tolerance,
            coverage=coverage,
            limit=limit,
            overall=self.overall.figures(everyone, tolerance, coverage, limit),
            personas=tuple(t.figures(everyone, tolerance, coverage, limit) for t in ranked),
        )


def compute_personas(
    summaries: Iterable[Mapping[str, Any]],
    *,
    tolerance: float = TOLERANCE,
    coverage: float = COVERAGE,
    limit: int = LIMIT,
) -> Personas:
    """The persona figures of the journeys' summaries (``journey_summary``), streamed."""
    book = PersonaBook()
    for summary in summaries:
        book.add(persona_facts(summary))
    return book.result(tolerance, coverage, limit)
