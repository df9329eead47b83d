"""Classes: an instructor's cohorts, learners who join them with consent, the work they
share, and the certificates they earn.

What a cohort's instructor sees is exactly this: the choices a member made in attempts
at the cohort's assigned vignettes that started after the member agreed to share (and
before they left), their optional display name, and a per-cohort pseudonym. Never the
learner code, never other vignettes, never another cohort's members. Every query here
takes the instructor's (or the learner's) code and checks ownership in the database, so a
page cannot ask for someone else's data by id.
"""

from __future__ import annotations

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from storage.learner_code import learner_key
from storage.repository import Repository, StorageError
from storage.schema import (
    attempts,
    certificates,
    choices,
    cohorts,
    instructors,
    learners,
    memberships,
    sharing_periods,
    utcnow,
)
from storage.short_codes import new_code, normal_code

JOIN_LENGTH = 7
CERTIFICATE_ID_LENGTH = 12
DEFAULT_PASS_MARK = 80
MAX_NAME = 80
MAX_DISPLAY_NAME = 60

LOAD_FAILED = "Could not load the class right now; nothing was lost — try again."
SAVE_FAILED = "Could not save that right now; nothing was lost — try again."
NO_SUCH_CLASS = "No class has that join code. Check it with your instructor."
NOT_YOURS = "That class was not found among yours."
NOT_CONSENTED = "You can join only after agreeing to what will be shared."
NOT_A_MEMBER = "You are not a member of that class."
NOT_COMPLETE = (
    "A certificate is available once every assigned vignette is finished at or above the pass mark."
)
BAD_INSTRUCTOR = "That instructor code is not valid."


@dataclass(frozen=True)
class Cohort:
    """A class as its instructor set it up."""

    cohort_id: str
    join_code: str
    name: str
    jurisdiction: str
    assigned: tuple[str, ...]
    due_at: datetime | None
    pass_mark: int
    created_at: datetime

    def jurisdiction_for(self, written_for: str) -> str:
        return play_jurisdiction(self.jurisdiction, written_for)


@dataclass(frozen=True)
class Membership:
    cohort: Cohort
    display_name: str | None
    pseudonym: str
    consented_at: datetime


def play_jurisdiction(class_jurisdiction: str, written_for: str) -> str:
    """The law a class member plays an assigned vignette under: the vignette's own when
    it is written for a state (its options were written for that law; under another
    state's, no option may be right), the class's for a model-law vignette."""
    return class_jurisdiction if written_for == "MODEL" else written_for


def new_join_code() -> str:
    return new_code(JOIN_LENGTH)


def normal_join_code(text: str | None) -> str | None:
    """A typed join code in canonical form, or None (``storage.short_codes``)."""
    return normal_code(text, JOIN_LENGTH)


def clean_text(value: str | None, limit: int) -> str | None:
    """User text kept as typed, trimmed, bounded; blank is None."""
    if value is None:
        return None
    value = " ".join(str(value).split())[:limit]
    return value or None


def _cohort(row: Any) -> Cohort:
    return Cohort(
        cohort_id=row.cohort_id,
        join_code=row.join_code,
        name=row.name,
        jurisdiction=row.jurisdiction,
        assigned=tuple(json.loads(row.assigned)),
        due_at=row.due_at,
        pass_mark=int(row.pass_mark),
        created_at=row.created_at,
    )


def shared_choices_query(cohort_id: str) -> Any:
    """The choices a cohort's members shared: those made within one of their sharing
    periods (from consenting to leaving), which is what the consent text promises. The
    caller adds the assigned-vignettes filter. Columns match ``CHOICE_EXPORT_COLUMNS``."""
    return (
        select(
            memberships.c.pseudonym,
            memberships.c.display_name,
            attempts.c.attempt_id,
            attempts.c.started_at,
            attempts.c.finished_at,
            choices.c.step,
            choices.c.scenario_id,
            choices.c.jurisdiction,
            choices.c.category,
            choices.c.node_id,
            choices.c.choice_index,
            choices.c.choice_label,
            choices.c.steps,
            choices.c.verdict,
            choices.c.points,
            choices.c.made_at,
        )
        .select_from(
            memberships.join(
                sharing_periods,
                and_(
                    sharing_periods.c.cohort_id == memberships.c.cohort_id,
                    sharing_periods.c.learner_key == memberships.c.learner_key,
                ),
            )
            .join(choices, choices.c.learner_key == memberships.c.learner_key)
            .join(attempts, attempts.c.attempt_id == choices.c.attempt_id)
        )
        .where(
            memberships.c.cohort_id == cohort_id,
            choices.c.made_at >= sharing_periods.c.started_at,
            or_(
                sharing_periods.c.ended_at.is_(None),
                choices.c.made_at < sharing_periods.c.ended_at,
            ),
        )
    )


