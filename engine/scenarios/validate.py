"""Check scenario files like a compiler: every problem gets a code, file, line and a fix.

``python -m engine validate [PATH ...]`` prints one line per problem::

    FILE:LINE: CODE node NODE: field FIELD: what is wrong; how to fix it

(``node -`` / ``field -`` when none applies; fields are relative to the node, e.g.
``choices[1].action.to``, and choice indexes count from 0), then a summary line, and
exits 1 if anything is wrong. Line 0: a folder, or a path that does not exist.

====== =========================================== ==========================================
code   problem                                     how to fix
====== =========================================== ==========================================
CL001  YAML syntax error (the parser's line)       fix the YAML at that line (indentation,
                                                   a missing colon, an unclosed quote)
CL002  file empty, or top level not a mapping      start the file with ``id:``, ``title:`` ...
CL003  a YAML tag (``!!python/...``, ``!x``) or    write plain YAML: mappings, lists, text,
       complex key the safe loader refuses         numbers, booleans; no tags
CL004  duplicate key in one mapping (PyYAML would  keep one; rename a duplicated node id
       silently keep only the last)
CL005  file unreadable: missing, not a regular     save as UTF-8, split or flatten the file,
       file, not UTF-8, over 1 MB, nested over 32  write each value out instead of ``*alias``
       levels, anchors/aliases
CL006  a folder with no ``*.yaml`` files           add a vignette, or pass the right folder
CL010  unknown field                               fix the spelling (the message suggests
                                                   one) or remove the field
CL011  required field missing                      add the field
CL012  wrong type or invalid value                 use the type and form the message names
CL013  value not in the contract's list            use one of the allowed values listed
CL020  facts outside the engine's vocabulary       use the fields and values the message
                                                   lists (ENGINE_CONTRACT.md, "Facts")
CL021  action outside the engine's vocabulary      likewise ("Action and score")
CL022  unknown jurisdiction                        use MODEL or US-XX;
                                                   ``python -m engine jurisdictions`` lists all
CL030  id also used by another file                rename one vignette (and its file)
CL031  id differs from the file name               rename the file to ``<id>.yaml`` or fix id
CL040  start missing or naming no node             set ``start:`` to a node id of this file
CL041  a choice's next names no node               use a node id of this file
CL042  node unreachable from start                 lead a choice to it, or delete it
CL043  no ending reachable from a node (a cycle    give a node on the cycle a choice leading
       with no way out, or no ending at all)       to an ending
CL044  decision node without facts                 add ``facts:`` with a situation
CL045  node neither a decision nor an ending, or   add choices (two or more) with facts, or
       a decision with fewer than two choices      mark it ``ending: true`` with a debrief
CL046  ending with choices or without a debrief    remove the choices; add ``debrief:``
CL047  the vignette has no decision                start at a decision node
CL048  suicide, abuse or violence without a        add ``content_note:`` (shown before the
       content_note                                vignette starts)
CL050  expect disagrees with the engine            fix the action or expect; if the engine is
                                                   wrong, report it with this file
CL051  no choice at a decision node is best        add the choice the ruling calls for
CL052  every choice is best: not a decision        add a plausible mistake as a choice
CL053  the engine failed on this node              an engine bug: report it with this file
====== =========================================== ==========================================

Why check on the raw mapping as well as through the pydantic model: one schema slip
(a missing title) should not hide a dangling ``next`` until the next run. The engine
checks (CL050-CL053) need a fully valid file, so they run only then.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from engine.actions import parse_action
from engine.errors import InvalidInput
from engine.facts import parse_facts
from engine.profiles import load_profiles
from engine.scenarios.schema import Choice, Node, Scenario, default_facts
from engine.vocabulary import PROFESSIONS

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file, at one line: what the validator prints and the app shows."""

    file: str
    line: int
    code: str
    node: str | None
    field: str | None
    message: str

    def format(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.code} node {_word(self.node)}: "
            f"field {_word(self.field)}: {' '.join(self.message.split())}"
        )


def _word(name: str | None) -> str:
    """A node or field as one word, so the line stays parseable whatever the id is."""
    if not name:
        return "-"
    if re.fullmatch(r"[^\s:'\"]+", name):
        return name
    return "'" + " ".join(name.split()).replace("'", "''") + "'"  # YAML-style quoting


