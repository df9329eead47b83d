"""Classes: instructors, cohorts, memberships (with consent), certificates, the passcode
throttle and the LRS outbox.

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.schema import (
    certificates,
    cohorts,
    instructors,
    lrs_outbox,
    memberships,
    passcode_failures,
)

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = (instructors, cohorts, memberships, certificates, passcode_failures, lrs_outbox)


def upgrade() -> None:
    """Create each table (with its indexes) only if absent."""
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    for table in TABLES:
        if table.name not in existing:
            table.create(bind)
