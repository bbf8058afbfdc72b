"""The pull's own datetime binding writes exactly what ``UtcDateTime`` would.

``save_page`` formats UTC datetimes for SQLite itself (``isoformat``) instead of
running SQLAlchemy's processor per value; stored dates are compared as text, so
one character of difference would break every date query.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy.dialects import mysql, sqlite

from connector.store.models import UtcDateTime
from connector.store.touchpoints import _datetime_binder

SAMPLES = [
    datetime(2026, 11, 22, 21, 49, 36, tzinfo=UTC),
    datetime(2026, 11, 22, 21, 49, 36, 123456, tzinfo=UTC),
    datetime(1990, 1, 1, tzinfo=UTC),
    datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2))),  # not UTC: converted
    datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(0))),  # UTC, not the singleton
]


def reference(value: datetime, dialect: object) -> object:
    column = UtcDateTime()
    naive = column.process_bind_param(value, dialect)  # type: ignore[arg-type]
    process = column.impl_instance.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[arg-type]
    return process(naive) if process is not None else naive


def test_sqlite_binding_equals_the_types_own() -> None:
    dialect = sqlite.dialect()
    bind = _datetime_binder(UtcDateTime(), dialect)
    for value in SAMPLES:
        assert bind(value) == reference(value, dialect), value
    assert bind(None) is None


def test_mysql_binding_is_the_types_own() -> None:
    dialect = mysql.dialect()
    bind = _datetime_binder(UtcDateTime(), dialect)
    for value in SAMPLES:
        assert bind(value) == reference(value, dialect), value
