"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 03:53:13.315246
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

import connector.store.models

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "cursors",
        sa.Column("module", sa.String(length=40), nullable=False),
        sa.Column("date_modified", connector.store.models.UtcDateTime(), nullable=True),
        sa.Column(
            "boundary_ids",
            sa.Text()
            .with_variant(mysql.LONGTEXT(), "mariadb")
            .with_variant(mysql.LONGTEXT(), "mysql"),
            nullable=False,
        ),
        sa.Column("last_full_at", connector.store.models.UtcDateTime(), nullable=True),
        sa.Column("last_reconciled_at", connector.store.models.UtcDateTime(), nullable=True),
        sa.Column("updated_at", connector.store.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("module", name=op.f("pk_cursors")),
    )
    op.create_table(
        "dirty_customers",
        sa.Column("customer_key", sa.String(length=96), nullable=False),
        sa.PrimaryKeyConstraint("customer_key", name=op.f("pk_dirty_customers")),
    )
    op.create_table(
        "entity_links",
        sa.Column("entity_key", sa.String(length=96), nullable=False),
        sa.Column("parent_key", sa.String(length=96), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("entity_key", name=op.f("pk_entity_links")),
    )
    with op.batch_alter_table("entity_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_links_parent_key"), ["parent_key"], unique=False
        )

    op.create_table(
        "journeys",
        sa.Column("customer_key", sa.String(length=96), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("health_score", sa.Integer(), nullable=False),
        sa.Column("touchpoint_count", sa.Integer(), nullable=False),
        sa.Column(
            "data_json",
            sa.Text()
            .with_variant(mysql.LONGTEXT(), "mariadb")
            .with_variant(mysql.LONGTEXT(), "mysql"),
            nullable=False,
        ),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("built_at", connector.store.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("customer_key", name=op.f("pk_journeys")),
    )
    with op.batch_alter_table("journeys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journeys_stage"), ["stage"], unique=False)
        batch_op.create_index(batch_op.f("ix_journeys_status"), ["status"], unique=False)

    op.create_table(
        "locks",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("acquired_at", connector.store.models.UtcDateTime(), nullable=False),
        sa.Column("expires_at", connector.store.models.UtcDateTime(), nullable=False),
        sa.Column("heartbeat_at", connector.store.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_locks")),
    )
    op.create_table(
        "reconcile_ids",
        sa.Column("module", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("module", "source_id", name=op.f("pk_reconcile_ids")),
    )
    op.create_table(
        "state_meta",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("flag", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_state_meta")),
    )
    op.create_table(
        "sync_runs",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("started_at", connector.store.models.UtcDateTime(), nullable=False),
        sa.Column("finished_at", connector.store.models.UtcDateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("host", sa.String(length=128), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_runs_started_at"), ["started_at"], unique=False)

    op.create_table(
        "touchpoints",
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("module", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", connector.store.models.UtcDateTime(), nullable=True),
        sa.Column("date_modified", connector.store.models.UtcDateTime(), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=32), nullable=False),
        sa.Column("link_key", sa.String(length=96), nullable=True),
        sa.Column("customer_key", sa.String(length=96), nullable=True),
        sa.Column(
            "fields_json",
            sa.Text()
            .with_variant(mysql.LONGTEXT(), "mariadb")
            .with_variant(mysql.LONGTEXT(), "mysql"),
            nullable=False,
        ),
        sa.Column(
            "raw_json",
            sa.Text()
            .with_variant(mysql.LONGTEXT(), "mariadb")
            .with_variant(mysql.LONGTEXT(), "mysql"),
            nullable=False,
        ),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("first_seen_at", connector.store.models.UtcDateTime(), nullable=False),
        sa.Column("updated_at", connector.store.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_touchpoints")),
    )
    with op.batch_alter_table("touchpoints", schema=None) as batch_op:
        batch_op.create_index(
            "ix_touchpoints_customer", ["customer_key", "occurred_at"], unique=False
        )
        batch_op.create_index("ix_touchpoints_link", ["link_key"], unique=False)
        batch_op.create_index("ix_touchpoints_module", ["module", "date_modified"], unique=False)

    op.create_table(
        "writeback_state",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("crm_id", sa.String(length=36), nullable=False),
        sa.Column("customer_key", sa.String(length=96), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("written_at", connector.store.models.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_writeback_state")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_writeback_state_kind_key")),
    )
    with op.batch_alter_table("writeback_state", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_writeback_state_customer_key"), ["customer_key"], unique=False
        )

    op.create_table(
        "run_errors",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("module", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("at", connector.store.models.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["sync_runs.id"],
            name=op.f("fk_run_errors_run_id_sync_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_errors")),
    )
    with op.batch_alter_table("run_errors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_errors_run_id"), ["run_id"], unique=False)

    op.create_table(
        "run_module_stats",
        sa.Column("run_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("module", sa.String(length=40), nullable=False),
        sa.Column("read", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("orphans", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["sync_runs.id"],
            name=op.f("fk_run_module_stats_run_id_sync_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "module", name=op.f("pk_run_module_stats")),
    )


def downgrade() -> None:

    op.drop_table("run_module_stats")
    with op.batch_alter_table("run_errors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_errors_run_id"))

    op.drop_table("run_errors")
    with op.batch_alter_table("writeback_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_writeback_state_customer_key"))

    op.drop_table("writeback_state")
    with op.batch_alter_table("touchpoints", schema=None) as batch_op:
        batch_op.drop_index("ix_touchpoints_module")
        batch_op.drop_index("ix_touchpoints_link")
        batch_op.drop_index("ix_touchpoints_customer")

    op.drop_table("touchpoints")
    with op.batch_alter_table("sync_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_runs_started_at"))

    op.drop_table("sync_runs")
    op.drop_table("state_meta")
    op.drop_table("reconcile_ids")
    op.drop_table("locks")
    with op.batch_alter_table("journeys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journeys_status"))
        batch_op.drop_index(batch_op.f("ix_journeys_stage"))

    op.drop_table("journeys")
    with op.batch_alter_table("entity_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_links_parent_key"))

    op.drop_table("entity_links")
    op.drop_table("dirty_customers")
    op.drop_table("cursors")