def field_path(loc: Iterable[str | int]) -> str | None:
    """``('choices', 1, 'action', 'to')`` -> ``choices[1].action.to``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None


def node_and_field(loc: Loc) -> tuple[str | None, str | None]:
    """``('nodes', 'x', 'choices', 1, 'next')`` -> ``('x', 'choices[1].next')``."""
    if len(loc) >= 2 and loc[0] == "nodes":
        return str(loc[1]), field_path(loc[2:])
    return None, field_path(loc)


class Lines(Protocol):
    """Where a path in the data is in the file (``loader.LineMap``)."""

    def line(self, loc: Iterable[Any]) -> int: ...


class Report:
    """Collects one file's diagnostics; turns a location in the data into file:line."""

    def __init__(self, file: str, lines: Lines) -> None:
        self.file = file
        self.lines = lines
        self.items: list[Diagnostic] = []

    def add(self, code: str, loc: Loc, message: str, *, field: str | None = None) -> None:
        """Record a problem at ``loc`` (a path in the file's data, e.g. nodes.x.choices.0).

        ``field`` names a scenario-level field instead, for a problem about the whole
        file that is best shown at a node's line (a missing content_note).
        """
        node, name = (None, field) if field is not None else node_and_field(loc)
        self.items.append(Diagnostic(self.file, self.lines.line(loc), code, node, name, message))


# --- small helpers for messages -------------------------------------------------------


