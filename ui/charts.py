"""Progress charts: pure functions from the storage frames to plotly figures.

No Streamlit here, so they are unit-tested on small frames. The category and
jurisdiction charts read a *tally* (choices counted by category, jurisdiction and
verdict, points summed: ``Store.tally`` computes it in the database, ``tally`` here from
a frame of choices), so their cost does not grow with a learner's history; the trend
reads a bounded window of recent attempts. Every chart returns None for an empty frame
(the page shows an empty state instead of blank axes). Accessibility:
every figure has a title and axis titles, uses the Okabe-Ito colour-blind-safe palette,
and never relies on colour alone: bars carry patterns and value labels, lines carry
distinct marker symbols. Category axes always show all five categories in the same
order, so a learner can see what they have not tried yet and compare charts at a glance.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

CATEGORY_LABELS: dict[str, str] = {
    "imminent_danger": "Imminent danger",
    "mandatory_reporting": "Mandatory reporting",
    "legal_process": "Legal process",
    "client_consent": "Client consent",
    "informed_consent": "Informed consent",
}
"""The engine's five categories, in teaching order, with readable labels."""

VERDICT_LABELS: dict[str, str] = {
    "best": "Best",
    "acceptable": "Acceptable",
    "process_error": "Process error",
    "under_disclosure": "Under-disclosure",
    "over_disclosure": "Over-disclosure",
}
"""Verdicts from best to worst, so stacked bars read like a scale."""

# Okabe & Ito (2008), distinguishable with all common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
VERDICT_STYLE: dict[str, tuple[str, str]] = {
    "best": (OKABE_ITO["green"], ""),
    "acceptable": (OKABE_ITO["sky_blue"], "."),
    "process_error": (OKABE_ITO["yellow"], "x"),
    "under_disclosure": (OKABE_ITO["blue"], "\\"),
    "over_disclosure": (OKABE_ITO["vermillion"], "/"),
}
"""(colour, bar pattern) per verdict: the pattern tells them apart without colour."""
CATEGORY_STYLE: dict[str, tuple[str, str]] = {
    "imminent_danger": (OKABE_ITO["vermillion"], "circle"),
    "mandatory_reporting": (OKABE_ITO["blue"], "square"),
    "legal_process": (OKABE_ITO["green"], "diamond"),
    "client_consent": (OKABE_ITO["orange"], "triangle-up"),
    "informed_consent": (OKABE_ITO["purple"], "x"),
}
"""(colour, marker symbol) per category for line charts."""

JURISDICTION_LABELS: dict[str, str] = {"MODEL": "Model law"}
MAX_POINTS = 100
INK = "#1a1a1a"  # chart text: Streamlit's plotly theme draws axis text at #808495 (3.7:1)
FONT = {"size": 14, "color": INK}


def category_label(code: str) -> str:
    """Readable label for a category code; unknown codes are shown, not dropped."""
    return CATEGORY_LABELS.get(code, str(code).replace("_", " ").capitalize())


def _categories(present: pd.Series) -> list[str]:
    """The five categories in fixed order, then any unknown ones found in the data."""
    extra = sorted({str(c) for c in present.dropna()} - set(CATEGORY_LABELS))
    return [*CATEGORY_LABELS, *extra]


def _empty(frame: pd.DataFrame | None) -> bool:
    return frame is None or frame.empty


TALLY_COLUMNS = ["category", "jurisdiction", "verdict", "choices", "points"]


def tally(choices: pd.DataFrame | None) -> pd.DataFrame:
    """What ``Store.tally`` returns, from a frame of choices (for tests and exports)."""
    if _empty(choices):
        return pd.DataFrame(columns=TALLY_COLUMNS)
    grouped = choices.groupby(["category", "jurisdiction", "verdict"], as_index=False)
    return grouped.agg(choices=("points", "size"), points=("points", "sum"))[TALLY_COLUMNS]


