"""The class dashboard: completion, where the class errs and which way, the weekly
trend, and the learners who may need help."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from storage.class_analysis import (
    HELP_BELOW,
    STALLED_AFTER,
    completion,
    needs_help,
    vignette_completion,
    weekly_trend,
)
from storage.class_report import ClassData
from storage.cohorts import Cohort
from storage.exports import spreadsheet_safe
from ui import charts
from ui.instructor import charts as class_charts
from ui.resources import bank

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}


def show_dashboard(cohort: Cohort, data: ClassData) -> None:
    members = completion(data, cohort)
    made = int(data.items["answers"].sum()) if not data.items.empty else 0
    first, second, third = st.columns(3)
    first.metric("Members sharing", f"{len(members):,}")
    second.metric("Complete", f"{int(members['complete'].sum()):,}")
    third.metric("Choices shared", f"{made:,}")
    if data.empty:
        st.info(
            "Nothing shared yet. Learners join on the My classes page with the join code; "
            "their choices in the assigned vignettes appear here from then on.",
            icon=":material/groups:",
        )
        return
    titles = {sid: s.title for sid, s in bank().scenarios.items()}
    _chart(
        class_charts.completion_by_vignette(vignette_completion(data, cohort, titles)),
        "class_completion",
    )
    tally = data.tally  # the learner Progress tally's shape: the same charts
    _chart(charts.average_points_by_category(tally), "class_average_points")
    _chart(charts.disclosure_errors_by_category(tally), "class_disclosure_errors")
    st.caption(
        "Over-disclosure: the class shared more than the law allowed (a breach). "
        "Under-disclosure: it did not protect or report when the law required it."
    )
    _chart(class_charts.weekly_trend(weekly_trend(data)), "class_weekly_trend")
    st.subheader("Learners who may need help")
    help_frame = needs_help(data, cohort)
    # the table's own "Download as CSV" must be as safe as our exports
    help_frame["learner"] = help_frame["learner"].map(spreadsheet_safe)
    members["learner"] = members["learner"].map(spreadsheet_safe)
    st.caption(
        f"A category averaging under {HELP_BELOW:.0f} points, a vignette left unfinished "
        f"for {STALLED_AFTER.days} days or more, or the due date passed without completing."
    )
    if help_frame.empty:
        st.write("No one at the moment.")
    else:
        st.dataframe(
            help_frame[["learner", "lowest_category_mean", "why"]],
            hide_index=True,
            column_config={
                "learner": "Learner",
                "lowest_category_mean": st.column_config.NumberColumn(
                    "Lowest category average", format="%.0f"
                ),
                "why": "Why",
            },
        )
    with st.expander("Every member's completion"):
        st.dataframe(
            members[["learner", "finished", "passed", "assigned", "complete"]],
            hide_index=True,
            column_config={
                "learner": "Learner",
                "finished": "Vignettes finished",
                "passed": "Passed",
                "assigned": "Assigned",
                "complete": "Complete",
            },
        )


def _chart(figure: go.Figure | None, key: str) -> None:
    if figure is not None:
        st.plotly_chart(figure, config=PLOTLY_CONFIG, key=key)
