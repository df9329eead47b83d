"""The reveal's chart: how the room's votes fell over the options, coloured by the
engine's verdict for each option. A pure function (no Streamlit), tested on its own.

Readable on a projector and without colour: large text, the option's letter on its bar,
each bar's count and share printed on it, and the verdict in the bar's label and in its
pattern (the Progress charts' Okabe-Ito colours and patterns, ``ui.charts``).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from ui.charts import INK, VERDICT_LABELS, VERDICT_STYLE

PROJECTOR_FONT = {"size": 20, "color": INK}


def vote_distribution(
    letters: Sequence[str],
    labels: Sequence[str],
    verdicts: Sequence[str],
    votes: Sequence[int],
) -> go.Figure:
    """One horizontal bar per option, in the vignette's order from the top."""
    total = sum(votes)
    names = [
        f"{letter} · {_short(label)} ({VERDICT_LABELS.get(verdict, verdict)})"
        for letter, label, verdict in zip(letters, labels, verdicts, strict=True)
    ]
    texts = [f"{n} ({n / total:.0%})" if total else "0" for n in votes]
    fig = go.Figure(
        go.Bar(
            x=list(votes),
            y=names,
            orientation="h",
            text=texts,
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [VERDICT_STYLE.get(v, ("#999999", ""))[0] for v in verdicts],
                "pattern": {"shape": [VERDICT_STYLE.get(v, ("", ""))[1] for v in verdicts]},
                "line": {"color": INK, "width": 1},
            },
            hovertemplate="%{y}: %{x} votes<extra></extra>",
        )
    )
    votes_word = "vote" if total == 1 else "votes"
    fig.update_layout(
        title={"text": f"How the room voted ({total} {votes_word})"},
        font=PROJECTOR_FONT,
        xaxis={"title": {"text": "Votes"}, "rangemode": "tozero", "dtick": _tick(votes)},
        yaxis={"autorange": "reversed", "automargin": True},
        margin={"t": 70, "l": 10, "r": 80, "b": 60},
        height=120 + 70 * len(letters),
        showlegend=False,
    )
    axes = {"tickfont": {"color": INK}, "title": {"font": {"color": INK}}, "color": INK}
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    return fig


def _short(label: str, limit: int = 48) -> str:
    """One short line; ``<`` and ``>`` as entities, because plotly reads a few HTML tags
    in text (``<a href>`` among them) and a label from a file must stay text."""
    label = " ".join(label.split())
    if len(label) > limit:
        label = label[: limit - 1].rstrip() + "…"
    return label.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _tick(votes: Sequence[int]) -> int:
    """Whole votes on the axis: no "2.5 votes"."""
    top = max(votes, default=0)
    return max(1, -(-top // 8))
