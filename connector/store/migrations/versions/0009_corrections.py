"""corrections made in SuiteCRM

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-04 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from connector.store.models import UtcDateTime

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("touchpoint_key", sa.String(length=96), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("previous_stage", sa.String(length=20), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("corrected_by", sa.String(length=64), nullable=False),
        sa.Column("corrected_by_name", sa.String(length=255), nullable=False),
        sa.Column("corrected_at", UtcDateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("crm_id", sa.String(length=36), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("touchpoint_key", name=op.f("pk_corrections")),
    )


def downgrade() -> None:
    op.drop_table("corrections")
