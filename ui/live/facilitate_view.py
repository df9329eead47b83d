"""The facilitator's page (``/facilitate``): start a live session, show the room how to
join, then run the vignette one node at a time on a projector.

Behind the instructor door (``ui.instructor.gate``). The session being run is in the URL
(``?session=``, an id that only its instructor can open), so a reload comes back to it.
Every action is a storage call that checks the version the page drew, so a double click
or a second window never moves the room twice. The joined and voted counts refresh in a
fragment every ``PRESENTER_POLL_S`` seconds; the rest of the page is redrawn only when
the facilitator acts (or when the fragment sees that another window did).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from engine.scenarios import Scenario
from storage.live import ENDING, LOCKED, REVEALED, VOTING, LiveSessions, LiveState
from storage.repository import StorageError
from ui.feedback import show_law, verdict_title
from ui.instructor.gate import require_instructor, show_new_code_notice
from ui.live import export, qr, room
from ui.live.charts import vote_distribution
from ui.resources import StoreUnavailable, bank, jurisdiction_codes, jurisdiction_label
from ui.text import as_text

SESSION_PARAM = "session"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
_ERROR = "live_facilitator_error"
_CONFIRM_END = "live_confirm_end"
PHASE_WORDS = {
    VOTING: "Voting is open: votes can still change.",
    LOCKED: "Voting is locked.",
    REVEALED: "Revealed.",
    ENDING: "The end of the vignette.",
}


def show_facilitate_page() -> None:
    st.set_page_config(layout="wide")  # a projector: the scene and the chart side by side
    st.title("Live session")
    instructor = require_instructor("Live session")
    show_new_code_notice()
    try:
        live = room.repo()
        state = current_session(live, instructor)
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        st.button("Try again", key="live_try_again", icon=":material/refresh:")
        return
    if error := st.session_state.pop(_ERROR, None):
        st.warning(error, icon=":material/sync_problem:")
    if state is None:
        show_setup(live, instructor)
        return
    scenario = bank().scenarios.get(state.scenario_id)
    if scenario is None or state.node_id not in scenario.nodes:
        st.error(
            "This session's vignette cannot be shown any more: its file was removed, "
            "changed or now fails validation. The votes already cast are kept."
        )
        show_results_download(live, instructor, state, None)
        leave_button()
        return
    if state.ended:
        show_ended(live, instructor, scenario, state)
        return
    show_presenter(live, instructor, scenario, state)


def current_session(live: LiveSessions, instructor: str) -> LiveState | None:
    """The session named in the URL, if it is this instructor's."""
    session_id = st.query_params.get(SESSION_PARAM)
    if not session_id or len(session_id) > 64:
        return None
    state = live.owned_session(instructor, session_id)
    if state is None:
        st.query_params.pop(SESSION_PARAM, None)
        st.warning("That live session is not one of yours.")
    return state


def open_session(session_id: str) -> None:
    st.query_params[SESSION_PARAM] = session_id
    st.session_state.pop(_CONFIRM_END, None)


def leave_session() -> None:
    st.query_params.pop(SESSION_PARAM, None)
    st.session_state.pop(_CONFIRM_END, None)


def leave_button() -> None:
    st.button(
        "Back to my live sessions",
        key="live_leave",
        icon=":material/arrow_back:",
        on_click=leave_session,
    )


# --- before: choose a vignette and a law ------------------------------------------------


def show_setup(live: LiveSessions, instructor: str) -> None:
    scenarios = bank().scenarios
    st.markdown(
        "Run one vignette with a room: everyone joins from a phone with a short code, "
        "votes privately at each decision, and sees the law once you reveal it."
    )
    ids = sorted(scenarios, key=lambda i: scenarios[i].title.lower())
    with st.container(border=True):
        st.subheader("Start a live session", anchor=False)
        scenario_id = st.selectbox(
            "Vignette",
            ids,
            format_func=lambda i: scenarios[i].title,
            key="live_vignette",
        )
        scenario = scenarios[scenario_id]
        codes = jurisdiction_codes()
        jurisdiction = st.selectbox(
            "Law to run it under",
            codes,
            index=codes.index(scenario.jurisdiction) if scenario.jurisdiction in codes else 0,
            format_func=jurisdiction_label,
            key=f"live_jurisdiction_{scenario_id}",
            help="Participants may choose to be scored under their own state's law as well.",
        )
        st.button(
            "Start the session",
            key="live_start",
            type="primary",
            icon=":material/podium:",
            on_click=start,
            args=(live, instructor, scenario, jurisdiction),
        )
    sessions = live.instructor_sessions(instructor)
    if sessions:
        st.subheader("Your live sessions", anchor=False)
    for state in sessions:
        title = scenarios[state.scenario_id].title if state.scenario_id in scenarios else "?"
        when = state.created_at.strftime("%Y-%m-%d %H:%M UTC")
        status = "ended" if state.ended else "open"
        st.button(
            f"{'Results of' if state.ended else 'Resume'} “{as_text(title)}” · code {state.join_code} "
            f"· {when} · {status}",
            key=f"live_open_{state.session_id}",
            on_click=open_session,
            args=(state.session_id,),
        )