def subtract_tally(whole: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    """``whole`` less ``part`` (both tallies, ``part`` counted within ``whole``): the
    vignettes' tally is the learner's tally less the practice tally. Rows left with no
    choices are dropped, so an empty result means nothing to show."""
    if _empty(part):
        return whole
    keys = ["category", "jurisdiction", "verdict"]
    merged = whole.merge(part, on=keys, how="left", suffixes=("", "_part")).fillna(
        {"choices_part": 0, "points_part": 0}
    )
    merged["choices"] = merged["choices"] - merged["choices_part"].astype("int64")
    merged["points"] = merged["points"] - merged["points_part"].astype("int64")
    left = merged[merged["choices"] > 0][TALLY_COLUMNS]
    return left.astype(whole.dtypes.to_dict()).reset_index(drop=True)


def styled_layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title},
        xaxis_title=x_title,
        yaxis_title=y_title,
        font=FONT,
        # Below the plot, clear of the x-axis title: above it, a legend that wraps onto
        # several rows on a phone covered the chart's title. "normal" keeps the legend in
        # best-to-worst order for stacked bars too.
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.3,
            "x": 0,
            "traceorder": "normal",
        },
        margin={"t": 60, "b": 170},
        # Value labels never shrink below a readable size (they did to ~5 px on a phone).
        uniformtext={"minsize": 12, "mode": "show"},
    )
    axes = {"tickfont": {"color": INK}, "title": {"font": {"color": INK}}, "color": INK}
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    return fig


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def average_points_by_category(counts: pd.DataFrame | None) -> go.Figure | None:
    """Mean points per choice in each category: where the learner is strong or weak."""
    if _empty(counts):
        return None
    codes = _categories(counts["category"])
    sums = counts.groupby("category")[["points", "choices"]].sum()
    stats = pd.DataFrame({"mean": sums["points"] / sums["choices"], "count": sums["choices"]})
    labels = [category_label(c) for c in codes]
    means: list[float | None] = []
    texts: list[str] = []
    for code in codes:
        if code in stats.index:
            mean, count = float(stats.at[code, "mean"]), int(stats.at[code, "count"])
            means.append(round(mean, 1))
            texts.append(f"{mean:.0f} ({_plural(count, 'choice')})")
        else:
            means.append(None)
            texts.append("")
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=means,
            text=texts,
            textposition="outside",
            name="Average points",
            marker={"color": OKABE_ITO["blue"]},
            hovertemplate="%{x}: %{y:.0f} points on average<extra></extra>",
        )
    )
    for label, mean in zip(labels, means, strict=True):
        if mean is None:
            # Upright text stays readable side by side on a phone-width chart.
            fig.add_annotation(
                x=label,
                y=0,
                text="not tried yet",
                showarrow=False,
                yanchor="bottom",
                textangle=-90,
            )
    fig.update_xaxes(categoryorder="array", categoryarray=labels)
    fig.update_yaxes(range=[0, MAX_POINTS * 1.15])
    return styled_layout(
        fig, "Average points by category", "Category", "Average points per choice (0–100)"
    )


def disclosure_errors_by_category(counts: pd.DataFrame | None) -> go.Figure | None:
    """Over- vs under-disclosure counts per category: which way the learner errs."""
    if _empty(counts):
        return None
    codes = _categories(counts["category"])
    labels = [category_label(c) for c in codes]
    fig = go.Figure()
    for verdict, legend in (
        ("over_disclosure", "Over-disclosure (shared more than allowed)"),
        ("under_disclosure", "Under-disclosure (did not act when required)"),
    ):
        per_category = counts[counts["verdict"] == verdict].groupby("category")["choices"].sum()
        values = [int(per_category.get(code, 0)) for code in codes]
        colour, pattern = VERDICT_STYLE[verdict]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=values,
                name=legend,
                text=[f"{v:,}" for v in values],
                textposition="outside",
                marker={"color": colour, "pattern": {"shape": pattern}},
                hovertemplate="%{x}: %{y} " + VERDICT_LABELS[verdict].lower() + "<extra></extra>",
            )
        )
    top = max((max(t.y) for t in fig.data), default=0)
    fig.update_layout(barmode="group")
    fig.update_xaxes(categoryorder="array", categoryarray=labels)
    fig.update_yaxes(
        range=[0, max(top, 1) * 1.25], rangemode="tozero", dtick=max(1, math.ceil(top / 5))
    )
    return styled_layout(fig, "Disclosure errors by category", "Category", "Number of choices")


