"""Root causes: a finding that follows from another (its cause) names the cause's fingerprint.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("findings", "issues"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("cause", sa.String(32), nullable=True))


def downgrade() -> None:
    for table in ("findings", "issues"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("cause")
