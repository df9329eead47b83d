"""Generated practice and confidence: choices record how sure the learner was, and
practice items keep the facts and words they were made from.

``choices.confidence`` is nullable: saying how sure you are is optional, and earlier
choices were never asked. The table is written out here, not imported from
``storage.schema``, so a later change to the schema cannot change what this revision
creates.

Revision ID: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.schema import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

CALIBRATION_INDEX = "ix_choices_learner_confidence"


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if "confidence" not in {c["name"] for c in inspector.get_columns("choices")}:
        # SQLite adds a nullable column in place: no copy of a large choices table.
        with op.batch_alter_table("choices") as batch:
            batch.add_column(sa.Column("confidence", sa.Integer, nullable=True))
    if CALIBRATION_INDEX not in {i["name"] for i in inspector.get_indexes("choices")}:
        # The calibration chart reads only the choices with a stated confidence: led by
        # the learner and the confidence, the index skips a long history of unanswered
        # ones and answers the count by itself.
        op.create_index(
            CALIBRATION_INDEX,
            "choices",
            ["learner_key", "confidence", "category", "verdict"],
        )
    if "practice_items" not in set(inspector.get_table_names()):
        op.create_table(
            "practice_items",
            sa.Column(
                "attempt_id",
                sa.String(32),
                sa.ForeignKey("attempts.attempt_id"),
                primary_key=True,
            ),
            sa.Column(
                "learner_key", sa.String(64), sa.ForeignKey("learners.learner_key"), nullable=False
            ),
            sa.Column("template", sa.String(), nullable=False),
            sa.Column("seed", sa.Integer, nullable=False),
            sa.Column("category", sa.String(), nullable=False),
            sa.Column("side", sa.String(), nullable=False),
            sa.Column("verdict", sa.String(), nullable=False),
            sa.Column("position", sa.Integer, nullable=False),
            sa.Column("facts", sa.Text, nullable=False),
            sa.Column("item", sa.Text, nullable=False),
            sa.Column("created_at", UTCDateTime(), nullable=False),
        )
        op.create_index(
            "ix_practice_learner_skill",
            "practice_items",
            ["learner_key", "category", "side", "position", "verdict"],
        )
