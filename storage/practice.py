"""Generated practice in the learner's history, and the confidence they stated.

A practice item is saved like a vignette's decision, so everything that reads choices
(the Progress tally, the CSV download) sees it: one attempt per item, finished as it is
saved, whose scenario id is ``practice:<template>``, with one choice. ``practice_items``
beside it keeps what makes the item recoverable (template, seed, the facts the engine
ruled on, the words and options shown) and what the next-item selection reads, so it
never touches the choices: the skill trained (category and side), the verdict (a copy of
the choice's) and the item's position in the learner's practice.

The item, its attempt and its choice are written in one transaction, and the write is
idempotent on the item's id: the same answer saved twice (a retry, a second tab) is a
no-op; a different answer to an item already answered is refused, never overwritten.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, insert, select, union_all

from storage.repository import Repository, StorageError
from storage.schema import attempts, choices, learners, practice_items, utcnow
from storage.store import (
    LOAD_FAILED,
    PRACTICE_PREFIX,
    SAVE_FAILED,
    TALLY_DTYPES,
    _frame,
    check_confidence,
    join_steps,
)

log = logging.getLogger(__name__)

NODE, ENDING = "item", "done"  # a practice item is a one-decision vignette
ANSWERED = (
    "This practice item was already answered (perhaps in another tab). Go on to the next "
    "item; your first answer is the one kept."
)
HISTORY_DTYPES: dict[str, str] = {
    "category": "str",
    "side": "str",
    "verdict": "str",
    "position": "int64",
    "answers": "int64",
    "total": "int64",
}
CALIBRATION_DTYPES: dict[str, str] = {
    "category": "str",
    "confidence": "int64",
    "verdict": "str",
    "choices": "int64",
}


@dataclass(frozen=True)
class PracticeAnswer:
    """One generated item and the learner's answer to it: what ``record_practice`` saves."""

    item_id: str
    template: str
    seed: int
    side: str
    category: str
    jurisdiction: str
    facts: dict[str, Any] = field(repr=False)
    item: dict[str, Any] = field(repr=False)
    choice_index: int = 0
    choice_label: str = ""
    steps: tuple[str, ...] = ()
    verdict: str = ""
    points: int = 0
    confidence: int | None = None


