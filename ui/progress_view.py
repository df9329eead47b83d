"""Progress: charts from the learner's saved choices, a page of attempts, CSV downloads.

Bounded whatever the history's length: the charts read a tally the database computes
(choices counted by category, jurisdiction and verdict), the trend a window of the most
recent attempts, the table one page of attempts, and the CSVs are built only when the
learner asks for them. The figures come from ``ui.charts``; this page lays them out.

Vignettes and generated practice are told apart: the summary counts each, the charts
can show either or both (the vignettes' tally is the whole tally less the practice
tally), the trend and the attempts are vignettes', and practice has its own skills
table. The calibration chart (``ui.calibration``) reads every decision with a stated
confidence, vignette or practice.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.practice.generate import available_skills
from storage.exports import csv_bytes
from storage.live import LiveSessions
from storage.practice import PracticeStore
from storage.store import StorageError, Store
from ui import calibration, charts
from ui.learner import current_learner, preferred_jurisdiction
from ui.practice_view import learner_skills, skills_table
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
SOURCES = ("All decisions", "Vignettes", "Practice")
LIVE_MARK = " (live session)"
SOURCE_KEY = "progress_source"


def show_progress_page() -> None:
    learner = current_learner()
    st.title("Your progress")
    try:
        db = store()
        practice = PracticeStore(db.engine)
        counts = db.tally(learner)
        practised = practice.practice_tally(learner)
        started, finished, played = db.attempt_counts(learner)
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        st.button("Try again", key="progress_retry", icon=":material/refresh:")
        return
    if counts.empty:
        st.info(
            "Nothing to show yet. Play a vignette or practise: every choice you make is "
            "saved under your learner code the moment you make it, and your results "
            "appear here.",
            icon=":material/insights:",
        )
        st.page_link("ui/pages/home.py", label="Choose a vignette", icon=":material/play_arrow:")
        if not started:
            return
    else:
        vignettes = charts.subtract_tally(counts, practised)
        show_summary(counts, vignettes, practised, finished)
        show_charts(db, learner, choose_source(counts, vignettes, practised), played)
        show_practice(practice, learner, practised)
        show_calibration(practice, learner)
    show_attempts(db, learner, started)


def show_summary(
    counts: pd.DataFrame, vignettes: pd.DataFrame, practised: pd.DataFrame, finished: int
) -> None:
    made = int(counts["choices"].sum())
    first, second, third, fourth = st.columns(4)
    first.metric("Vignettes finished", f"{finished:,}")
    second.metric("Vignette decisions", f"{int(vignettes['choices'].sum()):,}")
    third.metric("Practice items", f"{int(practised['choices'].sum()):,}")
    fourth.metric("Average points", f"{counts['points'].sum() / made:.0f}")


def choose_source(
    counts: pd.DataFrame, vignettes: pd.DataFrame, practised: pd.DataFrame
) -> pd.DataFrame:
    """The tally the charts show: everything, vignettes only or practice only. Without
    practice there is nothing to choose, and no control is shown."""
    if practised.empty:
        return counts
    source = st.radio(
        "Show results from",
        SOURCES,
        horizontal=True,
        key=SOURCE_KEY,
        help="Generated practice items and vignette decisions, together or apart.",
    )
    return {"Vignettes": vignettes, "Practice": practised}.get(source, counts)


def show_charts(db: Store, learner: str, counts: pd.DataFrame, played: int) -> None:
    st.header("Where you stand", divider=False)
    st.caption(COUNTING_NOTE)
    if counts.empty:
        st.info("Nothing here yet from this source.", icon=":material/insights:")
        return
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
        st.info("Once you have made choices in a few vignettes, your trend appears here.")
    else:
        st.plotly_chart(trend, config=PLOTLY_CONFIG, key="trend_across_attempts")
    st.plotly_chart(
        charts.results_by_jurisdiction(counts), config=PLOTLY_CONFIG, key="results_by_jurisdiction"
    )


def show_practice(practice: PracticeStore, learner: str, practised: pd.DataFrame) -> None:
    """Practice skills under the learner's current law (only once they have practised)."""
    if practised.empty:
        return
    st.header("Practice skills", divider=False)
    jurisdiction = preferred_jurisdiction()
    try:
        found, _ = learner_skills(practice, learner)
    except StorageError as exc:
        st.warning(str(exc), icon=":material/cloud_off:")
        return
    st.caption(
        "A skill is a category and a side: when someone has to be told (where the usual "
        "error is telling no one), or when the confidence holds (where it is telling too "
        "much). Three right in a row masters it; mastered skills come back for review."
    )
    st.dataframe(
        skills_table(found, available_skills(jurisdiction)), hide_index=True, width="stretch"
    )


def show_calibration(practice: PracticeStore, learner: str) -> None:
    """Stated confidence against the share right, and one line that reads it."""
    st.header("Confidence and calibration", divider=False)
    try:
        counts = practice.calibration(learner)
    except StorageError as exc:
        st.warning(str(exc), icon=":material/cloud_off:")
        return
    st.markdown(calibration.reading(counts))
    figure = calibration.calibration_chart(counts)
    if figure is not None:
        st.caption(
            "Right means best or acceptable: lawful and defensible. The dashed line is "
            "where a learner is right exactly as often as they said."
        )
        st.plotly_chart(figure, config=PLOTLY_CONFIG, key="calibration")


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
    st.dataframe(
        attempts_table(attempts, live_attempts(db, learner)), hide_index=True, width="stretch"
    )
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


def live_attempts(db: Store, learner: str) -> set[str]:
    """The learner's attempts kept from live sessions; none if that cannot be read (the
    mark is a help, not worth an error on a page that otherwise works)."""
    try:
        return LiveSessions(db.engine).live_attempt_ids(learner)
    except StorageError:
        return set()


def attempts_table(
    attempts: pd.DataFrame, live: frozenset[str] | set[str] = frozenset()
) -> pd.DataFrame:
    """Seven short columns, so the whole table fits a laptop screen without scrolling.
    Attempts kept from a live session say so after the vignette's title."""
    titles = {sid: s.title for sid, s in bank().scenarios.items()}
    return pd.DataFrame(
        {
            "Vignette": [
                titles.get(sid, sid) + (LIVE_MARK if attempt_id in live else "")
                for sid, attempt_id in zip(
                    attempts["scenario_id"], attempts["attempt_id"], strict=True
                )
            ],
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
