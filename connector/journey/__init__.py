"""The journey engine: mapping rules, classification and journeys, all pure.

Public API (everything the CLI, the sync run and the reports need):

- ``load_mapping(path) -> Mapping`` and ``validate_mapping(path) -> list[Problem]``
- ``classify(touchpoint, context, mapping) -> Classification``
- ``explain(touchpoint, context, mapping) -> Explanation`` and ``render_explanation``
- ``build_journey(customer, touchpoints, mapping, now) -> Journey`` (what happened
  and reached the customer; the upcoming touchpoints and those kept aside apart),
  ``context_at`` and ``initial_context`` for one touchpoint's context
- ``journey_to_dict(journey)`` and ``render_timeline_text(journey)``
- corrections: ``build_journey(..., corrections={key: stage})``; a key corrected to
  ``NOT_A_TOUCHPOINT`` is left out of the journey
- review: ``Reviewer(mapping)`` (``build_journey(..., reviewer=...)`` fills
  ``Journey.doubts``) and ``influence`` (what a doubt can change)
- what-if: ``compare_journeys``, ``MappingDiff``, ``diff_to_dict``, ``render_diff``

This package does no I/O except reading the mapping file it is asked to load;
it never reads a clock (``now`` is an argument), a database or the network.
"""

from __future__ import annotations

from connector.journey.builder import build_journey, context_at, initial_context
from connector.journey.classify import Explanation, classify, explain, render_explanation
from connector.journey.compare import (
    CustomerChange,
    MappingDiff,
    TouchpointChange,
    compare_journeys,
    diff_to_dict,
    render_diff,
)
from connector.journey.health import health_score, journey_status
from connector.journey.loader import load_mapping, validate_mapping
from connector.journey.mapping import Mapping
from connector.journey.model import (
    CORRECTIONS,
    DOUBTS,
    NOT_A_TOUCHPOINT,
    STAGES,
    Classification,
    ClassifiedTouchpoint,
    Customer,
    Doubt,
    Health,
    Journey,
    JourneyContext,
    StageSpan,
    StageVisit,
    Touchpoint,
    Transition,
)
from connector.journey.render import journey_to_dict, render_timeline_text
from connector.journey.review import Influence, Reviewer, alternative, influence
from connector.journey.rule import JourneySettings, Rule
from connector.journey.source import Problem

__all__ = [
    "CORRECTIONS",
    "DOUBTS",
    "NOT_A_TOUCHPOINT",
    "STAGES",
    "Classification",
    "ClassifiedTouchpoint",
    "Customer",
    "CustomerChange",
    "Doubt",
    "Explanation",
    "Health",
    "Influence",
    "Journey",
    "JourneyContext",
    "JourneySettings",
    "Mapping",
    "MappingDiff",
    "Problem",
    "Reviewer",
    "Rule",
    "StageSpan",
    "StageVisit",
    "Touchpoint",
    "TouchpointChange",
    "Transition",
    "alternative",
    "build_journey",
    "classify",
    "compare_journeys",
    "context_at",
    "diff_to_dict",
    "explain",
    "health_score",
    "influence",
    "initial_context",
    "journey_status",
    "journey_to_dict",
    "load_mapping",
    "render_diff",
    "render_explanation",
    "render_timeline_text",
    "validate_mapping",
]
