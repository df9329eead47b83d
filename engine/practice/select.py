"""What to practise next: Leitner boxes per skill, weakest first, mastered ones reviewed.

The scheme, kept simple enough to explain to a learner and to test:

* **Boxes.** Each skill (a category and a side, ``engine.practice.skills``) sits in a
  Leitner box from 1 to 5: one plus the run of correct answers at the end of its
  history (capped). A wrong answer sends it back to box 1; a skill never practised
  starts there. "Correct" is a lawful, defensible answer: ``best`` or ``acceptable``.
* **Mastered** means box 4 or more: the last three answers on the skill were correct.
* **Weakest first.** The next item's skill is drawn at random among the skills not
  mastered, weighted by box (box 1: 8, box 2: 4, box 3: 2) times one plus the share of
  recent answers that were wrong (the last ten on the skill) plus the learner's rate of
  that side's error across all their decisions (over-disclosure for ``hold``,
  under-disclosure for ``act``; the ``prior``). So the weakest skill is favoured, the
  direction a learner errs in is practised first, and no skill is starved.
* **Review.** Every fourth item is a review when a mastered skill is due: not practised
  for more than 6 items (box 4) or 12 (box 5); the most overdue one is chosen. A
  correct review moves the skill up a box; a wrong one sends it back to box 1, and it is
  recommended again.
* **Mastered skills are not recommended** outside review: at most one item in four goes
  to them while anything is left to learn. When everything is mastered, every item is a
  review of the most overdue skill.

Pure functions of the learner's history and a seeded random generator: the same history
and position give the same pick, so a reload shows the same item.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from engine.practice.skills import TRAP, Skill

CORRECT = frozenset({"best", "acceptable"})
MAX_BOX = 5
MASTERED_BOX = 4  # three correct answers in a row
WINDOW = 10  # recent answers per skill that the error rate reads
REVIEW_EVERY = 4
REVIEW_GAP = {4: 6, 5: 12}  # items since a mastered skill was last seen before it is due
BOX_WEIGHT = {1: 8.0, 2: 4.0, 3: 2.0}

Reason = Literal["new", "learning", "review"]


@dataclass(frozen=True)
class SkillHistory:
    """What selection needs to know of one skill's answers."""

    skill: Skill
    answers: int = 0
    recent: tuple[bool, ...] = ()  # correct or not, oldest first, at most WINDOW
    last_seen: int | None = None  # position of the latest answer (0 = the first item)

    @property
    def streak(self) -> int:
        """Correct answers in a row at the end of the history."""
        run = 0
        for correct in reversed(self.recent):
            if not correct:
                break
            run += 1
        return run

    @property
    def box(self) -> int:
        return 1 + min(self.streak, MAX_BOX - 1)

    @property
    def mastered(self) -> bool:
        return self.box >= MASTERED_BOX

    @property
    def error_rate(self) -> float:
        return self.recent.count(False) / len(self.recent) if self.recent else 0.0


@dataclass(frozen=True)
class Pick:
    skill: Skill
    reason: Reason


def weight(history: SkillHistory, prior: float = 0.0) -> float:
    """How strongly an unmastered skill is favoured: low boxes and recent errors first."""
    return BOX_WEIGHT.get(history.box, 0.0) * (1.0 + history.error_rate + prior)


def overdue(history: SkillHistory, position: int) -> int:
    """Items past the review gap of a mastered skill (positive: due for review)."""
    if history.last_seen is None:
        return position
    return position - history.last_seen - REVIEW_GAP.get(history.box, REVIEW_GAP[MAX_BOX])


def choose_next(
    histories: Mapping[Skill, SkillHistory],
    available: Iterable[Skill],
    position: int,
    rng: random.Random,
    prior: Mapping[Skill, float] | None = None,
) -> Pick:
    """The skill of the item at ``position`` (the number of practice answers so far).

    ``available``: the skills the templates can train under the learner's law. Raises
    ValueError when nothing is available.
    """
    skills = sorted(set(available))
    if not skills:
        raise ValueError("no skill is available to practise")
    states = {s: histories.get(s) or SkillHistory(s) for s in skills}
    learning = [s for s in skills if not states[s].mastered]
    mastered = [s for s in skills if states[s].mastered]
    review_turn = position % REVIEW_EVERY == REVIEW_EVERY - 1
    due = [s for s in mastered if overdue(states[s], position) > 0]
    if mastered and (not learning or (review_turn and due)):
        pool = due or mastered
        return Pick(max(pool, key=lambda s: (overdue(states[s], position), s)), "review")
    weights = [weight(states[s], (prior or {}).get(s, 0.0)) for s in learning]
    chosen = rng.choices(learning, weights=weights)[0]
    return Pick(chosen, "new" if states[chosen].answers == 0 else "learning")


def histories(
    rows: Iterable[tuple[str, str, str, int]], answers: Mapping[Skill, int]
) -> dict[Skill, SkillHistory]:
    """Histories from stored answers: ``(category, side, verdict, position)`` rows (at
    least the latest WINDOW per skill, in any order) and each skill's answer count."""
    by_skill: dict[Skill, list[tuple[int, bool]]] = {}
    for category, side, verdict, position in rows:
        by_skill.setdefault(Skill(category, side), []).append((position, verdict in CORRECT))
    out: dict[Skill, SkillHistory] = {}
    for skill, seen in by_skill.items():
        seen.sort()
        recent = seen[-WINDOW:]
        out[skill] = SkillHistory(
            skill=skill,
            answers=max(answers.get(skill, 0), len(seen)),
            recent=tuple(correct for _, correct in recent),
            last_seen=recent[-1][0],
        )
    return out


def direction_prior(tally: Iterable[tuple[str, str, int]]) -> dict[Skill, float]:
    """The learner's rate of each side's error per category, over all their decisions:
    ``(category, verdict, choices)`` rows. Over-disclosures weigh toward ``hold``
    items, under-disclosures toward ``act`` items."""
    totals: dict[str, int] = {}
    errors: dict[tuple[str, str], int] = {}
    for category, verdict, count in tally:
        totals[category] = totals.get(category, 0) + int(count)
        errors[(category, verdict)] = errors.get((category, verdict), 0) + int(count)
    return {
        Skill(category, side): errors.get((category, trap), 0) / total
        for category, total in totals.items()
        if total
        for side, trap in TRAP.items()
    }
