"""Confidentiality Lab. Run with ``streamlit run app.py``.

This file is the frame around every page: page setup, navigation, and, on learner pages,
the learner's code and jurisdiction (kept in the URL so a reload resumes). Instructor
pages get no learner code: they have their own door. The pages are thin; the work is in
``ui/``, the law in ``engine/``, the saved work in ``storage/``.
"""

import streamlit as st

from storage.logs import configure_logging
from ui.learner import LEARNER_PARAM, current_learner, pop_notice, sync_jurisdiction_param
from ui.navigation import follow_resume_link, is_staff_page, pages
from ui.sidebar import show_sidebar, show_staff_sidebar
from ui.theme import apply_focus_styles

configure_logging()  # errors as JSON lines, no learner text (storage/logs.py)

st.set_page_config(
    page_title="Confidentiality Lab",
    page_icon="🔐",  # an emoji favicon is drawn in the browser; a :material: one is fetched
    layout="centered",
    menu_items={"Get help": None, "Report a bug": None, "About": None},
)

page = st.navigation(pages())
apply_focus_styles()
if is_staff_page(page):
    st.query_params.pop(LEARNER_PARAM, None)  # a learner code never shows on a projector
    show_staff_sidebar()
else:
    learner = current_learner()
    sync_jurisdiction_param()
    follow_resume_link(page)
    show_sidebar(learner)
    if notice := pop_notice():  # in the page, not the sidebar: a phone hides the sidebar
        st.warning(notice, icon=":material/key_off:")
page.run()
