"""Live sessions: a facilitator's room (``live_sessions``), the nodes it was taken to
(``live_rounds``), who joined (``live_participants``) and how each voted
(``live_votes``).

The tables are written out here, not imported from ``storage.schema``, so this revision
creates the same tables however the schema changes later. Each is created only if absent.

Revision ID: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.schema import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "live_sessions" not in existing:
        op.create_table(
            "live_sessions",
            sa.Column("session_id", sa.String(32), primary_key=True),
            sa.Column("join_code", sa.String(16), nullable=False, unique=True),
            sa.Column(
                "instructor_key",
                sa.String(64),
                sa.ForeignKey("instructors.instructor_key"),
                nullable=False,
            ),
            sa.Column("scenario_id", sa.String(), nullable=False),
            sa.Column("jurisdiction", sa.String(), nullable=False),
            sa.Column("round_no", sa.Integer, nullable=False),
            sa.Column("step", sa.Integer, nullable=False),
            sa.Column("node_id", sa.String(), nullable=False),
            sa.Column("phase", sa.String(16), nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("created_at", UTCDateTime(), nullable=False),
            sa.Column("ended_at", UTCDateTime(), nullable=True),
        )
        op.create_index(
            "ix_live_sessions_instructor", "live_sessions", ["instructor_key", "created_at"]
        )
    if "live_rounds" not in existing:
        op.create_table(
            "live_rounds",
            sa.Column(
                "session_id",
                sa.String(32),
                sa.ForeignKey("live_sessions.session_id"),
                primary_key=True,
            ),
            sa.Column("round_no", sa.Integer, primary_key=True),
            sa.Column("parent_round", sa.Integer, nullable=True),
            sa.Column("step", sa.Integer, nullable=False),
            sa.Column("node_id", sa.String(), nullable=False),
            sa.Column("phase", sa.String(16), nullable=False),
            sa.Column("taken_index", sa.Integer, nullable=True),
            sa.Column("opened_at", UTCDateTime(), nullable=False),
        )
    if "live_participants" not in existing:
        op.create_table(
            "live_participants",
            sa.Column(
                "session_id",
                sa.String(32),
                sa.ForeignKey("live_sessions.session_id"),
                primary_key=True,
            ),
            sa.Column("learner_key", sa.String(64), primary_key=True),
            sa.Column("jurisdiction", sa.String(), nullable=False),
            sa.Column("joined_at", UTCDateTime(), nullable=False),
            sa.Column(
                "attempt_id", sa.String(32), sa.ForeignKey("attempts.attempt_id"), nullable=True
            ),
        )
        op.create_index("ix_live_participants_attempt", "live_participants", ["attempt_id"])
    if "live_votes" not in existing:
        op.create_table(
            "live_votes",
            sa.Column("session_id", sa.String(32), primary_key=True),
            sa.Column("round_no", sa.Integer, primary_key=True),
            sa.Column("learner_key", sa.String(64), primary_key=True),
            sa.Column("choice_index", sa.Integer, nullable=False),
            sa.Column("choice_label", sa.Text, nullable=False),
            sa.Column("steps", sa.Text, nullable=False),
            sa.Column("jurisdiction", sa.String(), nullable=False),
            sa.Column("verdict", sa.String(), nullable=False),
            sa.Column("points", sa.Integer, nullable=False),
            sa.Column("category", sa.String(), nullable=False),
            sa.Column("voted_at", UTCDateTime(), nullable=False),
            sa.ForeignKeyConstraint(
                ["session_id", "round_no"], ["live_rounds.session_id", "live_rounds.round_no"]
            ),
        )