def _short(value: Any, width: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _suggest(word: Any, options: Iterable[str]) -> str:
    if not isinstance(word, str):
        return ""
    options = list(options)
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not match:
        match = [o for o in options if o.lower() == word.lower()]
    return f" (did you mean {match[0]!r}?)" if match else ""


def _listing(options: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(options[:limit])
    return shown + (f", ... ({len(options)} in all)" if len(options) > limit else "")


_TYPE_WORDS = {
    str: "text",
    int: "an integer",
    float: "a number",
    bool: "a boolean",
    dict: "a mapping",
    list: "a list",
    type(None): "nothing (null)",
}


_EXPECTED = {
    "dictionary": "a mapping",
    "integer": "an integer",
    "boolean": "true or false",
    "string": "text",
    "list": "a list",
}


def _type_word(value: Any) -> str:
    return _TYPE_WORDS.get(type(value), type(value).__name__)


# --- schema (CL010-CL013) ---------------------------------------------------------------


def _model_at(parent: Loc) -> type[Any] | None:
    if not parent:
        return Scenario
    if len(parent) == 2 and parent[0] == "nodes":
        return Node
    if len(parent) == 4 and parent[0] == "nodes" and parent[2] == "choices":
        return Choice
    return None


_PATTERN_HELP = {
    "id": "a slug: lowercase letters, digits and single hyphens, e.g. ca-tarasoff-ex-partner",
    "node": "a node id: letters, digits, '-', '_' or '.', starting with a letter or digit",
}


def check_schema(data: dict[str, Any], report: Report) -> Scenario | None:
    """Validate the whole file against ``Scenario``; report every error with its line."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc: Loc = tuple(part for part in err["loc"] if part != "[key]")
            if err["type"] == "missing" and loc == ("start",):
                continue  # the graph check reports it as CL040, with the node ids to use
            code, message = _describe_schema_error(dict(err), loc)
            report.add(code, loc, message)
    return None


def _describe_schema_error(err: dict[str, Any], loc: Loc) -> tuple[str, str]:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    name = str(loc[-1]) if loc else "file"
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        return "CL010", (
            f"unknown field {name!r}{_suggest(name, allowed)}; allowed here: "
            f"{', '.join(allowed)}; fix the spelling or remove it"
        )
    if kind == "missing":
        return "CL011", f"required field {name!r} missing; add `{name}: ...`"
    if kind == "literal_error":
        allowed = re.findall(r"'(.*?)'", str(ctx.get("expected", "")))
        return "CL013", (
            f"{_short(value)} is not allowed{_suggest(value, allowed)}; "
            f"allowed values: {ctx.get('expected')}"
        )
    if kind == "string_pattern_mismatch":
        what = _PATTERN_HELP["id" if loc == ("id",) else "node"]
        return "CL012", f"{_short(value)} is not {what}; rename it"
    if kind in ("greater_than_equal", "less_than_equal"):
        bounds = {"difficulty": "1 (intro) to 3 (hard)", "minutes": "1 to 60"}
        return "CL012", f"{_short(value)} is out of range; use {bounds.get(name, err['msg'])}"
    if kind == "too_short":
        return "CL012", f"needs at least {ctx.get('min_length', 1)} item(s); add one"
    if kind == "value_error":
        message = err["msg"].removeprefix("Value error, ")
        return "CL012", f"{message}; write some text or remove the field"
    if kind.endswith("_type") or kind in ("int_from_float", "model_type"):
        wanted = err["msg"].removeprefix("Input should be ").removeprefix("a valid ")
        expected = _EXPECTED.get(wanted.split()[0], wanted)
        quoted = isinstance(value, str) and expected in ("an integer", "true or false")
        fix = "remove the quotes" if quoted else f"write {expected} here"
        return "CL012", f"expected {expected}, got {_type_word(value)} {_short(value)}; {fix}"
    return "CL012", f"{err['msg']} (got {_short(value)}); see scenarios/README.md"


# --- facts, actions, jurisdictions (CL020-CL022) -----------------------------------------

_ENGINE_PART = re.compile(r"^(?:facts|action)(?:\.(?P<field>[\w.]+))?: (?P<what>.*)$", re.S)


def split_engine_error(message: str, prefix: str) -> list[tuple[Loc, str]]:
    """Split an ``InvalidInput`` message ("facts.victim: ...; facts.x: ...") per field.

    The engine joins its per-field problems with "; " and each starts with
    ``prefix.field:``; what it says about a field may itself contain "; ".
    """
    out: list[tuple[Loc, str]] = []
    for part in re.split(rf"; (?={prefix}[.:])", message):
        match = _ENGINE_PART.match(part)
        if not match:
            out.append(((), part))
            continue
        loc: Loc = tuple(
            int(seg) if seg.isdigit() else seg for seg in (match["field"] or "").split(".") if seg
        )
        what = match["what"]
        inner = re.match(r"Value error, (\w+): (.*)", what, re.S)
        if inner:
            loc, what = loc or (inner[1],), inner[2]
        out.append((loc, what.removeprefix("Value error, ")))
    return out


def _known_codes() -> list[str]:
    return list(load_profiles())


def _jurisdiction_message(code: Any) -> str:
    known = _known_codes()
    guess = _suggest(code.upper() if isinstance(code, str) else code, known)
    if not guess and isinstance(code, str) and f"US-{code.upper()}" in known:
        guess = f" (did you mean 'US-{code.upper()}'?)"
    return (
        f"unknown jurisdiction {_short(code)}{guess}; use MODEL or a code such as US-CA, "
        f"US-NY, US-TX (`python -m engine jurisdictions` lists all)"
    )


def check_vocabulary(data: dict[str, Any], report: Report) -> set[str]:
    """Check facts and actions with the engine's own parsers, and every jurisdiction.

    Returns the ids of the nodes the engine cannot score (bad facts, action or
    jurisdiction), so the engine checks skip them.
    """
    bad: set[str] = set()
    jurisdiction = data.get("jurisdiction", "MODEL")
    if isinstance(jurisdiction, str) and jurisdiction not in _known_codes():
        report.add("CL022", ("jurisdiction",), _jurisdiction_message(jurisdiction))
    profession = data.get("profession")
    defaults = default_facts(
        jurisdiction if isinstance(jurisdiction, str) else "MODEL",
        profession if profession in PROFESSIONS else None,
    )
    for node_id, node in _raw_nodes(data):
        facts = node.get("facts")
        if isinstance(facts, dict):
            merged = {**defaults, **facts}
            try:
                parse_facts(merged)
            except InvalidInput as exc:
                bad.add(node_id)
                for loc, what in split_engine_error(str(exc), "facts"):
                    where = ("nodes", node_id, "facts", *loc)
                    report.add("CL020", where, f"{what}; see ENGINE_CONTRACT.md, Facts")
            code = merged.get("jurisdiction")
            if "jurisdiction" in facts and isinstance(code, str) and code not in _known_codes():
                bad.add(node_id)
                where = ("nodes", node_id, "facts", "jurisdiction")
                report.add("CL022", where, _jurisdiction_message(code))
        for index, choice in _raw_choices(node):
            action = choice.get("action")
            if not isinstance(action, dict):
                continue  # a missing or non-mapping action is a schema error
            try:
                parse_action(action)
            except InvalidInput as exc:
                bad.add(node_id)
                for loc, what in split_engine_error(str(exc), "action"):
                    where = ("nodes", node_id, "choices", index, "action", *loc)
                    report.add("CL021", where, f"{what}; see ENGINE_CONTRACT.md, Action")
    return bad


# --- graph (CL040-CL048) -------------------------------------------------------------------


def _raw_nodes(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    nodes = data.get("nodes")
    if not isinstance(nodes, dict):
        return []
    return [(k, v) for k, v in nodes.items() if isinstance(k, str) and isinstance(v, dict)]


def _raw_choices(node: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    choices = node.get("choices")
    if not isinstance(choices, list):
        return []
    return [(i, c) for i, c in enumerate(choices) if isinstance(c, dict)]


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
    raw = dict(_raw_nodes(data))
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
                        f"next {target!r} names no node{_suggest(target, ids)}; "
                        f"use one of: {_listing(ids)}"
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
                f"({_listing(graph.ids) or 'the file has no nodes yet'})"
            ),
        )
    elif isinstance(start, str) and start not in graph.edges:
        report.add(
            "CL040",
            ("start",),
            (
                f"start {start!r} names no node{_suggest(start, graph.ids)}; "
                f"use one of: {_listing(graph.ids) or '(no nodes yet)'}"
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
                    f"{_listing(trapped, 5)} (a cycle with no way out); give one of them a "
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
    for node_id, node in _raw_nodes(data):
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


# --- engine (CL050-CL053) ---------------------------------------------------------------


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


# --- the whole file, and the command -----------------------------------------------------


def check_file(
    path: str, data: dict[str, Any], lines: Lines
) -> tuple[Scenario | None, list[Diagnostic]]:
    """Every single-file check; the scenario too when it passed the schema."""
    report = Report(path, lines)
    scenario = check_schema(data, report)
    unscorable = check_vocabulary(data, report)
    check_graph(data, report)
    check_content_note(data, report)
    file_id = data.get("id")
    stem = Path(path).stem
    if isinstance(file_id, str) and file_id != stem:
        report.add(
            "CL031",
            ("id",),
            (
                f"id {file_id!r} differs from the file name {Path(path).name!r}; rename the "
                f"file to {file_id}.yaml or set `id: {stem}`"
            ),
        )
    if scenario is not None and not any(d.code == "CL022" and d.node is None for d in report.items):
        check_engine(scenario, unscorable, report)
    return scenario, sorted(report.items, key=lambda d: (d.line, d.code))


def summary(files: int, diagnostics: Sequence[Diagnostic]) -> str:
    """``3 problems in 2 of 37 files; 35 files valid`` or ``37 files valid, no problems``."""
    broken = len({d.file for d in diagnostics})
    files = max(files, broken)
    if not diagnostics:
        return f"{files} file{'s' if files != 1 else ''} valid, no problems"
    problems = f"{len(diagnostics)} problem{'s' if len(diagnostics) != 1 else ''}"
    valid = max(files - broken, 0)
    return f"{problems} in {broken} of {files} files; {valid} file{'s' if valid != 1 else ''} valid"


def run_validate(paths: list[str]) -> int:
    """``python -m engine validate``: print the diagnostics and a summary; exit 0 or 1."""
    from engine.scenarios.loader import load_paths  # loader imports this module

    bank = load_paths(paths or ["scenarios"])
    for diagnostic in bank.diagnostics:
        sys.stdout.write(diagnostic.format() + "\n")
    sys.stdout.write(summary(len(bank.files), bank.diagnostics) + "\n")
    return 1 if bank.diagnostics else 0
