"""Cursor arithmetic of the incremental pull: pure functions and frozen values, no I/O.

A stream (a module read by one datetime field) is read by keyset on that field:

* query ``field >= cursor - lag`` sorted by the field, always page 1 (re-querying
  from the cursor, never walking page numbers over a set that changes while it is
  read, which skips or repeats rows);
* drop the boundary ids already stored at exactly the cursor instant, kept only
  for instants that ended before the run began: V8 shows minutes, so a record
  saved twice in one minute keeps one date_modified, and dropping its id then
  would lose the second change (re-read records are compared by content hash);
* never advance the cursor past the run's start, so records modified during the
  run are read again next time;
* when a whole page shares one instant (imports and mass updates do that; V8
  shows minutes only, so "one instant" is one minute there), walk that instant
  separately, sorted by id, with ``id > last``: the tie group stays whole;
* an instant read whole after it had ended (lag included) is "sealed": nothing can
  appear in it any more, so the next read starts after it instead of reading its
  group again (demo data puts 200 Tasks at one instant).

Several lanes may read one stream at once: each walks the records whose id lies in
its own range (``low <= id < high``, as the server compares ids), so every record
belongs to exactly one lane, and each lane keeps its own position. ``Walk`` is one
lane's walk as a state machine: it says which request comes next (``conditions``)
and, given the page that came back (``advance``), which records are new, where the
lane's cursor may move once that page is stored, and what to ask next.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from connector.crm.records import Condition, Op
from connector.errors import FatalError
from connector.store.cursors import Cursor, LaneCursor

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HEX = "0123456789abcdef"


@dataclass(frozen=True)
class Rules:
    """What bounds a run's cursors: when it began, the lag for clock skew, and the
    precision of the API's datetimes (V8: a minute; v4_1: a second)."""

    run_start: datetime
    lag: timedelta
    resolution: timedelta

    def settled(self, at: datetime) -> bool:
        """True when the instant ``at`` ended before the run began (with the lag for
        clock skew): no record can be saved at it any more."""
        return at + self.resolution + self.lag <= self.run_start


@dataclass(frozen=True)
class Position:
    """Where one lane stands: the last instant stored, the ids stored at it, the
    instant sealed (read whole after it had ended)."""

    at: datetime | None = None
    ids: frozenset[str] = frozenset()
    sealed: datetime | None = None


@dataclass(frozen=True)
class Lane:
    """The records whose id is ``>= low`` and ``< high`` (an empty bound is open)."""

    low: str = ""
    high: str = ""

    def bounds(self) -> tuple[Condition, ...]:
        found: tuple[Condition, ...] = ()
        if self.low:
            found += (Condition("id", Op.GTE, self.low),)
        if self.high:
            found += (Condition("id", Op.LT, self.high),)
        return found


