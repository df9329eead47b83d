"""The door to every instructor and facilitator page: the deployment's passcode, then
the instructor's own code.

Two secrets, for two jobs. The *passcode* is the deployer's: it keeps learners (and the
internet) out of the instructor pages, and only its scrypt hash is configured, in
``CONFLAB_INSTRUCTOR_PASSCODE_HASH`` or Streamlit secrets ``[instructor] passcode_hash``.
The *instructor code* is each instructor's own, in the learner-code format, and decides
whose classes are shown, so two instructors on one deployment never see each other's
classes. Both live only in this browser session: never in the URL, where a projector or a
shared link would show them.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import streamlit as st

from storage.learner_code import new_learner_code, parse_learner_code
from storage.passcode import Throttle, check_passcode, is_hash
from storage.repository import StorageError
from ui.resources import StoreUnavailable, secrets_mapping, store

PASSCODE_ENV = "CONFLAB_INSTRUCTOR_PASSCODE_HASH"
PROXY_ENV = "CONFLAB_BEHIND_PROXY"
_UNLOCKED = "instructor_unlocked"
_CODE = "instructor_code"
_NEW_CODE = "instructor_new_code"

HOW_TO_CONFIGURE = (
    "Instructor pages are switched off until whoever runs this app sets a passcode. "
    "To set one, run `python -m storage passcode-hash` on the server, type the passcode "
    "twice, and put the line it prints (a hash, not the passcode) in the environment "
    f"variable `{PASSCODE_ENV}` or in `.streamlit/secrets.toml` under `[instructor]` as "
    "`passcode_hash`, then restart the app."
)
PLAIN_PASSCODE = (
    "The configured instructor passcode is not a hash, so it is refused. Put the output "
    "of `python -m storage passcode-hash` in the configuration instead of the passcode."
)


def configured_hash(secrets: Any = None) -> str | None:
    """The passcode hash from the environment, else from secrets; None if neither."""
    env = os.environ.get(PASSCODE_ENV, "").strip()
    if env:
        return env
    secrets = secrets_mapping() if secrets is None else secrets
    try:
        value = secrets["instructor"]["passcode_hash"]
    except (KeyError, TypeError):
        return None
    return value.strip() if isinstance(value, str) and value.strip() else None


def client_id() -> str:
    """Who is guessing, for the wrong-guess delay: the browser's address. Behind a
    reverse proxy (``CONFLAB_BEHIND_PROXY=1``, as in ``deploy/``) that is the last
    address in X-Forwarded-For, the one our proxy appended (earlier ones are whatever
    the client claimed). A client whose address is unknown shares one bucket with all
    such clients: a new session or a reload must not reset the count. Hashed, so no
    address is stored."""
    seen = getattr(st.context, "ip_address", None)
    address = seen if isinstance(seen, str) and seen else "unknown"
    if os.environ.get(PROXY_ENV, "").strip() in ("1", "true", "yes"):
        forwarded = str(st.context.headers.get("X-Forwarded-For") or "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            address = hops[-1]
    return hashlib.sha256(f"passcode-client:{address}".encode()).hexdigest()


def instructor_code() -> str | None:
    """This session's instructor code once through the door; None before."""
    if not st.session_state.get(_UNLOCKED):
        return None
    return st.session_state.get(_CODE)


def lock() -> None:
    """Leave the instructor pages (the sign-out button)."""
    for name in (_UNLOCKED, _CODE, _NEW_CODE):
        st.session_state.pop(name, None)


def require_instructor(purpose: str) -> str:
    """The instructor's code; draws the passcode and code forms and stops the run until
    both are given. ``purpose`` names the page in the form's heading."""
    stored = configured_hash()
    if stored is None:
        st.info(HOW_TO_CONFIGURE, icon=":material/lock:")
        st.stop()
    if not is_hash(stored):
        st.error(PLAIN_PASSCODE, icon=":material/lock:")
        st.stop()
    if not st.session_state.get(_UNLOCKED):
        _passcode_form(stored, purpose)
        st.stop()
    code = st.session_state.get(_CODE)
    if code is None:
        _code_form()
        st.stop()
    return code


def _passcode_form(stored: str, purpose: str) -> None:
    st.markdown(f"#### {purpose}: instructor passcode")
    try:
        throttle = Throttle(store().engine)
    except StoreUnavailable as exc:
        st.error(str(exc))
        return
    with st.form("instructor_passcode_form", enter_to_submit=True):
        typed = st.text_input("Passcode", type="password", max_chars=200)
        submitted = st.form_submit_button("Open the instructor pages")
    if not submitted:
        return
    client = client_id()
    try:
        wait = throttle.seconds_left(client)
        if wait > 0:
            st.error(f"Too many wrong passcodes. Try again in {int(wait) + 1} seconds.")
            return
        if check_passcode(typed, stored):
            throttle.succeeded(client)
            st.session_state[_UNLOCKED] = True
            st.rerun()
        throttle.failed(client)
    except StorageError as exc:
        st.error(str(exc))
        return
    st.error("That passcode is not right.")


def _code_form() -> None:
    st.markdown("#### Your instructor code")
    st.write(
        "Your classes are filed under a code only you hold, like a learner code. Type the "
        "code you were given when you first set up a class, or start as a new instructor."
    )
    with st.form("instructor_code_form", enter_to_submit=True):
        typed = st.text_input("Instructor code", max_chars=100, placeholder="XXXX-XXXX-…")
        submitted = st.form_submit_button("Use this code")
    if submitted:
        code = parse_learner_code(typed)
        if code is None:
            st.error("That is not an instructor code: 26 letters and digits in six groups.")
        else:
            st.session_state[_CODE] = code
            st.rerun()
    if st.button("Start as a new instructor"):
        code = new_learner_code()
        st.session_state[_CODE] = code
        st.session_state[_NEW_CODE] = code
        st.rerun()


def show_new_code_notice() -> None:
    """Once, after a new instructor code is made: show it so it can be kept."""
    code = st.session_state.get(_NEW_CODE)
    if code:
        st.success(
            "Keep this instructor code somewhere safe: it is the only way back to your "
            "classes, and it cannot be recovered. It is hidden once you confirm, so it is "
            "not left on a shared screen.",
            icon=":material/key:",
        )
        st.code(code, language=None)
        st.button("I have saved my instructor code", on_click=_forget_new_code)


def _forget_new_code() -> None:
    st.session_state.pop(_NEW_CODE, None)
