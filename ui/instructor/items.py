"""Item analysis: how the class chose at each decision, how hard and how
discriminating each decision is, and the flags that point an author at a badly written
item. The numbers come from ``storage.class_analysis`` (its docstring defines them)."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from engine.words import STEP_LABELS
from storage.class_analysis import (
    EASY_ABOVE,
    HARD_BELOW,
    MIN_FLAG_LEARNERS,
    NEAR_ZERO_D,
    item_analysis,
    step_analysis,
)
from storage.class_report import ClassData
from storage.cohorts import Cohort
from ui.instructor import charts as class_charts
from ui.instructor.dashboard import PLOTLY_CONFIG
from ui.instructor.item_preview import show_item_preview
from ui.resources import bank, jurisdiction_label
from ui.text import as_text

HOW_TO_READ = (
    "**Difficulty** is the share of answers whose act was the best one (the steps are "
    "analysed apart, under each decision). **Discrimination** (upper-lower index) is how "
    "much higher the class's strongest 27% scored at the decision than its weakest 27%, "
    "from -1 to 1: near 0 or below means the decision does not separate those who know "
    "the law from those who do not. Flags appear once "
    f"{MIN_FLAG_LEARNERS} learners have answered: best act chosen by under {HARD_BELOW:.0%} "
    f"or over {EASY_ABOVE:.0%}, discrimination under {NEAR_ZERO_D:.2f} or negative, or a "
    "wrong option nobody picks."
)


def show_items(cohort: Cohort, data: ClassData) -> None:
    scenarios = bank().scenarios
    table, options = item_analysis(data, scenarios, cohort.jurisdiction)
    st.markdown(HOW_TO_READ)
    if table.empty:
        st.info("No answers yet at the assigned vignettes.", icon=":material/quiz:")
        return
    flagged = int((table["flags"] != "").sum())
    st.markdown(
        f"{len(table)} decisions answered; **{flagged} flagged** for a look. Most-missed first."
    )
    shown = table.assign(
        item=[f"{t}: decision {d}" for t, d in zip(table["title"], table["decision"], strict=True)],
        difficulty_pct=(table["difficulty"] * 100).round(0),
        full_credit_pct=(table["full_credit"] * 100).round(0),
    )
    st.dataframe(
        shown[
            [
                "item",
                "responses",
                "learners",
                "difficulty_pct",
                "full_credit_pct",
                "discrimination",
                "flags",
            ]
        ],
        hide_index=True,
        column_config={
            "item": "Decision",
            "responses": "Answers",
            "learners": "Learners",
            "difficulty_pct": st.column_config.NumberColumn("Best act (%)", format="%.0f"),
            "full_credit_pct": st.column_config.NumberColumn(
                "Best act and steps (%)", format="%.0f"
            ),
            "discrimination": st.column_config.NumberColumn("Discrimination", format="%.2f"),
            "flags": "Flags",
        },
    )
    keys = list(zip(shown["scenario_id"], shown["node_id"], strict=True))
    labels = dict(zip(keys, shown["item"], strict=True))
    chosen = st.selectbox(
        "Look at one decision", keys, format_func=lambda k: labels[k], key="item_choice"
    )
    if chosen is None:
        return
    scenario = scenarios[chosen[0]]
    row = shown[(shown["scenario_id"] == chosen[0]) & (shown["node_id"] == chosen[1])].iloc[0]
    with st.container(border=True):
        st.markdown(f"#### {as_text(labels[chosen])}")
        st.markdown(as_text(scenario.nodes[chosen[1]].text))
        d = row["discrimination"]
        st.markdown(
            f"Best act chosen in **{row['difficulty']:.0%}** of {int(row['responses'])} answers"
            f" by {int(row['learners'])} learners; discrimination "
            + ("not enough learners yet" if math.isnan(d) else f"**{d:.2f}**")
            + (f"; flags: {row['flags']}" if row["flags"] else ".")
        )
        law = cohort.jurisdiction_for(scenario.jurisdiction)
        figure = class_charts.option_distribution(
            options[chosen], f"How the class chose (verdicts under {law})"
        )
        if figure is not None:
            st.plotly_chart(figure, config=PLOTLY_CONFIG, key="item_options")
        st.caption(
            "Verdicts are the engine's, for each act with the steps the law asks for, under "
            f"{jurisdiction_label(law)}, the law this class plays the vignette under."
        )
        steps = step_analysis(data, scenario, chosen[1], law)
        if not steps.empty and int(steps["answers"].max()) > 0:
            st.markdown("**The checklist at this decision**")
            st.dataframe(
                pd.DataFrame(
                    {
                        "Step": [STEP_LABELS.get(s, s) for s in steps["step"]],
                        "The law and codes": steps["asked"],
                        "Ticked by (%)": (steps["ticked"] * 100).round(0),
                    }
                ),
                hide_index=True,
            )
        show_item_preview(scenario, chosen[1], law)
        st.page_link(
            "ui/pages/play.py",
            label="Play the whole vignette (opens the learner view)",
            query_params={"scenario": scenario.id},
            icon=":material/play_arrow:",
        )