def _json(value: Any) -> str:
    """Stable JSON, so the same item saved twice compares equal."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


class PracticeStore(Repository):
    """Practice items and answers; the confidence learners state, for calibration."""

    def record_practice(self, learner: str, answer: PracticeAnswer) -> None:
        """Save the item and the answer in one transaction (see the module docstring)."""
        key = self._key(learner)
        choice = {
            "attempt_id": answer.item_id,
            "step": 0,
            "learner_key": key,
            "scenario_id": PRACTICE_PREFIX + answer.template,
            "jurisdiction": answer.jurisdiction,
            "node_id": NODE,
            "choice_index": int(answer.choice_index),
            "choice_label": answer.choice_label,
            "steps": join_steps(answer.steps),
            "verdict": answer.verdict,
            "points": int(answer.points),
            "category": answer.category,
            "next_node": ENDING,
            "confidence": check_confidence(answer.confidence),
        }
        item = {
            "attempt_id": answer.item_id,
            "learner_key": key,
            "template": answer.template,
            "seed": int(answer.seed),
            "category": answer.category,
            "side": answer.side,
            "verdict": answer.verdict,
            "facts": _json(answer.facts),
            "item": _json(answer.item),
        }

        def work(conn: Connection) -> None:
            saved = conn.execute(
                select(attempts.c.learner_key).where(attempts.c.attempt_id == answer.item_id)
            ).first()
            if saved is not None:
                self._same_or_refuse(conn, saved.learner_key, key, choice, item)
                return
            now = utcnow()
            known = conn.execute(
                select(learners.c.learner_key).where(learners.c.learner_key == key)
            ).first()
            if known is None:
                conn.execute(insert(learners).values(learner_key=key, created_at=now))
            conn.execute(
                insert(attempts).values(
                    attempt_id=answer.item_id,
                    learner_key=key,
                    scenario_id=choice["scenario_id"],
                    jurisdiction=answer.jurisdiction,
                    category=answer.category,
                    start_node=NODE,
                    current_node=ENDING,
                    step=1,
                    started_at=now,
                    finished_at=now,
                )
            )
            conn.execute(insert(choices).values(**choice, made_at=now))
            # the item's place in the learner's practice: how many came before it
            position = conn.execute(
                select(func.count()).where(practice_items.c.learner_key == key)
            ).scalar_one()
            conn.execute(insert(practice_items).values(**item, position=position, created_at=now))

        self._run("record_practice", answer.item_id, SAVE_FAILED, work)

    @staticmethod
    def _same_or_refuse(
        conn: Connection, owner: str, key: str, choice: dict[str, Any], item: dict[str, Any]
    ) -> None:
        """An item saved before: a no-op if it is this answer again, else refused."""
        if not hmac.compare_digest(owner, key):
            raise StorageError(ANSWERED)  # looks the same as "answered": ids cannot be probed
        saved_choice = conn.execute(
            select(*(choices.c[n] for n in choice)).where(
                choices.c.attempt_id == choice["attempt_id"]
            )
        ).first()
        saved_item = conn.execute(
            select(*(practice_items.c[n] for n in item)).where(
                practice_items.c.attempt_id == item["attempt_id"]
            )
        ).first()
        same = (
            saved_choice is not None
            and saved_item is not None
            and all(getattr(saved_choice, n) == v for n, v in choice.items())
            and all(getattr(saved_item, n) == v for n, v in item.items())
        )
        if not same:
            log.warning("storage: a second answer to a practice item refused")
            raise StorageError(ANSWERED)
        log.info("storage: duplicate practice answer ignored")

    def practice_history(self, learner: str, window: int = 10) -> pd.DataFrame:
        """The latest ``window`` answers of each skill, with their positions.

        Columns: category, side, verdict, position (0 = the learner's first practice
        item), answers (the skill's count) and total (all practice answers). Two reads of
        one index (``ix_practice_learner_skill``): a count per skill, then the latest few
        entries of every skill in one query, so 10,000 answers cost about what 100 do.
        """
        key = self._key(learner)
        mine = practice_items.c.learner_key == key
        per_skill = (
            select(practice_items.c.category, practice_items.c.side, func.count())
            .where(mine)
            .group_by(practice_items.c.category, practice_items.c.side)
        )

        def work(conn: Connection) -> list[tuple[Any, ...]]:
            skills = conn.execute(per_skill).all()
            if not skills:
                return []
            total = sum(int(n) for _, _, n in skills)
            latest = [
                select(
                    practice_items.c.category,
                    practice_items.c.side,
                    practice_items.c.verdict,
                    practice_items.c.position,
                )
                .where(mine, practice_items.c.category == category, practice_items.c.side == side)
                .order_by(practice_items.c.position.desc())
                .limit(window)
                .subquery()
                .select()
                for category, side, _ in skills
            ]
            answers = {(category, side): int(n) for category, side, n in skills}
            return [
                (category, side, verdict, position, answers[(category, side)], total)
                for category, side, verdict, position in conn.execute(union_all(*latest))
            ]

        return _frame(self._run("practice_history", None, LOAD_FAILED, work), HISTORY_DTYPES)

    def practice_count(self, learner: str) -> int:
        """How many practice items this learner has answered."""
        key = self._key(learner)

        def work(conn: Connection) -> int:
            count = select(func.count()).where(practice_items.c.learner_key == key)
            return int(conn.execute(count).scalar_one())

        return self._run("practice_count", None, LOAD_FAILED, work)

    def practice_tally(self, learner: str) -> pd.DataFrame:
        """``Store.tally`` for practice items alone (the vignettes' is the difference).

        Read from the practice items' own index, so a learner who never practised costs
        nothing however long their vignette history.
        """
        key = self._key(learner)
        query = (
            select(
                choices.c.category,
                choices.c.jurisdiction,
                choices.c.verdict,
                func.count().label("choices"),
                func.sum(choices.c.points).label("points"),
            )
            .select_from(
                practice_items.join(choices, choices.c.attempt_id == practice_items.c.attempt_id)
            )
            .where(practice_items.c.learner_key == key)
            .group_by(choices.c.category, choices.c.jurisdiction, choices.c.verdict)
            .order_by(choices.c.category, choices.c.jurisdiction, choices.c.verdict)
        )

        def work(conn: Connection) -> list[Any]:
            return list(conn.execute(query).all())

        return _frame(self._run("practice_tally", None, LOAD_FAILED, work), TALLY_DTYPES)

    def calibration(self, learner: str) -> pd.DataFrame:
        """Decisions with a stated confidence (vignettes and practice), counted by
        category, confidence and verdict: what the calibration chart reads."""
        key = self._key(learner)
        query = (
            select(
                choices.c.category,
                choices.c.confidence,
                choices.c.verdict,
                func.count().label("choices"),
            )
            .where(choices.c.learner_key == key, choices.c.confidence.is_not(None))
            .group_by(choices.c.category, choices.c.confidence, choices.c.verdict)
            .order_by(choices.c.category, choices.c.confidence, choices.c.verdict)
        )

        def work(conn: Connection) -> list[Any]:
            return list(conn.execute(query).all())

        return _frame(self._run("calibration", None, LOAD_FAILED, work), CALIBRATION_DTYPES)

    def practice_item(self, learner: str, item_id: str) -> dict[str, Any] | None:
        """A saved item as it was made and shown (None if it is not this learner's)."""
        key = self._key(learner)

        def work(conn: Connection) -> Any:
            return conn.execute(
                select(practice_items).where(practice_items.c.attempt_id == item_id)
            ).first()

        row = self._run("practice_item", item_id, LOAD_FAILED, work)
        if row is None or not hmac.compare_digest(row.learner_key, key):
            return None
        return {
            "template": row.template,
            "seed": row.seed,
            "category": row.category,
            "side": row.side,
            "verdict": row.verdict,
            "position": row.position,
            "facts": json.loads(row.facts),
            "item": json.loads(row.item),
        }
