"""Read scenario files safely, keep line numbers, and load a folder into a ``Bank``.

Why this shape:

* Safe loading only: PyYAML's ``SafeLoader`` (its C version when available) composes the
  file into nodes that carry line marks, and its safe constructor builds plain data.
  Python tags (``!!python/object``) are refused by construction, never executed.
* Line numbers come from the composed nodes, so every diagnostic points at the key an
  author must edit (``LineMap``).
* Hostile files are bounded before anything walks them: a size cap, a nesting cap, and no
  anchors/aliases (a "billion laughs" file expands exponentially through aliases).
* One broken file never stops the others: each file's problems are collected, the
  valid files go into ``Bank.scenarios``, the broken ones into ``Bank.broken_files``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.scenarios.check_cues import Audit, audit_bank
from engine.scenarios.diagnostics import Diagnostic, Loc, node_and_field
from engine.scenarios.schema import Scenario
from engine.scenarios.validate import check_file
from engine.vocabulary import CATEGORIES

MAX_BYTES = 1_000_000  # a vignette is a few kilobytes
MIN_BANK = 10  # the cue audit's shares mean something only over a bank, not two files
MAX_DEPTH = 32  # a vignette nests about six levels deep
SUFFIXES = (".yaml", ".yml")

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The tags the safe constructor builds; any other (``!!python/object``, ``!custom``) is
# refused before construction, with its line.
SAFE_TAGS = frozenset(tag for tag in yaml.SafeLoader.yaml_constructors if tag is not None)


class LineMap:
    """Maps a path in the data (``('nodes', 'x', 'choices', 0)``) to its 1-based line.

    A mapping entry maps to the line of its key (where the author reads the field's
    name); a list item to the line where it starts. A path that is not in the file (a
    missing field) falls back to the nearest enclosing entry.
    """

    def __init__(self, first_line: int = 1) -> None:
        self.first_line = first_line
        self.lines: dict[tuple[str | int, ...], int] = {}

    def line(self, loc: Iterable[Any]) -> int:
        found, current = self.first_line, ()
        for part in loc:
            for key in (part, str(part)):
                if (*current, key) in self.lines:
                    current = (*current, key)
                    found = self.lines[current]
                    break
            else:
                break
        return found


@dataclass(frozen=True)
class Source:
    """A file read as plain data, with its line map."""

    path: str
    data: dict[str, Any]
    lines: LineMap


@dataclass
class Bank:
    """The vignettes the app may show, and the problems of the files it may not."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    broken_files: dict[str, list[Diagnostic]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    # files that parse as a scenario but fail a later check: for authors' tools (the
    # branch map of a vignette with an unreachable node), never for learners
    drafts: dict[str, Scenario] = field(default_factory=dict)
    # the cue audit over the valid vignettes (only when asked for: it scores every
    # combination of ticks at every decision)
    audit: Audit | None = None


def _problem(path: str, line: int, code: str, message: str, loc: Loc = ()) -> Diagnostic:
    node, field = node_and_field(loc)
    return Diagnostic(path, line, code, node, field, message)


_ALIAS = "anchors and aliases (&name, *name) are not allowed; write the value out"
_DUPLICATE = "duplicate key {key!r}: YAML keeps only the last one; remove or rename one"
_DEEP = f"nested more than {MAX_DEPTH} levels deep; a vignette needs about six"
_TAG = (
    "the tag {tag!r} is not allowed; scenario files are plain YAML (mappings, lists, text, "
    "numbers, booleans): remove the tag"
)


