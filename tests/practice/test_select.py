"""Next-item selection (Leitner boxes): the weakest skill is favoured, mastered skills
stop being recommended, and review is mixed in."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.practice.select import (
    MASTERED_BOX,
    REVIEW_EVERY,
    REVIEW_GAP,
    SkillHistory,
    choose_next,
    direction_prior,
    histories,
    weight,
)
from engine.practice.skills import ALL_SKILLS, Skill

SKILLS = [s for s in ALL_SKILLS if s.key != "informed_consent:act"]


@st.composite
def learner(draw):  # type: ignore[no-untyped-def]
    """A history: some skills, each with recent right/wrong answers, seen at distinct
    positions before ``position``."""
    chosen = draw(st.lists(st.sampled_from(SKILLS), min_size=1, max_size=len(SKILLS), unique=True))
    found: dict[Skill, SkillHistory] = {}
    position = 0
    for skill in chosen:
        recent = tuple(draw(st.lists(st.booleans(), max_size=10)))
        if not recent:
            continue
        position += len(recent)
        found[skill] = SkillHistory(skill, len(recent), recent, position - 1)
    position += draw(st.integers(0, 30))
    return found, position


@given(learner(), st.integers(0, 2**32 - 1))
@settings(max_examples=200, deadline=None)
def test_mastered_skills_are_picked_only_as_review(case, seed: int) -> None:  # type: ignore[no-untyped-def]
    found, position = case
    pick = choose_next(found, SKILLS, position, random.Random(seed))
    history = found.get(pick.skill) or SkillHistory(pick.skill)
    learning = [s for s in SKILLS if not (found.get(s) or SkillHistory(s)).mastered]
    if history.mastered:
        assert pick.reason == "review"
        # outside a review turn, only when nothing is left to learn
        assert position % REVIEW_EVERY == REVIEW_EVERY - 1 or not learning
    else:
        assert pick.reason in ("new", "learning")
        assert (pick.reason == "new") == (history.answers == 0)


@given(learner())
@settings(max_examples=100, deadline=None)
def test_weaker_skills_weigh_more(case) -> None:  # type: ignore[no-untyped-def]
    """A lower box, or the same box with more recent errors, always weighs more."""
    found, _ = case
    states = [found.get(s) or SkillHistory(s) for s in SKILLS]
    for a in states:
        for b in states:
            if a.mastered or b.mastered:
                continue
            if a.box < b.box and a.error_rate >= b.error_rate:
                assert weight(a) > weight(b)
            if a.box == b.box and a.error_rate > b.error_rate:
                assert weight(a) > weight(b)


def test_the_weakest_skill_comes_up_most() -> None:
    weak, middling, strong = SKILLS[0], SKILLS[1], SKILLS[2]
    found = {
        weak: SkillHistory(weak, 6, (True, False, False, True, False, False), 5),
        middling: SkillHistory(middling, 4, (False, True, False, True), 9),
        strong: SkillHistory(strong, 5, (False, True, False, True, True), 14),
    }
    rng = random.Random(3)
    picks = Counter(
        choose_next(found, [weak, middling, strong], 16 + 4 * n, rng).skill for n in range(600)
    )
    assert picks[weak] > picks[middling] > picks[strong] > 0


def test_the_direction_a_learner_errs_in_comes_first() -> None:
    """No practice yet: a learner who over-discloses in legal process gets legal-process
    items where the confidence holds more than any other."""
    tally = [
        ("legal_process", "over_disclosure", 8),
        ("legal_process", "best", 2),
        ("imminent_danger", "best", 10),
    ]
    prior = direction_prior(tally)
    assert prior[Skill("legal_process", "hold")] == pytest.approx(0.8)
    assert prior[Skill("legal_process", "act")] == 0
    rng = random.Random(5)
    picks = Counter(choose_next({}, SKILLS, 4 * n, rng, prior).skill for n in range(900))
    assert picks.most_common(1)[0][0] == Skill("legal_process", "hold")


def simulate(found: dict[Skill, SkillHistory], answer, start: int, items: int, seed: int = 0):  # type: ignore[no-untyped-def]
    """Practise ``items`` items; ``answer(skill)`` says whether the learner is right."""
    rng = random.Random(seed)
    picks = []
    for position in range(start, start + items):
        pick = choose_next(found, SKILLS, position, rng)
        picks.append(pick)
        old = found.get(pick.skill) or SkillHistory(pick.skill)
        recent = (*old.recent, answer(pick.skill))[-10:]
        found[pick.skill] = SkillHistory(pick.skill, old.answers + 1, recent, position)
    return picks


def test_a_learner_who_is_always_right_masters_everything_then_only_reviews() -> None:
    found: dict[Skill, SkillHistory] = {}
    picks = simulate(found, lambda skill: True, 0, 60)
    assert all(found[s].mastered for s in SKILLS)
    mastered_at = max(i for i, p in enumerate(picks) if p.reason != "review")
    assert mastered_at < 3 * len(SKILLS) + 10  # three right each, plus a few reviews
    tail = picks[mastered_at + 1 :]
    assert tail and all(p.reason == "review" for p in tail)
    assert len({p.skill for p in tail}) >= min(len(tail), 3)  # reviews rotate


@pytest.mark.parametrize("seed", range(5))
def test_review_is_mixed_in_while_weak_skills_remain(seed: int) -> None:
    """Two skills mastered, the rest always answered wrong: every mastered skill is
    reviewed within a few review turns, and at most one item in four is a review."""
    mastered = SKILLS[:2]
    found = {s: SkillHistory(s, 3, (True, True, True), i) for i, s in enumerate(mastered)}
    picks = simulate(found, lambda skill: skill in mastered, 10, 80, seed)
    reviews = [p for p in picks if p.reason == "review"]
    assert {p.skill for p in reviews} == set(mastered)
    assert len(reviews) <= len(picks) // REVIEW_EVERY
    for window in range(0, len(picks) - 4 * REVIEW_GAP[MASTERED_BOX], REVIEW_EVERY):
        chunk = picks[window : window + 4 * REVIEW_GAP[MASTERED_BOX]]
        assert any(p.reason == "review" for p in chunk)
    assert all(not (found[s].mastered) for s in SKILLS[2:])


def test_a_wrong_review_sends_the_skill_back_to_learning() -> None:
    skill = SKILLS[0]
    history = SkillHistory(skill, 5, (True, True, True, True, False), 20)
    assert history.box == 1 and not history.mastered
    assert SkillHistory(skill, 4, (False, True, True, True), 20).mastered


def test_histories_from_stored_rows() -> None:
    rows = [
        ("legal_process", "hold", "best", 0),
        ("legal_process", "hold", "over_disclosure", 3),
        ("legal_process", "hold", "acceptable", 7),
        ("imminent_danger", "act", "under_disclosure", 5),
    ]
    found = histories(rows, {Skill("legal_process", "hold"): 30})
    hold = found[Skill("legal_process", "hold")]
    assert hold.recent == (True, False, True) and hold.last_seen == 7
    assert hold.answers == 30 and hold.streak == 1
    act = found[Skill("imminent_danger", "act")]
    assert act.recent == (False,) and act.answers == 1


def test_nothing_available_is_an_error() -> None:
    with pytest.raises(ValueError, match="no skill"):
        choose_next({}, [], 0, random.Random(0))
