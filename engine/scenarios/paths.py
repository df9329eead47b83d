"""Every way through a vignette, scored by the engine: what the path tests check in CI.

A path is the list of choices a learner makes from ``start`` to an ending. A node already
on the current path is not entered again, so a cycle ("ask again") is walked at most once
per path and enumeration always ends; ``max_paths`` and ``max_depth`` bound it further.
Scores come from ``Scenario.score_choice``, which caches them, so enumerating reuses the
scores the loader computed while validating.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from engine.actions import Score
from engine.scenarios.loader import Bank
from engine.scenarios.schema import Scenario

PlayStep = tuple[str, int, Score]  # (node id, choice index, the engine's score)
PlayPath = list[PlayStep]
MAX_PATHS = 5000


def enumerate_paths(
    scenario: Scenario,
    jurisdiction: str | None = None,
    max_paths: int = MAX_PATHS,
    max_depth: int = 50,
) -> list[PlayPath]:
    """All simple paths from start to an ending (at most ``max_paths``, ``max_depth`` steps)."""
    paths: list[PlayPath] = []
    steps: PlayPath = []
    on_path: set[str] = set()

    def visit(node_id: str) -> None:
        node = scenario.nodes[node_id]
        if node.ending:
            paths.append(list(steps))
            return
        if len(steps) >= max_depth:
            return
        on_path.add(node_id)
        for index, choice in enumerate(node.choices):
            if len(paths) >= max_paths:
                break
            if choice.next in on_path or choice.next not in scenario.nodes:
                continue
            steps.append((node_id, index, scenario.score_choice(node_id, index, jurisdiction)))
            visit(choice.next)
            steps.pop()
        on_path.discard(node_id)

    if scenario.start in scenario.nodes:
        visit(scenario.start)
    return paths


def total(path: PlayPath) -> int:
    return sum(step[2].points for step in path)


def points_range(scenario: Scenario, jurisdiction: str | None = None) -> tuple[int, int]:
    """(min, max) total points over the complete paths; (0, 0) if there are none.

    Exact for a graph without cycles however many paths it has (dynamic programming);
    with cycles, taken over the enumerated paths.
    """
    if _has_cycle(scenario):
        totals = [total(path) for path in enumerate_paths(scenario, jurisdiction)]
        return (min(totals), max(totals)) if totals else (0, 0)
    memo: dict[str, tuple[int, int] | None] = {}

    def span(node_id: str) -> tuple[int, int] | None:
        if node_id not in memo:
            node = scenario.nodes[node_id]
            if node.ending:
                memo[node_id] = (0, 0)
            else:
                options = []
                for index, choice in enumerate(node.choices):
                    rest = span(choice.next) if choice.next in scenario.nodes else None
                    if rest is not None:
                        points = scenario.score_choice(node_id, index, jurisdiction).points
                        options.append((points + rest[0], points + rest[1]))
                memo[node_id] = (
                    (min(o[0] for o in options), max(o[1] for o in options)) if options else None
                )
        return memo[node_id]

    result = span(scenario.start) if scenario.start in scenario.nodes else None
    return result or (0, 0)


def _has_cycle(scenario: Scenario) -> bool:
    """Iterative three-colour DFS over the nodes reachable from start."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    if scenario.start not in scenario.nodes:
        return False
    stack: list[tuple[str, int]] = [(scenario.start, 0)]
    state[scenario.start] = 1
    while stack:
        node_id, index = stack.pop()
        choices = scenario.nodes[node_id].choices
        if index < len(choices):
            stack.append((node_id, index + 1))
            target = choices[index].next
            if state.get(target) == 1:
                return True
            if target in scenario.nodes and target not in state:
                state[target] = 1
                stack.append((target, 0))
        else:
            state[node_id] = 2
    return False


def best_path(scenario: Scenario, jurisdiction: str | None = None) -> PlayPath | None:
    """A shortest path on which every choice is ``best``, or None if there is none."""
    if scenario.start not in scenario.nodes:
        return None
    came_from: dict[str, PlayStep | None] = {scenario.start: None}
    queue = deque([scenario.start])
    while queue:
        node_id = queue.popleft()
        if scenario.nodes[node_id].ending:
            path: PlayPath = []
            step = came_from[node_id]
            while step is not None:
                path.append(step)
                step = came_from[step[0]]
            return path[::-1]
        for index, choice in enumerate(scenario.nodes[node_id].choices):
            if choice.next in came_from or choice.next not in scenario.nodes:
                continue
            result = scenario.score_choice(node_id, index, jurisdiction)
            if result.verdict == "best":
                came_from[choice.next] = (node_id, index, result)
                queue.append(choice.next)
    return None


def path_report(bank: Bank, jurisdiction: str | None = None) -> list[dict[str, Any]]:
    """Per vignette: how many paths, the min and max total points, and decision points."""
    rows = []
    for scenario in bank.scenarios.values():
        paths = enumerate_paths(scenario, jurisdiction)
        low, high = points_range(scenario, jurisdiction)
        best = best_path(scenario, jurisdiction)
        rows.append(
            {
                "id": scenario.id,
                "paths": len(paths),
                "truncated": len(paths) >= MAX_PATHS,
                "min": low,
                "max": high,
                "best_path_steps": None if best is None else len(best),
                "decision_points": len(scenario.decision_nodes()),
            }
        )
    return rows


def format_report(rows: list[dict[str, Any]]) -> str:
    """The report as an aligned text table (what ``pytest -s`` prints)."""
    width = max((len(row["id"]) for row in rows), default=8)
    lines = [f"{'vignette':<{width}}  paths  decisions    min    max"]
    for row in rows:
        paths = f"{row['paths']}{'+' if row['truncated'] else ''}"
        lines.append(
            f"{row['id']:<{width}}  {paths:>5}  {row['decision_points']:>9}  "
            f"{row['min']:>5}  {row['max']:>5}"
        )
    return "\n".join(lines)
