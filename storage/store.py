"""The learner's history: attempts and the choices made in them.

Every choice is written in its own transaction the moment it is made, so closing the
tab loses at most the choice being saved, and :meth:`Store.open_attempt` resumes
exactly where the learner stopped. Writes are idempotent and retried, so an uncertain
failure can be retried by the app (or the learner) without duplicating anything.

Privacy: learners are known only by the SHA-256 of their code; logs carry attempt ids
and error class names only, never codes, keys, labels or database messages (which can
quote row values).
"""

from __future__ import annotations

import hmac
import logging
import numbers
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import ColumnElement, Connection, and_, case, func, insert, not_, select, update

from storage import class_stats
from storage.repository import (
    Repository,
    StorageError,
)
from storage.schema import attempts, choices, learners, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

SAVE_FAILED = "Could not save your choice; it has not been lost — press Retry."
START_FAILED = "Could not start the scenario right now; nothing was lost — press Retry."
FINISH_FAILED = "Could not mark the scenario as finished; nothing was lost — press Retry."
LOAD_FAILED = "Could not load your saved progress right now; nothing was lost — try again."
NOT_FOUND = "That attempt was not found for this learner code."
CONFLICT = (
    "This step was already saved with a different choice (perhaps in another tab). "
    "Reload to continue from what was saved."
)
OUT_OF_SYNC = "This attempt has moved on (perhaps in another tab). Reload to continue."
FINISHED = "This attempt is already finished."
MISMATCH = "This choice does not belong to the scenario of this attempt."

_TEXT, _INT, _TIME = "str", "int64", "datetime64[us, UTC]"
_MAYBE_INT = "Int64"  # pandas' nullable integer: a missing value stays missing
PRACTICE_PREFIX = "practice:"
"""Scenario id of a practice item's attempt: ``practice:<template>``. A vignette id is a
slug (no colon), so the two never collide; the vignette reads below leave these out."""
CONFIDENCE_RANGE = range(0, 101)
BAD_CONFIDENCE = "Confidence is a percentage from 0 to 100."
CHOICE_DTYPES: dict[str, str] = {
    "attempt_id": _TEXT,
    "step": _INT,
    "scenario_id": _TEXT,
    "jurisdiction": _TEXT,
    "node_id": _TEXT,
    "choice_index": _INT,
    "choice_label": _TEXT,
    "steps": "object",
    "verdict": _TEXT,
    "points": _INT,
    "category": _TEXT,
    "made_at": _TIME,
    "confidence": _MAYBE_INT,
}
ATTEMPT_DTYPES: dict[str, str] = {
    "attempt_id": _TEXT,
    "scenario_id": _TEXT,
    "jurisdiction": _TEXT,
    "category": _TEXT,
    "started_at": _TIME,
    "finished_at": _TIME,
    "choices": _INT,
    "total_points": _INT,
    "average_points": "float64",
}
TALLY_DTYPES: dict[str, str] = {
    "category": _TEXT,
    "jurisdiction": _TEXT,
    "verdict": _TEXT,
    "choices": _INT,
    "points": _INT,
}
"""Frame columns and dtypes, fixed so an empty frame looks like a full one."""
CHOICE_COLUMNS = list(CHOICE_DTYPES)
ATTEMPT_COLUMNS = list(ATTEMPT_DTYPES)
# The fields that must match for a repeated (attempt_id, step) write to be "the same".
_CONTENT = (
    "learner_key",
    "scenario_id",
    "jurisdiction",
    "node_id",
    "choice_index",
    "choice_label",
    "steps",
    "verdict",
    "points",
    "category",
    "next_node",
    "confidence",
)


@dataclass(frozen=True)
class OpenAttempt:
    """Where a learner is in an attempt: enough to put them back on the same node."""

    attempt_id: str
    scenario_id: str
    jurisdiction: str
    current_node: str
    step: int
    """Number of choices saved so far (equals ``len(path)``)."""
    path: tuple[tuple[str, int], ...]
    """(node_id, choice_index) of each saved choice, in order."""
    finished: bool = False
    steps: tuple[tuple[str, ...] | None, ...] = ()
    """The steps ticked with each saved choice, in order (None: saved before acts and
    steps were chosen apart)."""


def is_vignette(scenario_id: ColumnElement[str]) -> ColumnElement[bool]:
    """True for a vignette's attempt or choice, false for a practice item's."""
    return not_(scenario_id.like(PRACTICE_PREFIX + "%"))


def check_confidence(confidence: int | None) -> int | None:
    """A stated confidence as stored: a whole percentage, or None (not stated)."""
    if confidence is None:
        return None
    if not isinstance(confidence, numbers.Integral) or isinstance(confidence, bool):
        raise StorageError(BAD_CONFIDENCE)
    if int(confidence) not in CONFIDENCE_RANGE:
        raise StorageError(BAD_CONFIDENCE)
    return int(confidence)


