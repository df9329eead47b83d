"""Which vignette the fault and failover tests play: one with room to stop in the middle."""

from __future__ import annotations

from bench.load_server import ROOT
from engine.scenarios import Scenario, load_bank
from engine.scenarios.paths import PlayPath, best_path


def long_vignette() -> tuple[Scenario, PlayPath]:
    """The shortest vignette whose best path has at least three decisions, so a learner
    two choices in is in the middle of it (the bank's order and ids break ties)."""
    bank = load_bank(ROOT / "scenarios")
    candidates = [
        (len(path), scenario.id, scenario, path)
        for scenario in bank.scenarios.values()
        if (path := best_path(scenario)) is not None and len(path) >= 3
    ]
    assert candidates, "the bank has no vignette with three decisions on its best path"
    _, _, scenario, path = min(candidates, key=lambda item: item[:2])
    return scenario, path
