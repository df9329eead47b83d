"""The sidebar on every page, under the page links: the learner code and the notice."""

from __future__ import annotations

import streamlit as st

from engine import law_reviewed


def show_sidebar(learner: str) -> None:
    with st.sidebar:
        # Inline code, not st.code: the code block's highlighter is a slow extra download
        # on every first page load (Home has the copyable block).
        st.markdown(
            f"**Your learner code**  \n`{learner}`  \n"
            ":small[Copy it, or bookmark this page, to continue on another device.]\n\n"
            f":small[Education, not legal advice. Law last reviewed {law_reviewed()}.]"
        )


def show_staff_sidebar() -> None:
    """Instructor pages: the disclaimer only. No learner code: these pages are the ones
    shown on projectors and shared screens."""
    with st.sidebar:
        st.markdown(f":small[Education, not legal advice. Law last reviewed {law_reviewed()}.]")
