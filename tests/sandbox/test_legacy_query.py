"""The v4_1 ``query`` reader: what it accepts, the SQL it builds, what it refuses."""

from __future__ import annotations

import pytest

from connector.sandbox.catalog import build_catalog
from connector.sandbox.legacy_query import QueryError, parse_order_by, parse_where
from connector.sandbox.store import Order

CALLS = build_catalog()["Calls"]


@pytest.mark.parametrize(
    ("text", "sql", "params"),
    [
        (
            "calls.date_modified > '2026-11-22 21:49:36'",
            '"date_modified" > ?',
            ("2026-11-22 21:49:36",),
        ),
        (
            "date_modified >= '2026-11-22T21:49:36+01:00'",
            '"date_modified" >= ?',
            ("2026-11-22 20:49:36",),
        ),
        ("calls.deleted = 0", '"deleted" = ?', ("0",)),
        (
            "status <> 'Held' AND direction != 'Inbound'",
            '("status" <> ? AND "direction" <> ?)',
            ("Held", "Inbound"),
        ),
        ("name LIKE 'O''Brien%'", '"name" LIKE ?', ("O'Brien%",)),
        ("name NOT LIKE 'x%'", '"name" NOT LIKE ?', ("x%",)),
        ("status IN ('Held','Planned')", '"status" IN (?, ?)', ("Held", "Planned")),
        ("duration_minutes > 10", 'CAST("duration_minutes" AS REAL) > CAST(? AS REAL)', ("10",)),
        ("parent_id IS NULL", '("parent_id" IS NULL OR "parent_id" = \'\')', ()),
        (
            "(status = 'a' OR status = 'b') AND NOT direction = 'c'",
            '((("status" = ? OR "status" = ?)) AND NOT ("direction" = ?))',
            ("a", "b", "c"),
        ),
        ("", "", ()),
    ],
)
def test_accepted_fragments(text: str, sql: str, params: tuple[str, ...]) -> None:
    where = parse_where(CALLS, text)
    assert (where.sql, where.params) == (sql, params)


@pytest.mark.parametrize(
    "text",
    [
        "1=1",
        "name = 'x'; DELETE FROM calls",
        "id IN (SELECT id FROM accounts)",
        "accounts.name = 'x'",
        "nosuch = 1",
        "name = ",
        "name = 'unterminated",
        "status IS 'x'",
        "name NOT = 'x'",
        "(status = 'a'",
        "name = 'a' UNION SELECT 1",
    ],
)
def test_refused_fragments(text: str) -> None:
    with pytest.raises(QueryError):
        parse_where(CALLS, text)


def test_order_by_keeps_bare_field_names_only() -> None:
    assert parse_order_by(
        CALLS, "date_modified ASC, calls.id DESC, id DESC, bogus, name sideways"
    ) == [Order("date_modified"), Order("id", True)]
