"""The journey engine: mapping rules, classification and journeys, all pure.

Public API (everything the CLI, the sync run and the reports need):

- ``load_mapping(path) -> Mapping`` and ``validate_mapping(path) -> list[Problem]``
- ``classify(touchpoint, context, mapping) -> Classification``
- ``explain(touchpoint, context, mapping) -> Explanation`` and ``render_explanation``
- ``build_journey(customer, touchpoints, mapping, now) -> Journey`` (what happened
  and reached the customer; the upcoming touchpoints and those kept aside apart),
  ``context_at`` and ``initial_context`` for one touchpoint's context
- ``journey_to_dict(journey)`` and ``render_timeline_text(journey)``

This package does no I/O except reading the mapping file it is asked to load;
it never reads a clock (``now`` is an argument), a database or the network.
"""

from __future__ import annotations

from connector.journey.builder import build_journey, context_at, initial_context
from connector.journey.classify import Explanation, classify, explain, render_explanation
from connector.journey.health import health_score, journey_status
from connector.journey.loader import load_mapping, validate_mapping
from connector.journey.mapping import Mapping
from connector.journey.model import (
    STAGES,
    Classification,
    ClassifiedTouchpoint,
    Customer,
    Health,
    Journey,
    JourneyContext,
    StageSpan,
    StageVisit,
    Touchpoint,
    Transition,
)
from connector.journey.render import journey_to_dict, render_timeline_text
from connector.journey.rule import Rule, Settings
from connector.journey.source import Problem

__all__ = [
    "STAGES",
    "Classification",
    "ClassifiedTouchpoint",
    "Customer",
    "Explanation",
    "Health",
    "Journey",
    "JourneyContext",
    "Mapping",
    "Problem",
    "Rule",
    "Settings",
    "StageSpan",
    "StageVisit",
    "Touchpoint",
    "Transition",
    "build_journey",
    "classify",
    "context_at",
    "explain",
    "health_score",
    "initial_context",
    "journey_status",
    "journey_to_dict",
    "load_mapping",
    "render_explanation",
    "render_timeline_text",
    "validate_mapping",
]