def start(live: LiveSessions, instructor: str, scenario: Scenario, jurisdiction: str) -> None:
    try:
        state = live.start_session(
            instructor,
            scenario_id=scenario.id,
            jurisdiction=jurisdiction,
            start_node=scenario.start,
            phase=room.next_phase(scenario, scenario.start),
        )
    except StorageError as exc:
        st.session_state[_ERROR] = str(exc)
        return
    open_session(state.session_id)


# --- during: the presenter view -------------------------------------------------------------


def show_presenter(
    live: LiveSessions, instructor: str, scenario: Scenario, state: LiveState
) -> None:
    st.caption(
        f"{as_text(scenario.title)} · {jurisdiction_label(state.jurisdiction)}",
    )
    show_join_panel(state)
    node = scenario.nodes[state.node_id]
    left, right = st.columns([3, 2], gap="large")
    with left:
        if state.phase == ENDING:
            st.header("The end of the vignette", anchor=False)
            st.markdown(as_text(node.text))
            if node.debrief:
                with st.container(border=True):
                    st.markdown(f"**Debrief**\n\n{as_text(node.debrief)}")
        else:
            st.header(f"Decision {state.step + 1}", anchor=False)
            st.markdown(as_text(node.text))
            for index, choice in enumerate(node.choices):
                st.markdown(f"#### {room.letter(index)} · {as_text(choice.label)}")
    with right:
        live_counts(live, state.session_id, state.round_no, state.version)
        show_controls(live, instructor, scenario, state)
    if state.phase == REVEALED:
        show_reveal(live, scenario, state)
    with st.expander("Results and session"):
        show_results_download(live, instructor, state, scenario)
        leave_button()


def show_join_panel(state: LiveState) -> None:
    base = qr.app_base(getattr(st.context, "url", None))
    link = qr.join_url(base, state.join_code)
    with st.container(border=True):
        words, code = st.columns([3, 1], vertical_alignment="center")
        with words:
            st.markdown(f"## Join with code **{state.join_code}**")
            st.markdown("On your phone, scan the code or open:")
            st.code(link, language=None)
        with code:
            if base is not None:
                st.image(qr.qr_png(link), caption=f"QR code for {as_text(link)}", width=200)


@st.fragment(run_every=room.poll_seconds(room.PRESENTER_POLL_S))
def live_counts(live: LiveSessions, session_id: str, round_no: int, version: int) -> None:
    """Joined and voted, refreshed on a timer; redraws the page if the room was moved
    from another window."""
    try:
        seen = live.poll(session_id)
        counts = live.counts(session_id, round_no)
    except StorageError as exc:
        st.warning(str(exc), icon=":material/cloud_off:")
        return
    if seen is not None and seen != version:
        st.rerun()
    joined, voted = st.columns(2)
    joined.metric("Joined", counts.joined, border=True)
    voted.metric("Voted", counts.voted, border=True)


def act(action: Callable[[], object]) -> None:
    """Run a facilitator action; a refusal (moved on elsewhere) is shown, not raised."""
    try:
        action()
    except StorageError as exc:
        st.session_state[_ERROR] = str(exc)
    st.session_state.pop(_CONFIRM_END, None)


def show_controls(
    live: LiveSessions, instructor: str, scenario: Scenario, state: LiveState
) -> None:
    sid, seen = state.session_id, state.version
    st.markdown(f"**{PHASE_WORDS.get(state.phase, state.phase)}**")

    def phase(to: str) -> Callable[[], object]:
        return lambda: live.set_phase(instructor, sid, seen, to)

    if state.phase == VOTING:
        st.button(
            "Lock voting",
            key="live_lock",
            icon=":material/lock:",
            on_click=act,
            args=(phase(LOCKED),),
        )
    if state.phase == LOCKED:
        st.button(
            "Reopen voting",
            key="live_unlock",
            icon=":material/lock_open:",
            on_click=act,
            args=(phase(VOTING),),
        )
    if state.phase in (VOTING, LOCKED):
        st.button(
            "Reveal",
            key="live_reveal",
            type="primary",
            icon=":material/visibility:",
            on_click=act,
            args=(phase(REVEALED),),
        )
    if state.phase == REVEALED:
        show_next_buttons(live, instructor, scenario, state)
    if state.step > 0:
        st.button(
            "Back to the previous decision",
            key="live_back",
            icon=":material/undo:",
            on_click=act,
            args=(lambda: live.back(instructor, sid, seen),),
        )
    if st.session_state.get(_CONFIRM_END) == sid:
        st.warning("End the session for everyone? Nobody can vote afterwards.")
        st.button(
            "Yes, end the session",
            key="live_end_confirmed",
            type="primary",
            on_click=act,
            args=(lambda: live.end(instructor, sid),),
        )
        st.button("Keep going", key="live_end_cancel", on_click=act, args=(lambda: None,))
    else:
        st.button(
            "End the session",
            key="live_end",
            icon=":material/stop_circle:",
            on_click=lambda: st.session_state.__setitem__(_CONFIRM_END, sid),
        )


