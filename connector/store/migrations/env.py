"""Alembic environment: runs migrations on the connection handed over by ``schema.upgrade``.

There is no alembic.ini and no URL here: the connector passes an open connection
in ``config.attributes["connection"]``, so the URL (and its password) never
reaches Alembic's logging.
"""

from __future__ import annotations

from alembic import context

from connector.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
