"""cursor lanes: a module read by several lanes (id ranges) keeps each lane's position

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cursors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lanes_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cursors", schema=None) as batch_op:
        batch_op.drop_column("lanes_json")