class Store(Repository):
    """All reads and writes of learner history, on one SQLAlchemy engine.

    ``learner`` arguments are learner codes as typed or shown (any form
    :func:`storage.learner_code.parse_learner_code` accepts); a malformed one raises
    StorageError, so parse and validate in the UI first.
    """

    @staticmethod
    def _owned(conn: Connection, attempt_id: str, key: str) -> Any:
        """The attempt row if it exists and is this learner's, else StorageError.

        Someone else's attempt and no attempt look the same, so ids cannot be probed.
        """
        row = conn.execute(select(attempts).where(attempts.c.attempt_id == attempt_id)).first()
        if row is None or not hmac.compare_digest(row.learner_key, key):
            raise StorageError(NOT_FOUND)
        return row

    @staticmethod
    def _open(conn: Connection, row: Any) -> OpenAttempt:
        saved = conn.execute(
            select(choices.c.node_id, choices.c.choice_index, choices.c.steps)
            .where(choices.c.attempt_id == row.attempt_id)
            .order_by(choices.c.step)
        ).all()
        return OpenAttempt(
            attempt_id=row.attempt_id,
            scenario_id=row.scenario_id,
            jurisdiction=row.jurisdiction,
            current_node=row.current_node,
            step=len(saved),
            path=tuple((node, index) for node, index, _ in saved),
            finished=row.finished_at is not None,
            steps=tuple(split_steps(ticked) for _, _, ticked in saved),
        )

    # -- writes -----------------------------------------------------------------------

    def start_attempt(
        self, learner: str, scenario_id: str, jurisdiction: str, category: str, start_node: str
    ) -> str:
        """A new attempt id; older unfinished attempts are left as they are."""
        key = self._key(learner)
        attempt_id = uuid.uuid4().hex

        def work(conn: Connection) -> None:
            now = utcnow()
            known = conn.execute(
                select(learners.c.learner_key).where(learners.c.learner_key == key)
            ).first()
            if known is None:
                conn.execute(insert(learners).values(learner_key=key, created_at=now))
            exists = conn.execute(
                select(attempts.c.attempt_id).where(attempts.c.attempt_id == attempt_id)
            ).first()
            if exists is None:  # None unless a previous try committed but looked failed
                conn.execute(
                    insert(attempts).values(
                        attempt_id=attempt_id,
                        learner_key=key,
                        scenario_id=scenario_id,
                        jurisdiction=jurisdiction,
                        category=category,
                        start_node=start_node,
                        current_node=start_node,
                        step=0,
                        started_at=now,
                        finished_at=None,
                    )
                )

        self._run("start", attempt_id, START_FAILED, work)
        log.info("storage: started attempt=%s", attempt_id)
        return attempt_id

    def record_choice(
        self,
        *,
        attempt_id: str,
        learner: str,
        step: int,
        scenario_id: str,
        jurisdiction: str,
        node_id: str,
        choice_index: int,
        choice_label: str,
        verdict: str,
        points: int,
        category: str,
        next_node: str,
        steps: tuple[str, ...] | None = None,
        confidence: int | None = None,
    ) -> None:
        """Save one choice and move the attempt to ``next_node``, in one transaction.

        ``steps``: the steps the learner ticked with the act (None: not recorded).
        ``confidence``: how sure the learner said they were, in percent (None: not said).

        Repeating a saved (attempt_id, step) with the same content is a no-op (a retry
        after an uncertain failure); different content raises StorageError instead of
        overwriting what the learner did. A new step must be made at the attempt's
        current node, so the saved path is always a walk through the scenario.
        """
        key = self._key(learner)
        row_values = {
            "attempt_id": attempt_id,
            "step": int(step),
            "learner_key": key,
            "scenario_id": scenario_id,
            "jurisdiction": jurisdiction,
            "node_id": node_id,
            "choice_index": int(choice_index),
            "choice_label": choice_label,
            "steps": join_steps(steps),
            "verdict": verdict,
            "points": int(points),
            "category": category,
            "next_node": next_node,
            "confidence": check_confidence(confidence),
        }

        def work(conn: Connection) -> None:
            attempt = self._owned(conn, attempt_id, key)
            saved = conn.execute(
                select(*(choices.c[name] for name in _CONTENT)).where(
                    and_(choices.c.attempt_id == attempt_id, choices.c.step == step)
                )
            ).first()
            if saved is not None:
                if all(getattr(saved, name) == row_values[name] for name in _CONTENT):
                    log.info(
                        "storage: duplicate choice ignored attempt=%s step=%d", attempt_id, step
                    )
                    return
                log.warning(
                    "storage: conflicting choice refused attempt=%s step=%d", attempt_id, step
                )
                raise StorageError(CONFLICT)
            if attempt.finished_at is not None:
                raise StorageError(FINISHED)
            if (attempt.scenario_id, attempt.jurisdiction) != (scenario_id, jurisdiction):
                raise StorageError(MISMATCH)
            if attempt.current_node != node_id:
                log.warning(
                    "storage: out-of-sync choice refused attempt=%s step=%d", attempt_id, step
                )
                raise StorageError(OUT_OF_SYNC)
            made_at = utcnow()
            conn.execute(insert(choices).values(**row_values, made_at=made_at))
            # the classes this learner shares with count it in the same transaction
            class_stats.on_choice(conn, row_values, made_at)
            count = (
                select(func.count())
                .select_from(choices)
                .where(choices.c.attempt_id == attempt_id)
                .scalar_subquery()
            )
            conn.execute(
                update(attempts)
                .where(attempts.c.attempt_id == attempt_id)
                .values(current_node=next_node, step=count)
            )

        self._run("record_choice", attempt_id, SAVE_FAILED, work)

    def finish_attempt(self, attempt_id: str, learner: str) -> None:
        """Mark the attempt finished (once: finishing again keeps the first time)."""
        key = self._key(learner)

        def work(conn: Connection) -> None:
            attempt = self._owned(conn, attempt_id, key)
            if attempt.finished_at is None:
                conn.execute(
                    update(attempts)
                    .where(attempts.c.attempt_id == attempt_id)
                    .values(finished_at=utcnow())
                )
                class_stats.on_finish(conn, attempt_id, key, attempt.scenario_id)

        self._run("finish", attempt_id, FINISH_FAILED, work)

    # -- reads ------------------------------------------------------------------------

    def open_attempt(self, learner: str) -> OpenAttempt | None:
        """The learner's latest unfinished attempt, to offer "continue where you left off"."""
        key = self._key(learner)

        def work(conn: Connection) -> OpenAttempt | None:
            row = conn.execute(
                select(attempts)
                .where(
                    attempts.c.learner_key == key,
                    attempts.c.finished_at.is_(None),
                    is_vignette(attempts.c.scenario_id),
                )
                .order_by(attempts.c.started_at.desc(), attempts.c.attempt_id.desc())
                .limit(1)
            ).first()
            return None if row is None else self._open(conn, row)

        return self._run("open_attempt", None, LOAD_FAILED, work)

    def get_attempt(self, attempt_id: str, learner: str) -> OpenAttempt | None:
        """That attempt (finished or not) if it is this learner's; None otherwise."""
        key = self._key(learner)

        def work(conn: Connection) -> OpenAttempt | None:
            try:
                row = self._owned(conn, attempt_id, key)
            except StorageError:
                return None
            return self._open(conn, row)

        return self._run("get_attempt", attempt_id, LOAD_FAILED, work)

    def choices_frame(self, learner: str, attempt_id: str | None = None) -> pd.DataFrame:
        """The learner's saved choices, oldest first: the charts' input (practice items'
        choices included: their scenario id starts with ``practice:``).

        With ``attempt_id``, only that attempt's (the debrief's input), filtered in the
        database so a debrief rerun does not read the learner's whole history.
        """
        key = self._key(learner)
        where = [choices.c.learner_key == key]
        if attempt_id is not None:
            where.append(choices.c.attempt_id == attempt_id)

        def work(conn: Connection) -> list[Any]:
            return list(
                conn.execute(
                    select(*(choices.c[name] for name in CHOICE_COLUMNS))
                    .where(and_(*where))
                    .order_by(choices.c.made_at, choices.c.attempt_id, choices.c.step)
                ).all()
            )

        return _frame(self._run("choices_frame", None, LOAD_FAILED, work), CHOICE_DTYPES)

    def tally(self, learner: str) -> pd.DataFrame:
        """The learner's choices counted by category, jurisdiction and verdict, with the
        points summed: every Progress chart and figure in one small frame, whatever the
        history's length (at most categories x jurisdictions x verdicts rows). Vignettes
        and practice together; ``storage.practice`` tallies practice alone."""
        key = self._key(learner)

        def work(conn: Connection) -> list[Any]:
            query = (
                select(
                    choices.c.category,
                    choices.c.jurisdiction,
                    choices.c.verdict,
                    func.count().label("choices"),
                    func.sum(choices.c.points).label("points"),
                )
                .where(choices.c.learner_key == key)
                .group_by(choices.c.category, choices.c.jurisdiction, choices.c.verdict)
                .order_by(choices.c.category, choices.c.jurisdiction, choices.c.verdict)
            )
            return list(conn.execute(query).all())

        return _frame(self._run("tally", None, LOAD_FAILED, work), TALLY_DTYPES)

    def finished_scenarios(self, learner: str) -> set[str]:
        """Ids of the vignettes this learner has finished at least once."""
        key = self._key(learner)

        def work(conn: Connection) -> set[str]:
            rows = conn.execute(
                select(attempts.c.scenario_id)
                .where(
                    attempts.c.learner_key == key,
                    attempts.c.finished_at.is_not(None),
                    is_vignette(attempts.c.scenario_id),
                )
                .distinct()
            )
            return {row[0] for row in rows}

        return self._run("finished_scenarios", None, LOAD_FAILED, work)

    def attempt_counts(self, learner: str) -> tuple[int, int, int]:
        """(attempts started, attempts finished, attempts with at least one choice), of
        vignettes: practice items are counted apart (``storage.practice``).

        An attempt's ``step`` counts its saved choices (``record_choice`` keeps it so),
        so this reads only the attempts table, never the choices.
        """
        key = self._key(learner)

        def work(conn: Connection) -> tuple[int, int, int]:
            played = func.sum(case((attempts.c.step > 0, 1), else_=0))
            row = conn.execute(
                select(func.count(), func.count(attempts.c.finished_at), played).where(
                    attempts.c.learner_key == key, is_vignette(attempts.c.scenario_id)
                )
            ).one()
            return int(row[0]), int(row[1]), int(row[2] or 0)

        return self._run("attempt_counts", None, LOAD_FAILED, work)

    def attempts_frame(
        self,
        learner: str,
        *,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
        with_choices_only: bool = False,
    ) -> pd.DataFrame:
        """One row per vignette attempt (practice items are not attempts at a vignette)
        with its number of choices and points, oldest first
        (``newest_first`` reverses it); ``limit``/``offset`` page through them in the
        database, so a long history is never loaded whole: the page of attempts is
        chosen from the attempts table (by its learner-and-time index) before any choice
        is summed."""
        key = self._key(learner)

        def work(conn: Connection) -> list[Any]:
            order = (attempts.c.started_at, attempts.c.attempt_id)
            page = (
                select(attempts.c.attempt_id)
                .where(attempts.c.learner_key == key, is_vignette(attempts.c.scenario_id))
                .order_by(*(column.desc() for column in order) if newest_first else order)
                .offset(offset)
            )
            if with_choices_only:
                page = page.where(attempts.c.step > 0)
            if limit is not None:
                page = page.limit(limit)
            chosen = page.subquery()
            n = func.count(choices.c.step)
            total = func.coalesce(func.sum(choices.c.points), 0)
            query = (
                select(
                    attempts.c.attempt_id,
                    attempts.c.scenario_id,
                    attempts.c.jurisdiction,
                    attempts.c.category,
                    attempts.c.started_at,
                    attempts.c.finished_at,
                    n.label("choices"),
                    total.label("total_points"),
                )
                .select_from(
                    attempts.join(chosen, chosen.c.attempt_id == attempts.c.attempt_id).outerjoin(
                        choices, choices.c.attempt_id == attempts.c.attempt_id
                    )
                )
                .group_by(*attempts.c)
                .order_by(*(column.desc() for column in order) if newest_first else order)
            )
            return list(conn.execute(query).all())

        rows = self._run("attempts_frame", None, LOAD_FAILED, work)
        frame = _frame([(*row, float("nan")) for row in rows], ATTEMPT_DTYPES)
        # No choices yet means no average (NaN), not an average of 0.
        frame["average_points"] = frame["total_points"] / frame["choices"].where(
            frame["choices"] > 0
        )
        return frame


def join_steps(steps: Sequence[str] | None) -> str | None:
    """Steps as stored: space-separated ("" for none ticked; None when not recorded)."""
    return None if steps is None else " ".join(steps)


def split_steps(stored: str | None) -> tuple[str, ...] | None:
    return None if stored is None else tuple(stored.split())


def _frame(rows: Sequence[Sequence[Any]], dtypes: dict[str, str]) -> pd.DataFrame:
    """A frame with exactly these columns and dtypes, even when there are no rows."""
    frame = pd.DataFrame([tuple(row) for row in rows], columns=list(dtypes))
    for name, dtype in dtypes.items():
        if dtype == _TIME:
            frame[name] = pd.to_datetime(frame[name], utc=True).astype(dtype)
        elif dtype == _MAYBE_INT:
            frame[name] = pd.array(
                [None if pd.isna(v) else int(v) for v in frame[name]], dtype=_MAYBE_INT
            )
        elif dtype == "object":  # text that may be missing: None, not NaN
            column = frame[name].astype(object)
            frame[name] = column.where(column.notna(), None)
        else:
            frame[name] = frame[name].astype(dtype)
    return frame
