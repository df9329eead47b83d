"""A vignette's branch graph as Graphviz DOT: for authors (``python -m engine map``) and
for the app, which draws it (``st.graphviz_chart``) with the learner's path in bold.

Decision nodes are boxes, endings double octagons, and a point marks the start. With
``verdicts`` each edge carries the engine's verdict and points and is coloured by it.
All text is escaped, so no label (quotes, backslashes, newlines, braces) can break the
DOT syntax or inject attributes.
"""

from __future__ import annotations

import sys
import textwrap
import unicodedata

from engine.errors import InvalidInput
from engine.profiles import get_profile
from engine.scenarios.loader import load_bank
from engine.scenarios.schema import Scenario

verdict_colors: dict[str, str] = {
    "best": "#2e7d32",  # green
    "acceptable": "#00897b",  # teal
    "process_error": "#ef6c00",  # orange
    "over_disclosure": "#c62828",  # red
    "under_disclosure": "#c62828",  # red
}
UNSCORED_COLOR = "#757575"
LABEL_CHARS = 60
LABEL_WIDTH = 26


def quote(text: str) -> str:
    """A DOT double-quoted string; newlines become DOT's centred line break ``\\n``."""
    out = []
    for char in text.replace("\r\n", "\n").replace("\r", "\n"):
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def shorten(label: str, chars: int = LABEL_CHARS, width: int = LABEL_WIDTH) -> str:
    """One choice label, cut to ``chars`` and wrapped into short lines for the drawing."""
    text = " ".join(label.split())
    if len(text) > chars:
        text = text[: chars - 1].rstrip() + "…"
    return "\n".join(textwrap.wrap(text, width)) or text


def _attrs(**values: str | int) -> str:
    return "[" + ", ".join(f"{k}={quote(str(v))}" for k, v in values.items()) + "]"


SITUATION_WORDS = {
    "threat_to_others": "a threat to someone else",
    "threat_to_self": "a risk to the client",
    "abuse": "possible abuse",
    "legal_process": "legal papers",
    "disclosure_request": "a request for information",
    "intake": "the first session",
}
VERDICT_NAMES = {
    "best": "best",
    "acceptable": "acceptable",
    "process_error": "missing a step",
    "under_disclosure": "under-disclosure",
    "over_disclosure": "over-disclosure",
}


def to_dot(
    scenario: Scenario,
    verdicts: bool = False,
    jurisdiction: str | None = None,
    highlight: list[tuple[str, int]] | None = None,
    plain: bool = False,
) -> str:
    """The graph as DOT text; ``highlight`` lists (node id, choice index) edges to bold.

    ``plain``: for learners, nodes are "Decision 2: legal papers" and "Ending", and
    verdicts are words ("over-disclosure, 0 points"), never the file's ids or tokens.
    """
    numbers = {node_id: n for n, node_id in enumerate(scenario.decision_nodes(), start=1)}
    bold = set(highlight or [])
    visited = {node_id for node_id, _ in bold}
    for node_id, index in bold:
        if node_id in scenario.nodes and 0 <= index < len(scenario.nodes[node_id].choices):
            visited.add(scenario.nodes[node_id].choices[index].next)
    lines = [
        f"digraph {quote(scenario.id)} {{",
        f"  graph {_attrs(label=scenario.title, labelloc='t', rankdir='TB', fontname='Helvetica')};",
        f"  node {_attrs(fontname='Helvetica', fontsize=11)};",
        f"  edge {_attrs(fontname='Helvetica', fontsize=9)};",
        f"  {quote('__start__')} {_attrs(shape='point', width='0.15', label='')};",
        f"  {quote('__start__')} -> {quote(scenario.start)};",
    ]
    missing: set[str] = set()
    for node_id, node in scenario.nodes.items():
        style = {"penwidth": 3} if node_id in visited else {}
        if node.ending:
            label = "Ending" if plain else node_id
            lines.append(
                f"  {quote(node_id)} {_attrs(shape='doubleoctagon', label=label, **style)};"
            )
            continue
        situation = (node.facts or {}).get("situation")
        if plain:
            words = SITUATION_WORDS.get(str(situation), "a decision")
            label = f"Decision {numbers.get(node_id, '')}\n{words}"
        else:
            label = f"{node_id}\n{situation}" if isinstance(situation, str) else node_id
        shape = "box" if node.choices else "ellipse"
        lines.append(
            f"  {quote(node_id)} {_attrs(shape=shape, style='rounded', label=label, **style)};"
        )
    for node_id, node in scenario.nodes.items():
        for index, choice in enumerate(node.choices):
            attrs: dict[str, str | int] = {
                "label": shorten(choice.label),
                "tooltip": choice.label[:300],
            }
            if verdicts:
                attrs.update(_verdict_attrs(scenario, node_id, index, jurisdiction, plain))
            if (node_id, index) in bold:
                attrs.update(penwidth=3, style="bold")
            if choice.next not in scenario.nodes:
                missing.add(choice.next)
            lines.append(f"  {quote(node_id)} -> {quote(choice.next)} {_attrs(**attrs)};")
    for node_id in sorted(missing):  # only in a draft with a dangling next
        lines.append(
            f"  {quote(node_id)} {_attrs(shape='plaintext', label=f'missing: {node_id}', fontcolor='red')};"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _verdict_attrs(
    scenario: Scenario, node_id: str, index: int, jurisdiction: str | None, plain: bool = False
) -> dict[str, str | int]:
    try:
        result = scenario.score_choice(node_id, index, jurisdiction)
    except InvalidInput:  # a draft with invalid facts or action
        return {"color": UNSCORED_COLOR, "fontcolor": UNSCORED_COLOR}
    color = verdict_colors.get(result.verdict, UNSCORED_COLOR)
    verdict = (
        f"{VERDICT_NAMES.get(result.verdict, result.verdict)}, {result.points} points"
        if plain
        else f"{result.verdict} ({result.points})"
    )
    label = f"{shorten(scenario.nodes[node_id].choices[index].label)}\n{verdict}"
    return {"label": label, "color": color, "fontcolor": color}


def run_map(scenario_id: str, scenarios_dir: str, verdicts: bool, jurisdiction: str | None) -> int:
    """``python -m engine map ID``: DOT on stdout; an unknown id is one line on stderr, 2."""
    if jurisdiction is not None:
        get_profile(jurisdiction)  # InvalidInput: the CLI prints it and exits 2
    bank = load_bank(scenarios_dir)
    scenario = bank.scenarios.get(scenario_id) or bank.drafts.get(scenario_id)
    if scenario is None:
        known = ", ".join(sorted(bank.scenarios)) or "none"
        sys.stderr.write(
            f"error: unknown scenario id {scenario_id!r} in {scenarios_dir}; known: {known}\n"
        )
        return 2
    if scenario_id not in bank.scenarios:
        sys.stderr.write(
            f"warning: {scenario_id!r} has problems; `python -m engine validate "
            f"{scenarios_dir}` lists them\n"
        )
    sys.stdout.write(to_dot(scenario, verdicts, jurisdiction))
    return 0
