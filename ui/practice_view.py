"""The Practice page: short generated items, one decision each, where the learner is
weakest, with the engine's feedback at once.

Where the learner is comes from the database: the number of practice answers saved is
the position of the next item, and the item at a position is fixed by the learner, the
position and the law (``engine.practice.generate.item_seed``), so a reload shows the
same item and a second tab saves it once. Session state holds only this run's item and
the answer on its way to the store (kept for Retry if the database fails).

What is shown before the learner answers gives nothing away: the category, the law and
the item; the skill the item trains (which names its side) and why it was picked appear
only with the feedback. Everything legal a learner reads is the engine's ruling, shown
by ``ui.feedback`` as on Play.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from engine.practice.generate import (
    Item,
    NoItem,
    available_skills,
    default_templates,
    draw,
    item_id,
    item_seed,
)
from engine.practice.select import (
    Pick,
    SkillHistory,
    choose_next,
    direction_prior,
    histories,
)
from engine.practice.skills import ALL_SKILLS, SIDE_LABELS, Skill
from storage.learner_code import learner_key
from storage.practice import PracticeAnswer, PracticeStore
from storage.store import StorageError, Store
from ui import focus
from ui.charts import category_label
from ui.feedback import show_feedback, submit_buttons
from ui.learner import current_learner, preferred_jurisdiction, set_preferred_jurisdiction
from ui.resources import StoreUnavailable, jurisdiction_codes, jurisdiction_label, store
from ui.text import as_text
from ui.words import STEP_LABELS

CURRENT = "practice_current"
UNSAVED = "practice_unsaved"
SHOWN = "practice_shown"
PENDING = "practice_pending"
MISSING = "practice_choice_missing"
CHOICE_KEY = "practice_choice"
STEP_PREFIX = "practice_step_"
SUBMIT_KEY = "practice_submit"
NEXT_KEY = "practice_next"
LAW_KEY = "practice_law"

REASON_WORDS = {
    "new": "a skill you had not practised yet",
    "learning": "a skill you are still learning (the weaker a skill, the more often it comes up)",
    "review": "a review of a skill you have mastered, so it stays mastered",
}
INTRO = (
    "Short cases made from the facts the law turns on, one decision each, under the law "
    "you choose. The rules engine scores each answer at once. Items come up where you "
    "are weakest; once you answer a skill right three times in a row it counts as "
    "mastered and only comes back now and then for review."
)

log = logging.getLogger("conflab.ui")


@dataclass(frozen=True)
class Current:
    """The item on screen and where it sits in the learner's practice."""

    item_id: str
    item: Item
    pick: Pick
    position: int
    key: str  # the learner key it was drawn for (another learner's link redraws)


@dataclass(frozen=True)
class Answer:
    """An answer on its way to the store, or saved and on screen."""

    item_id: str
    index: int
    steps: tuple[str, ...]
    confidence: int | None
    record: PracticeAnswer
    error: str | None = None
    retryable: bool = True


def show_practice_page() -> None:
    learner = current_learner()
    st.title("Practice")
    st.caption(INTRO)
    jurisdiction = law_picker()
    if not default_templates().templates:
        st.error("Practice is not available right now: no practice template could be read.")
        log.error("practice: no template loaded: %s", default_templates().problems)
        return
    try:
        db = store()
        practice = PracticeStore(db.engine)
        current = current_item(db, practice, learner, jurisdiction)
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        st.button("Try again", key="practice_try_again", icon=":material/refresh:")
        return
    show_item(practice, learner, current)


def law_picker() -> str:
    """The law items are made under: the learner's jurisdiction (Home sets the same
    choice, kept in ``?j=``), which this page can change too."""
    codes = jurisdiction_codes()
    chosen = preferred_jurisdiction()
    if st.session_state.get(LAW_KEY) != chosen:  # changed on Home since this page drew it
        st.session_state[LAW_KEY] = chosen if chosen in codes else codes[0]
    st.selectbox(
        "Law to practise under",
        codes,
        format_func=jurisdiction_label,
        key=LAW_KEY,
        on_change=lambda: set_preferred_jurisdiction(st.session_state[LAW_KEY]),
        help="Each item is scored under this jurisdiction's law. Home sets the same choice.",
    )
    return preferred_jurisdiction()


# --- which item -----------------------------------------------------------------------


