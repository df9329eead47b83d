"""An index that answers the Progress tally by itself.

Progress counts a learner's choices by category, jurisdiction and verdict and sums their
points. With every column it reads in one index, led by the learner, the database never
visits the table: a learner with 100,000 choices is tallied from the index alone.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NAME = "ix_choices_learner_tally"


def upgrade() -> None:
    existing = {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("choices")}
    if NAME not in existing:
        op.create_index(
            NAME, "choices", ["learner_key", "category", "jurisdiction", "verdict", "points"]
        )
