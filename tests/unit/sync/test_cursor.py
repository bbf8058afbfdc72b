"""The pull's cursor arithmetic, table by table: start bounds, checkpoints, walks, lanes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connector.crm.records import Condition, Op
from connector.errors import FatalError
from connector.store.cursors import Cursor, LaneCursor
from connector.sync.cursor import (
    EPOCH,
    Lane,
    Position,
    Rules,
    Walk,
    at_position,
    checkpoint,
    folded,
    lanes,
    merged,
    resume,
    split,
    start_bound,
    with_lanes,
)

MINUTE = timedelta(minutes=1)
LAG = timedelta(minutes=2)
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
V8 = Rules(START, LAG, MINUTE)
V41 = Rules(START, LAG, timedelta(seconds=1))


def at(minutes_before_start: float) -> datetime:
    return START - timedelta(minutes=minutes_before_start)


# -- settled, start_bound, checkpoint -------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "rules", "settled"),
    [
        (at(10), V8, True),
        (at(3), V8, True),  # 3 min before: its minute and the lag are over
        (at(2.5), V8, False),
        (at(2.5), V41, True),  # a second-wide instant ends sooner
        (START, V8, False),
    ],
)
def test_an_instant_is_settled_once_it_and_the_lag_are_over(
    instant: datetime, rules: Rules, settled: bool
) -> None:
    assert rules.settled(instant) is settled


@pytest.mark.parametrize(
    ("position", "floor", "expected"),
    [
        (Position(), False, None),  # a first read has no bound
        (Position(), True, EPOCH),  # ... unless NULLs belong to another stream
        (Position(at(60)), False, at(62)),  # the lag before the cursor
        (Position(at(60), sealed=at(61)), False, at(60)),  # past the sealed minute
        (Position(at(60), sealed=at(70)), False, at(62)),  # sealed long before: lag wins
        (Position(at(60), sealed=at(60)), False, at(60)),  # never past the position itself
    ],
)
def test_start_bound(position: Position, floor: bool, expected: datetime | None) -> None:
    assert start_bound(position, V8, floor) == expected


@pytest.mark.parametrize(
    ("start", "moved_to", "ids", "expected"),
    [
        (Position(), None, {"a"}, None),  # nothing read: stay
        (Position(), at(10), {"a"}, Position(at(10), frozenset({"a"}))),
        (Position(), at(1), {"a"}, Position(at(1))),  # not settled: ids not kept
        (Position(), START + MINUTE, {"a"}, Position(START)),  # never past the run's start
        (Position(at(5)), at(10), {"a"}, None),  # never backwards
        (Position(at(10)), at(10), {"a", "b"}, Position(at(10), frozenset({"a", "b"}))),
    ],
)
def test_checkpoint(
    start: Position, moved_to: datetime | None, ids: set[str], expected: Position | None
) -> None:
    assert checkpoint(start, moved_to, ids, None, V8) == expected


# -- one lane's walk --------------------------------------------------------------------


def test_a_first_read_asks_for_everything_sorted_by_the_field() -> None:
    walk = Walk.begin("date_modified", Lane(), Position(), V8, 3)
    assert walk.conditions() == ()
    assert walk.sort == "date_modified"


def test_a_short_page_ends_the_walk_and_seals_a_settled_last_instant() -> None:
    walk = Walk.begin("date_modified", Lane(), Position(), V8, 3)
    after, fresh, target = walk.advance([("a", at(30)), ("b", at(20))])
    assert after.done and fresh == [True, True]
    assert target == Position(at(20), frozenset({"b"}), sealed=at(20))


def test_a_full_page_moves_the_bound_to_its_last_instant_and_skips_what_was_stored() -> None:
    walk = Walk.begin("date_modified", Lane(), Position(), V8, 3)
    walk, _, target = walk.advance([("a", at(30)), ("b", at(20)), ("c", at(20))])
    assert target == Position(at(20), frozenset({"b", "c"}))
    assert walk.conditions() == (Condition("date_modified", Op.GTE, at(20)),)
    walk, fresh, _ = walk.advance([("b", at(20)), ("c", at(20)), ("d", at(10))])
    assert fresh == [False, False, True]


def test_boundary_ids_stored_before_are_skipped_on_the_next_run() -> None:
    walk = Walk.begin("date_modified", Lane(), Position(at(20), frozenset({"b"})), V8, 3)
    assert walk.conditions() == (Condition("date_modified", Op.GTE, at(22)),)
    _, fresh, target = walk.advance([("b", at(20)), ("e", at(20))])
    assert fresh == [False, True]
    assert target == Position(at(20), frozenset({"b", "e"}), sealed=at(20))


def test_a_full_page_at_one_instant_is_walked_by_id_then_passed() -> None:
    walk = Walk.begin("date_modified", Lane(), Position(), V8, 2)
    walk, _, _ = walk.advance([("a", at(30)), ("b", at(20))])
    walk, _, target = walk.advance([("b", at(20)), ("c", at(20))])  # all at the bound
    assert walk.instant == at(20) and walk.sort == "id" and walk.sealed == at(20)
    assert target == Position(at(20), frozenset({"b", "c"}))
    assert walk.conditions() == (
        Condition("date_modified", Op.GTE, at(20)),
        Condition("date_modified", Op.LT, at(19)),
    )
    walk, fresh, target = walk.advance([("a1", at(20)), ("b", at(20))])
    assert fresh == [True, False]  # b was stored with the page that led into the group
    assert target is None  # inside the group: no checkpoint
    assert walk.conditions()[-1] == Condition("id", Op.GT, "b")
    walk, _, target = walk.advance([("z", at(20))])
    assert target == Position(at(19), sealed=at(20))  # past the group, sealed
    assert walk.instant is None and walk.lower == at(19) and not walk.done


def test_a_full_page_without_dates_cannot_be_paged() -> None:
    walk = Walk.begin("activity_date", Lane(), Position(), V8, 2)
    with pytest.raises(FatalError):
        walk.advance([("a", None), ("b", None)])


# -- lanes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "edges"),
    [
        (1, [("", "")]),
        (2, [("", "8"), ("8", "")]),
        (4, [("", "4"), ("4", "8"), ("8", "c"), ("c", "")]),
    ],
)
def test_lanes_split_the_id_space(count: int, edges: list[tuple[str, str]]) -> None:
    assert [(lane.low, lane.high) for lane in lanes(count)] == edges


@pytest.mark.parametrize(
    "record_id", ["0000", "7fff", "8", "8000", "ffff", "seed_sally_id", "Z", "", "-1"]
)
def test_every_id_falls_in_exactly_one_lane(record_id: str) -> None:
    def inside(lane: Lane) -> bool:
        return (not lane.low or record_id >= lane.low) and (not lane.high or record_id < lane.high)

    assert sum(inside(lane) for lane in lanes(3)) == 1


def test_a_lane_adds_its_id_range_to_every_request() -> None:
    lane = Lane("4", "8")
    walk = Walk.begin("date_modified", lane, Position(at(20)), V8, 2)
    assert walk.conditions() == (
        Condition("date_modified", Op.GTE, at(22)),
        Condition("id", Op.GTE, "4"),
        Condition("id", Op.LT, "8"),
    )
    walk = walk.__class__(**{**walk.__dict__, "instant": at(20), "after": "5a"})
    assert walk.conditions()[2:] == (Condition("id", Op.GT, "5a"), Condition("id", Op.LT, "8"))


def test_a_walk_over_every_id_splits_where_it_stands() -> None:
    walk = Walk.begin("date_modified", Lane(), Position(), V8, 2)
    walk, _, _ = walk.advance([("a", at(30)), ("b", at(20))])
    parts = split(walk, 2)
    assert [p.lane for p in parts] == list(lanes(2))
    assert all(p.lower == at(20) and p.skip_ids == frozenset({"b"}) for p in parts)


P1 = Position(at(30), frozenset({"a"}), sealed=at(40))
P2 = Position(at(20), frozenset({"b"}), sealed=at(40))
P3 = Position(at(20), frozenset({"c"}), sealed=at(25))


@pytest.mark.parametrize(
    ("positions", "safe", "final"),
    [
        (
            [P1, P2],
            Position(at(30), frozenset({"a"}), at(40)),
            Position(at(20), frozenset({"b"}), at(40)),
        ),
        (
            [P2, P3],
            Position(at(20), frozenset({"b", "c"})),
            Position(at(20), frozenset({"b", "c"}), at(25)),
        ),
        ([P1, Position()], Position(), P1),  # a lane with nothing stored yet
        ([Position(), Position()], Position(), Position()),
    ],
)
def test_lanes_merge_safely_while_walking_and_fold_once_all_finished(
    positions: list[Position], safe: Position, final: Position
) -> None:
    assert merged(positions) == safe
    assert folded(positions) == final


def test_a_cursor_keeps_each_lane_and_resumes_them() -> None:
    cursor = Cursor("Calls", last_reconciled_at=at(100))
    assert resume(cursor) == {Lane(): Position()}
    low, high = lanes(2)
    stored = with_lanes(cursor, {low: P1, high: P2})
    assert stored.lanes == (
        LaneCursor("", "8", P1.at, P1.ids, P1.sealed),
        LaneCursor("8", "", P2.at, P2.ids, P2.sealed),
    )
    assert (stored.date_modified, stored.boundary_ids) == (at(30), frozenset({"a"}))
    assert stored.last_reconciled_at == at(100)
    assert resume(stored) == {low: P1, high: P2}
    single = at_position(stored, P2)
    assert single.lanes == () and resume(single) == {Lane(): P2}
    assert with_lanes(cursor, {Lane(): P2}) == at_position(cursor, P2)