def current_item(db: Store, practice: PracticeStore, learner: str, jurisdiction: str) -> Current:
    """The item on screen, or the next one: drawn where the learner is weakest.

    Raises StorageError when the history cannot be read.
    """
    key = learner_key(learner) or ""
    current = st.session_state.get(CURRENT)
    answered = st.session_state.get(SHOWN) or st.session_state.get(PENDING)
    if current is not None and current.key == key:
        if answered is not None and answered.item_id == current.item_id:
            return current  # its feedback stays until Next
        if current.item.jurisdiction == jurisdiction:
            return current
    current = plan_next(db, practice, learner, jurisdiction)
    st.session_state[CURRENT] = current
    return current


def plan_next(db: Store, practice: PracticeStore, learner: str, jurisdiction: str) -> Current:
    """The learner's next item, from the database alone (no session state): two small
    reads (the latest answers per skill, the tally) and the engine's draw. What
    ``bench/practice_bench.py`` times. Raises StorageError."""
    found, position = learner_skills(practice, learner)
    tally = db.tally(learner)
    prior = direction_prior(tally[["category", "verdict", "choices"]].values)
    return next_item(found, prior, learner_key(learner) or "", position, jurisdiction)


def next_item(
    found: dict[Skill, SkillHistory],
    prior: dict[Skill, float],
    key: str,
    position: int,
    jurisdiction: str,
) -> Current:
    """The pick and the item at ``position`` (the same on every reload)."""
    rng = random.Random(f"pick:{key}:{position}:{jurisdiction}")  # noqa: S311 - not security
    available = available_skills(jurisdiction)
    pick = choose_next(found, available, position, rng, prior)
    seed = item_seed(key, position, jurisdiction)
    try:
        item = draw(pick.skill, jurisdiction, seed)
    except NoItem:  # the templates cannot train this skill here after all: any item
        item = draw(None, jurisdiction, seed)
        pick = Pick(item.skill, "new" if item.skill not in found else "learning")
    return Current(item_id(key, position, jurisdiction, seed), item, pick, position, key)


# --- the item and its answer ----------------------------------------------------------


def show_item(practice: PracticeStore, learner: str, current: Current) -> None:
    item = current.item
    st.header(f"Decision {current.position + 1}: {as_text(item.title)}", anchor=False)
    focus.apply("decision")
    st.caption(f"{category_label(item.category)} · {jurisdiction_label(item.jurisdiction)}")
    if item.scenario.content_note:
        st.caption(f":material/info: **Content note.** {as_text(item.scenario.content_note)}")
    st.markdown(as_text(item.text))
    unsaved = _for(current, UNSAVED)
    if unsaved is not None:
        # saved before its feedback is drawn, as on Play: feedback on screen means the
        # answer is in the database, or the page says it is not
        save(practice, learner, unsaved)
    failed = _for(current, PENDING)
    made = failed or _for(current, SHOWN)
    if made is None:
        show_form(learner, current)
        return
    if failed is not None and failed.retryable:
        st.error(failed.error or "Your answer could not be saved.", icon=":material/cloud_off:")
        st.button(
            "Retry saving my answer",
            key="practice_retry",
            type="primary",
            icon=":material/refresh:",
            on_click=retry,
            args=(practice, learner),
        )
    elif failed is not None:
        st.warning(failed.error or "This answer was not saved.", icon=":material/sync_problem:")
    show_answer(current, made)
    focus.apply("feedback")
    if failed is not None and failed.retryable:
        return
    if failed is None:
        show_skills(practice, learner, current.item.jurisdiction)
    if st.button("Next item", key=NEXT_KEY, type="primary", icon=":material/arrow_forward:"):
        next_please()
        st.rerun()


def _for(current: Current, name: str) -> Answer | None:
    answer = st.session_state.get(name)
    return answer if answer is not None and answer.item_id == current.item_id else None


def show_form(learner: str, current: Current) -> None:
    """One form, one submit: the act, the steps with it, and (optionally) how sure."""
    item = current.item
    with st.form(f"practice_{current.item_id}"):
        st.radio(
            "What do you do?",
            options=list(range(len(item.labels))),
            format_func=lambda index: as_text(item.labels[index]),
            index=None,
            key=CHOICE_KEY,
        )
        st.markdown("**Which steps go with it?**")
        st.caption("Tick each step you would take with that act, and only those.")
        for step in item.checklist():
            st.checkbox(STEP_LABELS[step], key=STEP_PREFIX + step)
        submit_buttons(SUBMIT_KEY, submit, (learner, current))
    if st.session_state.pop(MISSING, False):
        st.warning("Choose one of the options above, then submit.")


