"""The app's pages, and the resume link.

A link to the root URL that names a vignette (``/?learner=...&attempt=...`` or
``&scenario=...``) opens it on the Play page at once. That is the link to share or
bookmark: Streamlit's front end, loaded at a sub-path such as ``/play``, first probes
that path for its server before finding the root, which costs about 0.45 s on this
machine (bench/app_bench.py); from the root, switching to Play is one quick rerun.
Pages are built on every run: ``st.Page`` objects carry per-run state and must not be
shared between sessions.
"""

from __future__ import annotations

import streamlit as st

from ui.playthrough import ATTEMPT_PARAM, PLAY_PAGE, SCENARIO_PARAM

HOME_PAGE = "ui/pages/home.py"


def pages() -> list[st.Page]:
    return [
        st.Page(HOME_PAGE, title="Home", icon=":material/home:", default=True),
        st.Page(PLAY_PAGE, title="Play", icon=":material/play_circle:", url_path="play"),
        st.Page(
            "ui/pages/progress.py",
            title="Progress",
            icon=":material/insights:",
            url_path="progress",
        ),
        st.Page(
            "ui/pages/library.py", title="Library", icon=":material/menu_book:", url_path="library"
        ),
    ]


def follow_resume_link(page: st.Page) -> None:
    """Home with a vignette in its URL is a resume link: go to Play, keeping the URL's
    parameters (ends this run)."""
    if page.url_path == "" and (
        ATTEMPT_PARAM in st.query_params or SCENARIO_PARAM in st.query_params
    ):
        st.switch_page(PLAY_PAGE, query_params=st.query_params.to_dict())
