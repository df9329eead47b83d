"""The bank-level cue audit (CL060-CL065): the real bank passes, and a broken copy of it
trips each check.

A broken copy is made in memory (the bank's vignettes with labels lengthened, process
words added, options dropped, scopes widened), because the per-decision checks would
refuse such files before the audit saw them; the CLI test runs the audit on the real
folder as authors do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest

import engine.scoring as scoring
from engine.scenarios import Scenario, load_bank
from engine.scenarios.check_cues import LIMITS, audit_bank
from tests.scenarios.conftest import ROOT, run_cli


@cache
def bank() -> list[Scenario]:
    return list(load_bank(ROOT / "scenarios").scenarios.values())


def edit_choices(change: Callable[[Scenario, str, int, dict], dict | None]) -> list[Scenario]:
    """A copy of the bank with each choice passed through ``change`` (None drops it)."""
    out = []
    for scenario in bank():
        nodes = {}
        for node_id, node in scenario.nodes.items():
            kept = []
            for index, choice in enumerate(node.choices):
                data = change(scenario, node_id, index, choice.model_dump())
                if data is not None:
                    kept.append(type(choice).model_validate(data))
            nodes[node_id] = node.model_copy(update={"choices": kept})
        out.append(scenario.model_copy(update={"nodes": nodes}))
    return out


def best(scenario: Scenario, node_id: str, index: int) -> bool:
    return scenario.score_choice(node_id, index).verdict == "best"


def codes(scenarios: list[Scenario]) -> set[str]:
    return {code for code, _ in audit_bank(scenarios).problems()}


def test_the_real_bank_passes_the_audit_with_room_to_spare() -> None:
    audit = audit_bank(bank())
    assert audit.problems() == []
    assert audit.nodes >= 200 and len(bank()) >= 53
    assert audit.longest_best_share <= LIMITS["longest_best_share"]
    assert audit.process_best_share == 0.0
    assert audit.choices_per_node >= LIMITS["choices_per_node"]
    assert audit.whole_chart_share <= LIMITS["whole_chart_share"]
    # a test-wise learner scores no better than chance
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    assert mean(audit.longest_points) - mean(audit.random_points) <= LIMITS["guesser_margin"]
    assert mean(audit.test_wise) - mean(audit.chance) <= LIMITS["guesser_margin"]


def test_cl060_the_best_option_made_the_longest() -> None:
    def longer(scenario, node_id, index, data):
        if best(scenario, node_id, index):
            data["label"] += ", and say so plainly to everyone concerned"
        return data

    assert "CL060" in codes(edit_choices(longer))


def test_cl061_process_words_in_best_labels() -> None:
    def worded(scenario, node_id, index, data):
        if best(scenario, node_id, index):
            data["label"] += "; document and consult"
        return data

    assert "CL061" in codes(edit_choices(worded))


def test_cl062_a_longest_label_guesser_beats_chance() -> None:
    def longer(scenario, node_id, index, data):
        if best(scenario, node_id, index):
            data["label"] += " " + "x" * 120
        return data

    assert "CL062" in codes(edit_choices(longer))


def test_cl063_too_few_options() -> None:
    def fewer(scenario, node_id, index, data):
        keep = index < 2 or best(scenario, node_id, index)
        return data if keep else None

    assert "CL063" in codes(edit_choices(fewer))


def test_cl064_the_whole_chart_everywhere() -> None:
    def chart(scenario, node_id, index, data):
        if index == 0 and data["action"]["act"] == "disclose":
            data["action"] = {**data["action"], "scope": "full_record"}
        elif index == 0:
            data["action"] = {"act": "disclose", "to": ["requester"], "scope": "full_record"}
        return data

    assert "CL064" in codes(edit_choices(chart))


def test_cl065_ticking_everything_pays_when_extra_steps_cost_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If the engine stopped charging for steps not called for, ticking every box would
    beat random ticking, and the audit says so."""
    real = scoring._judge_steps

    def free_extras(action, ruling, faults):  # noqa: ANN001, ANN202
        review = real(action, ruling, faults)
        faults.by_verdict["acceptable"] = [
            f for f in faults.by_verdict["acceptable"] if not f[0].startswith("step not called")
        ]
        return review

    monkeypatch.setattr(scoring, "_judge_steps", free_extras)
    fresh = [Scenario.model_validate(s.model_dump()) for s in bank()]  # no cached scores
    assert "CL065" in codes(fresh)


def test_cli_prints_the_figures_for_the_bank() -> None:
    result = run_cli("validate", str(ROOT / "scenarios"))
    assert result.returncode == 0, result.stdout[-2000:]
    lines = result.stdout.strip().splitlines()
    audit = [line for line in lines if line.startswith("cue audit:")]
    assert len(audit) == 7, lines
    assert any("best option is the longest at" in line for line in audit)
    assert lines[-1].endswith("files valid, no problems")
