"""What a validator problem is, how it prints, and the table of every code with its fix.

Every check reports through ``Report`` so that all problems share one shape: a code,
a file, a line and a fix. ``python -m engine validate [PATH ...]`` prints one line per
problem::

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
CL054  too few options at a decision (3; 4 in      add errors real clinicians make as options
       intermediate and advanced vignettes)
CL055  an option's label names a process step      name the act only; steps are ticked
CL056  an option carries a process step            remove it; only acts may be in an option
CL057  option labels unlike in length              even them out
CL058  learner text names our research notes       cite the statute, rule, code or case
       (RULES.md, the research brief, the eCFR)
CL059  an ethics code other than the profession's  cite the clinician's own code
CL060  the best option is the longest too often    shorten best labels, lengthen the others
       (over 40% of the bank's decisions)
CL061  process words in best labels (over 10%, or  move steps to the checklist
       1.5 times the other labels' share)
CL062  a test-wise guesser beats chance by more    make wrong options as long and plausible
       than 15 points a decision
CL063  under 3.3 options per decision on average   add options
CL064  "send the whole chart" at over 15% of the   use the errors clinicians make there
       bank's decisions
CL065  ticking every box beats random ticking by   (an engine or checklist problem)
       more than 15 points with the best act
====== =========================================== ==========================================

The checks live in ``check_schema`` (CL010-CL031), ``check_graph`` (CL040-CL048),
``check_engine`` (CL050-CL053) and ``check_cues`` (CL054-CL065; the bank-level ones run
when a folder of at least 10 valid vignettes is validated, reported against the folder
at line 0); ``loader`` reports CL001-CL006 and CL030.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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


# --- small helpers for messages, shared by the checks ------------------------------------


def short(value: Any, width: int = 40) -> str:
    """A value as the author wrote it, cut so one bad value cannot flood the line."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def suggest(word: Any, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss, else ``""``: most slips are typos."""
    if not isinstance(word, str):
        return ""
    options = list(options)
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not match:
        match = [o for o in options if o.lower() == word.lower()]
    return f" (did you mean {match[0]!r}?)" if match else ""


def listing(options: Sequence[str], limit: int = 8) -> str:
    """The first few options, and how many in all, so a long list stays one line."""
    shown = ", ".join(options[:limit])
    return shown + (f", ... ({len(options)} in all)" if len(options) > limit else "")


BANK_CODES = frozenset({"CL060", "CL061", "CL062", "CL063", "CL064", "CL065"})


def summary(files: int, diagnostics: Sequence[Diagnostic]) -> str:
    """``3 problems in 2 of 37 files; 35 files valid`` or ``37 files valid, no problems``,
    with the bank's cue-audit problems counted apart (they belong to no one file)."""
    bank = sum(d.code in BANK_CODES for d in diagnostics)
    diagnostics = [d for d in diagnostics if d.code not in BANK_CODES]
    tail = f"; {bank} bank problem{'s' if bank != 1 else ''} (cue audit)" if bank else ""
    return _file_summary(files, diagnostics) + tail


def _file_summary(files: int, diagnostics: Sequence[Diagnostic]) -> str:
    broken = len({d.file for d in diagnostics})
    files = max(files, broken)
    if not diagnostics:
        return f"{files} file{'s' if files != 1 else ''} valid, no problems"
    problems = f"{len(diagnostics)} problem{'s' if len(diagnostics) != 1 else ''}"
    valid = max(files - broken, 0)
    return f"{problems} in {broken} of {files} files; {valid} file{'s' if valid != 1 else ''} valid"
