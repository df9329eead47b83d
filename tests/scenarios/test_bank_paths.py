"""The real bank (scenarios/), every vignette, every path: what CI runs over the content.

Parametrized by scenario id at import. An empty bank fails rather than skips: the issue
is done only when real vignettes validate clean and their paths pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.scenarios import load_bank
from engine.scenarios.paths import best_path, format_report, path_report

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
BANK = load_bank(SCENARIOS)
IDS = sorted(BANK.scenarios) or ["(no vignettes in scenarios/)"]
REPORT: list[dict] = []  # printed at the end of the session by conftest.py


def _scenario(scenario_id: str):
    assert scenario_id in BANK.scenarios, f"{scenario_id}: not in the bank (see the diagnostics)"
    return BANK.scenarios[scenario_id]


def test_bank_validates_clean() -> None:
    assert BANK.scenarios, f"no valid vignettes in {SCENARIOS}"
    assert not BANK.diagnostics, "\n" + "\n".join(d.format() for d in BANK.diagnostics)


@pytest.mark.parametrize("scenario_id", IDS)
def test_each_decision_has_a_best_and_a_worse_choice(scenario_id: str) -> None:
    scenario = _scenario(scenario_id)
    for node_id in scenario.decision_nodes():
        verdicts = [
            scenario.score_choice(node_id, i).verdict
            for i in range(len(scenario.nodes[node_id].choices))
        ]
        assert "best" in verdicts, f"{scenario_id} node {node_id}: no best choice ({verdicts})"
        assert set(verdicts) != {"best"}, f"{scenario_id} node {node_id}: every choice is best"


@pytest.mark.parametrize("scenario_id", IDS)
def test_an_all_best_path_reaches_an_ending(scenario_id: str) -> None:
    scenario = _scenario(scenario_id)
    path = best_path(scenario)
    assert path is not None, f"{scenario_id}: no path on which every choice is best"
    assert all(step[2].verdict == "best" for step in path)


def test_report_min_and_max_points() -> None:
    rows = path_report(BANK)
    REPORT[:] = rows
    print("\n" + format_report(rows))
    assert len(rows) == len(BANK.scenarios) > 0
    for row in rows:
        assert row["paths"] > 0 and 0 <= row["min"] <= row["max"], row
