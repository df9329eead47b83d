"""Schema and vocabulary checks (CL010-CL031): is each field there, spelled and typed right?

Pydantic's own error text is written for programmers ("Input should be a valid
integer"); authors need the field, what was wrong and how to fix it, so each pydantic
error is reworded here. Facts and actions are checked with the engine's own parsers, so
the validator can never accept what the engine would refuse.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.actions import parse_action
from engine.errors import InvalidInput
from engine.facts import parse_facts
from engine.profiles import load_profiles
from engine.scenarios.diagnostics import Loc, Report, short, suggest
from engine.scenarios.raw import raw_choices, raw_nodes
from engine.scenarios.schema import Choice, Node, Scenario, default_facts
from engine.vocabulary import PROFESSIONS

# --- pydantic errors in an author's words (CL010-CL013) ----------------------------------

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


def _model_at(parent: Loc) -> type[Any] | None:
    """The model whose fields are allowed at ``parent``, to list them for an unknown one."""
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
            f"unknown field {name!r}{suggest(name, allowed)}; allowed here: "
            f"{', '.join(allowed)}; fix the spelling or remove it"
        )
    if kind == "missing":
        return "CL011", f"required field {name!r} missing; add `{name}: ...`"
    if kind == "literal_error":
        allowed = re.findall(r"'(.*?)'", str(ctx.get("expected", "")))
        return "CL013", (
            f"{short(value)} is not allowed{suggest(value, allowed)}; "
            f"allowed values: {ctx.get('expected')}"
        )
    if kind == "string_pattern_mismatch":
        what = _PATTERN_HELP["id" if loc == ("id",) else "node"]
        return "CL012", f"{short(value)} is not {what}; rename it"
    if kind in ("greater_than_equal", "less_than_equal"):
        bounds = {"difficulty": "1 (intro) to 3 (hard)", "minutes": "1 to 60"}
        return "CL012", f"{short(value)} is out of range; use {bounds.get(name, err['msg'])}"
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
        return "CL012", f"expected {expected}, got {_type_word(value)} {short(value)}; {fix}"
    return "CL012", f"{err['msg']} (got {short(value)}); see scenarios/README.md"


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
    guess = suggest(code.upper() if isinstance(code, str) else code, known)
    if not guess and isinstance(code, str) and f"US-{code.upper()}" in known:
        guess = f" (did you mean 'US-{code.upper()}'?)"
    return (
        f"unknown jurisdiction {short(code)}{guess}; use MODEL or a code such as US-CA, "
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
    for node_id, node in raw_nodes(data):
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
        for index, choice in raw_choices(node):
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


# --- the file's name (CL031) --------------------------------------------------------------


def check_file_name(path: str, data: dict[str, Any], report: Report) -> None:
    """The id must match the file name, so an author can find a vignette by its id."""
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
