"""Classes: instructors, cohorts, memberships (with consent) and their sharing periods,
certificates, the passcode throttle and the LRS outbox.

The tables are written out here, not imported from ``storage.schema``, so this
revision creates the same tables however the schema changes later.

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.schema import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _tables(meta: sa.MetaData) -> list[sa.Table]:
    # the learners table (revision 0001) as the foreign keys see it; not created here
    sa.Table("learners", meta, sa.Column("learner_key", sa.String(64), primary_key=True))
    instructors = sa.Table(
        "instructors",
        meta,
        sa.Column("instructor_key", sa.String(64), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    cohorts = sa.Table(
        "cohorts",
        meta,
        sa.Column("cohort_id", sa.String(32), primary_key=True),
        sa.Column("join_code", sa.String(16), nullable=False, unique=True),
        sa.Column(
            "instructor_key",
            sa.String(64),
            sa.ForeignKey("instructors.instructor_key"),
            nullable=False,
        ),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("jurisdiction", sa.String(), nullable=False),
        sa.Column("assigned", sa.Text, nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("pass_mark", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Index("ix_cohorts_instructor", "instructor_key"),
    )
    memberships = sa.Table(
        "memberships",
        meta,
        sa.Column("cohort_id", sa.String(32), sa.ForeignKey("cohorts.cohort_id"), primary_key=True),
        sa.Column(
            "learner_key", sa.String(64), sa.ForeignKey("learners.learner_key"), primary_key=True
        ),
        sa.Column("display_name", sa.Text, nullable=True),
        sa.Column("pseudonym", sa.String(16), nullable=False),
        sa.Column("consented_at", UTCDateTime(), nullable=False),
        sa.Column("left_at", UTCDateTime(), nullable=True),
        sa.Index("ix_memberships_learner", "learner_key"),
    )
    sharing_periods = sa.Table(
        "sharing_periods",
        meta,
        sa.Column("cohort_id", sa.String(32), sa.ForeignKey("cohorts.cohort_id"), primary_key=True),
        sa.Column(
            "learner_key", sa.String(64), sa.ForeignKey("learners.learner_key"), primary_key=True
        ),
        sa.Column("started_at", UTCDateTime(), primary_key=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
    )
    certificates = sa.Table(
        "certificates",
        meta,
        sa.Column("certificate_id", sa.String(16), primary_key=True),
        sa.Column("cohort_id", sa.String(32), sa.ForeignKey("cohorts.cohort_id"), nullable=False),
        sa.Column(
            "learner_key", sa.String(64), sa.ForeignKey("learners.learner_key"), nullable=False
        ),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("course", sa.Text, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("jurisdiction", sa.String(), nullable=False),
        sa.Column("objectives", sa.Text, nullable=False),
        sa.Column("percent", sa.Integer, nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Index("ix_certificates_cohort", "cohort_id"),
    )
    passcode_failures = sa.Table(
        "passcode_failures",
        meta,
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", UTCDateTime(), nullable=False),
    )
    lrs_outbox = sa.Table(
        "lrs_outbox",
        meta,
        sa.Column("statement_id", sa.String(36), primary_key=True),
        sa.Column("cohort_id", sa.String(32), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("tries", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
    )
    return [
        instructors,
        cohorts,
        memberships,
        sharing_periods,
        certificates,
        passcode_failures,
        lrs_outbox,
    ]


def upgrade() -> None:
    """Create each table (with its indexes) only if absent."""
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in _tables(sa.MetaData()):
        if table.name not in existing:
            table.create(bind)


def downgrade() -> None:
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in reversed(_tables(sa.MetaData())):
        if table.name in existing:
            table.drop(bind)
