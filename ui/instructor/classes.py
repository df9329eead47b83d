"""Setting up classes and choosing the one to look at."""

from __future__ import annotations

from datetime import UTC, datetime, time

import streamlit as st

from storage.cohorts import DEFAULT_PASS_MARK, Cohort
from storage.repository import StorageError
from ui.resources import bank, cohorts, jurisdiction_codes, jurisdiction_label

_SELECTED = "instructor_cohort_id"


def create_class_form(instructor: str) -> None:
    """Name, default jurisdiction, assigned vignettes, optional due date, pass mark."""
    scenarios = bank().scenarios
    with st.form("new_class", clear_on_submit=False):
        name = st.text_input("Class name", max_chars=80, placeholder="e.g. PSY 610 Ethics, fall")
        jurisdiction = st.selectbox(
            "Jurisdiction for the class",
            jurisdiction_codes(),
            format_func=jurisdiction_label,
            help=(
                "The law for vignettes written for the model profile. A vignette written "
                "for a state is played under that state's law: its options were written "
                "for it."
            ),
        )
        assigned = st.multiselect(
            "Assigned vignettes",
            list(scenarios),
            format_func=lambda s: f"{scenarios[s].title} ({scenarios[s].minutes} min)",
            placeholder="Choose one or more",
        )
        due = st.date_input("Due date (optional)", value=None, format="YYYY-MM-DD")
        pass_mark = st.number_input(
            "Pass mark for a certificate (%)",
            min_value=0,
            max_value=100,
            value=DEFAULT_PASS_MARK,
            step=5,
        )
        submitted = st.form_submit_button("Create the class", type="primary")
    if not submitted:
        return
    if not name.strip():
        st.error("Give the class a name.")
        return
    if not assigned:
        st.error("Assign at least one vignette.")
        return
    due_at = datetime.combine(due, time(23, 59), tzinfo=UTC) if due else None
    try:
        cohort = cohorts().create_cohort(
            instructor,
            name=name,
            jurisdiction=jurisdiction,
            assigned=assigned,
            due_at=due_at,
            pass_mark=int(pass_mark),
        )
    except StorageError as exc:
        st.error(str(exc))
        return
    st.session_state[_SELECTED] = cohort.cohort_id
    st.rerun()


def choose_class(instructor: str) -> Cohort | None:
    """The class picker over this instructor's classes (newest first)."""
    try:
        mine = cohorts().instructor_cohorts(instructor)
    except StorageError as exc:
        st.error(str(exc))
        return None
    if not mine:
        return None
    ids = [c.cohort_id for c in mine]
    by_id = {c.cohort_id: c for c in mine}
    if st.session_state.get(_SELECTED) not in by_id:
        st.session_state[_SELECTED] = ids[0]
    chosen = st.selectbox(
        "Class",
        ids,
        key=_SELECTED,
        format_func=lambda i: f"{by_id[i].name} · join code {by_id[i].join_code}",
    )
    return owned_cohort(instructor, chosen)


def owned_cohort(instructor: str, cohort_id: str | None) -> Cohort | None:
    """The class if this instructor owns it (checked in the database), else None."""
    if cohort_id is None:
        return None
    try:
        return cohorts().instructor_cohort(instructor, cohort_id)
    except StorageError:
        return None
