"""The explorer's map: a tile grid of the 50 states and DC, plus a MODEL tile, each
square coloured by the obligation the engine rules for the same facts.

A tile grid, not a geographic map, because the app loads nothing from other hosts and a
choropleth would fetch its geography at run time; the grid (``engine/law/state_grid.csv``)
ships with the project. No Streamlit here, so the figure is tested on its own.

Accessibility: the Okabe-Ito colour-blind-safe palette, dark text on every tile (each
fill was chosen for at least 4.5:1 against it), a dark outline so pale tiles stand out
from the page, and colour is never the only signal: unverified profiles are hatched, and
say so in the hover text and the legend; the page repeats the map as a table.

One bar trace per obligation and verification (at most ten, plus a legend key for the
hatching): each tile is a bar spanning its grid cell, so tiles grow with the window
(markers would not) and a click on a tile selects it.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import plotly.graph_objects as go

from engine.profiles import LAW_DIR, MODEL
from ui.charts import OKABE_ITO
from ui.words import OBLIGATION_LABELS

GRID_FILE = LAW_DIR / "state_grid.csv"
INK = "#000000"  # tile text: at least 4.5:1 on every fill below
TILE = 0.9  # a tile's share of its grid cell: the rest is the gap between tiles
SELECTED_LINE = 5
ROWS, COLS = 8, 11

OBLIGATION_COLOURS: dict[str, str] = {
    "must_protect": OKABE_ITO["vermillion"],
    "must_disclose": OKABE_ITO["orange"],
    "may_disclose": OKABE_ITO["sky_blue"],
    "respond_without_disclosing": OKABE_ITO["yellow"],
    "must_not_disclose": OKABE_ITO["green"],
}
"""Obligations from most to least disclosure, each an Okabe-Ito colour."""
# "overlay" keeps the obligation's colour under the hatching (the default replaces it).
UNVERIFIED_PATTERN = {
    "shape": "/",
    "fillmode": "overlay",
    "fgcolor": INK,
    "fgopacity": 0.4,
    "size": 12,
    "solidity": 0.12,
}
UNVERIFIED_LEGEND = "Hatched: unverified profile (check current law)"


@dataclass(frozen=True)
class Tile:
    code: str
    row: int
    col: float
    label: str
    width: float = TILE


# MODEL is not a place: it sits apart, in the empty top row, two cells wide.
MODEL_TILE = Tile(MODEL, 0, 3.5, "MODEL", 2 * TILE)


@cache
def load_grid() -> dict[str, Tile]:
    """Every tile by code: the 51 from the CSV, and MODEL."""
    with open(GRID_FILE, newline="", encoding="utf-8") as handle:
        tiles = {
            row["code"]: Tile(row["code"], int(row["row"]), int(row["col"]), row["label"])
            for row in csv.DictReader(handle)
        }
    return {MODEL: MODEL_TILE, **tiles}


def obligation_short(obligation: str) -> str:
    """``Must protect`` from the app's one set of obligation words."""
    return OBLIGATION_LABELS.get(obligation, obligation.replace("_", " ")).split(":")[0]


def _hover(row: Mapping[str, Any]) -> str:
    verified = (
        "Verified: read from the statute"
        if row["verified"]
        else "Unverified: rests on secondary sources"
    )
    return f"{row['name']} ({row['code']})<br>{obligation_short(row['obligation'])}<br>{verified}"


