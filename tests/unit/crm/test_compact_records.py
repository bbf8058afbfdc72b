"""A compact record (``Query.compact``, what the pull reads) holds exactly what the
pull would have kept of the full one: the same touchpoint, hash included.

``normalise`` stores a full record's ``clean_attributes``; the pull's lists ask for
compact records, cleaned and trimmed in one pass at the edge. Any difference would
change stored hashes (every record "changed" once) or what rules can test.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from connector.crm.records import clean_record
from connector.sync.normalise import clean_attributes, normalise

NOW = datetime(2026, 12, 2, tzinfo=UTC)

# One value of each kind SuiteCRM has been seen to send, clean and dirty.
VALUES: list[Any] = [
    "",
    "Call about the renewal",
    "Tom &amp; Jerry&#039;s",
    "2026-11-22 21:49:36",
    "2026-11-22T21:49:00+00:00",
    "0000-00-00 00:00:00",
    "0000-00-00",
    "-0001-11-30T00:00:00+00:00",
    "0000-00-00 garbage",
    "line one\nline two\ttab",
    "bell\x07 and nul\x00",
    "\x01\x02",
    "broken \ud800 text",
    "0",
    "-1",
    "1999-12-31",
    True,
    False,
    None,
    0,
    3,
    2.5,
    {},
    {"links": {"related": "/V8/module/Calls/x/relationships/contacts"}},
    {"bad": "text \ud801"},
    [],
    ["a &amp; b"],
]


def both(values: dict[str, Any]) -> tuple[Any, Any]:
    full = clean_record("Calls", "id-1", values, deleted=False)
    compact = clean_record("Calls", "id-1", values, deleted=False, compact=True)
    return full, compact


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_each_kind_of_value(value: Any) -> None:
    full, compact = both({"name": "x", "field": value, "date_modified": "2026-11-22 21:49:36"})
    assert compact.attributes == clean_attributes(full)
    assert compact.problems == full.problems
    assert compact.date_modified == full.date_modified


def test_mixed_records_give_the_same_touchpoint() -> None:
    rng = random.Random(17)
    names = [f"f{i}" for i in range(12)]
    for _ in range(400):
        values: dict[str, Any] = {name: rng.choice(VALUES) for name in names}
        values["date_start"] = rng.choice(["2026-03-01 10:00:00", "", "0000-00-00 00:00:00"])
        values["date_modified"] = rng.choice(
            ["2026-11-22 21:49:36", "2026-11-22T21:49:00+00:00", "", "0000-00-00 00:00:00"]
        )
        values["parent_type"], values["parent_id"] = "Accounts", "acc-1"
        full, compact = both(values)
        assert compact.attributes == clean_attributes(full)
        assert compact.problems == full.problems
        assert compact.date_modified == full.date_modified
        if not full.problems and full.date_modified is not None:
            assert normalise("Calls", compact, NOW) == normalise("Calls", full, NOW)


def test_every_pair_of_kinds() -> None:
    for first, second in itertools.product(VALUES, repeat=2):
        full, compact = both({"a": first, "b": second})
        assert compact.attributes == clean_attributes(full), (first, second)
        assert compact.problems == full.problems, (first, second)
