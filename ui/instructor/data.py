"""The class's aggregates for the dashboard, cached per class for a minute.

The instructor's ownership of the class is checked on every run, before the cache is
consulted (``classes.owned_cohort``), so the cache key (database, class id) cannot hand
one instructor another's class. A minute's staleness is fine for a dashboard; the
Refresh button clears it at once.
"""

from __future__ import annotations

import os

import streamlit as st

from storage.class_report import ClassData, load_class_data
from storage.cohorts import Cohort
from ui.resources import cohorts

TTL_S = 60


@st.cache_data(ttl=TTL_S, show_spinner="Adding up the class's work…", max_entries=64)
def _cached(database: str | None, cohort_id: str, _cohort: Cohort) -> ClassData:
    del database, cohort_id  # the cache key: one entry per database and class
    return load_class_data(cohorts().engine, _cohort)


def class_data(cohort: Cohort) -> ClassData:
    return _cached(os.environ.get("DATABASE_URL"), cohort.cohort_id, cohort)


def refresh() -> None:
    _cached.clear()
