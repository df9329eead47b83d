"""Progress: charts from the learner's saved choices, a table of attempts, and CSV
downloads. The figures come from ``ui.charts``; this page only lays them out."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from storage.store import StorageError
from ui import charts
from ui.learner import current_learner
from ui.resources import StoreUnavailable, bank, jurisdiction_label, store

# (figure function, which frame it reads, what to show while it has nothing to draw)
CHARTS = (
    (charts.average_points_by_category, "choices", "Your average points per category appear here."),
    (
        charts.disclosure_errors_by_category,
        "choices",
        "Which way you err — sharing too much or too little — appears here.",
    ),
    (
        charts.trend_across_attempts,
        "attempts",
        "Once you have made choices in a few attempts, your trend appears here.",
    ),
    (
        charts.results_by_jurisdiction,
        "choices",
        "Your results under each jurisdiction appear here.",
    ),
)
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def show_progress_page() -> None:
    learner = current_learner()
    st.title("Your progress")
    try:
        db = store()
        frames = {"choices": db.choices_frame(learner), "attempts": db.attempts_frame(learner)}
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        st.button("Try again", key="progress_retry", icon=":material/refresh:")
        return
    choices, attempts = frames["choices"], frames["attempts"]
    if choices.empty:
        st.info(
            "Nothing to show yet. Play a vignette: every choice you make is saved under "
            "your learner code the moment you make it, and your results appear here.",
            icon=":material/insights:",
        )
        st.page_link("ui/pages/home.py", label="Choose a vignette", icon=":material/play_arrow:")
        if attempts.empty:
            return
    else:
        show_summary(choices, attempts)
        for figure_for, source, empty_text in CHARTS:
            figure = figure_for(frames[source])
            if figure is None:
                st.info(empty_text)
            else:
                st.plotly_chart(figure, config=PLOTLY_CONFIG, key=figure_for.__name__)
    show_attempts(attempts, choices)


def show_summary(choices: pd.DataFrame, attempts: pd.DataFrame) -> None:
    finished = int(attempts["finished_at"].notna().sum())
    first, second, third = st.columns(3)
    first.metric("Vignettes finished", finished)
    second.metric("Choices made", len(choices))
    third.metric("Average points", f"{choices['points'].mean():.0f}")


def local_time(column: pd.Series) -> pd.Series:
    """Times in the learner's browser time zone when known, else UTC."""
    zone = st.context.timezone or "UTC"
    try:
        shown = column.dt.tz_convert(zone)
    except Exception:  # an unknown zone name from the browser
        shown, zone = column, "UTC"
    return shown.dt.strftime("%Y-%m-%d %H:%M").fillna("")


def show_attempts(attempts: pd.DataFrame, choices: pd.DataFrame) -> None:
    st.subheader("Your attempts")
    titles = {sid: s.title for sid, s in bank().scenarios.items()}
    table = pd.DataFrame(
        {
            "Vignette": attempts["scenario_id"].map(lambda sid: titles.get(sid, sid)),
            "Jurisdiction": attempts["jurisdiction"].map(jurisdiction_label),
            "Category": attempts["category"].map(charts.category_label),
            "Started": local_time(attempts["started_at"]),
            "Finished": local_time(attempts["finished_at"]).replace("", "in progress"),
            "Choices": attempts["choices"],
            "Total points": attempts["total_points"],
            "Average points": attempts["average_points"].round(0),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    left, right = st.columns(2)
    left.download_button(
        "Download attempts (CSV)",
        csv_bytes(attempts),
        file_name="confidentiality-lab-attempts.csv",
        mime="text/csv",
        key="download_attempts",
        icon=":material/download:",
    )
    right.download_button(
        "Download every choice (CSV)",
        csv_bytes(choices),
        file_name="confidentiality-lab-choices.csv",
        mime="text/csv",
        key="download_choices",
        icon=":material/download:",
    )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV for a spreadsheet; text cells that a spreadsheet would run as a formula
    (``=``, ``+``, ``-``, ``@`` first) are prefixed with ``'`` so they stay text."""
    safe = frame.copy()
    for name in safe.columns:
        if safe[name].dtype == object or pd.api.types.is_string_dtype(safe[name]):
            safe[name] = safe[name].map(
                lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v
            )
    return safe.to_csv(index=False).encode("utf-8")
