"""Table definitions (SQLAlchemy Core): learners, attempts, choices, practice items, classes.

The tables are created and changed only by the migrations in ``storage/migrations``
(Alembic); this module is the shape the code reads and writes.

Learners appear only as ``learner_key`` (SHA-256 of the code), never as the code.
``choices`` repeats the learner, scenario and jurisdiction of its attempt so the
progress charts read one table without joins; its primary key (attempt_id, step) is
what makes a retried write idempotent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL has ``timestamptz``; SQLite has no time zones and would hand back naive
    datetimes, so we store UTC there and re-attach the zone on the way out. Naive input
    is refused: guessing its zone is how timestamps silently shift.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


metadata = MetaData()

# Only values this package generates (hashes, attempt ids) have a length: scenario ids,
# node ids and labels come from YAML files, and a length limit that only PostgreSQL
# enforces would make a long id fail in production but not in development.

learners = Table(
    "learners",
    metadata,
    Column("learner_key", String(64), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

attempts = Table(
    "attempts",
    metadata,
    Column("attempt_id", String(32), primary_key=True),
    Column("learner_key", String(64), ForeignKey("learners.learner_key"), nullable=False),
    Column("scenario_id", String(), nullable=False),
    Column("jurisdiction", String(), nullable=False),
    Column("category", String(), nullable=False),
    Column("start_node", String(), nullable=False),
    Column("current_node", String(), nullable=False),
    Column("step", Integer, nullable=False, default=0),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True),
)
# "Latest unfinished attempt of this learner" and "all attempts of this learner".
Index("ix_attempts_learner_started", attempts.c.learner_key, attempts.c.started_at)

choices = Table(
    "choices",
    metadata,
    Column("attempt_id", String(32), ForeignKey("attempts.attempt_id"), primary_key=True),
    Column("step", Integer, primary_key=True),
    Column("learner_key", String(64), ForeignKey("learners.learner_key"), nullable=False),
    Column("scenario_id", String(), nullable=False),
    Column("jurisdiction", String(), nullable=False),
    Column("node_id", String(), nullable=False),
    Column("choice_index", Integer, nullable=False),
    Column("choice_label", Text, nullable=False),
    # The steps the learner ticked with the act, space-separated in the checklist's order;
    # NULL for choices saved before acts and steps were chosen apart.
    Column("steps", Text, nullable=True),
    Column("verdict", String(), nullable=False),
    Column("points", Integer, nullable=False),
    Column("category", String(), nullable=False),
    Column("next_node", String(), nullable=False),
    Column("made_at", UTCDateTime(), nullable=False),
    # How sure the learner said they were, in percent (50, 70 or 90); NULL when they did
    # not say (it is optional) and for choices saved before it was asked (migration 0005).
    Column("confidence", Integer, nullable=True),
)
# Every progress chart reads one learner's choices.
Index("ix_choices_learner_made", choices.c.learner_key, choices.c.made_at)
# The Progress tally reads only these columns: the index alone answers it (migration 0003).
Index(
    "ix_choices_learner_tally",
    choices.c.learner_key,
    choices.c.category,
    choices.c.jurisdiction,
    choices.c.verdict,
    choices.c.points,
)

# The calibration chart counts only choices with a stated confidence (migration 0005).
Index(
    "ix_choices_learner_confidence",
    choices.c.learner_key,
    choices.c.confidence,
    choices.c.category,
    choices.c.verdict,
)

# --- generated practice ------------------------------------------------------------------
# A practice item is saved like a vignette's decision: an attempt (finished as it is
# saved, its scenario id ``practice:<template>``) with one choice. This table holds what
# makes the item recoverable (the template, the seed, the facts the engine ruled on and
# the item as shown) and what the next-item selection reads: the skill it trained (the
# ruling's category and side), the answer's verdict (a copy of the choice's) and its
# position in the learner's practice (0 for the first item).

practice_items = Table(
    "practice_items",
    metadata,
    Column("attempt_id", String(32), ForeignKey("attempts.attempt_id"), primary_key=True),
    Column("learner_key", String(64), ForeignKey("learners.learner_key"), nullable=False),
    Column("template", String(), nullable=False),
    Column("seed", Integer, nullable=False),
    Column("category", String(), nullable=False),
    Column("side", String(), nullable=False),
    Column("verdict", String(), nullable=False),
    Column("position", Integer, nullable=False),
    Column("facts", Text, nullable=False),  # JSON: the engine's facts
    Column("item", Text, nullable=False),  # JSON: text and options as shown
    Column("created_at", UTCDateTime(), nullable=False),
)
# "This learner's latest answers on one skill": the selection reads a few index entries
# per skill, however long the learner's practice.
Index(
    "ix_practice_learner_skill",
    practice_items.c.learner_key,
    practice_items.c.category,
    practice_items.c.side,
    practice_items.c.position,
    practice_items.c.verdict,
)

# --- classes: instructors, cohorts, memberships, certificates --------------------------
# Instructors, like learners, are known only by the SHA-256 of a random code.

instructors = Table(
    "instructors",
    metadata,
    Column("instructor_key", String(64), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

cohorts = Table(
    "cohorts",
    metadata,
    Column("cohort_id", String(32), primary_key=True),
    # What learners type to join: short, unambiguous letters and digits.
    Column("join_code", String(16), nullable=False, unique=True),
    Column("instructor_key", String(64), ForeignKey("instructors.instructor_key"), nullable=False),
    Column("name", Text, nullable=False),
    Column("jurisdiction", String(), nullable=False),
    # The assigned vignettes, in the instructor's order, as a JSON list of scenario ids.
    Column("assigned", Text, nullable=False),
    Column("due_at", UTCDateTime(), nullable=True),
    Column("pass_mark", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)
Index("ix_cohorts_instructor", cohorts.c.instructor_key)

memberships = Table(
    "memberships",
    metadata,
    Column("cohort_id", String(32), ForeignKey("cohorts.cohort_id"), primary_key=True),
    Column("learner_key", String(64), ForeignKey("learners.learner_key"), primary_key=True),
    # Shown to this cohort's instructor only; optional.
    Column("display_name", Text, nullable=True),
    # The learner in exports (xAPI, CSV): random, per cohort, never the learner code.
    Column("pseudonym", String(16), nullable=False),
    # The latest consent, and leaving (None while a member); what is shared follows
    # sharing_periods, which keeps every stretch.
    Column("consented_at", UTCDateTime(), nullable=False),
    Column("left_at", UTCDateTime(), nullable=True),
)
Index("ix_memberships_learner", memberships.c.learner_key)

# Each stretch of sharing, from a consent to leaving: a learner who leaves and rejoins
# shares what they did in each stretch, never what they did in between.
sharing_periods = Table(
    "sharing_periods",
    metadata,
    Column("cohort_id", String(32), ForeignKey("cohorts.cohort_id"), primary_key=True),
    Column("learner_key", String(64), ForeignKey("learners.learner_key"), primary_key=True),
    Column("started_at", UTCDateTime(), primary_key=True),
    Column("ended_at", UTCDateTime(), nullable=True),
)
# Saving a choice looks up the learner's open sharing periods (migration 0007).
Index("ix_sharing_periods_learner", sharing_periods.c.learner_key, sharing_periods.c.ended_at)

certificates = Table(
    "certificates",
    metadata,
    Column("certificate_id", String(16), primary_key=True),
    Column("cohort_id", String(32), ForeignKey("cohorts.cohort_id"), nullable=False),
    Column("learner_key", String(64), ForeignKey("learners.learner_key"), nullable=False),
    Column("display_name", Text, nullable=False),
    Column("course", Text, nullable=False),
    Column("minutes", Integer, nullable=False),  # of assigned vignettes; printed as hours
    Column("jurisdiction", String(), nullable=False),
    Column("objectives", Text, nullable=False),  # JSON list
    Column("percent", Integer, nullable=False),
    Column("issued_at", UTCDateTime(), nullable=False),
)
Index("ix_certificates_cohort", certificates.c.cohort_id)

# Wrong passcodes, per client, so repeated guesses slow down on every server alike.
passcode_failures = Table(
    "passcode_failures",
    metadata,
    Column("client", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", UTCDateTime(), nullable=False),
)

# xAPI statements waiting for (or refused by) the Learning Record Store: nothing is lost.
lrs_outbox = Table(
    "lrs_outbox",
    metadata,
    Column("statement_id", String(36), primary_key=True),
    Column("cohort_id", String(32), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("sent_at", UTCDateTime(), nullable=True),
    Column("tries", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
)

# --- class statistics, kept up to date as choices are saved (storage.class_stats) -------
# A class dashboard reads these, never the choices themselves, so its cost depends on
# the class's size (members x decisions), not on how many choices they have made. Only
# shared work is counted: choices made at an assigned vignette during a sharing period.

class_learner_items = Table(
    "class_learner_items",
    metadata,
    Column("cohort_id", String(32), primary_key=True),
    Column("learner_key", String(64), primary_key=True),
    Column("scenario_id", String(), primary_key=True),
    Column("node_id", String(), primary_key=True),
    Column("category", String(), nullable=False),
    Column("answers", Integer, nullable=False),
    Column("points", Integer, nullable=False),
    Column("best", Integer, nullable=False),  # full credit: verdict "best"
    Column("over", Integer, nullable=False),
    Column("under", Integer, nullable=False),
)

class_options = Table(
    "class_options",
    metadata,
    Column("cohort_id", String(32), primary_key=True),
    Column("scenario_id", String(), primary_key=True),
    Column("node_id", String(), primary_key=True),
    Column("jurisdiction", String(), primary_key=True),
    Column("choice_index", Integer, primary_key=True),
    Column("answers", Integer, nullable=False),
)

class_steps = Table(
    "class_steps",
    metadata,
    Column("cohort_id", String(32), primary_key=True),
    Column("scenario_id", String(), primary_key=True),
    Column("node_id", String(), primary_key=True),
    Column("jurisdiction", String(), primary_key=True),
    Column("steps", Text, primary_key=True),  # as stored on choices; "" for none ticked
    Column("answers", Integer, nullable=False),
)

class_tally = Table(
    "class_tally",
    metadata,
    Column("cohort_id", String(32), primary_key=True),
    Column("category", String(), primary_key=True),
    Column("jurisdiction", String(), primary_key=True),
    Column("verdict", String(), primary_key=True),
    Column("answers", Integer, nullable=False),
    Column("points", Integer, nullable=False),
)

class_days = Table(
    "class_days",
    metadata,
    Column("cohort_id", String(32), primary_key=True),
    Column("day", String(10), primary_key=True),  # YYYY-MM-DD, UTC
    Column("answers", Integer, nullable=False),
    Column("points", Integer, nullable=False),
)

class_progress = Table(
    "class_progress",
    metadata,
    Column("cohort_id", String(32), primary_key=True),
    Column("learner_key", String(64), primary_key=True),
    Column("scenario_id", String(), primary_key=True),
    Column("open_attempts", Integer, nullable=False),  # with shared choices, unfinished
    Column("finished", Integer, nullable=False),
    Column("best_percent", Float, nullable=True),  # best finished attempt's mean points
    Column("last_at", UTCDateTime(), nullable=False),  # the latest shared choice
)

# --- live sessions: a facilitator's room, its rounds, who joined, how each voted -------
# Every server reads the room from here (no state is shared in memory), so a deployment
# may run several app servers on one PostgreSQL. Participants are known only by the
# SHA-256 of their learner code; the facilitator sees counts, never who voted what.

live_sessions = Table(
    "live_sessions",
    metadata,
    Column("session_id", String(32), primary_key=True),
    # What the room types or scans: short, unambiguous letters and digits.
    Column("join_code", String(16), nullable=False, unique=True),
    Column("instructor_key", String(64), ForeignKey("instructors.instructor_key"), nullable=False),
    Column("scenario_id", String(), nullable=False),
    Column("jurisdiction", String(), nullable=False),
    # Where the room is now (copied from its current round, so a poll reads one row).
    Column("round_no", Integer, nullable=False),
    Column("step", Integer, nullable=False),
    Column("node_id", String(), nullable=False),
    Column("phase", String(16), nullable=False),
    # Moves on with every facilitator action: a poll that sees the same number knows
    # nothing changed and reads nothing else.
    Column("version", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime(), nullable=True),
)
Index("ix_live_sessions_instructor", live_sessions.c.instructor_key, live_sessions.c.created_at)

# One row per node the room was taken to, in order; "back" returns to the parent round.
live_rounds = Table(
    "live_rounds",
    metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.session_id"), primary_key=True),
    Column("round_no", Integer, primary_key=True),
    Column("parent_round", Integer, nullable=True),
    Column("step", Integer, nullable=False),
    Column("node_id", String(), nullable=False),
    Column("phase", String(16), nullable=False),
    # The option the room followed out of this node (None until it moved on).
    Column("taken_index", Integer, nullable=True),
    Column("opened_at", UTCDateTime(), nullable=False),
)

live_participants = Table(
    "live_participants",
    metadata,
    Column("session_id", String(32), ForeignKey("live_sessions.session_id"), primary_key=True),
    Column("learner_key", String(64), primary_key=True),
    # The law this participant's votes are scored under (the session's unless they chose).
    Column("jurisdiction", String(), nullable=False),
    Column("joined_at", UTCDateTime(), nullable=False),
    # The attempt their votes were kept as, in their own history: marks it as live.
    Column("attempt_id", String(32), ForeignKey("attempts.attempt_id"), nullable=True),
)
Index("ix_live_participants_attempt", live_participants.c.attempt_id)

live_votes = Table(
    "live_votes",
    metadata,
    Column("session_id", String(32), primary_key=True),
    Column("round_no", Integer, primary_key=True),
    Column("learner_key", String(64), primary_key=True),
    Column("choice_index", Integer, nullable=False),
    Column("choice_label", Text, nullable=False),
    # The steps ticked with the act, space-separated in the checklist's order.
    Column("steps", Text, nullable=False),
    # The engine's verdict when the vote was cast, under the participant's law.
    Column("jurisdiction", String(), nullable=False),
    Column("verdict", String(), nullable=False),
    Column("points", Integer, nullable=False),
    Column("category", String(), nullable=False),
    Column("voted_at", UTCDateTime(), nullable=False),
    ForeignKeyConstraint(
        ["session_id", "round_no"], ["live_rounds.session_id", "live_rounds.round_no"]
    ),
)