def map_figure(rows: Sequence[Mapping[str, Any]], selected: str | None = None) -> go.Figure:
    """The tile map for ``engine.explore.compare`` rows; ``selected`` gets a heavy outline.

    A row whose code has no tile (a profile added without a grid row) is left off the
    map rather than failing; the page's table still lists it.
    """
    grid = load_grid()
    groups: dict[tuple[str, bool], list[Mapping[str, Any]]] = {}
    for row in rows:
        if row["code"] in grid:
            groups.setdefault((row["obligation"], bool(row["verified"])), []).append(row)
    found = {obligation for obligation, _ in groups}
    order = [*OBLIGATION_COLOURS, *sorted(found - set(OBLIGATION_COLOURS))]
    counts = {o: sum(len(m) for (g, _), m in groups.items() if g == o) for o in found}
    fig = go.Figure()
    for obligation in order:
        for verified in (True, False):
            if members := groups.get((obligation, verified)):
                fig.add_trace(_tiles(obligation, verified, members, selected))
    # The legend is drawn by traces that draw nothing else, so a swatch never takes the
    # selected tile's heavy outline or one tile's hatching.
    for obligation in order:
        if obligation in counts:
            name = f"{obligation_short(obligation)} ({counts[obligation]})"
            fig.add_trace(_legend_key(name, _colour(obligation), obligation))
    if any(not verified for _, verified in groups):
        fig.add_trace(_legend_key(UNVERIFIED_LEGEND, "#ffffff", "unverified", UNVERIFIED_PATTERN))
    fig.update_layout(
        barmode="overlay",
        height=470,
        margin={"l": 0, "r": 0, "t": 10, "b": 10},
        font={"size": 14, "color": INK},
        # A click on the legend would hide states from the map: off.
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.01,
            "x": 0,
            "traceorder": "normal",
            "itemclick": False,
            "itemdoubleclick": False,
        },
        uniformtext={"minsize": 11, "mode": "show"},
        dragmode=False,
        hovermode="closest",
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )
    fig.update_xaxes(range=[-0.5, COLS - 0.5], visible=False, fixedrange=True)
    fig.update_yaxes(range=[ROWS - 0.5, -0.5], visible=False, fixedrange=True)
    return fig


def _colour(obligation: str) -> str:
    return OBLIGATION_COLOURS.get(obligation, OKABE_ITO["grey"])


def _legend_key(
    name: str, colour: str, group: str, pattern: dict[str, Any] | None = None
) -> go.Bar:
    marker: dict[str, Any] = {"color": colour, "line": {"color": INK, "width": 1}}
    if pattern:
        marker["pattern"] = pattern
    return go.Bar(x=[None], y=[None], name=name, legendgroup=group, marker=marker, hoverinfo="skip")


def _tiles(
    obligation: str,
    verified: bool,
    members: Sequence[Mapping[str, Any]],
    selected: str | None,
) -> go.Bar:
    grid = load_grid()
    tiles = [grid[row["code"]] for row in members]
    marker: dict[str, Any] = {
        "color": _colour(obligation),
        "line": {
            "color": INK,
            "width": [SELECTED_LINE if t.code == selected else 1 for t in tiles],
        },
    }
    if not verified:
        marker["pattern"] = UNVERIFIED_PATTERN
    return go.Bar(
        x=[t.col for t in tiles],
        y=[TILE] * len(tiles),
        base=[t.row - TILE / 2 for t in tiles],
        width=[t.width for t in tiles],
        name=obligation_short(obligation),
        legendgroup=obligation,
        showlegend=False,
        marker=marker,
        text=[f"<b>{t.label}</b>" for t in tiles],
        textposition="inside",
        insidetextanchor="middle",
        textangle=0,
        textfont={"color": INK, "size": 13},
        customdata=[[t.code] for t in tiles],
        hovertext=[_hover(row) for row in members],
        hovertemplate="%{hovertext}<extra></extra>",
        # Streamlit dims tiles that are not selected; a tile map must stay readable.
        selected={"marker": {"opacity": 1}},
        unselected={"marker": {"opacity": 1}},
    )


def code_from_selection(selection: Mapping[str, Any] | None) -> str | None:
    """The code of the tile a click selected (Streamlit's selection state), else None."""
    points = (selection or {}).get("points") or []
    for point in points:
        data = point.get("customdata")
        code = data[0] if isinstance(data, list | tuple) and data else data
        if isinstance(code, str) and code in load_grid():
            return code
    return None
