"""Pure computations the pages show, cached across reruns and sessions.

Each is keyed by plain ids (bank folder, scenario id, jurisdiction, path), never by
learner data, so one learner's debrief warms the cache for the next. The bank itself
comes from ``st.cache_resource`` and is never copied.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from engine.scenarios.branch_map import SITUATION_WORDS, VERDICT_NAMES, to_dot
from engine.scenarios.paths import enumerate_paths
from ui.charts import CATEGORY_LABELS
from ui.resources import bank_at
from ui.words import DIFFICULTY_LABELS

Path = tuple[tuple[str, int], ...]
MAX_SHOWN_PATHS = 12


def _scenario(folder: str, scenario_id: str):  # noqa: ANN202 - Scenario
    return bank_at(folder).scenarios[scenario_id]


@st.cache_data(show_spinner=False, max_entries=500)
def branch_dot(folder: str, scenario_id: str, jurisdiction: str | None, path: Path) -> str:
    """The branch map with verdicts under ``jurisdiction`` and the learner's path in bold."""
    return to_dot(
        _scenario(folder, scenario_id),
        verdicts=True,
        jurisdiction=jurisdiction,
        highlight=list(path),
        plain=True,
    )


@st.cache_data(show_spinner=False, max_entries=500)
def other_paths(
    folder: str, scenario_id: str, jurisdiction: str | None, path: Path
) -> tuple[list[dict[str, Any]], int]:
    """The paths not taken, best first, with what each would have scored.

    Returns at most ``MAX_SHOWN_PATHS`` rows and how many paths there were in all.
    """
    scenario = _scenario(folder, scenario_id)
    rows = []
    for play in enumerate_paths(scenario, jurisdiction):
        if tuple((node_id, index) for node_id, index, _ in play) == path:
            continue
        steps = [
            {
                "label": scenario.nodes[node_id].choices[index].label,
                "verdict": result.verdict,
                "points": result.points,
            }
            for node_id, index, result in play
        ]
        total = sum(step["points"] for step in steps)
        last_node, last_index, _ = play[-1]
        rows.append(
            {
                "steps": steps,
                "total": total,
                "average": round(total / len(steps)) if steps else 0,
                "ending": scenario.nodes[last_node].choices[last_index].next,
            }
        )
    rows.sort(key=lambda row: (-row["average"], -row["total"]))
    return rows[:MAX_SHOWN_PATHS], len(rows)


Steps = tuple[tuple[str, ...] | None, ...]


@st.cache_data(show_spinner=False, max_entries=2000)
def rescored(
    folder: str, scenario_id: str, path: Path, steps: Steps, jurisdiction: str | None
) -> list[dict[str, Any]]:
    """The learner's own decisions (acts and ticked steps) scored under another law.

    ``steps`` runs beside ``path``; a decision saved before steps were recorded (None) is
    scored as its act alone.
    """
    scenario = _scenario(folder, scenario_id)
    out = []
    for (node_id, index), ticked in zip(path, _pad(steps, len(path)), strict=True):
        result = scenario.score_choice(node_id, index, jurisdiction, ticked)
        out.append({"verdict": result.verdict, "points": result.points})
    return out


def _pad(steps: Steps, length: int) -> Steps:
    return tuple(steps[:length]) + (None,) * (length - len(steps))


@st.cache_data(show_spinner=False)
def library_rows(folder: str) -> list[dict[str, Any]]:
    """One row per playable vignette, for the library and the pickers."""
    return [
        {
            "id": scenario.id,
            "title": scenario.title,
            "summary": scenario.summary,
            "category": scenario.category,
            "category_label": CATEGORY_LABELS[scenario.category],
            "jurisdiction": scenario.jurisdiction,
            "difficulty": scenario.difficulty,
            "difficulty_label": DIFFICULTY_LABELS.get(
                scenario.difficulty, str(scenario.difficulty)
            ),
            "minutes": scenario.minutes,
            "objectives": list(scenario.learning_objectives),
            "tags": list(scenario.tags),
            "content_note": scenario.content_note,
            "search": " ".join(
                [scenario.title, scenario.summary, *scenario.learning_objectives, *scenario.tags]
            ).casefold(),
        }
        for scenario in bank_at(folder).scenarios.values()
    ]


@st.cache_data(show_spinner=False, max_entries=500)
def map_as_list(folder: str, scenario_id: str, jurisdiction: str | None) -> list[dict[str, Any]]:
    """The branch map in words: each decision, what it is about, and every option with
    what its act earns (for phones, where the drawing is small, and for screen readers)."""
    scenario = _scenario(folder, scenario_id)
    rows = []
    for number, node_id in enumerate(scenario.decision_nodes(), start=1):
        situation = (scenario.nodes[node_id].facts or {}).get("situation")
        options = []
        for index, choice in enumerate(scenario.nodes[node_id].choices):
            result = scenario.score_choice(node_id, index, jurisdiction)
            options.append(
                {
                    "index": index,
                    "label": choice.label,
                    "verdict": VERDICT_NAMES.get(result.verdict, result.verdict),
                    "points": result.points,
                }
            )
        rows.append(
            {
                "node_id": node_id,
                "number": number,
                "about": SITUATION_WORDS.get(str(situation), "a decision"),
                "options": options,
            }
        )
    return rows