def submit(learner: str, current: Current, confidence: int | None) -> None:
    """Score the answer with the engine; the page shows it and saves it in this run."""
    index = st.session_state.get(CHOICE_KEY)
    item = current.item
    if index is None or not 0 <= index < len(item.labels):
        st.session_state[MISSING] = True
        return
    steps = tuple(s for s in item.checklist() if st.session_state.get(STEP_PREFIX + s))
    result = item.score(index, steps)
    ruling = result.ruling
    record = PracticeAnswer(
        item_id=current.item_id,
        template=item.template,
        seed=item.seed,
        side=item.skill.side,
        category=ruling.category if ruling else item.category,
        jurisdiction=item.jurisdiction,
        facts=item.facts,
        item=item.to_json(),
        choice_index=index,
        choice_label=item.labels[index],
        steps=steps,
        verdict=result.verdict,
        points=result.points,
        confidence=confidence,
    )
    st.session_state[UNSAVED] = Answer(current.item_id, index, steps, confidence, record)
    focus.request("feedback")


def show_answer(current: Current, made: Answer) -> None:
    item = current.item
    choice = item.scenario.nodes["item"].choices[made.index]
    show_feedback(
        choice, item.score(made.index, made.steps), made.steps, confidence=made.confidence
    )
    st.info(
        f"**What this item practised:** {skill_label(item.skill)}: "
        f"{REASON_WORDS[current.pick.reason]}.",
        icon=":material/school:",
    )


def save(practice: PracticeStore, learner: str, made: Answer) -> Answer | None:
    """One transaction per answer. Returns the answer, kept for Retry, if it failed;
    a saved one stays on screen (``SHOWN``) until Next."""
    st.session_state.pop(UNSAVED, None)
    try:
        practice.record_practice(learner, made.record)
    except StorageError as exc:
        log.warning("a practice answer could not be saved; kept for retry")
        failed = replace(made, error=str(exc), retryable=exc.retryable)
        st.session_state[PENDING] = failed
        return failed
    st.session_state.pop(PENDING, None)
    st.session_state[SHOWN] = made
    return None


def retry(practice: PracticeStore, learner: str) -> None:
    made = st.session_state.get(PENDING)
    if made is not None:
        st.session_state[UNSAVED] = made
        st.session_state.pop(PENDING, None)


def next_please() -> None:
    """Forget the answered item and its widgets; the next run draws the next item."""
    for name in (CURRENT, UNSAVED, SHOWN, PENDING, CHOICE_KEY):
        st.session_state.pop(name, None)
    for key in [k for k in st.session_state if str(k).startswith(STEP_PREFIX)]:
        del st.session_state[key]
    focus.request("decision")


# --- skills ---------------------------------------------------------------------------


def skill_label(skill: Skill) -> str:
    return f"{category_label(skill.category)} — {SIDE_LABELS[skill.side]}"


def skills_table(found: dict[Skill, SkillHistory], available: set[Skill]) -> pd.DataFrame:
    """One row per skill the law can train: its status, answers, and the latest run."""
    rows = []
    for skill in ALL_SKILLS:
        if skill not in available:
            continue
        history = found.get(skill) or SkillHistory(skill)
        status = (
            "mastered"
            if history.mastered
            else ("not started" if history.answers == 0 else "learning")
        )
        right = history.recent.count(True)
        rows.append(
            {
                "Skill": skill_label(skill),
                "Status": status,
                "Answers": history.answers,
                "Right in a row": history.streak,
                "Right, latest": f"{right} of {len(history.recent)}" if history.recent else "",
            }
        )
    return pd.DataFrame(
        rows, columns=["Skill", "Status", "Answers", "Right in a row", "Right, latest"]
    )


def learner_skills(practice: PracticeStore, learner: str) -> tuple[dict[Skill, SkillHistory], int]:
    """Each skill's history, and how many practice answers the learner has saved (the
    position of the next item). Raises StorageError."""
    frame = practice.practice_history(learner)
    total = int(frame["total"].iloc[0]) if not frame.empty else 0
    counts = {Skill(c, s): int(n) for c, s, n in frame[["category", "side", "answers"]].values}
    return histories(frame[["category", "side", "verdict", "position"]].values, counts), total


def show_skills(practice: PracticeStore, learner: str, jurisdiction: str) -> None:
    """The learner's skills under this law, after an answer (before it, they would hint
    at which side the item is on)."""
    try:
        found, _ = learner_skills(practice, learner)
    except StorageError:
        return
    with st.expander("Your practice skills"):
        st.dataframe(
            skills_table(found, available_skills(jurisdiction)), hide_index=True, width="stretch"
        )
