"""A learner's way through one vignette: starting, choosing, saving, continuing.

The database is the source of truth for where the learner is (the attempt's current
node), so a reload, another tab or another device resumes at the same node. Session
state holds only what is derivable from it or safe to forget on reload:

* ``attempt``: this session's copy of the attempt it shows, read from the database
  once and then advanced by each saved choice (a rerun need not ask the database again;
  if another tab moved the attempt on, the store refuses the write and says to reload);
* ``unsaved``: the choice just submitted, saved in the same run right after its
  feedback is drawn;
* ``shown``: the choice whose feedback is on screen until the learner presses Continue;
* ``pending``: a choice made but not yet saved (the database failed), kept so Retry
  writes exactly that choice and nothing the learner did is lost.

A choice is an act (one option) and the steps ticked with it (the decision's checklist);
both are saved. Scoring is the engine's (``Scenario.score_choice``); this module only
carries its answer to the store.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field, replace
from typing import Any

import streamlit as st

from engine.actions import Score
from engine.scenarios import Scenario
from storage.store import OpenAttempt, StorageError, Store
from ui import focus

ATTEMPT_PARAM = "attempt"
SCENARIO_PARAM = "scenario"
CHOICE_KEY = "choice"
STEP_KEY_PREFIX = "step_"
SUBMIT_KEY = "submit"
PLAY_PAGE = "ui/pages/play.py"
MAX_ID_LENGTH = 64  # attempt ids are 32 hex characters; anything longer is not one

log = logging.getLogger("conflab.ui")


@dataclass(frozen=True)
class Made:
    """One choice a learner made, with what the store needs to save it."""

    attempt_id: str
    step: int
    node_id: str
    choice_index: int
    next_node: str
    record: dict[str, Any] = field(repr=False)
    steps: tuple[str, ...] = ()
    error: str | None = None  # why the last save failed (safe to show)
    retryable: bool = True  # False: the store refused it (another tab, a finished attempt)


def scoring_jurisdiction(scenario: Scenario, jurisdiction: str) -> str | None:
    """None for the vignette's own law, so nodes that set their own jurisdiction keep it."""
    return scenario.override_for(jurisdiction)


def score(
    scenario: Scenario,
    jurisdiction: str,
    node_id: str,
    index: int,
    steps: tuple[str, ...] | None = None,
) -> Score:
    """The engine's score for an option with the ticked ``steps`` (None: a choice saved
    before steps were recorded, scored as its act alone)."""
    return scenario.score_choice(
        node_id, index, scoring_jurisdiction(scenario, jurisdiction), steps
    )


def step_key(step: str) -> str:
    return STEP_KEY_PREFIX + step


def option_order(scenario: Scenario, attempt_id: str, node_id: str) -> list[int]:
    """The options in an order of their own for this attempt and decision.

    The file's order would let a learner learn where the best option usually sits; a
    shuffle seeded by the attempt and the node changes it between attempts but keeps it
    steady across reloads of the same attempt.
    """
    order = list(range(len(scenario.nodes[node_id].choices)))
    random.Random(f"{attempt_id}:{node_id}").shuffle(order)  # noqa: S311 - not security
    return order


def clear_form() -> None:
    """Forget the last decision's widgets so the next one starts with nothing ticked."""
    for key in [k for k in st.session_state if str(k).startswith(STEP_KEY_PREFIX)]:
        del st.session_state[key]
    st.session_state.pop(CHOICE_KEY, None)


# --- where the learner is -------------------------------------------------------------


def requested_attempt_id() -> str | None:
    """The attempt named in the URL, else the one this session was playing."""
    cached = st.session_state.get("attempt")
    return st.query_params.get(ATTEMPT_PARAM) or (cached.attempt_id if cached else None)


