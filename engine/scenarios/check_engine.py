"""Engine checks (CL050-CL053): does the engine agree with the author's ``expect``?

Each decision must have at least one best choice and at least one that is not, or it
teaches nothing. Scores are cached on the scenario, so the app reuses them. These checks
need a file that passed the schema, and skip nodes the engine cannot score.
"""

from __future__ import annotations

from typing import Any

from engine.scenarios.diagnostics import Loc, Report
from engine.scenarios.schema import Scenario


def _ruling_hint(score: Any) -> str:
    ruling = score.ruling
    parts = [f"the ruling is {ruling.obligation}"]
    if ruling.recipients:
        parts.append("recipients: " + ", ".join(ruling.recipients))
    if ruling.steps:
        parts.append("steps: " + ", ".join(ruling.steps))
    return "; ".join(parts)


def check_engine(scenario: Scenario, skip: set[str], report: Report) -> None:
    """Score every choice once (cached on the scenario) and compare with the author."""
    for node_id in scenario.decision_nodes():
        node = scenario.nodes[node_id]
        if node_id in skip or node.facts is None:
            continue
        where: Loc = ("nodes", node_id)
        jurisdiction = scenario.node_facts(node_id).get("jurisdiction")
        try:
            scores = [scenario.score_choice(node_id, i) for i in range(len(node.choices))]
        except Exception as exc:  # an engine bug must not stop the other files
            report.add(
                "CL053",
                (*where, "facts"),
                (
                    f"the engine failed here ({type(exc).__name__}: {exc}); this is an engine "
                    "bug: report it with this file"
                ),
            )
            continue
        for index, (choice, result) in enumerate(zip(node.choices, scores, strict=True)):
            if choice.expect is not None and choice.expect != result.verdict:
                faults = "; ".join(result.errors) or "no faults"
                report.add(
                    "CL050",
                    (*where, "choices", index, "expect"),
                    (
                        f"expect is {choice.expect} but the engine scores {result.verdict} "
                        f"({result.points} points) under {jurisdiction}: {faults}; fix the action "
                        "or expect, or report an engine error if the engine is wrong"
                    ),
                )
        if len(scores) < 2:
            continue  # CL045 already says the node is not a decision
        verdicts = ", ".join(f"[{i}] {s.verdict}" for i, s in enumerate(scores))
        best = [s.verdict == "best" for s in scores]
        if not any(best):
            report.add(
                "CL051",
                (*where, "choices"),
                (
                    f"no choice is best under {jurisdiction} ({verdicts}); {_ruling_hint(scores[0])}; "
                    "add the choice the ruling calls for"
                ),
            )
        elif all(best):
            report.add(
                "CL052",
                (*where, "choices"),
                (
                    f"every choice is best under {jurisdiction}, so this is not a decision; make "
                    "one a plausible mistake (leave out a step, or disclose to someone not permitted)"
                ),
            )