def lanes(count: int) -> tuple[Lane, ...]:
    """``count`` lanes splitting the id space evenly for SuiteCRM's UUIDs (hex digits
    first); ids of any other shape still fall in exactly one lane."""
    count = max(1, min(count, len(HEX)))
    cuts = [HEX[(i * len(HEX)) // count] for i in range(1, count)]
    edges = ["", *cuts, ""]
    return tuple(Lane(edges[i], edges[i + 1]) for i in range(count))


def start_bound(position: Position, rules: Rules, floor: bool) -> datetime | None:
    """The lower bound of the first request from ``position`` (None: no bound).
    ``floor`` asks for ``field >= 1970`` on a first read too, which leaves out rows
    where the field is NULL (another stream reads those)."""
    lower = position.at - rules.lag if position.at else None
    if lower is None and floor:
        lower = EPOCH
    sealed = position.sealed
    if sealed is not None and lower is not None and lower < sealed + rules.resolution:
        # Read whole before: nothing new can be in it. Never past the position itself
        # (a cursor sealed by an API with finer datetimes than this one's).
        lower = sealed + rules.resolution
        if position.at is not None and lower > position.at:
            lower = position.at
    return lower


def checkpoint(
    start: Position,
    at: datetime | None,
    ids: Iterable[str],
    sealed: datetime | None,
    rules: Rules,
) -> Position | None:
    """The position to store once everything up to ``at`` is stored (``ids`` being
    those stored at ``at``), or None when the position must not move."""
    if at is None:
        return None
    kept = frozenset(ids)
    if at > rules.run_start:
        at, kept = rules.run_start, frozenset()
    if not rules.settled(at):
        # A record read at instant ``at`` could be modified again within the same
        # (V8: minute-wide) instant after we read it; only instants that ended
        # before the run began (with the lag for clock skew) may skip their ids.
        kept = frozenset()
    if start.at is not None and at < start.at:
        return None
    return Position(at, kept, sealed)


@dataclass(frozen=True)
class Walk:
    """One lane's keyset walk of one stream, as a state machine.

    Outside a tie group, requests are ``field >= lower`` sorted by the field, and
    records at ``skip_at`` whose id is in ``skip_ids`` are already stored. Inside
    one (``instant`` set), requests are ``instant <= field < instant + resolution``
    sorted by id, after ``after``."""

    field: str
    lane: Lane
    start: Position
    rules: Rules
    size: int
    lower: datetime | None = None
    skip_at: datetime | None = None
    skip_ids: frozenset[str] = frozenset()
    sealed: datetime | None = None
    instant: datetime | None = None
    after: str = ""
    done: bool = False

    @classmethod
    def begin(
        cls,
        field: str,
        lane: Lane,
        start: Position,
        rules: Rules,
        size: int,
        *,
        floor: bool = False,
    ) -> Walk:
        return cls(
            field,
            lane,
            start,
            rules,
            size,
            lower=start_bound(start, rules, floor),
            skip_at=start.at,
            skip_ids=start.ids,
            sealed=start.sealed,
        )

    @property
    def sort(self) -> str:
        return "id" if self.instant is not None else self.field

    def conditions(self) -> tuple[Condition, ...]:
        """The filter of the next request."""
        found: tuple[Condition, ...]
        if self.instant is None:
            found = (Condition(self.field, Op.GTE, self.lower),) if self.lower else ()
            return found + self.lane.bounds()
        found = (
            Condition(self.field, Op.GTE, self.instant),
            Condition(self.field, Op.LT, self.instant + self.rules.resolution),
        )
        if self.after:
            found += (Condition("id", Op.GT, self.after),)
        elif self.lane.low:
            found += (Condition("id", Op.GTE, self.lane.low),)
        if self.lane.high:
            found += (Condition("id", Op.LT, self.lane.high),)
        return found

    def advance(
        self, keys: Sequence[tuple[str, datetime | None]]
    ) -> tuple[Walk, list[bool], Position | None]:
        """Given the (id, field value) of each record of the page that answered
        ``conditions()``: the walk after it, which records are new (to store), and
        where the lane's cursor moves once they are stored (None: it stays)."""
        if self.instant is not None:
            return self._advance_instant(keys)
        full = len(keys) >= self.size
        skip_at, skip_ids = self.skip_at, self.skip_ids
        fresh = [not (at == skip_at and key in skip_ids) for key, at in keys]
        # The last good date: a record whose date is bad (quarantined) must not
        # stop the walk, nor hold back the cursor.
        last = next((at for _key, at in reversed(keys) if at is not None), None)
        if last is not None:
            at_last = frozenset(key for key, at in keys if at == last)
            skip_ids = skip_ids | at_last if last == skip_at else at_last
            skip_at = last
        sealed = self.sealed
        if not full and skip_at is not None and self.rules.settled(skip_at):
            sealed = skip_at  # the last instant is complete and can change no more
        target = checkpoint(self.start, skip_at, skip_ids, sealed, self.rules)
        moved = replace(self, skip_at=skip_at, skip_ids=skip_ids, sealed=sealed)
        if not full:
            return replace(moved, done=True), fresh, target
        if last is None:
            raise FatalError(
                f"a list sorted by {self.field} returned a full page without {self.field}; "
                "cannot page on it."
            )
        if not any(fresh) or last == self.lower:
            # A full page at one instant: walk it by id, then go past it.
            if self.rules.settled(last):
                sealed = last
            return replace(moved, instant=last, after="", sealed=sealed), fresh, target
        return replace(moved, lower=last), fresh, target

    def _advance_instant(
        self, keys: Sequence[tuple[str, datetime | None]]
    ) -> tuple[Walk, list[bool], Position | None]:
        assert self.instant is not None
        # Ids stored from the page that led into the group are not stored twice.
        known = self.skip_ids if self.skip_at == self.instant else frozenset()
        fresh = [key not in known for key, _at in keys]
        if len(keys) >= self.size:
            return replace(self, after=keys[-1][0]), fresh, None
        # The cursor moves past the instant only once all of it is stored.
        end = self.instant + self.rules.resolution
        target = checkpoint(self.start, end, (), self.sealed, self.rules)
        after_group = replace(
            self, instant=None, after="", lower=end, skip_at=None, skip_ids=frozenset()
        )
        return after_group, fresh, target


# -- a stream's cursor and its lanes ----------------------------------------------------


def position_of(cursor: Cursor) -> Position:
    return Position(cursor.date_modified, cursor.boundary_ids, cursor.sealed_at)


def resume(cursor: Cursor) -> dict[Lane, Position]:
    """Where a stream's read starts: the lanes of a walk that was cut short (killed,
    stopped) where each of them stood; otherwise one lane over every id, from the
    stream's position."""
    if cursor.lanes:
        return {
            Lane(lane.low, lane.high): Position(
                lane.date_modified, lane.boundary_ids, lane.sealed_at
            )
            for lane in cursor.lanes
        }
    return {Lane(): position_of(cursor)}


def split(walk: Walk, count: int) -> list[Walk]:
    """The rest of a walk over every id, shared out between ``count`` lanes (each
    going on from where the walk stands, over its own ids)."""
    assert walk.lane == Lane() and walk.instant is None and not walk.done
    return [replace(walk, lane=lane) for lane in lanes(count)]


def merged(positions: Iterable[Position]) -> Position:
    """One position safe for lanes still walking: the earliest, with the ids stored at
    it by the lanes that stand there, sealed only where all lanes agree. A lane that
    has stored nothing yet makes it the start (None)."""
    found = list(positions)
    if not found or any(p.at is None for p in found):
        return Position()
    at = min(p.at for p in found if p.at is not None)
    ids = frozenset().union(*(p.ids for p in found if p.at == at))
    seals = {p.sealed for p in found}
    sealed = seals.pop() if len(seals) == 1 else None
    return Position(at, ids, sealed if sealed is not None and sealed <= at else None)


def folded(positions: Iterable[Position]) -> Position:
    """One position for lanes that all walked to the end: the latest. Every lane read
    its ids up to the end after the run began, so what lies before the latest lane's
    position and was not read by a lane was not there to read (or will be seen again:
    records saved during the run are dated after its start, which no position passes)."""
    found = [p for p in positions if p.at is not None]
    if not found:
        return Position()
    at = max(p.at for p in found if p.at is not None)
    ids = frozenset().union(*(p.ids for p in found if p.at == at))
    seals = [p.sealed for p in found if p.sealed is not None and p.sealed <= at]
    return Position(at, ids, max(seals) if seals else None)


def with_lanes(cursor: Cursor, positions: dict[Lane, Position]) -> Cursor:
    """``cursor`` with the lanes at ``positions``. One lane over every id is the
    stream's own position (the form a single reader always had); several lanes are
    kept each, and the stream's own fields hold what is safe for all of them."""
    if set(positions) == {Lane()}:
        return at_position(cursor, positions[Lane()])
    ordered = sorted(positions.items(), key=lambda item: (item[0].low, item[0].high or "~"))
    base = merged(positions.values())
    return replace(
        at_position(cursor, base),
        lanes=tuple(LaneCursor(lane.low, lane.high, p.at, p.ids, p.sealed) for lane, p in ordered),
    )


def at_position(cursor: Cursor, position: Position) -> Cursor:
    """``cursor`` at ``position``, without lanes."""
    return replace(
        cursor,
        date_modified=position.at,
        boundary_ids=position.ids,
        sealed_at=position.sealed,
        lanes=(),
    )
