"""Channel mix per stage, online vs offline, company vs third party, and attribution.

Touchpoints count in the stage the mapping gave them (their own stage, not the
customer's), so "decision" shows the channels of quotes and negotiations.

Attribution of the first purchase, for each customer that reached purchase: the
touchpoints strictly before the one that moved the customer into purchase (the
builder's order: time, then key) share one purchase of credit:

- first touch: all of it to the channel of the first touchpoint;
- last touch: all of it to the channel of the last touchpoint before the purchase;
- linear: an equal share to each of those touchpoints' channels.

A customer whose very first touchpoint is the purchase has nothing before it:
it counts in ``purchases`` but not in ``attributed`` and gives no credit. Shares
are credit divided by ``attributed``.

Counters only. Pure; no I/O.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from connector.journey.model import CHANNELS, MANAGERS, MODES, STAGES
from connector.report.facts import Facts, Touch
from connector.report.figures import Attribution, Channels


def touches_before_purchase(facts: Facts) -> tuple[Touch, ...] | None:
    """The touchpoints before the first purchase; None when the customer never bought."""
    bought = facts.entered["purchase"]
    if bought is None:
        return None
    move = next((m for m in facts.moves if m.to_stage == "purchase"), None)
    if move is not None:
        for index, touch in enumerate(facts.touches):
            if touch.key == move.touchpoint_key:
                return facts.touches[:index]
    return tuple(t for t in facts.touches if t.occurred_at is not None and t.occurred_at < bought)


def _keys(counts: Mapping[str, float], known: tuple[str, ...]) -> tuple[str, ...]:
    return (*known, *sorted(k for k in counts if k not in known))


def _ordered(counts: Counter[str], known: tuple[str, ...]) -> dict[str, int]:
    return {k: counts[k] for k in _keys(counts, known)}


@dataclass
class ChannelTally:
    mix: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in STAGES})
    mode: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in STAGES})
    managed: dict[str, Counter[str]] = field(default_factory=lambda: {s: Counter() for s in STAGES})
    purchases: int = 0
    attributed: int = 0
    first: Counter[str] = field(default_factory=Counter)
    last: Counter[str] = field(default_factory=Counter)
    linear: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    def add(self, facts: Facts) -> None:
        for touch in facts.touches:
            if touch.stage not in self.mix:
                continue
            self.mix[touch.stage][touch.channel] += 1
            self.mode[touch.stage][touch.mode] += 1
            self.managed[touch.stage][touch.managed_by] += 1
        before = touches_before_purchase(facts)
        if before is None:
            return
        self.purchases += 1
        if not before:
            return
        self.attributed += 1
        self.first[before[0].channel] += 1
        self.last[before[-1].channel] += 1
        share = 1.0 / len(before)
        for touch in before:
            self.linear[touch.channel] += share

    def result(self) -> Channels:
        def credits(counter: Mapping[str, float]) -> dict[str, float]:
            return {k: round(float(counter.get(k, 0)), 4) for k in _keys(counter, CHANNELS)}

        return Channels(
            by_stage={s: _ordered(self.mix[s], CHANNELS) for s in STAGES},
            mode={s: _ordered(self.mode[s], MODES) for s in STAGES},
            managed_by={s: _ordered(self.managed[s], MANAGERS) for s in STAGES},
            attribution=Attribution(
                purchases=self.purchases,
                attributed=self.attributed,
                first_touch=credits(self.first),
                last_touch=credits(self.last),
                linear=credits(self.linear),
            ),
        )
