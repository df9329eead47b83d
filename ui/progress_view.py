"""Progress: charts from the learner's saved choices, a page of attempts, CSV downloads.

Bounded whatever the history's length: the charts read a tally the database computes
(choices counted by category, jurisdiction and verdict), the trend a window of the most
recent attempts, the table one page of attempts, and the CSVs are built only when the
learner asks for them. The figures come from ``ui.charts``; this page lays them out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from storage.store import StorageError, Store
from ui import charts
from ui.learner import current_learner
from ui.resources import StoreUnavailable, bank, store

TREND_WINDOW = 30  # attempts shown on the trend chart
PAGE_SIZE = 20  # attempts per page of the table
# The plotly toolbar is off: on a phone it covered the charts' titles, and nothing on it
# helps a learner read their progress.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
COUNTING_NOTE = (
    "Each decision counts under the law it turned on, not the vignette's theme: an "
    "employer's phone call inside a danger vignette counts as client consent."
)


def show_progress_page() -> None:
    learner = current_learner()
    st.title("Your progress")
    try:
        db = store()
        counts = db.tally(learner)
        started, finished, played = db.attempt_counts(learner)
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        st.button("Try again", key="progress_retry", icon=":material/refresh:")
        return
    if counts.empty:
        st.info(
            "Nothing to show yet. Play a vignette: every choice you make is saved under "
            "your learner code the moment you make it, and your results appear here.",
            icon=":material/insights:",
        )
        st.page_link("ui/pages/home.py", label="Choose a vignette", icon=":material/play_arrow:")
        if not started:
            return
    else:
        show_summary(counts, finished)
        show_charts(db, learner, counts, played)
    show_attempts(db, learner, started)


def show_summary(counts: pd.DataFrame, finished: int) -> None:
    made = int(counts["choices"].sum())
    first, second, third = st.columns(3)
    first.metric("Vignettes finished", f"{finished:,}")
    second.metric("Choices made", f"{made:,}")
    third.metric("Average points", f"{counts['points'].sum() / made:.0f}")


def show_charts(db: Store, learner: str, counts: pd.DataFrame, played: int) -> None:
    st.header("Where you stand", divider=False)
    st.caption(COUNTING_NOTE)
    figures = (
        (charts.average_points_by_category(counts), "average_points_by_category"),
        (charts.disclosure_errors_by_category(counts), "disclosure_errors_by_category"),
    )
    for figure, key in figures:
        st.plotly_chart(figure, config=PLOTLY_CONFIG, key=key)
    recent = db.attempts_frame(
        learner, limit=TREND_WINDOW, newest_first=True, with_choices_only=True
    )
    first = max(played - len(recent) + 1, 1)
    trend = charts.trend_across_attempts(recent, first)
    if trend is None:
        st.info("Once you have made choices in a few attempts, your trend appears here.")
    else:
        st.plotly_chart(trend, config=PLOTLY_CONFIG, key="trend_across_attempts")
    st.plotly_chart(
        charts.results_by_jurisdiction(counts), config=PLOTLY_CONFIG, key="results_by_jurisdiction"
    )


def local_time(column: pd.Series) -> pd.Series:
    """Times in the learner's browser time zone when known, else UTC."""
    zone = st.context.timezone or "UTC"
    try:
        shown = column.dt.tz_convert(zone)
    except Exception:  # an unknown zone name from the browser
        shown, zone = column, "UTC"
    return shown.dt.strftime("%Y-%m-%d %H:%M").fillna("")


def show_attempts(db: Store, learner: str, started: int) -> None:
    st.header("Your attempts", divider=False)
    pages = max(1, -(-started // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(
            st.number_input(
                f"Page (newest first; {started:,} attempts, {PAGE_SIZE} a page)",
                min_value=1,
                max_value=pages,
                value=1,
                step=1,
                key="attempts_page",
            )
        )
    attempts = db.attempts_frame(
        learner, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, newest_first=True
    )
    st.dataframe(attempts_table(attempts), hide_index=True, width="stretch")
    left, right = st.columns(2)
    left.download_button(
        "Download attempts (CSV)",
        lambda: csv_bytes(db.attempts_frame(learner)),
        file_name="confidentiality-lab-attempts.csv",
        mime="text/csv",
        key="download_attempts",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        "Download every choice (CSV)",
        lambda: csv_bytes(db.choices_frame(learner)),
        file_name="confidentiality-lab-choices.csv",
        mime="text/csv",
        key="download_choices",
        icon=":material/download:",
        on_click="ignore",
    )


def attempts_table(attempts: pd.DataFrame) -> pd.DataFrame:
    """Seven short columns, so the whole table fits a laptop screen without scrolling."""
    titles = {sid: s.title for sid, s in bank().scenarios.items()}
    return pd.DataFrame(
        {
            "Vignette": attempts["scenario_id"].map(lambda sid: titles.get(sid, sid)),
            "Law": attempts["jurisdiction"],
            "Category": attempts["category"].map(charts.category_label),
            "Started": local_time(attempts["started_at"]),
            "Status": attempts["finished_at"].map(
                lambda t: "in progress" if pd.isna(t) else "finished"
            ),
            "Choices": attempts["choices"],
            "Average": attempts["average_points"].round(0),
        }
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for a spreadsheet; text cells that a spreadsheet would run as a formula
    (``=``, ``+``, ``-``, ``@``, a tab or a carriage return first) are prefixed with
    ``'`` so they stay text."""
    safe = frame.copy()
    for name in safe.columns:
        if safe[name].dtype == object or pd.api.types.is_string_dtype(safe[name]):
            safe[name] = safe[name].map(
                lambda v: (
                    "'" + v
                    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r")
                    else v
                )
            )
    return safe.to_csv(index=False).encode("utf-8")