def _walk(root: yaml.Node, path: str) -> tuple[LineMap, list[Diagnostic], Diagnostic | None]:
    """Line numbers and duplicate keys of a composed file; a fatal problem stops the file.

    Iterative, in document order, each node visited once, so neither depth nor aliases
    can make it blow up: a node met a second time is an alias (after its anchor).
    """
    lines = LineMap(root.start_mark.line + 1)
    duplicates: list[Diagnostic] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Loc, int]] = [(root, (), lines.first_line)]
    while stack:
        node, loc, line = stack.pop()
        fatal = None
        if id(node) in seen:
            fatal = ("CL005", _ALIAS)
        elif node.tag not in SAFE_TAGS:
            fatal = ("CL003", _TAG.format(tag=node.tag.replace("tag:yaml.org,2002:", "!!")))
        elif len(loc) > MAX_DEPTH:
            fatal, loc = ("CL005", _DEEP), loc[:4]
        if fatal:
            return lines, duplicates, _problem(path, line, fatal[0], fatal[1], loc)
        seen.add(id(node))
        children: list[tuple[yaml.Node, Loc, int]] = []
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):  # a complex key: refused later
                    children.append((key_node, loc, key_line))
                    continue
                key = key_node.value
                if key in keys and key != "<<":
                    duplicates.append(
                        _problem(path, key_line, "CL004", _DUPLICATE.format(key=key), (*loc, key))
                    )
                keys.add(key)
                lines.lines.setdefault((*loc, key), key_line)
                children.append((value_node, (*loc, key), key_line))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines.lines[(*loc, index)] = item.start_mark.line + 1
                children.append((item, (*loc, index), item.start_mark.line + 1))
        stack.extend(reversed(children))
    return lines, duplicates, None


