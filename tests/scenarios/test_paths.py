"""Path enumeration on the fixtures: counts, cycles, bounds, best path, min/max points."""

from __future__ import annotations

from pathlib import Path

from engine.scenarios import load_bank
from engine.scenarios.paths import (
    best_path,
    enumerate_paths,
    format_report,
    path_report,
    points_range,
    total,
)
from tests.scenarios.conftest import VALID, edit_data, fixture_text

BANK = load_bank(VALID)
INTAKE = BANK.scenarios["intake-basics"]
THREAT = BANK.scenarios["threat-basic"]


def _route(path: list) -> list[tuple[str, int]]:
    return [(node, index) for node, index, _ in path]


def test_enumerates_every_simple_path_and_bounds_the_cycle() -> None:
    routes = sorted(_route(p) for p in enumerate_paths(INTAKE))
    # worries -> first-session closes a cycle: never re-entered on the same path
    assert routes == sorted(
        [
            [("first-session", 0), ("records-request", 0)],
            [("first-session", 0), ("records-request", 1)],
            [("first-session", 0), ("records-request", 2)],
            [("first-session", 1)],
            [("first-session", 2), ("worries", 0), ("records-request", 0)],
            [("first-session", 2), ("worries", 0), ("records-request", 1)],
            [("first-session", 2), ("worries", 0), ("records-request", 2)],
            [("first-session", 2), ("worries", 2)],
        ]
    )
    for path in enumerate_paths(INTAKE):
        last_node, last_index, _ = path[-1]
        assert INTAKE.is_ending(INTAKE.nodes[last_node].choices[last_index].next)


def test_limits() -> None:
    assert len(enumerate_paths(INTAKE, max_paths=2)) == 2
    assert [_route(p) for p in enumerate_paths(INTAKE, max_depth=1)] == [[("first-session", 1)]]


def test_points_range_and_totals() -> None:
    totals = sorted(total(p) for p in enumerate_paths(INTAKE))
    assert points_range(INTAKE) == (totals[0], totals[-1])
    assert points_range(INTAKE) == (55, 255)
    # THREAT has no cycle: the exact dynamic programme agrees with enumeration
    threat_totals = [total(p) for p in enumerate_paths(THREAT)]
    assert points_range(THREAT) == (min(threat_totals), max(threat_totals)) == (10, 100)


def test_jurisdiction_override_changes_scores() -> None:
    """Texas lets no one warn the victim: the California best path is a breach there."""
    california = [total(p) for p in enumerate_paths(THREAT)]
    texas = [total(p) for p in enumerate_paths(THREAT, "US-TX")]
    assert texas != california
    assert total(enumerate_paths(THREAT, "US-TX")[0]) == 25  # warned her: over-disclosure


def test_best_path() -> None:
    path = best_path(INTAKE)
    assert path is not None
    assert _route(path) == [("first-session", 0), ("records-request", 0)]
    assert all(step[2].verdict == "best" for step in path)


def test_no_best_path(tmp_path: Path) -> None:
    def worsen(data: dict) -> None:
        for choice in data["nodes"]["records-request"]["choices"]:
            choice.pop("expect", None)
        data["nodes"]["records-request"]["choices"][0]["action"] = {
            "act": "disclose",
            "to": ["court"],
        }

    (tmp_path / "intake-basics.yaml").write_text(edit_data(fixture_text(), worsen), "utf-8")
    scenario = load_bank(tmp_path).drafts["intake-basics"]
    assert best_path(scenario) is None


def test_path_report() -> None:
    rows = {row["id"]: row for row in path_report(BANK)}
    assert rows["intake-basics"] == {
        "id": "intake-basics",
        "paths": 8,
        "truncated": False,
        "min": 55,
        "max": 255,
        "best_path_steps": 2,
        "decision_points": 3,
    }
    text = format_report(list(rows.values()))
    assert "intake-basics" in text and "255" in text
