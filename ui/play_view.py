"""The Play page: a vignette's start panel, its decisions with immediate feedback, and
its ending. Where the learner is comes from the database (``ui.playthrough``)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from engine.scenarios import Bank, Scenario
from storage.store import OpenAttempt, StorageError, Store
from ui import debrief, focus, playthrough
from ui.charts import category_label
from ui.decision_form import act_and_steps
from ui.feedback import show_feedback, submit_buttons
from ui.learner import current_learner, preferred_jurisdiction
from ui.resources import StoreUnavailable, bank, jurisdiction_codes, jurisdiction_label, store
from ui.text import as_text
from ui.words import DIFFICULTY_LABELS


def show_play_page() -> None:
    learner = current_learner()
    scenarios = bank()
    try:
        db = store()
        attempt = playthrough.load_attempt(db, learner)
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        st.button("Try again", key="try_again", icon=":material/refresh:")
        return
    if attempt is None:
        scenario_id = playthrough.requested_scenario_id()
        scenario = scenarios.scenarios.get(scenario_id) if scenario_id else None
        if scenario is not None:
            show_start(db, learner, scenario)
        else:
            show_no_vignette(db, learner, scenarios, unknown=scenario_id)
        return
    scenario = scenarios.scenarios.get(attempt.scenario_id)
    if scenario is None or attempt.current_node not in scenario.nodes:
        st.error(
            "This vignette cannot be shown any more: it was removed or changed, or its file "
            "now fails validation (the Library lists such files). Your saved choices are "
            "kept and still count on the Progress page."
        )
        st.button("Choose another vignette", on_click=playthrough.pick_scenario, args=(None,))
        return
    show_vignette(db, learner, scenario, attempt)


def meta_line(scenario: Scenario, jurisdiction: str) -> str:
    return " · ".join(
        [
            category_label(scenario.category),
            jurisdiction_label(jurisdiction),
            DIFFICULTY_LABELS.get(scenario.difficulty, ""),
            f"about {scenario.minutes} min",
        ]
    )


def show_start(db: Store, learner: str, scenario: Scenario) -> None:
    """Before the first decision: what the vignette is, its content note, which law."""
    st.title(as_text(scenario.title))
    st.caption(meta_line(scenario, scenario.jurisdiction))
    if scenario.content_note:
        st.warning(f"**Content note.** {as_text(scenario.content_note)}", icon=":material/info:")
    st.markdown(as_text(scenario.summary))
    st.markdown(
        "**You will practise:**\n"
        + "\n".join(f"- {as_text(objective)}" for objective in scenario.learning_objectives)
    )
    codes = jurisdiction_codes()
    preferred = preferred_jurisdiction()
    default = preferred if preferred != "MODEL" else scenario.jurisdiction
    jurisdiction = st.selectbox(
        "Law to play under",
        codes,
        index=codes.index(default) if default in codes else 0,
        format_func=jurisdiction_label,
        key=f"start_jurisdiction_{scenario.id}",
        help=(
            f"The vignette is written for {jurisdiction_label(scenario.jurisdiction)}. "
            "Choose another jurisdiction to be scored under its law instead."
        ),
    )
    if error := st.session_state.pop("start_error", None):
        st.error(error, icon=":material/cloud_off:")
    st.button(
        "Begin the vignette",
        key="begin",
        type="primary",
        icon=":material/play_arrow:",
        on_click=playthrough.begin,
        args=(db, learner, scenario, jurisdiction),
    )
    st.page_link("ui/pages/home.py", label="Back to all vignettes", icon=":material/arrow_back:")


def show_no_vignette(db: Store, learner: str, scenarios: Bank, unknown: str | None) -> None:
    st.title("Play")
    if unknown:
        st.warning("That vignette is not in the bank. Choose one below or in the Library.")
        playthrough.pick_scenario(None)
    try:
        resume = db.open_attempt(learner)
    except StorageError as exc:
        st.warning(str(exc))
        resume = None
    if resume is not None and resume.scenario_id in scenarios.scenarios:
        title = scenarios.scenarios[resume.scenario_id].title
        st.markdown("You have a vignette in progress.")
        st.button(
            f"Continue “{as_text(title)}”",
            key="continue_open",
            type="primary",
            icon=":material/resume:",
            on_click=playthrough.show_attempt,
            args=(resume,),
        )
    st.markdown("Pick a vignette to play on the Home page or in the Library.")
    st.page_link("ui/pages/home.py", label="Home: choose a vignette", icon=":material/home:")
    st.page_link("ui/pages/library.py", label="Library: all vignettes", icon=":material/menu_book:")


def show_vignette(db: Store, learner: str, scenario: Scenario, attempt: OpenAttempt) -> None:
    st.title(as_text(scenario.title))
    made = (
        playthrough.unsaved_for(attempt)
        or playthrough.pending_for(attempt)
        or playthrough.shown_for(attempt)
    )
    if made is None and scenario.is_ending(attempt.current_node):
        st.caption(f"{meta_line(scenario, attempt.jurisdiction)} · the end")
        debrief.show_ending(db, learner, scenario, attempt)
        return
    step = made.step if made else attempt.step
    st.caption(meta_line(scenario, attempt.jurisdiction))
    st.header(f"Decision {step + 1}", anchor=False)
    focus.apply("decision")
    if made is None and attempt.path:
        show_previous(scenario, attempt)
    st.markdown(as_text(scenario.nodes[made.node_id if made else attempt.current_node].text))
    decision(db, learner, scenario, attempt.attempt_id)


def show_previous(scenario: Scenario, attempt: OpenAttempt) -> None:
    """A reminder of the last choice (and its feedback after a reload)."""
    node_id, index = attempt.path[-1]
    steps = attempt.steps[-1] if attempt.steps else None
    if node_id in scenario.nodes and index < len(scenario.nodes[node_id].choices):
        with st.expander("Your previous decision and its feedback"):
            result = playthrough.score(scenario, attempt.jurisdiction, node_id, index, steps)
            show_feedback(scenario.nodes[node_id].choices[index], result, steps, heading=False)


@st.fragment
def decision(db: Store, learner: str, scenario: Scenario, attempt_id: str) -> None:
    """The choices, then the feedback in their place.

    A fragment: submitting reruns only this block (the story above stays as it is).
    The choice is saved first and its feedback drawn right after, in the same run, so
    no learner ever reads feedback for a choice the database does not hold; Continue
    appears once it is saved, Retry (under the feedback) if it could not be. Continue
    reruns the whole page.
    """
    attempt = st.session_state.get("attempt")
    if attempt is None or attempt.attempt_id != attempt_id:
        st.rerun()  # this session moved to another attempt: redraw the page
    unsaved = playthrough.unsaved_for(attempt)
    made = unsaved or playthrough.pending_for(attempt) or playthrough.shown_for(attempt)
    if made is None:
        show_choices(db, learner, scenario, attempt)
        return
    # Save before drawing: feedback the learner has seen must belong to a saved choice,
    # even if the server dies in between (tests/storage/test_durability.py). A choice that
    # could not be saved still gets its feedback, under the error and the Retry button.
    if unsaved is not None:
        failed = playthrough.save(db, learner, scenario, unsaved)
    else:
        failed = playthrough.pending_for(attempt)
    show_made(scenario, attempt, made)
    focus.apply("feedback")
    if failed is not None and not failed.retryable:
        # Another tab moved on, or the attempt ended: retrying could never succeed.
        st.error(failed.error or "This choice cannot be saved.", icon=":material/sync_problem:")
        # Not a callback, like Continue: the whole page must be redrawn from the database.
        if st.button(
            "Continue from what was saved",
            key="reload_saved",
            type="primary",
            icon=":material/refresh:",
        ):
            playthrough.reload_saved()
            st.rerun()
    elif failed is not None:
        st.error(failed.error or "Your choice could not be saved.", icon=":material/cloud_off:")
        st.button(
            "Retry saving my choice",
            key="retry",
            type="primary",
            icon=":material/refresh:",
            on_click=playthrough.retry,
            args=(db, learner, scenario),
        )
    # Not a callback: the click must first rerun this block, then the whole page.
    elif st.button(
        "See the debrief" if scenario.is_ending(made.next_node) else "Continue",
        key="continue",
        type="primary",
        icon=":material/arrow_forward:",
    ):
        playthrough.continue_story()
        focus.request("debrief" if scenario.is_ending(made.next_node) else "decision")
        st.rerun()


def show_made(scenario: Scenario, attempt: OpenAttempt, made: playthrough.Made) -> None:
    result = playthrough.score(
        scenario, attempt.jurisdiction, made.node_id, made.choice_index, made.steps
    )
    show_feedback(
        scenario.nodes[made.node_id].choices[made.choice_index],
        result,
        made.steps,
        confidence=made.record.get("confidence"),
    )


def show_choices(db: Store, learner: str, scenario: Scenario, attempt: OpenAttempt) -> None:
    """One form, one submit: the act (a radio), then the steps that go with it (boxes).

    The checklist is the situation's, in a fixed order, none ticked, the same at every
    decision of that kind, so it hints at nothing; the options come in an order of this
    attempt's own (``playthrough.option_order``).
    """
    node_id = attempt.current_node
    with st.form(f"decision_{attempt.attempt_id}_{attempt.step}"):
        act_and_steps(
            scenario,
            node_id,
            playthrough.option_order(scenario, attempt.attempt_id, node_id),
            playthrough.CHOICE_KEY,
            playthrough.step_key,
        )
        submit_buttons(playthrough.SUBMIT_KEY, submit, (learner, scenario, attempt))
    if st.session_state.pop("choice_missing", False):
        st.warning("Choose one of the options above, then submit.")


def submit(learner: str, scenario: Scenario, attempt: OpenAttempt, confidence: int | None) -> None:
    """Submit as ``playthrough.submit`` does, with the stated confidence in the record
    (None when the learner pressed plain Submit), so the store saves it with the choice."""
    playthrough.submit(learner, scenario, attempt)
    made = st.session_state.get("unsaved")
    if made is None or (made.attempt_id, made.step) != (attempt.attempt_id, attempt.step):
        return  # nothing chosen: the form stays as it was
    st.session_state["unsaved"] = replace(made, record={**made.record, "confidence": confidence})
