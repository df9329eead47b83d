"""Walk a scenario's raw mapping, skipping whatever is malformed.

The vocabulary and graph checks run on the data as loaded, not on the pydantic model,
so that one schema slip does not hide every other problem; these helpers yield only the
nodes and choices that are mappings and leave the malformed ones to the schema check.
"""

from __future__ import annotations

from typing import Any


def raw_nodes(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``(node_id, node)`` for every node whose id is text and whose body is a mapping."""
    nodes = data.get("nodes")
    if not isinstance(nodes, dict):
        return []
    return [(k, v) for k, v in nodes.items() if isinstance(k, str) and isinstance(v, dict)]


def raw_choices(node: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """``(index, choice)`` for every choice that is a mapping; indexes count from 0."""
    choices = node.get("choices")
    if not isinstance(choices, list):
        return []
    return [(i, c) for i, c in enumerate(choices) if isinstance(c, dict)]
