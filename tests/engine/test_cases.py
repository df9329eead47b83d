"""Data-driven ruling cases: every YAML case under cases/ is one test.

A case names the source it checks (``source``), the facts, the ruling fields expected,
and optionally actions with the verdict each must earn. Lawyers and clinicians can read
and add to these without reading Python (the OpenFisca habit).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import engine

CASES_DIR = Path(__file__).parent / "cases"
EXACT = (
    "category",
    "obligation",
    "discharge",
    "discharge_options",
    "scope",
    "verified",
    "preferred_act",
    "report_options",
)


def _load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append((f"{path.stem}:{case['id']}", case))
    return cases


CASES = _load_cases()


def test_case_files_are_not_empty() -> None:
    assert len(CASES) >= 85, "the case files lost cases"
    for name, case in CASES:
        assert case.get("source"), f"{name} does not cite the source it checks"


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
def test_case(name: str, case: dict[str, Any]) -> None:
    ruling = engine.rule(case["facts"], case.get("jurisdiction"))
    data = ruling.to_dict()
    expect = case.get("expect", {})
    for field in EXACT:
        if field in expect:
            assert data.get(field) == expect[field], f"{name}: {field}"
    if "recipients" in expect:
        assert sorted(data["recipients"]) == sorted(expect["recipients"]), name
    for recipient in expect.get("recipients_include", []):
        assert recipient in data["recipients"], f"{name}: {recipient} missing"
    for recipient in expect.get("recipients_exclude", []):
        assert recipient not in data["recipients"] + data.get("also_permitted", []), name
    for step in expect.get("steps_include", []):
        assert step in data["steps"], f"{name}: step {step} missing"
    for step in expect.get("required_steps_include", []):
        assert step in data["required_steps"], f"{name}: required step {step} missing"
    rule_ids = [r["id"] for r in data["rules"]]
    for rule_id in expect.get("rules_include", []):
        assert rule_id in rule_ids, f"{name}: rule {rule_id} missing from {rule_ids}"
    for rule_id in expect.get("rules_exclude", []):
        assert rule_id not in rule_ids, f"{name}: rule {rule_id} should not be in {rule_ids}"
    for text in expect.get("explanation_contains", []):
        assert text.lower() in data["explanation"].lower(), f"{name}: {text!r}"
    for text in expect.get("citations_include", []):
        assert any(text in r["citation"] for r in data["rules"]), f"{name}: cites no {text!r}"
    for text in expect.get("explanation_excludes", []):
        assert text.lower() not in data["explanation"].lower(), f"{name}: says {text!r}"
    for scored in case.get("scores", []):
        result = engine.score(scored["action"], case["facts"], case.get("jurisdiction"))
        assert result.verdict == scored["verdict"], (
            f"{name}: {scored['action']} scored {result.verdict} {result.errors}"
        )
        for error in scored.get("errors_include", []):
            assert error in result.errors, f"{name}: {error!r} not in {result.errors}"
        for text in scored.get("messages_exclude", []):
            assert not any(text in m for m in result.messages), f"{name}: says {text!r}"
        for text in scored.get("messages_include", []):
            assert any(text in m for m in result.messages), (
                f"{name}: {text!r} not in {result.messages}"
            )
