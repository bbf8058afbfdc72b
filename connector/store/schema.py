"""Creating and upgrading the state database's schema with Alembic.

``upgrade`` brings any state database to the newest schema; the connector calls
it on first use of a database and ``suitejourney db upgrade`` calls it on demand.
Migrations live in ``connector/store/migrations/versions``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision (a test holds it equal to Alembic's head). A state
# database already there is recognised without importing Alembic, whose ~10 MB
# every pull and scheduled sync would otherwise carry; Alembic is imported only to
# create or migrate a database.
HEAD_REVISION = "0010"


def alembic_config() -> Config:
    from alembic.config import Config  # only to migrate (see HEAD_REVISION)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory  # only to migrate (see HEAD_REVISION)

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty one (read as Alembic
    writes it: one row in ``alembic_version``; the chain has a single head)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return str(found) if found is not None else None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate to the newest schema; returns (revision before, revision after)."""
    before = current_revision(engine)
    if before == HEAD_REVISION:
        return before, HEAD_REVISION
    from alembic import command  # only to migrate (see HEAD_REVISION)

    head = head_revision()
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    log.info("state database migrated from %s to %s", before or "empty", head)
    return before, head
