"""What the facilitator's and the participants' pages share: the repository, option
letters, the engine's worth of each option, and which way "next" goes.

No law here: every verdict is the engine's (``Scenario.score_choice``), scored under the
law the session (or the participant) chose, the way the Play page scores
(``ui.playthrough.score``).
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass

import streamlit as st

from engine.actions import Score
from engine.scenarios import Scenario
from storage.live import ENDING, VOTING, Counts, LiveSessions
from ui import playthrough
from ui.resources import StoreUnavailable, store

POLL_ENV = "CONFLAB_LIVE_POLL_SECONDS"
PARTICIPANT_POLL_S = 1.5
"""How often a participant's phone asks whether the room moved: one primary-key read.
With 100 phones that is about 67 reads a second; a reveal reaches a phone within this
interval plus one page run (bench/live_bench.py)."""
PRESENTER_POLL_S = 2.0
"""How often the presenter view refreshes its joined and voted counts."""


def poll_seconds(default: float) -> float:
    """The poll interval; ``CONFLAB_LIVE_POLL_SECONDS`` overrides it (benchmarks, tests)."""
    try:
        value = float(os.environ.get(POLL_ENV, ""))
    except ValueError:
        return default
    return value if 0.2 <= value <= 30 else default


@st.cache_resource(show_spinner=False)
def _open(url: str) -> LiveSessions:
    return LiveSessions(store().engine)


def repo() -> LiveSessions:
    """The live-session repository on the app's engine, or ``StoreUnavailable``."""
    engine = store().engine  # opens (and migrates) the database, or raises
    return _open(engine.url.render_as_string(hide_password=True))


def letter(index: int) -> str:
    """Option 0 is A: the room says "option B" out loud, so every phone shows the same
    letters in the vignette's order (no per-person shuffle in a live room)."""
    return string.ascii_uppercase[index] if index < 26 else str(index + 1)


def option_score(scenario: Scenario, node_id: str, index: int, jurisdiction: str) -> Score:
    """The worth of an option as an act, with the steps the law asks for (the engine's)."""
    return playthrough.score(scenario, jurisdiction, node_id, index, None)


def vote_score(
    scenario: Scenario, node_id: str, index: int, jurisdiction: str, steps: tuple[str, ...]
) -> Score:
    """A participant's vote: their act with the steps they ticked, under their law."""
    return playthrough.score(scenario, jurisdiction, node_id, index, steps)


@dataclass(frozen=True)
class Branches:
    """Where "next" can take the room from a revealed node."""

    majority: int | None
    """The option most votes went to (ties: the first in the vignette); None: no votes."""
    tie: bool
    best: int
    """The option the engine scores highest under the session's law (first if several)."""


def branches(scenario: Scenario, node_id: str, jurisdiction: str, counts: Counts) -> Branches:
    options = range(len(scenario.nodes[node_id].choices))
    points = {i: option_score(scenario, node_id, i, jurisdiction).points for i in options}
    best = max(options, key=lambda i: (points[i], -i))
    if not counts.votes:
        return Branches(majority=None, tie=False, best=best)
    top = max(counts.votes.values())
    leaders = sorted(i for i, n in counts.votes.items() if n == top)
    return Branches(majority=leaders[0], tie=len(leaders) > 1, best=best)


def next_phase(scenario: Scenario, node_id: str) -> str:
    """A decision opens for votes; an ending is shown with its debrief."""
    return ENDING if scenario.is_ending(node_id) else VOTING


def first_line(text: str, limit: int = 90) -> str:
    """A node's text in one short line (the results export names decisions by it)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


__all__ = [
    "PARTICIPANT_POLL_S",
    "PRESENTER_POLL_S",
    "Branches",
    "StoreUnavailable",
    "branches",
    "first_line",
    "letter",
    "next_phase",
    "option_score",
    "poll_seconds",
    "repo",
    "vote_score",
]
