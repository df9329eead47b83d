"""Exports for the LMS: attempts and choices as CSV, xAPI statements as JSON, and the
Learning Record Store, if the deployer configured one. Files are built only when the
instructor asks for them (download buttons with callables)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from storage.cohorts import Cohort
from storage.exports import (
    attempts_export,
    choices_export,
    csv_bytes,
    home_page,
    statements,
    statements_json,
)
from storage.lrs import Outbox, lrs_config
from storage.repository import StorageError
from ui.resources import bank, cohorts, secrets_mapping


def show_exports(instructor: str, cohort: Cohort) -> None:
    st.markdown(
        "One row per attempt or per choice, columns as documented in the README. Learners "
        "appear by the class's random pseudonym and their optional display name; text a "
        "spreadsheet would run as a formula is made plain text."
    )

    def shared() -> pd.DataFrame:  # fetched only when a file is asked for
        return cohorts().shared_choices(instructor, cohort.cohort_id)

    stem = f"{cohort.join_code}"
    left, middle, right = st.columns(3)
    left.download_button(
        "Attempts (CSV)",
        data=lambda: csv_bytes(attempts_export(cohort, shared())),
        file_name=f"{stem}-attempts.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    middle.download_button(
        "Choices (CSV)",
        data=lambda: csv_bytes(choices_export(cohort, shared())),
        file_name=f"{stem}-choices.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        "xAPI statements (JSON)",
        data=lambda: statements_json(_statements(cohort, shared())),
        file_name=f"{stem}-xapi-statements.json",
        mime="application/json",
        icon=":material/download:",
        on_click="ignore",
    )
    show_lrs(instructor, cohort)


def _statements(cohort: Cohort, frame: pd.DataFrame) -> list[dict[str, Any]]:
    return statements(cohort, frame, bank().scenarios, home_page(secrets_mapping()))


def show_lrs(instructor: str, cohort: Cohort) -> None:
    st.subheader("Learning Record Store")
    config = lrs_config(secrets_mapping())
    if config is None:
        st.caption(
            "No LRS is configured. To send statements to one, the deployer sets "
            "CONFLAB_LRS_ENDPOINT, CONFLAB_LRS_USERNAME and CONFLAB_LRS_PASSWORD (or "
            "[lrs] endpoint, username, password in Streamlit secrets)."
        )
        return
    outbox = Outbox(cohorts().engine)
    try:
        sent, waiting, error = outbox.status(cohort.cohort_id)
    except StorageError as exc:
        st.error(str(exc))
        return
    st.write(f"Sent so far: {sent:,}. Waiting to be sent: {waiting:,}.")
    if error:
        st.warning(f"The last try failed: {error}. Those statements are kept and will be retried.")
    if st.button("Send the class's statements now", icon=":material/send:"):
        try:
            frame = cohorts().shared_choices(instructor, cohort.cohort_id)
            queued = outbox.queue(cohort.cohort_id, _statements(cohort, frame))
            report = outbox.send(config, cohort.cohort_id)
        except StorageError as exc:
            st.error(str(exc))
            return
        if report.error:
            st.error(
                f"Sent {report.sent:,}; {report.waiting:,} still waiting: {report.error}. "
                "Nothing was lost: they are retried on the next send."
            )
        else:
            st.success(f"Queued {queued:,} new; sent {report.sent:,}; {report.waiting:,} waiting.")
