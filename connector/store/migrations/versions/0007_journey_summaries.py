"""journey summaries

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02 05:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journey_summaries",
        sa.Column("customer_key", sa.String(length=96), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_key"],
            ["journeys.customer_key"],
            name=op.f("fk_journey_summaries_customer_key_journeys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_key", name=op.f("pk_journey_summaries")),
    )


def downgrade() -> None:
    op.drop_table("journey_summaries")
