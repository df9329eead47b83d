"""Class statistics counted as choices are saved (``storage.class_stats``), and the
index that finds a learner's open sharing periods when a choice is saved.

The tables are written out here, not imported from ``storage.schema``, so this revision
creates the same tables however the schema changes later. Classes existing before this
revision get their statistics rebuilt from their shared choices.

Revision ID: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.schema import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _tables(meta: sa.MetaData) -> list[sa.Table]:
    def key(name: str, kind: sa.types.TypeEngine) -> sa.Column:
        return sa.Column(name, kind, primary_key=True)

    def count(name: str) -> sa.Column:
        return sa.Column(name, sa.Integer, nullable=False)

    def cohort() -> tuple[sa.Column, ...]:
        return (key("cohort_id", sa.String(32)),)

    def place() -> tuple[sa.Column, ...]:
        return (key("scenario_id", sa.String()), key("node_id", sa.String()))

    return [
        sa.Table(
            "class_learner_items",
            meta,
            *cohort(),
            key("learner_key", sa.String(64)),
            *place(),
            sa.Column("category", sa.String(), nullable=False),
            *(count(n) for n in ("answers", "points", "best", "over", "under")),
        ),
        sa.Table(
            "class_options",
            meta,
            *cohort(),
            *place(),
            key("jurisdiction", sa.String()),
            key("choice_index", sa.Integer),
            count("answers"),
        ),
        sa.Table(
            "class_steps",
            meta,
            *cohort(),
            *place(),
            key("jurisdiction", sa.String()),
            key("steps", sa.Text),
            count("answers"),
        ),
        sa.Table(
            "class_tally",
            meta,
            *cohort(),
            key("category", sa.String()),
            key("jurisdiction", sa.String()),
            key("verdict", sa.String()),
            count("answers"),
            count("points"),
        ),
        sa.Table(
            "class_days",
            meta,
            *cohort(),
            key("day", sa.String(10)),
            count("answers"),
            count("points"),
        ),
        sa.Table(
            "class_progress",
            meta,
            *cohort(),
            key("learner_key", sa.String(64)),
            key("scenario_id", sa.String()),
            count("open_attempts"),
            count("finished"),
            sa.Column("best_percent", sa.Float, nullable=True),
            sa.Column("last_at", UTCDateTime(), nullable=False),
        ),
    ]


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    existing = set(inspector.get_table_names())
    for table in _tables(sa.MetaData()):
        if table.name not in existing:
            table.create(bind)
    indexes = {i["name"] for i in inspector.get_indexes("sharing_periods")}
    if "ix_sharing_periods_learner" not in indexes:
        op.create_index(
            "ix_sharing_periods_learner", "sharing_periods", ["learner_key", "ended_at"]
        )
    # classes made before this revision: count what they shared so far
    from storage.class_stats import rebuild

    for (cohort_id,) in bind.execute(sa.text("SELECT cohort_id FROM cohorts")).all():
        rebuild(bind, cohort_id)


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_sharing_periods_learner", "sharing_periods")
    existing = set(sa.inspect(bind).get_table_names())
    for table in reversed(_tables(sa.MetaData())):
        if table.name in existing:
            table.drop(bind)