def trend_across_attempts(attempts: pd.DataFrame | None, first: int = 1) -> go.Figure | None:
    """Average points per attempt, oldest first: is the learner improving?

    ``attempts`` is a window of recent attempts that have choices (``Store.attempts_frame``
    with a limit), numbered from ``first``, so the chart stays the same size after a
    thousand attempts. Attempts without choices have no average and are left out; if none
    has a choice there is nothing to plot and the result is None, like an empty frame.
    """
    if _empty(attempts):
        return None
    done = attempts[attempts["choices"] > 0].sort_values(["started_at", "attempt_id"])
    if done.empty:
        return None
    done = done.assign(number=range(first, first + len(done)))
    fig = go.Figure(
        go.Scatter(
            x=done["number"].tolist(),
            y=done["average_points"].round(1).tolist(),
            name="All attempts",
            mode="lines",
            line={"color": OKABE_ITO["grey"], "dash": "dot"},
            hoverinfo="skip",
        )
    )
    for code in _categories(done["category"]):
        rows = done[done["category"] == code]
        if rows.empty:
            continue
        colour, symbol = CATEGORY_STYLE.get(code, (OKABE_ITO["grey"], "circle-open"))
        fig.add_trace(
            go.Scatter(
                x=rows["number"].tolist(),
                y=rows["average_points"].round(1).tolist(),
                name=category_label(code),
                mode="lines+markers",
                marker={"color": colour, "symbol": symbol, "size": 11},
                line={"color": colour},
                customdata=rows[["scenario_id", "jurisdiction"]].astype(str).values.tolist(),
                hovertemplate=(
                    "Attempt %{x}: %{y:.0f} points on average"
                    "<br>%{customdata[0]} (%{customdata[1]})<extra>%{fullData.name}</extra>"
                ),
            )
        )
    # Automatic ticks (at most ~10, whole numbers): one tick per attempt froze the browser
    # for a minute at a thousand attempts.
    last = first + len(done) - 1
    fig.update_xaxes(range=[first - 0.5, last + 0.5], nticks=10, tickformat="d")
    fig.update_yaxes(range=[0, MAX_POINTS * 1.05])
    return styled_layout(
        fig,
        "Your results across attempts",
        "Attempt (oldest first)" if first == 1 else f"Your latest attempts ({first:,} to {last:,})",
        "Average points per choice (0–100)",
    )


def _jurisdictions(present: pd.Series) -> list[str]:
    codes = sorted({str(j) for j in present.dropna()})
    return sorted(codes, key=lambda code: (code != "MODEL", code))


def results_by_jurisdiction(counts: pd.DataFrame | None) -> go.Figure | None:
    """Share of each verdict per jurisdiction (100% stacked bars, count in each segment)."""
    if _empty(counts):
        return None
    codes = _jurisdictions(counts["jurisdiction"])
    labels = [JURISDICTION_LABELS.get(code, code) for code in codes]
    known = counts[counts["verdict"].isin(list(VERDICT_LABELS))]
    table = known.groupby(["jurisdiction", "verdict"])["choices"].sum()
    totals = known.groupby("jurisdiction")["choices"].sum()
    fig = go.Figure()
    for verdict, name in VERDICT_LABELS.items():
        counts = [int(table.get((code, verdict), 0)) for code in codes]
        shares = [
            round(100 * n / int(totals[code]), 1) if totals.get(code, 0) else 0.0
            for n, code in zip(counts, codes, strict=True)
        ]
        colour, pattern = VERDICT_STYLE[verdict]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=shares,
                orientation="h",
                name=name,
                customdata=counts,
                text=[f"{n:,}" if n else "" for n in counts],
                textposition="inside",
                insidetextanchor="middle",
                # Dark on the pale patterned fill (white text vanished into it).
                textfont={"color": "#1a1a1a"},
                # A faint pattern keeps the count printed on the segment readable.
                marker={"color": colour, "pattern": {"shape": pattern, "solidity": 0.2}},
                hovertemplate="%{y}: %{customdata} " + name.lower() + " (%{x:.0f}%)<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", height=260 + 45 * len(labels))
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed")
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    fig = styled_layout(
        fig, "Your results by jurisdiction", "Share of your choices", "Jurisdiction"
    )
    # Five verdicts wrap onto several legend rows on a phone: leave room under the plot.
    fig.update_layout(margin={"t": 60, "b": 230}, height=380 + 45 * len(labels))
    return fig
