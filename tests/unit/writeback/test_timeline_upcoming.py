"""timeline_json carries upcoming touchpoints apart, and nothing new when there are none."""

from __future__ import annotations

from datetime import timedelta

from connector.journey import build_journey, journey_to_dict
from connector.writeback.payload import UPCOMING_LIMIT, timeline
from tests.unit.journey.factories import START, account, default_mapping, touchpoint


def journey(planned: int) -> dict[str, object]:
    story = [
        touchpoint("Leads", "Modulo web", day=0, ident="l1", lead_source="Web Site"),
        touchpoint("Meetings", "Demo del prodotto", day=3, ident="m1", status="Held"),
        *(
            touchpoint("Calls", f"Follow-up {n}", day=10 + n, ident=f"k{n}", status="Planned")
            for n in range(planned)
        ),
    ]
    built = build_journey(account(), story, default_mapping(), START + timedelta(days=5))
    return journey_to_dict(built)


def test_upcoming_touchpoints_travel_apart_from_the_timeline() -> None:
    compact = timeline(journey(planned=2))
    assert [row[0] for row in compact["tp"]] == ["2025-01-06T09:00:00Z", "2025-01-09T09:00:00Z"]
    assert compact["total"] == 2
    assert compact["up_total"] == 2
    # Classified as what it will be if it happens: the "Planned" rule is not tried.
    assert compact["up"][0] == [
        "2025-01-16T09:00:00Z", "awareness", "phone", "Follow-up 0", "Calls", "k0",
        "offline", "company", "none", "call-prospecting",
    ]  # fmt: skip


def test_upcoming_is_bounded_to_the_nearest() -> None:
    compact = timeline(journey(planned=UPCOMING_LIMIT + 5))
    assert compact["up_total"] == UPCOMING_LIMIT + 5
    assert len(compact["up"]) == UPCOMING_LIMIT
    assert compact["up"][0][3] == "Follow-up 0"


def test_without_upcoming_the_timeline_is_what_it_was() -> None:
    compact = timeline(journey(planned=0))
    assert "up" not in compact and "up_total" not in compact
    assert sorted(compact) == [
        "cost", "counts", "customer", "days_in_stage", "entered", "health", "shown", "stage",
        "status", "total", "tp", "v",
    ]  # fmt: skip
