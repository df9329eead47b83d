"""The app's pages, grouped by audience, and the resume link.

Each audience is its own room: learners (Home, Play, Practice, Progress, Library,
Explorer, a live session joined from a phone, their classes) and instructors
(``/instructor``, and ``/facilitate`` to run a live session). A learner page carries the
learner code in its URL and sidebar; an instructor page carries neither, so a projector
or a screen share never shows a learner code, and instructor pages have their own door
(``ui.instructor.gate``).

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
LEARN = "Learn"
TEACH = "Teach"
STAFF_URL_PATHS = frozenset({"instructor", "facilitate"})
"""Pages for instructors: no learner code in their URL or sidebar."""


def pages() -> list[st.Page]:
    """The navigation: learner pages, then staff pages. One flat list: Streamlit's
    sectioned menu puts the section headings inside its list, which screen readers
    report as a broken list (axe: list, listitem)."""
    return [page for room in rooms().values() for page in room]


def rooms() -> dict[str, list[st.Page]]:
    """The pages of each audience."""
    return {
        LEARN: [
            st.Page(HOME_PAGE, title="Home", icon=":material/home:", default=True),
            st.Page(PLAY_PAGE, title="Play", icon=":material/play_circle:", url_path="play"),
            st.Page(
                "ui/pages/progress.py",
                title="Progress",
                icon=":material/insights:",
                url_path="progress",
            ),
            st.Page(
                "ui/pages/library.py",
                title="Library",
                icon=":material/menu_book:",
                url_path="library",
            ),
            st.Page(
                "ui/pages/practice.py",
                title="Practice",
                icon=":material/fitness_center:",
                url_path="practice",
            ),
            st.Page(
                "ui/pages/explorer.py",
                title="Explorer",
                icon=":material/map:",
                url_path="explorer",
            ),
            st.Page(
                "ui/pages/join.py",
                title="Join a live session",
                icon=":material/how_to_vote:",
                url_path="join",
            ),
            st.Page(
                "ui/pages/class_page.py",
                title="My classes",
                icon=":material/groups:",
                url_path="class",
            ),
        ],
        TEACH: [
            st.Page(
                "ui/pages/instructor.py",
                title="Instructor",
                icon=":material/school:",
                url_path="instructor",
            ),
            st.Page(
                "ui/pages/facilitate.py",
                title="Live session",
                icon=":material/podium:",
                url_path="facilitate",
            ),
        ],
    }


def is_staff_page(page: st.Page) -> bool:
    return page.url_path in STAFF_URL_PATHS


def follow_resume_link(page: st.Page) -> None:
    """Home with a vignette in its URL is a resume link: go to Play, keeping the URL's
    parameters (ends this run)."""
    if page.url_path == "" and (
        ATTEMPT_PARAM in st.query_params or SCENARIO_PARAM in st.query_params
    ):
        st.switch_page(PLAY_PAGE, query_params=st.query_params.to_dict())
