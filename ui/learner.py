"""Who is playing: the pseudonymous learner code, and the learner's chosen jurisdiction.

The code lives in the URL (``?learner=``) so a reload or a bookmarked link resumes the
same learner, and in session state so moving between pages keeps it even where a page
switch drops the query string. A malformed code is never looked up: the session keeps
its own code or starts a new one, and the learner is told why.
"""

from __future__ import annotations

import streamlit as st

from storage.learner_code import new_learner_code, parse_learner_code
from ui import playthrough
from ui.resources import jurisdiction_codes

LEARNER_PARAM = "learner"
JURISDICTION_PARAM = "j"
DEFAULT_JURISDICTION = "MODEL"

_CODE = "learner_code"
_NOTICE = "learner_notice"
_JURISDICTION = "jurisdiction_pref"


def current_learner() -> str:
    """This session's learner code: a valid one from the URL, else the session's, else new.

    Idempotent within a run; writes the canonical code back into the URL.
    """
    raw = st.query_params.get(LEARNER_PARAM)
    code = parse_learner_code(raw)
    if code is None:
        if raw is not None:
            st.session_state[_NOTICE] = (
                "The learner code in this link is not a valid code, so it was not used. "
                "Your work is saved under the code shown on the Home page and in the menu."
            )
        code = st.session_state.get(_CODE) or new_learner_code()
    elif code != st.session_state.get(_CODE) and _CODE in st.session_state:
        # another learner's link opened in this tab: forget this session's place
        forget_place()
    st.session_state[_CODE] = code
    if raw != code:
        st.query_params[LEARNER_PARAM] = code
    return code


def switch_learner(text: str) -> bool:
    """Use a code the learner typed (from another device). False if it is not a code."""
    code = parse_learner_code(text)
    if code is None:
        return False
    if code != st.session_state.get(_CODE):
        forget_place()
    st.session_state[_CODE] = code
    st.query_params[LEARNER_PARAM] = code
    return True


def forget_place() -> None:
    """Drop what this session knew about a vignette in progress (the DB still has it)."""
    playthrough.pick_scenario(None)


def pop_notice() -> str | None:
    return st.session_state.pop(_NOTICE, None)


def preferred_jurisdiction() -> str:
    """The jurisdiction the learner chose on Home (``?j=``), MODEL until they choose."""
    if _JURISDICTION not in st.session_state:
        raw = st.query_params.get(JURISDICTION_PARAM)
        st.session_state[_JURISDICTION] = (
            raw if raw in jurisdiction_codes() else DEFAULT_JURISDICTION
        )
    return st.session_state[_JURISDICTION]


def set_preferred_jurisdiction(code: str) -> None:
    if code not in jurisdiction_codes():
        return
    st.session_state[_JURISDICTION] = code
    sync_jurisdiction_param()


def sync_jurisdiction_param() -> None:
    """Keep ``?j=`` in the URL so a reload keeps the choice (absent means MODEL)."""
    code = preferred_jurisdiction()
    if code == DEFAULT_JURISDICTION:
        if JURISDICTION_PARAM in st.query_params:
            del st.query_params[JURISDICTION_PARAM]
    elif st.query_params.get(JURISDICTION_PARAM) != code:
        st.query_params[JURISDICTION_PARAM] = code


def learner_params() -> dict[str, str]:
    """Query parameters that carry the learner to another page."""
    params = {LEARNER_PARAM: current_learner()}
    if preferred_jurisdiction() != DEFAULT_JURISDICTION:
        params[JURISDICTION_PARAM] = preferred_jurisdiction()
    return params
