"""Home: what this is and for whom, the not-legal-advice notice, the jurisdiction,
a category or a vignette to play, "continue where you left off", and the learner code."""

from __future__ import annotations

from datetime import date

import streamlit as st

from engine import law_reviewed
from storage.store import StorageError
from ui import playthrough
from ui.cards import vignette_card
from ui.charts import CATEGORY_LABELS
from ui.computed import library_rows
from ui.learner import (
    current_learner,
    learner_params,
    preferred_jurisdiction,
    set_preferred_jurisdiction,
    switch_learner,
)
from ui.resources import (
    StoreUnavailable,
    bank,
    jurisdiction_codes,
    jurisdiction_label,
    scenarios_folder,
    store,
)
from ui.text import as_text

INTRO = """
Practise the decisions that test a therapist's confidentiality: a client's threat, a
suspicion of abuse, a subpoena, a request from family or an employer. Each vignette puts
you in the room; you choose what to do, and the rules engine tells you at once whether
the law lets you disclose, requires you to, or forbids it — with the rule and its citation.

**For** graduate students in counselling, psychology, social work and MFT programmes,
clinicians in continuing-education sessions, and anyone studying on their own.
"""


def show_home_page() -> None:
    learner = current_learner()
    st.title("Confidentiality Lab")
    st.markdown(INTRO)
    st.info(
        "**Education, not legal advice.** The vignettes and the engine simplify real law, "
        "and state law changes. Before acting on a real case, check your jurisdiction's "
        "current law and consult your supervisor, your licensing board or an attorney. "
        f"**Law last reviewed: {readable_date(law_reviewed())}.** Jurisdictions marked "
        "“unverified” rest on secondary sources.",
        icon=":material/gavel:",
    )
    show_continue(learner)
    show_jurisdiction()
    show_vignettes()
    show_learner_code(learner)


def readable_date(text: str) -> str:
    try:
        return date.fromisoformat(text).strftime("%-d %B %Y")
    except ValueError:
        return text


def show_continue(learner: str) -> None:
    try:
        resume = store().open_attempt(learner)
    except (StoreUnavailable, StorageError) as exc:
        st.warning(f"{exc} You can still browse the vignettes.", icon=":material/cloud_off:")
        return
    scenario = bank().scenarios.get(resume.scenario_id) if resume else None
    if resume is None or scenario is None:
        return
    with st.container(border=True):
        st.markdown(
            f"**Continue where you left off:** {as_text(scenario.title)} — decision "
            f"{resume.step + 1}, under {jurisdiction_label(resume.jurisdiction)}."
        )
        if st.button("Continue", key="home_continue", type="primary", icon=":material/resume:"):
            playthrough.go_play(learner_params(), attempt_id=resume.attempt_id)


def show_jurisdiction() -> None:
    st.header("Your jurisdiction")
    codes = jurisdiction_codes()
    st.selectbox(
        "Jurisdiction whose law scores your choices",
        codes,
        index=codes.index(preferred_jurisdiction()),
        format_func=jurisdiction_label,
        key="home_jurisdiction",
        on_change=lambda: set_preferred_jurisdiction(st.session_state["home_jurisdiction"]),
        help=(
            "The Model profile applies HIPAA and the professional ethics codes with no state "
            "statute. A vignette written for a particular state opens under that state's "
            "law unless you choose a jurisdiction here; you can change it before you begin."
        ),
    )


def show_vignettes() -> None:
    st.header("Pick a category or a vignette")
    rows = library_rows(scenarios_folder())
    if not rows:
        st.warning(
            "No vignettes are available yet. The Library lists any files that failed checks."
        )
        return
    counts = {key: sum(row["category"] == key for row in rows) for key in CATEGORY_LABELS}
    category = st.radio(
        "Category",
        [key for key, n in counts.items() if n],
        format_func=lambda key: f"{CATEGORY_LABELS[key]} ({counts[key]})",
        horizontal=True,
        key="home_category",
    )
    titles = {row["id"]: row["title"] for row in rows}
    with st.container(horizontal=True, vertical_alignment="bottom"):
        chosen = st.selectbox(
            "Or go straight to any vignette",
            list(titles),
            index=None,
            format_func=titles.get,
            placeholder="Choose a vignette",
            key="home_vignette",
        )
        if st.button("Start", key="home_start_chosen", disabled=chosen is None):
            playthrough.go_play(learner_params(), scenario_id=chosen)
    for row in rows:
        if row["category"] == category:
            vignette_card(row, key_prefix="home")


def show_learner_code(learner: str) -> None:
    st.header("Your learner code")
    st.markdown(
        "Your work is saved under this code, not under your name. Copy it (or bookmark "
        "this page) to continue later or on another device. Keep it to yourself: anyone "
        "with the code can see this progress."
    )
    st.code(learner, language=None)
    with st.expander("Continue with a code from another device"):
        with st.form("use_code", border=False):
            typed = st.text_input(
                "Learner code", placeholder="e.g. 7K3M-9QXD-…", max_chars=100, key="typed_code"
            )
            if st.form_submit_button("Use this code", key="use_code_submit"):
                if switch_learner(typed):
                    st.rerun()
                st.error(
                    "That is not a valid learner code: a code has 26 letters and digits, "
                    "usually written in groups with dashes. Nothing was changed."
                )