def show_next_buttons(
    live: LiveSessions, instructor: str, scenario: Scenario, state: LiveState
) -> None:
    node = scenario.nodes[state.node_id]
    counts = live.counts(state.session_id, state.round_no)
    ways = room.branches(scenario, state.node_id, state.jurisdiction, counts)

    def go(index: int) -> Callable[[], object]:
        target = node.choices[index].next
        return lambda: live.advance(
            instructor,
            state.session_id,
            state.version,
            taken_index=index,
            next_node=target,
            next_phase=room.next_phase(scenario, target),
        )

    if ways.majority is not None and ways.majority != ways.best:
        tie = " (a tie: the first listed)" if ways.tie else ""
        st.button(
            f"Next: follow the room's majority, {room.letter(ways.majority)}{tie}",
            key="live_next_majority",
            type="primary",
            icon=":material/groups:",
            on_click=act,
            args=(go(ways.majority),),
        )
    both = ways.majority == ways.best
    st.button(
        f"Next: follow {'the majority and ' if both else ''}the best option, "
        f"{room.letter(ways.best)}",
        key="live_next_best",
        type="secondary" if ways.majority is not None and not both else "primary",
        icon=":material/verified:",
        on_click=act,
        args=(go(ways.best),),
    )


def show_reveal(live: LiveSessions, scenario: Scenario, state: LiveState) -> None:
    """The room's votes, then the engine's verdict on every option, then the law."""
    node = scenario.nodes[state.node_id]
    counts = live.counts(state.session_id, state.round_no)
    scores = [
        room.option_score(scenario, state.node_id, i, state.jurisdiction)
        for i in range(len(node.choices))
    ]
    letters = [room.letter(i) for i in range(len(node.choices))]
    st.divider()
    chart, verdicts = st.columns([3, 2], gap="large")
    with chart:
        figure = vote_distribution(
            letters,
            [c.label for c in node.choices],
            [s.verdict for s in scores],
            [counts.votes.get(i, 0) for i in range(len(node.choices))],
        )
        st.plotly_chart(figure, config=PLOTLY_CONFIG, key=f"live_chart_{state.round_no}")
    with verdicts:
        st.subheader("What the law makes of each option", anchor=False)
        st.caption("Each option scored as the act, with the steps the law asks for.")
        for index, (choice, score) in enumerate(zip(node.choices, scores, strict=True)):
            faults = "".join(f"\n- {as_text(m)}" for m in score.messages)
            st.markdown(
                f"**{letters[index]} · {verdict_title(score.verdict)}** ({score.points} points) "
                f"— {as_text(choice.label)}{faults}"
            )
    ruling = scores[0].ruling if scores else None
    if ruling is not None:
        show_law(ruling)


# --- after: the results ---------------------------------------------------------------------


def show_ended(live: LiveSessions, instructor: str, scenario: Scenario, state: LiveState) -> None:
    st.caption(f"{as_text(scenario.title)} · code {state.join_code}")
    st.success("This session has ended. Participants can keep their choices in their progress.")
    show_results_download(live, instructor, state, scenario)
    leave_button()


def show_results_download(
    live: LiveSessions, instructor: str, state: LiveState, scenario: Scenario | None
) -> None:
    if scenario is None:
        return

    def build() -> bytes:
        rounds = live.rounds(instructor, state.session_id)
        tally = live.vote_tally(instructor, state.session_id)
        frame = export.results_frame(scenario, state.jurisdiction, rounds, tally)
        return export.results_csv(frame)

    st.download_button(
        "Download the results (CSV)",
        data=build,
        file_name=f"live-session-{state.join_code}.csv",
        mime="text/csv",
        key=f"live_results_{state.session_id}",
        icon=":material/download:",
        on_click="ignore",
        help="Per decision: how the votes fell, the share that chose best, by jurisdiction.",
    )
