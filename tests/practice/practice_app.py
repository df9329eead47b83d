"""A two-page app for the Practice browser test: Practice and Progress, framed as
``app.py`` frames a learner page (the learner code and jurisdiction in the URL), until
the Practice page is in the app's own navigation."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from ui.learner import current_learner, sync_jurisdiction_param  # noqa: E402

st.set_page_config(page_title="Confidentiality Lab", layout="centered")
current_learner()
sync_jurisdiction_param()
page = st.navigation(
    [
        st.Page(ROOT / "ui/pages/practice.py", title="Practice", default=True),
        st.Page(ROOT / "ui/pages/progress.py", title="Progress", url_path="progress"),
    ]
)
page.run()
