"""The participant's page (``/join``): join a room with its code, vote from a phone.

No account: the participant is the learner code this page already has (``?learner=``,
kept in the URL with ``?code=``), so a reload or a dropped connection rejoins the same
session as the same participant, at the node the room is on now. The room is read from
the database by a fragment that reruns every ``PARTICIPANT_POLL_S`` seconds: one
primary-key read of the session's version, and one more read only when the facilitator
has acted since (``storage.live``). A vote is saved the moment it is chosen and can be
changed until voting locks; everyone sees the options in the vignette's order, lettered,
so the room can talk about "option B".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from engine.scenarios import Scenario
from storage.live import (
    ENDING,
    LOCKED,
    REVEALED,
    VOTING,
    LiveSessions,
    LiveState,
    ParticipantView,
    Vote,
    normal_join_code,
)
from storage.repository import StorageError
from ui.feedback import show_feedback, show_law, ticked_line
from ui.learner import current_learner
from ui.live import room
from ui.resources import StoreUnavailable, bank, jurisdiction_codes, jurisdiction_label
from ui.text import as_text
from ui.words import STEP_LABELS

CODE_PARAM = "code"
_SEEN = "live_seen"
_VOTE_ERROR = "live_vote_error"
_TYPED = "live_typed_code"
BAD_CODE = "That is not a session code: it is six letters and digits, shown on the screen."
ENDED_WORDS = "This live session has ended."


@dataclass(frozen=True)
class Seen:
    """What this browser last read of the room, and at which version."""

    session_id: str
    version: int
    view: ParticipantView


def show_join_page() -> None:
    learner = current_learner()
    st.title("Live session")
    raw = st.query_params.get(CODE_PARAM)
    if not raw:
        show_code_form()
        return
    code = normal_join_code(raw)
    if code is None:
        st.error(BAD_CODE, icon=":material/error:")
        st.query_params.pop(CODE_PARAM, None)
        show_code_form()
        return
    try:
        live = room.repo()
        state = live.find(code)
        view = None if state is None else live.participant_view(state.session_id, learner)
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        st.button("Try again", key="live_try_again", icon=":material/refresh:")
        return
    if state is None or view is None:
        st.error(
            f"No live session has the code {code}. Check the code on the screen "
            "(there is no 0, O, 1, I or L in a code).",
            icon=":material/search_off:",
        )
        st.query_params.pop(CODE_PARAM, None)
        show_code_form()
        return
    scenario = bank().scenarios.get(state.scenario_id)
    if state.ended:
        st.info(f"{ENDED_WORDS} Thank you for taking part.", icon=":material/event_busy:")
        if error := st.session_state.pop(_VOTE_ERROR, None):
            st.warning(error, icon=":material/sync_problem:")
        if view.joined and scenario is not None:
            show_keep(live, learner, scenario, view)
        show_code_form()  # to join another session
        return
    if scenario is None:
        st.error("This session's vignette cannot be shown on this server right now.")
        return
    if not view.joined:
        try:
            live.join(state.session_id, learner)
        except StorageError as exc:
            st.error(str(exc), icon=":material/cloud_off:")
            return
    if raw != code:
        st.query_params[CODE_PARAM] = code  # canonical, so a reload finds it at once
    st.caption(f"Code {code} · {as_text(scenario.title)}")
    show_law_choice(live, learner, state, view)
    participant_room(live, learner, state.session_id)


def show_code_form() -> None:
    with st.form("live_join", enter_to_submit=True, border=True):
        st.text_input(
            "Session code",
            max_chars=12,
            placeholder="e.g. K7QX2M",
            key=_TYPED,
            help="The six letters and digits on the facilitator's screen.",
        )
        st.form_submit_button("Join", type="primary", on_click=use_typed_code)


def use_typed_code() -> None:
    typed = st.session_state.get(_TYPED, "")
    code = normal_join_code(typed)
    # a malformed code goes in too, so the page says what is wrong with it
    st.query_params[CODE_PARAM] = code or typed.strip()[:12] or "-"


def show_law_choice(
    live: LiveSessions, learner: str, state: LiveState, view: ParticipantView
) -> None:
    """The law this participant's votes are scored under: the session's unless they
    practise elsewhere and choose their own."""
    codes = jurisdiction_codes()
    mine = view.jurisdiction or state.jurisdiction
    with st.expander(f"Scored under: {jurisdiction_label(mine)}"):
        st.selectbox(
            "Score my votes under",
            codes,
            index=codes.index(mine) if mine in codes else 0,
            format_func=jurisdiction_label,
            key=f"live_law_{state.session_id}",
            on_change=change_law,
            args=(live, learner, state.session_id),
            help="The room discusses the session's law; your own verdicts follow this one.",
        )


def change_law(live: LiveSessions, learner: str, session_id: str) -> None:
    chosen = st.session_state.get(f"live_law_{session_id}")
    try:
        live.join(session_id, learner, jurisdiction=chosen)
    except StorageError as exc:
        st.session_state[_VOTE_ERROR] = str(exc)
    st.session_state.pop(_SEEN, None)  # read the room (and my law) again


# --- the room, polled ----------------------------------------------------------------------


def read_room(live: LiveSessions, learner: str, session_id: str) -> ParticipantView | None:
    """The room as last seen, re-read only if the facilitator acted since."""
    seen: Seen | None = st.session_state.get(_SEEN)
    if seen is not None and seen.session_id != session_id:
        seen = None
    version = live.poll(session_id)
    if version is None:
        return None
    if seen is None or seen.version != version:
        view = live.participant_view(session_id, learner)
        if view is None:
            return None
        seen = Seen(session_id=session_id, version=view.state.version, view=view)
        st.session_state[_SEEN] = seen
    return seen.view


@st.fragment(run_every=room.poll_seconds(room.PARTICIPANT_POLL_S))
def participant_room(live: LiveSessions, learner: str, session_id: str) -> None:
    try:
        view = read_room(live, learner, session_id)
    except StorageError:
        seen = st.session_state.get(_SEEN)
        st.caption("Reconnecting to the session…")
        if seen is None or seen.session_id != session_id:
            return
        view = seen.view
    if view is None:
        st.error("This live session no longer exists.")
        return
    scenario = bank().scenarios.get(view.state.scenario_id)
    if scenario is None or view.state.node_id not in scenario.nodes:
        st.error("This session's vignette cannot be shown on this server right now.")
        return
    if error := st.session_state.pop(_VOTE_ERROR, None):
        st.warning(error, icon=":material/sync_problem:")
    state = view.state
    if state.ended:
        st.rerun()  # the whole page: it says so, offers to keep the votes, and stops polling
    node = scenario.nodes[state.node_id]
    if state.phase == ENDING:
        st.header("The end of the vignette", anchor=False)
        st.markdown(as_text(node.text))
        if node.debrief:
            st.markdown(f"**Debrief**\n\n{as_text(node.debrief)}")
        show_keep(live, learner, scenario, view)
        return
    st.header(f"Decision {state.step + 1}", anchor=False)
    st.markdown(as_text(node.text))
    if state.phase == VOTING:
        show_ballot(live, learner, scenario, view)
    elif state.phase == LOCKED:
        st.info("Voting is locked. The facilitator will reveal the law next.")
        show_my_vote(scenario, state, view.vote)
    elif state.phase == REVEALED:
        show_my_verdict(scenario, view)


def choice_key(state: LiveState) -> str:
    return f"live_{state.session_id[:8]}_{state.round_no}_choice"


def step_key(state: LiveState, step: str) -> str:
    return f"live_{state.session_id[:8]}_{state.round_no}_step_{step}"


def show_ballot(
    live: LiveSessions, learner: str, scenario: Scenario, view: ParticipantView
) -> None:
    """The options (lettered, in the vignette's order) and the step checklist; each
    change is saved at once."""
    state = view.state
    node = scenario.nodes[state.node_id]
    checklist = scenario.checklist(state.node_id)
    key = choice_key(state)
    if key not in st.session_state and view.vote is not None:
        # a reload: put back the vote already saved
        st.session_state[key] = view.vote.choice_index
        for step in checklist:
            st.session_state[step_key(state, step)] = step in view.vote.steps
    args = (live, learner, scenario, state.session_id)
    st.radio(
        "Your vote",
        options=list(range(len(node.choices))),
        format_func=lambda i: f"{room.letter(i)} · {as_text(node.choices[i].label)}",
        index=None,
        key=key,
        on_change=save_vote,
        args=args,
    )
    st.markdown("**Which steps go with it?**")
    for step in checklist:
        st.checkbox(STEP_LABELS[step], key=step_key(state, step), on_change=save_vote, args=args)
    if view.vote is None:
        st.caption("Choose an option: your vote counts as soon as you choose.")
    else:
        st.success(
            f"Your vote: {room.letter(view.vote.choice_index)}. You can change it until "
            "voting locks.",
            icon=":material/how_to_vote:",
        )


def save_vote(live: LiveSessions, learner: str, scenario: Scenario, session_id: str) -> None:
    """Save the option and ticked steps now on screen (a widget callback)."""
    seen: Seen | None = st.session_state.get(_SEEN)
    if seen is None or seen.session_id != session_id:
        return
    state = seen.view.state
    index = st.session_state.get(choice_key(state))
    if index is None:
        return  # steps ticked before an option: saved with it
    node = scenario.nodes[state.node_id]
    steps = tuple(
        s for s in scenario.checklist(state.node_id) if st.session_state.get(step_key(state, s))
    )
    jurisdiction = seen.view.jurisdiction or state.jurisdiction
    result = room.vote_score(scenario, state.node_id, index, jurisdiction, steps)
    try:
        live.vote(
            session_id,
            learner,
            round_no=state.round_no,
            choice_index=index,
            choice_label=node.choices[index].label,
            steps=steps,
            jurisdiction=jurisdiction,
            verdict=result.verdict,
            points=result.points,
            category=result.ruling.category if result.ruling else scenario.category,
        )
    except StorageError as exc:
        st.session_state[_VOTE_ERROR] = str(exc)
        st.session_state.pop(_SEEN, None)  # the room may have moved: read it again
        return
    vote = Vote(index, steps, jurisdiction, result.verdict, result.points)
    st.session_state[_SEEN] = replace(seen, view=replace(seen.view, vote=vote))


def show_my_vote(scenario: Scenario, state: LiveState, vote: Vote | None) -> None:
    if vote is None:
        st.markdown("You did not vote on this decision.")
        return
    label = scenario.nodes[state.node_id].choices[vote.choice_index].label
    st.markdown(
        f"**Your vote:** {room.letter(vote.choice_index)} · {as_text(label)}  \n"
        f"**Steps you ticked:** {ticked_line(vote.steps)}"
    )


def show_my_verdict(scenario: Scenario, view: ParticipantView) -> None:
    """After the reveal: the engine's verdict on this participant's own vote."""
    state, vote = view.state, view.vote
    node = scenario.nodes[state.node_id]
    if vote is None or not 0 <= vote.choice_index < len(node.choices):
        st.markdown("You did not vote on this decision. Here is what the law required:")
        law = view.jurisdiction or state.jurisdiction
        ruling = room.option_score(scenario, state.node_id, 0, law).ruling
        if ruling is not None:
            show_law(ruling)
        return
    result = room.vote_score(
        scenario, state.node_id, vote.choice_index, vote.jurisdiction, vote.steps
    )
    st.subheader(f"Your vote: {room.letter(vote.choice_index)}", anchor=False)
    show_feedback(node.choices[vote.choice_index], result, vote.steps, heading=False)


# --- after: keep the choices ---------------------------------------------------------------


def show_keep(live: LiveSessions, learner: str, scenario: Scenario, view: ParticipantView) -> None:
    if view.kept_attempt:
        st.success(
            "Your votes from this session are saved in your progress, marked as a live session.",
            icon=":material/bookmark_added:",
        )
        return
    st.button(
        "Keep my choices in my progress",
        key=f"live_keep_{view.state.session_id}",
        type="primary",
        icon=":material/bookmark_add:",
        on_click=keep,
        args=(live, learner, scenario, view),
    )


def keep(live: LiveSessions, learner: str, scenario: Scenario, view: ParticipantView) -> None:
    """Record this participant's votes on the room's path as one finished attempt."""
    state = view.state
    try:
        path = live.path_votes(state.session_id, learner)
        made = []
        for place in path:
            vote = place.vote
            if vote is None or place.node_id not in scenario.nodes:
                continue
            node = scenario.nodes[place.node_id]
            if not 0 <= vote.choice_index < len(node.choices):
                continue
            made.append(
                {
                    "node_id": place.node_id,
                    "choice_index": vote.choice_index,
                    "choice_label": place.label or node.choices[vote.choice_index].label,
                    "steps": vote.steps,
                    "verdict": vote.verdict,
                    "points": vote.points,
                    "category": place.category or scenario.category,
                    "jurisdiction": vote.jurisdiction,
                    # where the room went; the option's own next if it had not moved on
                    "next_node": place.next_node or node.choices[vote.choice_index].next,
                }
            )
        attempt_id = live.keep_choices(
            state.session_id,
            learner,
            scenario_id=scenario.id,
            jurisdiction=view.jurisdiction or state.jurisdiction,
            category=scenario.category,
            start_node=path[0].node_id if path else scenario.start,
            current_node=path[-1].node_id if path else state.node_id,
            made=made,
        )
    except StorageError as exc:
        st.session_state[_VOTE_ERROR] = str(exc)
        return
    seen: Seen | None = st.session_state.get(_SEEN)
    if seen is not None and seen.session_id == state.session_id:
        st.session_state[_SEEN] = replace(seen, view=replace(seen.view, kept_attempt=attempt_id))
    else:
        st.session_state[_SEEN] = Seen(
            state.session_id, state.version, replace(view, kept_attempt=attempt_id)
        )
