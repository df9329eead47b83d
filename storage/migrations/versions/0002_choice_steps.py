"""Choices record the steps ticked with the act (acts and steps are chosen apart).

Nullable: choices saved before this change have no separate steps and still display.

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("choices")}
    if "steps" not in columns:
        with op.batch_alter_table("choices") as batch:
            batch.add_column(sa.Column("steps", sa.Text, nullable=True))
