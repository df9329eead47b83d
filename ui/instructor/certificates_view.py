"""Confirming a certificate a learner shows you, by its id."""

from __future__ import annotations

import streamlit as st

from storage.certificate import hours_text
from storage.repository import StorageError
from ui.resources import cohorts


def show_certificate_lookup(instructor: str) -> None:
    st.markdown(
        "Type the id printed on a certificate to confirm it was issued by one of your classes."
    )
    with st.form("certificate_lookup"):
        typed = st.text_input("Certificate id", max_chars=30)
        submitted = st.form_submit_button("Look it up")
    if not submitted or not typed.strip():
        return
    try:
        record = cohorts().lookup_certificate(instructor, typed)
    except StorageError as exc:
        st.error(str(exc))
        return
    if record is None:
        st.error("No certificate with that id was issued in your classes.")
        return
    st.success("This certificate is genuine.", icon=":material/verified:")
    st.table(
        {
            "Name": [record["display_name"]],
            "Course": [record["course"]],
            "Hours": [hours_text(int(record["minutes"]))],
            "Score": [f"{record['percent']}%"],
            "Jurisdiction": [record["jurisdiction"]],
            "Issued": [f"{record['issued_at']:%d %B %Y}"],
        }
    )
