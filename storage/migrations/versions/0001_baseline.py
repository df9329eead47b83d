"""The first schema: learners, attempts, choices (as created before migrations existed).

Creates each table only if it is absent, so a database made by the app's earlier
``create_all`` is adopted as it is.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "learners" not in existing:
        op.create_table(
            "learners",
            sa.Column("learner_key", sa.String(64), primary_key=True),
            sa.Column("created_at", UTCDateTime(), nullable=False),
        )
    if "attempts" not in existing:
        op.create_table(
            "attempts",
            sa.Column("attempt_id", sa.String(32), primary_key=True),
            sa.Column(
                "learner_key",
                sa.String(64),
                sa.ForeignKey("learners.learner_key"),
                nullable=False,
            ),
            sa.Column("scenario_id", sa.String(), nullable=False),
            sa.Column("jurisdiction", sa.String(), nullable=False),
            sa.Column("category", sa.String(), nullable=False),
            sa.Column("start_node", sa.String(), nullable=False),
            sa.Column("current_node", sa.String(), nullable=False),
            sa.Column("step", sa.Integer, nullable=False),
            sa.Column("started_at", UTCDateTime(), nullable=False),
            sa.Column("finished_at", UTCDateTime(), nullable=True),
        )
        op.create_index("ix_attempts_learner_started", "attempts", ["learner_key", "started_at"])
    if "choices" not in existing:
        op.create_table(
            "choices",
            sa.Column(
                "attempt_id",
                sa.String(32),
                sa.ForeignKey("attempts.attempt_id"),
                primary_key=True,
            ),
            sa.Column("step", sa.Integer, primary_key=True),
            sa.Column(
                "learner_key",
                sa.String(64),
                sa.ForeignKey("learners.learner_key"),
                nullable=False,
            ),
            sa.Column("scenario_id", sa.String(), nullable=False),
            sa.Column("jurisdiction", sa.String(), nullable=False),
            sa.Column("node_id", sa.String(), nullable=False),
            sa.Column("choice_index", sa.Integer, nullable=False),
            sa.Column("choice_label", sa.Text, nullable=False),
            sa.Column("verdict", sa.String(), nullable=False),
            sa.Column("points", sa.Integer, nullable=False),
            sa.Column("category", sa.String(), nullable=False),
            sa.Column("next_node", sa.String(), nullable=False),
            sa.Column("made_at", UTCDateTime(), nullable=False),
        )
        op.create_index("ix_choices_learner_made", "choices", ["learner_key", "made_at"])