def load_attempt(store: Store, learner: str) -> OpenAttempt | None:
    """The attempt to show, checked against the learner; a stale or foreign id is dropped.

    Raises StorageError when the database cannot be read.
    """
    attempt_id = requested_attempt_id()
    if not attempt_id:
        st.query_params.pop(ATTEMPT_PARAM, None)
        return None
    cached = st.session_state.get("attempt")
    if cached is not None and cached.attempt_id == attempt_id:
        attempt = cached
    else:
        attempt = (
            store.get_attempt(attempt_id, learner) if len(attempt_id) <= MAX_ID_LENGTH else None
        )
        if attempt is None:
            leave_attempt()
            return None
    show_attempt(attempt)
    return attempt


def show_attempt(attempt: OpenAttempt) -> None:
    st.session_state["attempt"] = attempt
    st.session_state.pop("scenario_id", None)
    if st.query_params.get(ATTEMPT_PARAM) != attempt.attempt_id:
        st.query_params[ATTEMPT_PARAM] = attempt.attempt_id
    st.query_params.pop(SCENARIO_PARAM, None)


def show_attempt_id(attempt_id: str) -> None:
    """Switch to an attempt known only by id (read from the database on the next run)."""
    leave_attempt()
    st.query_params[ATTEMPT_PARAM] = attempt_id
    st.query_params.pop(SCENARIO_PARAM, None)
    st.session_state.pop("scenario_id", None)


def reload_saved() -> None:
    """Drop this session's copy of the attempt so the next run reads what was saved."""
    for key in ("attempt", "shown", "pending", "unsaved"):
        st.session_state.pop(key, None)
    clear_form()


def leave_attempt() -> None:
    reload_saved()
    st.query_params.pop(ATTEMPT_PARAM, None)


def requested_scenario_id() -> str | None:
    """A vignette picked but not begun yet (its start panel shows the content note)."""
    return st.query_params.get(SCENARIO_PARAM) or st.session_state.get("scenario_id")


def pick_scenario(scenario_id: str | None) -> None:
    leave_attempt()
    if scenario_id is None:
        st.session_state.pop("scenario_id", None)
        st.query_params.pop(SCENARIO_PARAM, None)
    else:
        st.session_state["scenario_id"] = scenario_id
        st.query_params[SCENARIO_PARAM] = scenario_id


def go_play(
    learner_params: dict[str, str], *, scenario_id: str | None = None, attempt_id: str | None = None
) -> None:
    """Open the Play page on a vignette's start panel or on an attempt (ends this run)."""
    params = dict(learner_params)
    if attempt_id is not None:
        show_attempt_id(attempt_id)
        params[ATTEMPT_PARAM] = attempt_id
    elif scenario_id is not None:
        pick_scenario(scenario_id)
        params[SCENARIO_PARAM] = scenario_id
    st.switch_page(PLAY_PAGE, query_params=params)


# --- actions (button callbacks: they run before the page is drawn) --------------------


def begin(store: Store, learner: str, scenario: Scenario, jurisdiction: str) -> None:
    """Start a new attempt; an older unfinished one stays resumable."""
    try:
        attempt_id = store.start_attempt(
            learner, scenario.id, jurisdiction, scenario.category, scenario.start
        )
    except StorageError as exc:
        st.session_state["start_error"] = str(exc)
        return
    st.session_state.pop("start_error", None)
    leave_attempt()
    focus.request("decision")
    show_attempt(
        OpenAttempt(
            attempt_id=attempt_id,
            scenario_id=scenario.id,
            jurisdiction=jurisdiction,
            current_node=scenario.start,
            step=0,
            path=(),
        )
    )


