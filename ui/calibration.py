"""Confidence and calibration: how sure the learner said they were, against how often
they were right. Pure functions (no Streamlit), like ``ui.charts``.

With each decision, on Play and on Practice, the learner may say how sure they are
(``CONFIDENCE_LEVELS``; saying nothing is allowed). A decision counts as *right* when it
is lawful and defensible: ``best`` or ``acceptable`` (the same line the practice
selection draws, ``engine.practice.select.CORRECT``). Someone well calibrated is right
about 70% of the times they say 70%.

The chart and the one-line reading appear only once there are enough answers with a
stated confidence (``MIN_ANSWERS``); a reading about one category needs
``MIN_PER_CATEGORY`` of them there, and a gap of ``GAP`` points or more, so a handful of
unlucky answers never labels a learner over-confident.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from engine.practice.select import CORRECT
from ui.charts import FONT, INK, OKABE_ITO, category_label

CONFIDENCE_LEVELS: tuple[int, ...] = (50, 70, 90)  # a coin flip, fairly sure, very sure
MIN_ANSWERS = 20
MIN_PER_CATEGORY = 8
GAP = 15.0  # percentage points between stated confidence and share right
COLUMNS = ["category", "confidence", "verdict", "choices"]


def _right(counts: pd.DataFrame) -> pd.Series:
    return counts["choices"].where(counts["verdict"].isin(list(CORRECT)), 0)


def by_level(counts: pd.DataFrame) -> pd.DataFrame:
    """Per stated confidence: decisions, decisions right, and the share right (%)."""
    frame = counts.assign(right=_right(counts))
    grouped = frame.groupby("confidence")[["choices", "right"]].sum()
    grouped["share"] = 100.0 * grouped["right"] / grouped["choices"]
    return grouped.reset_index()


def by_category(counts: pd.DataFrame) -> pd.DataFrame:
    """Per category: decisions, mean stated confidence, share right, and the gap."""
    frame = counts.assign(right=_right(counts), stated=counts["confidence"] * counts["choices"])
    grouped = frame.groupby("category")[["choices", "right", "stated"]].sum()
    grouped["mean_stated"] = grouped["stated"] / grouped["choices"]
    grouped["share"] = 100.0 * grouped["right"] / grouped["choices"]
    grouped["gap"] = grouped["mean_stated"] - grouped["share"]
    return grouped.reset_index()


def answered(counts: pd.DataFrame | None) -> int:
    return 0 if counts is None or counts.empty else int(counts["choices"].sum())


def reading(counts: pd.DataFrame | None) -> str:
    """One line that says what the chart shows, or how many more answers it needs."""
    total = answered(counts)
    if counts is None or total < MIN_ANSWERS:
        return (
            f"Your calibration appears once you have said how sure you were on {MIN_ANSWERS} "
            f"decisions; so far you have on {total}. Saying it is optional, on every decision."
        )
    cats = by_category(counts)
    cats = cats[cats["choices"] >= MIN_PER_CATEGORY]
    if not cats.empty:
        worst = cats.loc[cats["gap"].abs().idxmax()]
        if abs(worst["gap"]) >= GAP:
            return _sentence(category_label(str(worst["category"])).lower(), worst)
    overall = by_category(counts.assign(category="all")).iloc[0]
    if abs(overall["gap"]) >= GAP:
        return _sentence("your decisions overall", overall)
    return (
        f"Your confidence matches your results: you said you were "
        f"{overall['mean_stated']:.0f}% sure on average and were right "
        f"{overall['share']:.0f}% of the time ({int(overall['choices']):,} decisions)."
    )


def _sentence(area: str, row: pd.Series) -> str:
    kind = "over-confident" if row["gap"] > 0 else "under-confident"
    return (
        f"You are {kind} on {area}: you said you were {row['mean_stated']:.0f}% sure on "
        f"average and were right {row['share']:.0f}% of the time "
        f"({int(row['choices']):,} decisions)."
    )


def calibration_chart(counts: pd.DataFrame | None) -> go.Figure | None:
    """Share right at each stated confidence, with counts, beside the line a perfectly
    calibrated learner would follow. None until there are ``MIN_ANSWERS`` answers.

    Accessible like the other charts: a title and axis titles, every bar labelled with
    its share and its count, the reference line told apart by its dash and its markers
    as well as its colour.
    """
    if counts is None or answered(counts) < MIN_ANSWERS:
        return None
    levels = by_level(counts).set_index("confidence")
    names = [f"Said {level}%" for level in CONFIDENCE_LEVELS]
    shares: list[float | None] = []
    texts: list[str] = []
    for level in CONFIDENCE_LEVELS:
        if level in levels.index and levels.at[level, "choices"]:
            share, n = float(levels.at[level, "share"]), int(levels.at[level, "choices"])
            shares.append(round(share, 1))
            # two short lines: one long line ran off a phone-width chart
            texts.append(f"{share:.0f}% right<br>{n:,} decision{'s' if n != 1 else ''}")
        else:
            shares.append(None)
            texts.append("")
    fig = go.Figure(
        go.Bar(
            x=names,
            y=shares,
            text=texts,
            textposition="outside",
            name="How often you were right",
            marker={"color": OKABE_ITO["blue"], "pattern": {"shape": "/", "solidity": 0.15}},
            hovertemplate="%{x}: right %{y:.0f}% of the time<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=names,
            y=list(CONFIDENCE_LEVELS),
            mode="lines+markers",
            name="Right as often as you said (perfect calibration)",
            line={"color": OKABE_ITO["vermillion"], "dash": "dash"},
            marker={"symbol": "diamond", "size": 11},
            hovertemplate="%{x}: right %{y}% of the time if calibrated<extra></extra>",
        )
    )
    for name, share in zip(names, shares, strict=True):
        if share is None:
            fig.add_annotation(
                x=name, y=0, text="no answers yet", showarrow=False, yanchor="bottom"
            )
    fig.update_xaxes(categoryorder="array", categoryarray=names)
    fig.update_yaxes(range=[0, 115], ticksuffix="%")
    fig.update_layout(
        title={"text": "How sure you were, and how often you were right"},
        xaxis_title="How sure you said you were",
        yaxis_title="Share of those decisions that were right",
        font=FONT,
        legend={"orientation": "h", "yanchor": "top", "y": -0.3, "x": 0},
        margin={"t": 60, "b": 170},
        uniformtext={"minsize": 12, "mode": "show"},
    )
    axes = {"tickfont": {"color": INK}, "title": {"font": {"color": INK}}, "color": INK}
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    return fig