def read_source(path: Path, shown: str | None = None) -> tuple[Source | None, list[Diagnostic]]:
    """Read one file as plain data with line numbers, or say why it cannot be read."""
    name = shown or str(path)
    if not path.is_file():
        return None, [_problem(name, 1, "CL005", "not a regular file; pass a .yaml file")]
    try:
        with path.open("rb") as handle:  # bounded read: never more than the cap
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [_problem(name, 1, "CL005", f"cannot read: {exc.strerror or exc}")]
    if len(raw) > MAX_BYTES:
        return None, [
            _problem(name, 1, "CL005", f"file larger than {MAX_BYTES} bytes; split the vignette")
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [_problem(name, line, "CL005", "not UTF-8 text; save the file as UTF-8")]
    loader = _SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is None or (isinstance(root, yaml.ScalarNode) and root.value == ""):
            return None, [
                _problem(
                    name,
                    1,
                    "CL002",
                    (
                        "empty file; a scenario starts with `id:`, `title:` ... (see scenarios/README.md)"
                    ),
                )
            ]
        lines, problems, fatal = _walk(root, name)
        if fatal is not None:
            return None, [fatal]
        if not isinstance(root, yaml.MappingNode):
            kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
            return None, [
                _problem(
                    name,
                    root.start_mark.line + 1,
                    "CL002",
                    (
                        f"the top level is {kind}, not a mapping; a scenario is a mapping that "
                        "starts with `id:`, `title:` ... (see scenarios/README.md)"
                    ),
                )
            ]
        data = loader.construct_document(root)
    except yaml.constructor.ConstructorError as exc:
        return None, [
            _problem(
                name,
                _mark_line(exc),
                "CL003",
                (
                    f"{exc.problem}; scenario files are plain YAML: mappings with text keys, "
                    "lists, text, numbers, booleans"
                ),
            )
        ]
    except yaml.YAMLError as exc:
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        detail = f"{what} ({context})" if context else what
        return None, [
            _problem(
                name,
                _mark_line(exc, text),
                "CL001",
                (
                    f"YAML syntax error: {detail}; fix the YAML at this line (indentation, a "
                    "missing ':', an unclosed quote or bracket)"
                ),
            )
        ]
    except RecursionError:
        return None, [_problem(name, 1, "CL005", "nested too deeply to read; flatten the file")]
    finally:
        loader.dispose()
    if not isinstance(data, dict):  # e.g. a top-level mapping merged into something odd
        return None, [_problem(name, 1, "CL002", "the top level is not a mapping")]
    return Source(name, data, lines), problems


def _mark_line(exc: yaml.YAMLError, text: str = "") -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return int(mark.line) + 1
    position = getattr(exc, "position", None)  # ReaderError: a bad character
    if isinstance(position, int):
        return text[:position].count("\n") + 1
    return 1


def _expand(paths: Sequence[str | Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Folders become their ``*.yaml``/``*.yml`` files (not recursive); files stay as given."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
            if not found:
                problems.append(
                    _problem(
                        str(entry),
                        0,
                        "CL006",
                        (
                            "no scenario files (*.yaml) in this folder; add a vignette or pass the "
                            "right folder"
                        ),
                    )
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(
                _problem(str(entry), 0, "CL005", ("no such file or folder; check the path"))
            )
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values()), problems


def _duplicate_ids(ids: dict[str, list[tuple[str, Source]]]) -> list[Diagnostic]:
    """An id claimed by several files: the file named after it keeps it; the rest are told."""
    out: list[Diagnostic] = []
    for scenario_id, claims in ids.items():
        if len(claims) < 2:
            continue
        owner = next((c for c in claims if Path(c[0]).stem == scenario_id), claims[0])
        for path, source in claims:
            if path == owner[0]:
                continue
            out.append(
                Diagnostic(
                    path,
                    source.lines.line(("id",)),
                    "CL030",
                    None,
                    "id",
                    f"id {scenario_id!r} is also used by {owner[0]}; ids are unique across the "
                    "bank: rename this vignette (and its file)",
                )
            )
    return out


def _sort_key(scenario: Scenario) -> tuple[int, str, str]:
    return (CATEGORIES.index(scenario.category), scenario.title.casefold(), scenario.id)


def load_paths(paths: Sequence[str | Path], audit: bool = False) -> Bank:
    """Check every file under ``paths``; the valid ones become the bank's scenarios.

    ``audit``: also run the bank-level cue audit (CL060-CL065), reported against the
    first folder given, when there are at least ``MIN_BANK`` valid vignettes (its shares
    and averages say nothing about two files).
    """
    files, problems = _expand(paths)
    bank = Bank(files=[str(p) for p in files] + [d.file for d in problems])
    parsed: dict[str, Scenario] = {}
    ids: dict[str, list[tuple[str, Source]]] = {}
    for file in files:
        source, file_problems = read_source(file)
        problems.extend(file_problems)
        if source is None:
            continue
        scenario, found = check_file(source.path, source.data, source.lines)
        problems.extend(found)
        if isinstance(source.data.get("id"), str):
            ids.setdefault(source.data["id"], []).append((source.path, source))
        if scenario is not None:
            parsed[source.path] = scenario
    problems.extend(_duplicate_ids(ids))
    bank.diagnostics = sorted(problems, key=lambda d: (d.file, d.line, d.code))
    for diagnostic in bank.diagnostics:
        bank.broken_files.setdefault(diagnostic.file, []).append(diagnostic)
    for path, scenario in sorted(parsed.items(), key=lambda item: _sort_key(item[1])):
        target = bank.drafts if path in bank.broken_files else bank.scenarios
        target.setdefault(scenario.id, scenario)
    if audit and len(bank.scenarios) >= MIN_BANK:
        _audit(bank, paths)
    return bank


def _audit(bank: Bank, paths: Sequence[str | Path]) -> None:
    """The cue audit over the valid vignettes; its problems are the bank's diagnostics."""
    bank.audit = audit_bank(bank.scenarios.values())
    where = next((str(p) for p in paths if Path(p).is_dir()), str(paths[0]) if paths else ".")
    found = [
        Diagnostic(where, 0, code, None, None, message) for code, message in bank.audit.problems()
    ]
    bank.diagnostics.extend(found)
    for diagnostic in found:
        bank.broken_files.setdefault(diagnostic.file, []).append(diagnostic)


def load_bank(folder: str | Path = "scenarios") -> Bank:
    """The app's entry point: every valid vignette in ``folder``, and the broken files."""
    return load_paths([folder])
