"""The journey analytics report: funnel, time, drop-off, channels, paths, post-sale.

Public API:

- ``compute_report(journeys, *, now, period, segment_fields, crm_url) -> Report``:
  every figure, in one streaming pass over ``JourneyInput`` values (a
  ``journey_to_dict`` dictionary plus the customer's industry, account type and
  lead source); pure, no database, no clock;
- ``iter_journey_inputs(db)``: those inputs read from the state database in
  batches (``source``, the only module here that does I/O), and
  ``iter_journey_summaries(db)``: the journeys' stored summaries;
- ``compute_personas(summaries, *, tolerance, coverage, limit) -> Personas``: per
  persona, cost to serve, health, won revenue and the prevailing patterns (also
  part of ``compute_report``), and ``personas_dict`` for their JSON shape;
- ``render_html(report)``, ``render_report_csv(report)``, ``render_json(report)``
  and ``report_to_dict(report)`` (the shape of ``schema.json``).

Which figure means what is written in each module's docstring and, for readers
of the page, in its "How to read this report" section.
"""

from __future__ import annotations

from connector.report.compute import compute_report
from connector.report.document import personas_dict, render_json, report_to_dict
from connector.report.figures import Personas, Report
from connector.report.inputs import SEGMENT_FIELDS, JourneyInput, Period
from connector.report.page import render_html
from connector.report.personas import compute_personas
from connector.report.source import iter_journey_inputs, iter_journey_summaries
from connector.report.table import render_report_csv

__all__ = [
    "SEGMENT_FIELDS",
    "JourneyInput",
    "Period",
    "Personas",
    "Report",
    "compute_personas",
    "compute_report",
    "iter_journey_inputs",
    "iter_journey_summaries",
    "personas_dict",
    "render_html",
    "render_json",
    "render_report_csv",
    "report_to_dict",
]
