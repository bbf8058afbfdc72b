"""``compute_report``: every figure of the analytics report in one pass over the journeys.

The journeys stream in (any iterable, typically ``source.iter_journey_inputs``);
each is read once into ``Facts`` and handed to the tallies of each section:
``funnel`` (overall and per segment value), ``timing``, ``dropoff``,
``channels``, ``postsale`` and ``personas`` (cost, revenue and prevailing
patterns per persona). Nothing keeps the journeys themselves, so memory
is bounded by counters plus a few floats per customer (see each module), which
is fine up to about 100,000 customers.

Segments: the report carries figures for every field in ``segment_fields``
(industry, account type, lead source). A field with more than
``segment_limit`` values keeps the largest ones and folds the rest into
``(other)``; customers without a value are ``(unknown)``. Values come largest
first, ``(unknown)`` and ``(other)`` last.

Pure: ``now`` (for days since the last touch) and the period are arguments.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from connector.journey.model import STATUSES
from connector.journey.summary import journey_summary
from connector.report.channels import ChannelTally
from connector.report.dropoff import DropOffTally
from connector.report.facts import Facts, read_facts
from connector.report.figures import Report, SegmentFigures, Summary
from connector.report.funnel import SegmentTally
from connector.report.inputs import OTHER, SEGMENT_FIELDS, UNKNOWN, JourneyInput, Period
from connector.report.personas import PersonaBook, persona_facts
from connector.report.postsale import PostSaleTally
from connector.report.timing import TimeTally

PATH_LIMIT = 10
SEGMENT_LIMIT = 30
AT_RISK_LIMIT = 100


class ReportTally:
    """The running totals of every section; ``add`` one journey, then ``result``."""

    def __init__(
        self,
        *,
        now: datetime,
        segment_fields: Sequence[str],
        crm_url: str | None,
        at_risk_limit: int,
    ) -> None:
        self.segment_fields = tuple(segment_fields)
        self.overall = SegmentTally()
        self.segments: dict[str, dict[str, SegmentTally]] = {f: {} for f in self.segment_fields}
        self.times = TimeTally()
        self.dropoff = DropOffTally(now)
        self.channels = ChannelTally()
        self.postsale = PostSaleTally(crm_url, at_risk_limit)
        self.personas = PersonaBook()
        self.kinds: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.customers = 0
        self.touchpoints = 0
        self.without_touchpoints = 0
        self.outside_period = 0

    def add(self, item: JourneyInput, facts: Facts) -> None:
        self.customers += 1
        self.kinds[facts.kind] += 1
        self.touchpoints += facts.touchpoint_count
        if facts.reached < 0:
            self.without_touchpoints += 1
            return
        self.statuses[facts.status] += 1
        self.overall.add(facts)
        for name in self.segment_fields:
            self.segments[name].setdefault(item.segment(name), SegmentTally()).add(facts)
        self.times.add(facts)
        self.dropoff.add(facts)
        self.channels.add(facts)
        self.postsale.add(facts)
        self.personas.add(persona_facts(journey_summary(item.journey)))

    def segment_figures(
        self, segment_limit: int, path_limit: int
    ) -> dict[str, dict[str, SegmentFigures]]:
        out: dict[str, dict[str, SegmentFigures]] = {}
        for name, tallies in self.segments.items():
            ranked = sorted(
                tallies.items(), key=lambda kv: (kv[0] in (UNKNOWN, OTHER), -kv[1].customers, kv[0])
            )
            kept = dict(ranked[:segment_limit])
            if len(ranked) > segment_limit:
                folded = kept.setdefault(OTHER, SegmentTally())
                for value, tally in ranked[segment_limit:]:
                    if value != OTHER:
                        folded.merge(tally)
            out[name] = {value: tally.figures(path_limit) for value, tally in kept.items()}
        return out

    def summary(self) -> Summary:
        known = ("account", "contact", "lead")
        kinds = {k: self.kinds[k] for k in (*known, *sorted(set(self.kinds) - set(known)))}
        return Summary(
            customers=self.customers,
            by_kind=kinds,
            touchpoints=self.touchpoints,
            without_touchpoints=self.without_touchpoints,
            outside_period=self.outside_period,
            purchased=self.channels.purchases,
            by_status={s: self.statuses[s] for s in STATUSES},
        )


def compute_report(
    journeys: Iterable[JourneyInput],
    *,
    now: datetime,
    period: Period | None = None,
    segment_fields: Sequence[str] = SEGMENT_FIELDS,
    crm_url: str | None = None,
    path_limit: int = PATH_LIMIT,
    segment_limit: int = SEGMENT_LIMIT,
    at_risk_limit: int = AT_RISK_LIMIT,
) -> Report:
    """Every figure of the report for the journeys that overlap ``period``.

    ``segment_fields`` are the fields with a per-segment breakdown (any of
    ``SEGMENT_FIELDS``); ``crm_url`` is the SuiteCRM site root for the links to
    at-risk customers (None: no links).
    """
    unknown = [f for f in segment_fields if f not in SEGMENT_FIELDS]
    if unknown:
        raise ValueError(f"unknown segment field(s) {unknown}; use {', '.join(SEGMENT_FIELDS)}")
    period = period or Period()
    tally = ReportTally(
        now=now, segment_fields=segment_fields, crm_url=crm_url, at_risk_limit=at_risk_limit
    )
    for item in journeys:
        facts = read_facts(item.journey)
        if not period.overlaps(facts.first_touch, facts.last_touch):
            tally.outside_period += 1
            continue
        tally.add(item, facts)
    times = tally.times.stage_times()
    return Report(
        generated_at=now,
        period=period,
        segment_fields=tally.segment_fields,
        crm_url=crm_url,
        summary=tally.summary(),
        overall=tally.overall.figures(path_limit),
        segments=tally.segment_figures(segment_limit, path_limit),
        time=times,
        dropoff=tally.dropoff.result(),
        channels=tally.channels.result(),
        postsale=tally.postsale.result(tally.times.long_waits(times)),
        personas=tally.personas.result(),
    )
