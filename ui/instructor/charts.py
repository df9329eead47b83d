"""The class dashboard's own charts (the category charts are the learner's, in
``ui.charts``, drawn from the class's tally). Pure functions from small frames to plotly
figures, so they are unit-tested without Streamlit; same accessibility rules as the
learner's charts: titles, axis titles, value labels, patterns as well as colours.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from storage.class_analysis import OptionStat
from ui.charts import MAX_POINTS, OKABE_ITO, VERDICT_LABELS, VERDICT_STYLE, styled_layout


def completion_by_vignette(frame: pd.DataFrame) -> go.Figure | None:
    """Per assigned vignette: members who finished it, and who passed it."""
    if frame.empty or int(frame["members"].max()) == 0:
        return None
    labels = list(frame["vignette"])
    fig = go.Figure()
    for column, name, colour, pattern in (
        ("finished", "Finished", OKABE_ITO["sky_blue"], "."),
        ("passed", "Passed (at or above the pass mark)", OKABE_ITO["green"], ""),
    ):
        values = [int(v) for v in frame[column]]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=name,
                text=[f"{v:,}" for v in values],
                textposition="outside",
                marker={"color": colour, "pattern": {"shape": pattern}},
                hovertemplate="%{y}: %{x} " + name.lower() + "<extra></extra>",
            )
        )
    members = int(frame["members"].max())
    fig.update_layout(barmode="group", height=260 + 60 * len(labels))
    fig.update_xaxes(range=[0, members * 1.15 + 1])
    fig.update_yaxes(autorange="reversed")
    fig = styled_layout(fig, f"Completion by vignette ({members:,} members)", "Members", "Vignette")
    fig.update_layout(margin={"t": 60, "b": 150, "l": 10})
    return fig


def weekly_trend(frame: pd.DataFrame) -> go.Figure | None:
    """Mean points per choice, week by week, with the number of choices each week."""
    if frame.empty:
        return None
    weeks = [f"{w:%d %b}" for w in frame["week"]]
    means = [round(float(m), 1) for m in frame["mean_points"]]
    fig = go.Figure(
        go.Scatter(
            x=weeks,
            y=means,
            mode="lines+markers+text",
            text=[f"{m:.0f} ({int(n):,})" for m, n in zip(means, frame["choices"], strict=True)],
            textposition="top center",
            marker={"color": OKABE_ITO["blue"], "symbol": "circle", "size": 9},
            line={"color": OKABE_ITO["blue"]},
            name="Average points",
            hovertemplate="Week of %{x}: %{y:.0f} points on average<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, MAX_POINTS * 1.15])
    fig.update_xaxes(type="category")
    return styled_layout(
        fig,
        "Class trend by week (label: average points, choices that week)",
        "Week starting",
        "Average points per choice (0–100)",
    )


def option_distribution(options: list[OptionStat], title: str) -> go.Figure | None:
    """How the class chose at one decision, each option labelled with the engine's
    verdict for its act (colour and pattern by verdict)."""
    if not options:
        return None
    letters = [chr(ord("A") + s.index) for s in options]
    labels = [f"{letter}. {_short(s.label)}" for letter, s in zip(letters, options, strict=True)]
    fig = go.Figure()
    for verdict, words in VERDICT_LABELS.items():
        picked = [i for i, s in enumerate(options) if s.verdict == verdict]
        if not picked:
            continue
        colour, pattern = VERDICT_STYLE[verdict]
        fig.add_trace(
            go.Bar(
                y=[labels[i] for i in picked],
                x=[options[i].chosen for i in picked],
                orientation="h",
                name=f"The engine's verdict: {words}",
                text=[f"{options[i].chosen:,} ({options[i].share:.0%}) · {words}" for i in picked],
                textposition="outside",
                marker={"color": colour, "pattern": {"shape": pattern}},
                hovertemplate="%{y}: chosen %{x} times<extra></extra>",
            )
        )
    top = max(s.chosen for s in options)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    fig.update_xaxes(range=[0, max(top, 1) * 1.6])
    fig.update_layout(height=240 + 55 * len(options))
    fig = styled_layout(fig, title, "Times chosen", "Option")
    fig.update_layout(margin={"t": 60, "b": 150, "l": 10})
    return fig


def _short(label: str, limit: int = 48) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
