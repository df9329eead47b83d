"""Graph checks (CL040-CL048): can a learner start, decide, and always reach an ending?

These run on the raw mapping, not the pydantic model, so a schema slip elsewhere (a
missing title) does not hide a dangling ``next`` until the next run. A node the raw file
does not make clear (malformed, a dead end, a bad ``next``) counts as "open": it may lead
anywhere, so it never causes a second, misleading reachability error.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from engine.scenarios.diagnostics import Loc, Report, listing, suggest
from engine.scenarios.raw import raw_nodes


@dataclass
class _Graph:
    """The graph as far as the raw file shows it; ``open`` nodes may lead anywhere."""

    ids: list[str]
    edges: dict[str, list[str]]
    endings: set[str]
    open: set[str]  # malformed nodes, dead ends (CL045) and nodes with a bad next


def _graph(data: dict[str, Any], report: Report) -> _Graph:
    nodes = data.get("nodes")
    ids = [k for k in nodes if isinstance(k, str)] if isinstance(nodes, dict) else []
    graph = _Graph(ids, {i: [] for i in ids}, set(), set())
    raw = dict(raw_nodes(data))
    for node_id in ids:
        if node_id not in raw:
            graph.open.add(node_id)
            continue
        node = raw[node_id]
        where: Loc = ("nodes", node_id)
        if node.get("ending") not in (None, True, False):
            graph.open.add(node_id)  # a schema error (CL012) already
            continue
        if node.get("ending") is True:
            graph.endings.add(node_id)
            if node.get("choices"):
                report.add(
                    "CL046",
                    (*where, "choices"),
                    (
                        "an ending has no choices; remove them, or remove `ending: true` "
                        "to make this a decision"
                    ),
                )
            if node.get("debrief") is None:
                report.add(
                    "CL046",
                    (*where, "debrief"),
                    (
                        "an ending needs a debrief (what the law required, the citation, "
                        "the best path); add `debrief: ...`"
                    ),
                )
            continue
        if not node.get("choices"):
            graph.open.add(node_id)
            report.add(
                "CL045",
                (*where, "choices"),
                (
                    "a node without choices must be an ending; add `ending: true` and a "
                    "`debrief`, or add facts and at least two choices"
                ),
            )
            continue
        if node.get("facts") is None:
            report.add(
                "CL044",
                (*where, "facts"),
                (
                    "a decision node needs facts for the engine to score its choices; add "
                    "`facts: {situation: ...}`"
                ),
            )
        choices = node["choices"]
        if not isinstance(choices, list):
            graph.open.add(node_id)  # a schema error (CL012) already
            continue
        if len(choices) < 2:
            report.add(
                "CL045",
                (*where, "choices"),
                ("a decision needs at least two choices (one best, one not); add another"),
            )
        for index, choice in enumerate(choices):
            target = choice.get("next") if isinstance(choice, dict) else None
            if isinstance(target, str) and target in graph.edges:
                graph.edges[node_id].append(target)
                continue
            graph.open.add(node_id)
            if isinstance(target, str):
                report.add(
                    "CL041",
                    (*where, "choices", index, "next"),
                    (
                        f"next {target!r} names no node{suggest(target, ids)}; "
                        f"use one of: {listing(ids)}"
                    ),
                )
    return graph


def check_graph(data: dict[str, Any], report: Report) -> None:
    """Start, next, reachability both ways, and the decision/ending shape of each node."""
    graph = _graph(data, report)
    start = data.get("start")
    if not isinstance(data.get("nodes"), dict) and start is not None:
        return  # no graph to check: the schema error on nodes says why
    if "start" not in data or start is None:
        report.add(
            "CL040",
            ("start",),
            (
                f"no start; add `start: NODE_ID` naming the first node "
                f"({listing(graph.ids) or 'the file has no nodes yet'})"
            ),
        )
    elif isinstance(start, str) and start not in graph.edges:
        report.add(
            "CL040",
            ("start",),
            (
                f"start {start!r} names no node{suggest(start, graph.ids)}; "
                f"use one of: {listing(graph.ids) or '(no nodes yet)'}"
            ),
        )
    elif isinstance(start, str):
        seen = _reach(start, graph.edges)
        for node_id in graph.ids:
            if node_id not in seen:
                report.add(
                    "CL042",
                    ("nodes", node_id),
                    (f"unreachable from start {start!r}; lead a choice's next to it, or delete it"),
                )
        if start in graph.endings:
            report.add(
                "CL047",
                ("start",),
                (
                    f"start {start!r} is an ending, so the learner never decides; start at a "
                    "decision node"
                ),
            )
    if graph.ids and not graph.endings and not graph.open:
        report.add(
            "CL043",
            ("nodes",),
            (
                "no node is an ending, so no path can finish; mark the last node(s) "
                "`ending: true` with a debrief"
            ),
        )
        return
    reverse: dict[str, list[str]] = {node_id: [] for node_id in graph.ids}
    for source, targets in graph.edges.items():
        for target in targets:
            reverse[target].append(source)
    finishes = _reach_all(graph.endings | graph.open, reverse)
    for node_id in graph.ids:
        if node_id not in finishes:
            trapped = sorted(_reach(node_id, graph.edges))
            report.add(
                "CL043",
                ("nodes", node_id, "choices"),
                (
                    f"no ending can be reached from here: its choices lead only to "
                    f"{listing(trapped, 5)} (a cycle with no way out); give one of them a "
                    f"choice whose next is an ending such as {sorted(graph.endings)[0]!r}"
                ),
            )


def _reach(start: str, edges: dict[str, list[str]]) -> set[str]:
    return _reach_all({start}, edges)


def _reach_all(starts: set[str], edges: dict[str, list[str]]) -> set[str]:
    seen, queue = set(starts), deque(starts)
    while queue:
        for target in edges.get(queue.popleft(), []):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


_SENSITIVE = {
    "threat_to_self": "suicide or self-harm",
    "threat_to_others": "a threat of violence",
    "abuse": "abuse",
}


def check_content_note(data: dict[str, Any], report: Report) -> None:
    """Learners are warned before a vignette about suicide, abuse or violence (the issue)."""
    if data.get("content_note") is not None:
        return
    for node_id, node in raw_nodes(data):
        facts = node.get("facts")
        situation = facts.get("situation") if isinstance(facts, dict) else None
        if not isinstance(situation, str) or situation not in _SENSITIVE:
            continue
        if situation == "threat_to_others" and facts.get("harm") in ("property", "none"):
            continue
        report.add(
            "CL048",
            ("nodes", node_id, "facts", "situation"),
            (
                f"this vignette involves {_SENSITIVE[situation]} (node {node_id!r}) but has "
                "no content_note; add `content_note: ...` at the top, shown before it starts"
            ),
            field="content_note",
        )
        return
