"""What-if: how two mappings classify the same touchpoints differently.

``compare_journeys`` takes one customer's journey built under the current
mapping and under a candidate one (same touchpoints, same corrections, same
``now``) and lists what differs: the touchpoints whose stage changes (with the
rule that decided each time) and whether the customer's current stage or status
changes. ``MappingDiff`` adds those up over every customer, keeping counts per
stage move and per rule, and a sample of each kind; ``diff_to_dict`` and
``render_diff`` print it for ``suitejourney mappings diff``.

Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connector.journey.model import NOT_A_TOUCHPOINT, ClassifiedTouchpoint, Journey

SAMPLE = 10


@dataclass(frozen=True, slots=True)
class TouchpointChange:
    """One touchpoint whose stage differs between the two mappings."""

    key: str
    customer_key: str
    subject: str
    occurred_at: datetime
    old_stage: str
    new_stage: str
    old_rule: str
    new_rule: str


@dataclass(frozen=True, slots=True)
class CustomerChange:
    """One customer whose current stage or status differs between the two mappings."""

    customer_key: str
    name: str
    old_stage: str | None
    new_stage: str | None
    old_status: str
    new_status: str

    @property
    def stage_changed(self) -> bool:
        return self.old_stage != self.new_stage

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status


def _stages(journey: Journey) -> dict[str, tuple[str, ClassifiedTouchpoint]]:
    """Touchpoint key → (its stage, the classified touchpoint), the excluded included."""
    found = {item.touchpoint.key: (item.classification.stage, item) for item in journey.touchpoints}
    found.update((item.touchpoint.key, (NOT_A_TOUCHPOINT, item)) for item in journey.excluded)
    return found


def compare_journeys(
    old: Journey, new: Journey
) -> tuple[list[TouchpointChange], CustomerChange | None]:
    """What differs between one customer's journey under two mappings."""
    before = _stages(old)
    after = _stages(new)
    changes = []
    for key, (old_stage, item) in before.items():
        found = after.get(key)
        if found is None:
            continue
        new_stage, other = found
        if old_stage != new_stage:
            changes.append(
                TouchpointChange(
                    key,
                    old.customer_key,
                    item.touchpoint.subject,
                    item.touchpoint.occurred_at,
                    old_stage,
                    new_stage,
                    item.classification.rule_id,
                    other.classification.rule_id,
                )
            )
    customer = None
    if old.current_stage != new.current_stage or old.status != new.status:
        customer = CustomerChange(
            old.customer_key,
            old.customer_name,
            old.current_stage,
            new.current_stage,
            old.status,
            new.status,
        )
    return changes, customer