def submit(learner: str, scenario: Scenario, attempt: OpenAttempt) -> None:
    """The learner pressed Submit: score the chosen option; the page saves it at once."""
    index = st.session_state.get(CHOICE_KEY)
    if index is None:
        st.session_state["choice_missing"] = True
        return
    node_id = attempt.current_node
    node = scenario.nodes[node_id]
    if not 0 <= index < len(node.choices):
        return
    choice = node.choices[index]
    steps = tuple(s for s in scenario.checklist(node_id) if st.session_state.get(step_key(s)))
    result = score(scenario, attempt.jurisdiction, node_id, index, steps)
    made = Made(
        attempt_id=attempt.attempt_id,
        step=attempt.step,
        node_id=node_id,
        choice_index=index,
        next_node=choice.next,
        steps=steps,
        record={
            "attempt_id": attempt.attempt_id,
            "learner": learner,
            "step": attempt.step,
            "scenario_id": scenario.id,
            "jurisdiction": attempt.jurisdiction,
            "node_id": node_id,
            "choice_index": index,
            "choice_label": choice.label,
            "steps": steps,
            "verdict": result.verdict,
            "points": result.points,
            # the ruling's category: a vignette may touch more than one
            "category": result.ruling.category if result.ruling else scenario.category,
            "next_node": choice.next,
        },
    )
    st.session_state["unsaved"] = made
    focus.request("feedback")


def unsaved_for(attempt: OpenAttempt) -> Made | None:
    """The choice just submitted, to be saved once its feedback is on its way."""
    made = st.session_state.get("unsaved")
    if made is not None and (made.attempt_id, made.step) == (attempt.attempt_id, attempt.step):
        return made
    return None


def retry(store: Store, learner: str, scenario: Scenario) -> None:
    made = st.session_state.get("pending")
    if made is not None:
        save(store, learner, scenario, made)


def save(store: Store, learner: str, scenario: Scenario, made: Made) -> Made | None:
    """One transaction per choice. Returns the choice, kept for Retry, if it failed."""
    st.session_state.pop("unsaved", None)
    try:
        store.record_choice(**made.record)
    except StorageError as exc:
        log.warning("a choice could not be saved; kept for retry")
        failed = replace(made, error=str(exc), retryable=exc.retryable)
        st.session_state["pending"] = failed
        return failed
    st.session_state.pop("pending", None)
    st.session_state["shown"] = made
    attempt = st.session_state.get("attempt")
    if attempt is not None and (attempt.attempt_id, attempt.step) == (made.attempt_id, made.step):
        st.session_state["attempt"] = replace(
            attempt,
            current_node=made.next_node,
            step=made.step + 1,
            path=(*attempt.path, (made.node_id, made.choice_index)),
            steps=(*attempt.steps, made.steps),
        )
    else:
        st.session_state.pop("attempt", None)
    if scenario.is_ending(made.next_node):
        finish(store, learner, made.attempt_id)
    return None


def finish(store: Store, learner: str, attempt_id: str) -> None:
    """Mark the attempt ended; a failure here loses nothing and is retried on the debrief."""
    try:
        store.finish_attempt(attempt_id, learner)
    except StorageError:
        log.warning("an attempt could not be marked finished; will retry")
        return
    attempt = st.session_state.get("attempt")
    if attempt is not None and attempt.attempt_id == attempt_id:
        st.session_state["attempt"] = replace(attempt, finished=True)


def continue_story() -> None:
    st.session_state.pop("shown", None)
    clear_form()


def shown_for(attempt: OpenAttempt) -> Made | None:
    """The choice whose feedback is on screen, if it was the last one saved."""
    made = st.session_state.get("shown")
    if made is not None and (made.attempt_id, made.step + 1) == (attempt.attempt_id, attempt.step):
        return made
    return None


def pending_for(attempt: OpenAttempt) -> Made | None:
    """The choice waiting to be saved, if it is still the attempt's next step."""
    made = st.session_state.get("pending")
    if made is not None and (made.attempt_id, made.step) == (attempt.attempt_id, attempt.step):
        return made
    return None


def replay(store: Store, learner: str, scenario: Scenario, jurisdiction: str) -> None:
    """Same vignette, another jurisdiction's law: a new attempt from the start."""
    continue_story()
    begin(store, learner, scenario, jurisdiction)
