"""The branch map: DOT that parses, names every node, and survives hostile labels."""

from __future__ import annotations

import re

import pytest

from engine.scenarios import Scenario, load_bank
from engine.scenarios.branch_map import quote, to_dot, verdict_colors
from tests.scenarios.conftest import VALID, run_cli

INTAKE = load_bank(VALID).scenarios["intake-basics"]
TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<arrow>->)|(?P<punct>[{}\[\]=,;])|(?P<id>[A-Za-z_][\w.]*|-?\d+(?:\.\d+)?))',
    re.S,
)


def parse_dot(text: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """A strict parser for the DOT subset to_dot writes: statements are
    ``ID [attrs];``, ``ID -> ID [attrs];`` or ``graph|node|edge [attrs];``."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text.rstrip()):
        match = TOKEN.match(text, pos)
        assert match, f"cannot tokenise at {text[pos : pos + 40]!r}"
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()

    def unquote(token: tuple[str, str]) -> str:
        kind, value = token
        return re.sub(r"\\(.)", r"\1", value[1:-1]) if kind == "str" else value

    def attrs(i: int) -> tuple[dict[str, str], int]:
        out: dict[str, str] = {}
        if tokens[i][1] != "[":
            return out, i
        i += 1
        while tokens[i][1] != "]":
            key, eq, value = tokens[i], tokens[i + 1], tokens[i + 2]
            assert key[0] == "id" and eq[1] == "=", tokens[i : i + 3]
            out[key[1]] = unquote(value)
            i += 3
            if tokens[i][1] == ",":
                i += 1
        return out, i + 1

    assert tokens[0] == ("id", "digraph") and tokens[2][1] == "{", tokens[:3]
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str, dict[str, str]]] = []
    i = 3
    while tokens[i][1] != "}":
        if tokens[i][1] in ("graph", "node", "edge"):
            _, i = attrs(i + 1)
        elif tokens[i + 1][0] == "arrow":
            source, target = unquote(tokens[i]), unquote(tokens[i + 2])
            found, i = attrs(i + 3)
            edges.append((source, target, found))
        else:
            name = unquote(tokens[i])
            nodes[name], i = attrs(i + 1)
        assert tokens[i][1] == ";", tokens[i : i + 3]
        i += 1
    assert i == len(tokens) - 1, "nothing after the closing brace"
    return nodes, edges


def test_dot_has_every_node_and_edge() -> None:
    dot = to_dot(INTAKE)
    assert dot.startswith('digraph "intake-basics" {')
    nodes, edges = parse_dot(dot)
    assert set(INTAKE.nodes) <= set(nodes)
    choices = sum(len(node.choices) for node in INTAKE.nodes.values())
    assert len(edges) == choices + 1  # plus the start marker's edge
    assert nodes["first-session"]["shape"] == "box"
    assert nodes["chart-sent"]["shape"] == "doubleoctagon"
    assert ("__start__", "first-session") in {(s, t) for s, t, _ in edges}


def test_verdicts_colour_the_edges() -> None:
    _, edges = parse_dot(to_dot(INTAKE, verdicts=True))
    by_label = {attrs["label"].split("\\n")[0]: attrs for _, _, attrs in edges if "label" in attrs}
    best = next(a for a in by_label.values() if "best (100)" in a["label"])
    assert best["color"] == verdict_colors["best"] == "#2e7d32"
    over = next(a for a in by_label.values() if "over_disclosure" in a["label"])
    assert over["color"] == verdict_colors["over_disclosure"]
    assert set(verdict_colors) == {
        "best",
        "acceptable",
        "process_error",
        "over_disclosure",
        "under_disclosure",
    }


def test_highlight_makes_the_path_bold() -> None:
    _, edges = parse_dot(to_dot(INTAKE, highlight=[("first-session", 0), ("records-request", 1)]))
    bold = {(s, t) for s, t, attrs in edges if attrs.get("style") == "bold"}
    assert bold == {("first-session", "records-request"), ("records-request", "chart-sent")}


@pytest.mark.parametrize(
    "label",
    [
        'Say "no"; } digraph x { a -> b',
        "back\\slash at the end \\",
        "line one\nline two\r\nthree",
        "tab\tand \x00 nul and \u2028 separator",
        ']; node [shape=none]; x [label="',
        "<b>html?</b> & émoji 🙂 " * 5,
    ],
)
def test_hostile_labels_cannot_break_the_syntax(label: str) -> None:
    data = INTAKE.model_dump()
    data["title"] = label
    data["nodes"]["first-session"]["choices"][1]["label"] = label
    scenario = Scenario.model_validate(data)
    nodes, edges = parse_dot(to_dot(scenario, verdicts=True, highlight=[("first-session", 1)]))
    assert len(edges) == 1 + sum(len(n.choices) for n in scenario.nodes.values())
    assert set(scenario.nodes) <= set(nodes)


def test_quote_escapes() -> None:
    assert quote('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


def test_map_command() -> None:
    result = run_cli("map", "intake-basics", "--scenarios", str(VALID), "--verdicts")
    assert result.returncode == 0, result.stderr
    nodes, edges = parse_dot(result.stdout)
    assert set(INTAKE.nodes) <= set(nodes) and any("best" in a.get("label", "") for *_, a in edges)


def test_map_unknown_id_exits_2_with_one_line() -> None:
    result = run_cli("map", "no-such-vignette", "--scenarios", str(VALID))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "no-such-vignette" in result.stderr


def test_map_unknown_jurisdiction_exits_2() -> None:
    result = run_cli("map", "intake-basics", "--scenarios", str(VALID), "--jurisdiction", "US-XX")
    assert result.returncode == 2 and "US-XX" in result.stderr
