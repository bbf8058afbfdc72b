"""The state database answers on both back ends, and a bad URL fails clearly."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from connector.errors import ConfigurationError
from connector.secrets import Secret
from connector.store.engine import make_engine, ping


def test_engine_answers_and_round_trips_unicode(database_url: Secret) -> None:
    engine = make_engine(database_url)
    try:
        assert ping(engine).startswith(("SQLite", "MySQL/MariaDB"))
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS sj_probe"))
            connection.execute(text("CREATE TABLE sj_probe (name VARCHAR(64))"))
            connection.execute(text("INSERT INTO sj_probe VALUES (:n)"), {"n": "Caffè Ωmega 東京"})
            name = connection.execute(text("SELECT name FROM sj_probe")).scalar_one()
            connection.execute(text("DROP TABLE sj_probe"))
        assert name == "Caffè Ωmega 東京"
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                mode = connection.execute(text("PRAGMA journal_mode")).scalar_one()
            assert mode == "wal"
    finally:
        engine.dispose()


def test_unreachable_mysql_names_the_url_without_the_password() -> None:
    engine = make_engine(Secret("mysql+pymysql://cj:very-secret-pw@127.0.0.1:1/cj"))
    with pytest.raises(ConfigurationError) as info:
        ping(engine)
    message = str(info.value)
    assert "very-secret-pw" not in message
    assert "mysql+pymysql://cj:********@127.0.0.1:1/cj" in message


@pytest.mark.parametrize("url", ["postgresql://u:pw-123@h/db", "not a url at all"])
def test_unsupported_urls_are_configuration_errors(url: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        make_engine(Secret(url))
    assert "pw-123" not in str(info.value)


def test_migrations_create_exactly_the_models(database_url: Secret) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from connector.store.models import Base
    from connector.store.schema import head_revision, upgrade

    engine = make_engine(database_url)
    try:
        assert upgrade(engine)[1] == head_revision()
        assert upgrade(engine)[0] == head_revision()  # a second upgrade is a no-op
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
