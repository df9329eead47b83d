"""The instructor page (``/instructor``): behind the passcode, an instructor's classes,
each with its dashboard, item analysis, exports and certificate lookup."""

from __future__ import annotations

import streamlit as st

from storage.cohorts import Cohort
from storage.repository import StorageError
from ui.instructor import classes, data, gate
from ui.instructor.certificates_view import show_certificate_lookup
from ui.instructor.dashboard import show_dashboard
from ui.instructor.exports_view import show_exports
from ui.instructor.items import show_items
from ui.resources import StoreUnavailable
from ui.text import as_text

SECTIONS = ("Dashboard", "Items", "Exports", "Certificates")


def show_instructor_page() -> None:
    st.title("Instructor")
    instructor = gate.require_instructor("Instructor pages")
    gate.show_new_code_notice()
    st.button("Sign out of the instructor pages", on_click=gate.lock, icon=":material/logout:")
    try:
        cohort = classes.choose_class(instructor)
    except StoreUnavailable as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        return
    with st.expander("Set up a new class", expanded=cohort is None):
        classes.create_class_form(instructor)
    if cohort is None:
        st.info("You have no classes yet: set one up above.", icon=":material/school:")
        return
    show_class(instructor, cohort)


def show_class(instructor: str, cohort: Cohort) -> None:
    st.header(as_text(cohort.name), divider=False)
    st.markdown(
        f"Join code **{cohort.join_code}**: learners enter it on the *My classes* page, or "
        f"open `{join_link(cohort.join_code)}`."
    )
    section = (
        st.segmented_control("Show", SECTIONS, default=SECTIONS[0], key="instructor_section")
        or SECTIONS[0]
    )
    if section == "Certificates":
        show_certificate_lookup(instructor)
        return
    if section == "Exports":
        show_exports(instructor, cohort)
        return
    try:
        shared = data.class_data(cohort)
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        return
    st.button(
        "Refresh the numbers",
        on_click=data.refresh,
        icon=":material/refresh:",
        help=f"The numbers are at most {data.TTL_S} seconds old.",
    )
    if section == "Items":
        show_items(cohort, shared)
    else:
        show_dashboard(cohort, shared)


def join_link(join_code: str) -> str:
    """The class page's address with the code, on this deployment's host as the
    instructor's browser reached it (shown as text, never fetched)."""
    url = str(getattr(st.context, "url", "") or "")
    base = url.split("?")[0].rsplit("/", 1)[0] if url.startswith(("http://", "https://")) else ""
    return f"{base}/class?join={join_code}"
