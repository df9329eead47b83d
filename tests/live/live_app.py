"""The app's frame with the live pages in its navigation, for the live browser tests and
``bench/live_bench.py``.

``ui/navigation.py`` lists the app's pages by paths relative to ``app.py``; this file
lives elsewhere, so it names the live pages by absolute path and draws the same frame as
``app.py``: a learner page (``/join``) gets the learner code, the staff page
(``/facilitate``) gets none.
"""

from pathlib import Path

import streamlit as st

from ui.learner import current_learner, sync_jurisdiction_param
from ui.sidebar import show_sidebar

ROOT = Path(__file__).resolve().parents[2]

st.set_page_config(
    page_title="Confidentiality Lab",
    page_icon="🔐",
    layout="centered",
    menu_items={"Get help": None, "Report a bug": None, "About": None},
)


def home() -> None:
    st.title("Confidentiality Lab: live sessions")


page = st.navigation(
    {
        "Learn": [
            st.Page(home, title="Home", icon=":material/home:", default=True),
            st.Page(
                ROOT / "ui/pages/join.py",
                title="Join a live session",
                icon=":material/how_to_vote:",
                url_path="join",
            ),
        ],
        "Teach": [
            st.Page(
                ROOT / "ui/pages/facilitate.py",
                title="Facilitate",
                icon=":material/podium:",
                url_path="facilitate",
            ),
        ],
    }
)
if page.url_path == "facilitate":
    st.query_params.pop("learner", None)  # a learner code never shows on a projector
else:
    show_sidebar(current_learner())
    sync_jurisdiction_param()
page.run()