@dataclass
class MappingDiff:
    """The differences over every customer, counted, with a sample of each kind."""

    sample: int = SAMPLE
    customers: int = 0
    touchpoints: int = 0
    changed_touchpoints: int = 0
    moves: Counter[tuple[str, str]] = field(default_factory=Counter)  # (old, new) stage
    # (old rule, old stage, new rule, new stage)
    rules: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    stage_moves: Counter[tuple[str, str]] = field(default_factory=Counter)  # customers
    status_moves: Counter[tuple[str, str]] = field(default_factory=Counter)
    changed_stage: int = 0
    changed_status: int = 0
    changed_customers: int = 0  # stage, status or both
    touchpoint_sample: list[TouchpointChange] = field(default_factory=list)
    customer_sample: list[CustomerChange] = field(default_factory=list)

    def add(self, old: Journey, new: Journey) -> None:
        """Count one customer's two journeys."""
        changes, customer = compare_journeys(old, new)
        self.customers += 1
        self.touchpoints += old.touchpoint_count + len(old.excluded)
        self.changed_touchpoints += len(changes)
        for change in changes:
            self.moves[(change.old_stage, change.new_stage)] += 1
            self.rules[(change.old_rule, change.old_stage, change.new_rule, change.new_stage)] += 1
            if len(self.touchpoint_sample) < self.sample:
                self.touchpoint_sample.append(change)
        if customer is None:
            return
        self.changed_customers += 1
        if customer.stage_changed:
            self.changed_stage += 1
            self.stage_moves[(customer.old_stage or "-", customer.new_stage or "-")] += 1
        if customer.status_changed:
            self.changed_status += 1
            self.status_moves[(customer.old_status, customer.new_status)] += 1
        if len(self.customer_sample) < self.sample:
            self.customer_sample.append(customer)


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _counts(counter: Counter[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {"from": a, "to": b, "count": n}
        for (a, b), n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def diff_to_dict(diff: MappingDiff, old_file: str, new_file: str) -> dict[str, Any]:
    """The diff as plain JSON types (``mappings diff --json``)."""
    return {
        "old_mapping": old_file,
        "new_mapping": new_file,
        "customers": diff.customers,
        "touchpoints": diff.touchpoints,
        "touchpoints_changed": diff.changed_touchpoints,
        "stage_moves": _counts(diff.moves),
        "rule_moves": [
            {"old_rule": a, "from": b, "new_rule": c, "to": d, "count": n}
            for (a, b, c, d), n in sorted(diff.rules.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "customers_changed": diff.changed_customers,
        "customers_changed_stage": diff.changed_stage,
        "customers_changed_status": diff.changed_status,
        "customer_stage_moves": _counts(diff.stage_moves),
        "customer_status_moves": _counts(diff.status_moves),
        "touchpoint_sample": [
            {
                "key": c.key,
                "customer_key": c.customer_key,
                "subject": c.subject,
                "occurred_at": _iso(c.occurred_at),
                "from": c.old_stage,
                "to": c.new_stage,
                "old_rule": c.old_rule,
                "new_rule": c.new_rule,
            }
            for c in diff.touchpoint_sample
        ],
        "customer_sample": [
            {
                "customer_key": c.customer_key,
                "name": c.name,
                "stage_from": c.old_stage,
                "stage_to": c.new_stage,
                "status_from": c.old_status,
                "status_to": c.new_status,
            }
            for c in diff.customer_sample
        ],
    }


def render_diff(diff: MappingDiff, old_file: str, new_file: str) -> str:
    """The diff for a terminal."""
    lines = [
        f"what-if: {new_file} instead of {old_file}",
        f"replayed {diff.touchpoints:,} touchpoints of {diff.customers:,} customers; "
        "nothing was written",
        "",
        f"touchpoints that change stage: {diff.changed_touchpoints:,}",
    ]
    for (a, b), n in sorted(diff.moves.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {n:>7,}  {a} -> {b}")
    if diff.rules:
        lines.append("  per rule (old rule, stage -> new rule, stage):")
        for (a, b, c, d), n in sorted(diff.rules.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {n:>7,}  {a} ({b}) -> {c} ({d})")
    lines += [
        "",
        f"customers that change: {diff.changed_customers:,}",
        f"customers whose current stage changes: {diff.changed_stage:,}",
    ]
    for (a, b), n in sorted(diff.stage_moves.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {n:>7,}  {a} -> {b}")
    lines.append(f"customers whose status changes: {diff.changed_status:,}")
    for (a, b), n in sorted(diff.status_moves.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {n:>7,}  {a} -> {b}")
    if diff.touchpoint_sample:
        lines += ["", "sample of touchpoints:"]
        for tc in diff.touchpoint_sample:
            lines.append(
                f"  {tc.occurred_at:%Y-%m-%d}  {tc.key}  {tc.subject[:40]!r}  "
                f"{tc.old_stage} [{tc.old_rule}] -> {tc.new_stage} [{tc.new_rule}]"
            )
    if diff.customer_sample:
        lines += ["", "sample of customers:"]
        for cc in diff.customer_sample:
            lines.append(
                f"  {cc.customer_key}  {cc.name[:40]!r}  stage {cc.old_stage or '-'} -> "
                f"{cc.new_stage or '-'}, status {cc.old_status} -> {cc.new_status}"
            )
    return "\n".join(lines)