class Cohorts(Repository):
    """Create and run classes; join, consent, leave; the data a class's instructor sees."""

    # -- instructors ------------------------------------------------------------------

    def register_instructor(self, code: str) -> None:
        """Record an instructor code (its hash) the first time it is used."""
        key = self._instructor_key(code)

        def work(conn: Connection) -> None:
            known = conn.execute(
                select(instructors.c.instructor_key).where(instructors.c.instructor_key == key)
            ).first()
            if known is None:
                conn.execute(insert(instructors).values(instructor_key=key, created_at=utcnow()))

        self._run("register_instructor", None, SAVE_FAILED, work)

    @staticmethod
    def _instructor_key(code: str) -> str:
        key = learner_key(code)  # the same code format and hash as a learner's
        if key is None:
            raise StorageError(BAD_INSTRUCTOR)
        return key

    def create_cohort(
        self,
        instructor: str,
        *,
        name: str,
        jurisdiction: str,
        assigned: list[str],
        due_at: datetime | None = None,
        pass_mark: int = DEFAULT_PASS_MARK,
    ) -> Cohort:
        """A new class with a fresh join code (retried on the rare clash)."""
        key = self._instructor_key(instructor)
        name = clean_text(name, MAX_NAME) or "Untitled class"
        if not assigned:
            raise StorageError("Assign at least one vignette.")
        if not 0 <= pass_mark <= 100:
            raise StorageError("The pass mark is a percentage from 0 to 100.")
        self.register_instructor(instructor)
        cohort_id = uuid.uuid4().hex
        for _ in range(5):
            code = new_join_code()

            def work(conn: Connection, code: str = code) -> None:
                conn.execute(
                    insert(cohorts).values(
                        cohort_id=cohort_id,
                        join_code=code,
                        instructor_key=key,
                        name=name,
                        jurisdiction=jurisdiction,
                        assigned=json.dumps(list(dict.fromkeys(assigned))),
                        due_at=due_at,
                        pass_mark=int(pass_mark),
                        created_at=utcnow(),
                    )
                )

            try:
                with self.engine.begin() as conn:
                    work(conn)
            except IntegrityError:
                continue  # the join code was taken: draw another
            cohort = self.instructor_cohort(instructor, cohort_id)
            assert cohort is not None
            return cohort
        raise StorageError(SAVE_FAILED, retryable=True)

    def instructor_cohorts(self, instructor: str) -> list[Cohort]:
        key = self._instructor_key(instructor)

        def work(conn: Connection) -> list[Cohort]:
            rows = conn.execute(
                select(cohorts)
                .where(cohorts.c.instructor_key == key)
                .order_by(cohorts.c.created_at.desc())
            )
            return [_cohort(row) for row in rows]

        return self._run("instructor_cohorts", None, LOAD_FAILED, work)

    def all_cohorts(self) -> list[Cohort]:
        """Every class, oldest first: for the administrator's command line only."""

        def work(conn: Connection) -> list[Cohort]:
            rows = conn.execute(select(cohorts).order_by(cohorts.c.created_at))
            return [_cohort(row) for row in rows]

        return self._run("all_cohorts", None, LOAD_FAILED, work)

    def instructor_cohort(self, instructor: str, cohort_id: str) -> Cohort | None:
        """That class if this instructor owns it; None for anyone else's (or none)."""
        key = self._instructor_key(instructor)

        def work(conn: Connection) -> Cohort | None:
            row = conn.execute(
                select(cohorts).where(
                    and_(cohorts.c.cohort_id == cohort_id, cohorts.c.instructor_key == key)
                )
            ).first()
            return None if row is None else _cohort(row)

        return self._run("instructor_cohort", None, LOAD_FAILED, work)

    # -- learners ---------------------------------------------------------------------

    def cohort_by_join_code(self, join_code: str) -> Cohort | None:
        """What a learner sees before joining: the class, not its instructor or members."""
        code = normal_join_code(join_code)
        if code is None:
            return None

        def work(conn: Connection) -> Cohort | None:
            row = conn.execute(select(cohorts).where(cohorts.c.join_code == code)).first()
            return None if row is None else _cohort(row)

        return self._run("cohort_by_join_code", None, LOAD_FAILED, work)

    def join(
        self, learner: str, join_code: str, *, consented: bool, display_name: str | None
    ) -> Membership:
        """Join (or rejoin) a class. Nothing is shared unless ``consented`` is True, and
        sharing starts now: earlier attempts stay private."""
        if not consented:
            raise StorageError(NOT_CONSENTED)
        key = self._key(learner)
        cohort = self.cohort_by_join_code(join_code)
        if cohort is None:
            raise StorageError(NO_SUCH_CLASS)
        name = clean_text(display_name, MAX_DISPLAY_NAME)

        def work(conn: Connection) -> None:
            now = utcnow()
            if conn.execute(select(learners).where(learners.c.learner_key == key)).first() is None:
                conn.execute(insert(learners).values(learner_key=key, created_at=now))
            row = conn.execute(
                select(memberships).where(
                    and_(
                        memberships.c.cohort_id == cohort.cohort_id,
                        memberships.c.learner_key == key,
                    )
                )
            ).first()
            if row is not None and row.left_at is None:
                # already sharing: keep the period; only the display name changes
                conn.execute(
                    update(memberships)
                    .where(
                        and_(
                            memberships.c.cohort_id == cohort.cohort_id,
                            memberships.c.learner_key == key,
                        )
                    )
                    .values(display_name=name)
                )
                return
            conn.execute(
                insert(sharing_periods).values(
                    cohort_id=cohort.cohort_id, learner_key=key, started_at=now, ended_at=None
                )
            )
            if row is None:
                conn.execute(
                    insert(memberships).values(
                        cohort_id=cohort.cohort_id,
                        learner_key=key,
                        display_name=name,
                        pseudonym=secrets.token_hex(8),
                        consented_at=now,
                        left_at=None,
                    )
                )
            else:  # rejoining: a fresh consent, a new sharing period from now on
                conn.execute(
                    update(memberships)
                    .where(
                        and_(
                            memberships.c.cohort_id == cohort.cohort_id,
                            memberships.c.learner_key == key,
                        )
                    )
                    .values(display_name=name, consented_at=now, left_at=None)
                )

        self._run("join", None, SAVE_FAILED, work)
        membership = self.membership(learner, cohort.cohort_id)
        assert membership is not None
        return membership

    def leave(self, learner: str, cohort_id: str) -> None:
        """Stop sharing from now on (what was shared before stays with the class)."""
        key = self._key(learner)

        def work(conn: Connection) -> None:
            done = conn.execute(
                update(memberships)
                .where(
                    and_(
                        memberships.c.cohort_id == cohort_id,
                        memberships.c.learner_key == key,
                        memberships.c.left_at.is_(None),
                    )
                )
                .values(left_at=utcnow())
            ).rowcount
            if not done:
                raise StorageError(NOT_A_MEMBER)
            conn.execute(
                update(sharing_periods)
                .where(
                    and_(
                        sharing_periods.c.cohort_id == cohort_id,
                        sharing_periods.c.learner_key == key,
                        sharing_periods.c.ended_at.is_(None),
                    )
                )
                .values(ended_at=utcnow())
            )

        self._run("leave", None, SAVE_FAILED, work)

    def membership(self, learner: str, cohort_id: str) -> Membership | None:
        key = self._key(learner)

        def work(conn: Connection) -> Membership | None:
            row = conn.execute(
                select(memberships, cohorts)
                .join(cohorts, cohorts.c.cohort_id == memberships.c.cohort_id)
                .where(
                    memberships.c.cohort_id == cohort_id,
                    memberships.c.learner_key == key,
                    memberships.c.left_at.is_(None),
                )
            ).first()
            if row is None:
                return None
            return Membership(_cohort(row), row.display_name, row.pseudonym, row.consented_at)

        return self._run("membership", None, LOAD_FAILED, work)

    def learner_memberships(self, learner: str) -> list[Membership]:
        """The classes this learner currently shares with, newest first."""
        key = self._key(learner)

        def work(conn: Connection) -> list[Membership]:
            rows = conn.execute(
                select(memberships, cohorts)
                .join(cohorts, cohorts.c.cohort_id == memberships.c.cohort_id)
                .where(memberships.c.learner_key == key, memberships.c.left_at.is_(None))
                .order_by(memberships.c.consented_at.desc())
            )
            return [
                Membership(_cohort(r), r.display_name, r.pseudonym, r.consented_at) for r in rows
            ]

        return self._run("learner_memberships", None, LOAD_FAILED, work)

    # -- what the class shared ----------------------------------------------------------

    def shared_choices(self, instructor: str, cohort_id: str) -> pd.DataFrame:
        """Every shared choice of the class, for the instructor who owns it, oldest first."""
        cohort = self.instructor_cohort(instructor, cohort_id)
        if cohort is None:
            raise StorageError(NOT_YOURS)
        return self.class_choices(cohort)

    def class_choices(self, cohort: Cohort, learner_key_only: str | None = None) -> pd.DataFrame:
        """A class's shared choices (optionally one member's). No ownership check: for
        the administrator's command line and for callers that checked it already."""
        query = shared_choices_query(cohort.cohort_id).where(
            choices.c.scenario_id.in_(cohort.assigned)
        )
        if learner_key_only is not None:
            query = query.where(memberships.c.learner_key == learner_key_only)
        query = query.order_by(choices.c.made_at, attempts.c.attempt_id, choices.c.step)

        def work(conn: Connection) -> list[Any]:
            return list(conn.execute(query).all())

        rows = self._run("shared_choices", None, LOAD_FAILED, work)
        frame = pd.DataFrame([tuple(r) for r in rows], columns=CHOICE_EXPORT_COLUMNS)
        for name in ("started_at", "finished_at", "made_at"):
            frame[name] = pd.to_datetime(frame[name], utc=True)
        return frame

    def learner_shared(self, learner: str, cohort_id: str) -> pd.DataFrame:
        """What this learner has shared with the class (to show them, and for the
        certificate)."""
        membership = self.membership(learner, cohort_id)
        if membership is None:
            raise StorageError(NOT_A_MEMBER)
        return self.class_choices(membership.cohort, self._key(learner))

    # -- certificates -------------------------------------------------------------------

    def record_certificate(
        self,
        learner: str,
        cohort_id: str,
        *,
        display_name: str,
        minutes: int,
        objectives: list[str],
    ) -> dict[str, Any]:
        """Store a certificate and return it, if this member has finished every assigned
        vignette at or above the pass mark (checked here, from the database: the page's
        word is not enough). ``minutes`` and ``objectives`` come from the vignettes."""
        from storage.class_analysis import standing  # a cycle at import time otherwise

        key = self._key(learner)
        membership = self.membership(learner, cohort_id)
        if membership is None:
            raise StorageError(NOT_A_MEMBER)
        earned = standing(self.class_choices(membership.cohort, key), membership.cohort)
        if not earned.complete:
            raise StorageError(NOT_COMPLETE)
        percent = earned.percent
        name = clean_text(display_name, MAX_DISPLAY_NAME)
        if not name:
            raise StorageError("Enter the name to print on the certificate.")
        record = {
            "certificate_id": new_code(CERTIFICATE_ID_LENGTH),
            "cohort_id": cohort_id,
            "learner_key": key,
            "display_name": name,
            "course": membership.cohort.name,
            "minutes": int(minutes),
            "jurisdiction": membership.cohort.jurisdiction,
            "objectives": json.dumps(objectives),
            "percent": int(percent),
            "issued_at": utcnow(),
        }

        def work(conn: Connection) -> None:
            conn.execute(insert(certificates).values(**record))

        self._run("record_certificate", None, SAVE_FAILED, work)
        return {**record, "objectives": objectives}

    def lookup_certificate(self, instructor: str, certificate_id: str) -> dict[str, Any] | None:
        """A certificate of one of this instructor's classes, by its id; None otherwise."""
        key = self._instructor_key(instructor)
        wanted = normal_code(certificate_id, CERTIFICATE_ID_LENGTH)
        if wanted is None:
            return None

        def work(conn: Connection) -> dict[str, Any] | None:
            row = conn.execute(
                select(certificates, cohorts.c.name.label("class_name"))
                .join(cohorts, cohorts.c.cohort_id == certificates.c.cohort_id)
                .where(
                    certificates.c.certificate_id == wanted,
                    cohorts.c.instructor_key == key,
                )
            ).first()
            if row is None:
                return None
            data = dict(row._mapping)
            data.pop("learner_key", None)
            data["objectives"] = json.loads(data["objectives"])
            return data

        return self._run("lookup_certificate", None, LOAD_FAILED, work)


CHOICE_EXPORT_COLUMNS = [
    "pseudonym",
    "display_name",
    "attempt_id",
    "started_at",
    "finished_at",
    "step",
    "scenario_id",
    "jurisdiction",
    "category",
    "node_id",
    "choice_index",
    "choice_label",
    "steps",
    "verdict",
    "points",
    "made_at",
]
"""Stable column names of the choices export (documented in the README)."""
