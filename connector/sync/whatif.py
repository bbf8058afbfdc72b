"""What-if for a mapping change: replay every stored touchpoint under two mappings.

Each customer's journey is built from the state database twice, under the
configured mapping and under the candidate one, exactly as ``classify`` would
build it (the same touchpoints, the same corrections, the same ``now``), and the
two are compared (``connector.journey.compare``). Nothing is written: neither
the journeys table nor SuiteCRM changes, so an admin sees what a rule change
will do before ``classify --all`` applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from connector.journey import Mapping, MappingDiff, build_journey
from connector.store.database import StateDB
from connector.sync.classify import iter_customers


def diff_mappings(
    db: StateDB,
    old: Mapping,
    new: Mapping,
    now: datetime,
    *,
    sample: int = 10,
    customers: Sequence[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> MappingDiff:
    """How the journeys of every customer (or of ``customers``) differ under ``new``."""
    diff = MappingDiff(sample=sample)
    for customer, touchpoints, corrections in iter_customers(db, customers):
        diff.add(
            build_journey(customer, touchpoints, old, now, corrections=corrections),
            build_journey(customer, touchpoints, new, now, corrections=corrections),
        )
        if progress is not None:
            progress(1)
    return diff
