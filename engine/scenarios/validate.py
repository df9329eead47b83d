"""Check scenario files like a compiler: every problem gets a code, file, line and a fix.

This module only runs the checks in order; ``diagnostics`` holds the table of codes and
how each prints, and ``check_schema``, ``check_graph`` and ``check_engine`` the checks.

Why check on the raw mapping as well as through the pydantic model: one schema slip
(a missing title) should not hide a dangling ``next`` until the next run. The engine
checks (CL050-CL053) need a fully valid file, so they run only then.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from engine.scenarios.check_cues import check_node_cues
from engine.scenarios.check_engine import check_engine
from engine.scenarios.check_graph import check_content_note, check_graph
from engine.scenarios.check_schema import (
    check_file_name,
    check_schema,
    check_vocabulary,
    split_engine_error,
)
from engine.scenarios.diagnostics import (
    Diagnostic,
    Lines,
    Loc,
    Report,
    field_path,
    node_and_field,
    summary,
)
from engine.scenarios.schema import Scenario

# Re-exported: code outside engine/scenarios imports these from here.
__all__ = [
    "Diagnostic",
    "Lines",
    "Loc",
    "Report",
    "check_content_note",
    "check_engine",
    "check_file",
    "check_graph",
    "check_schema",
    "check_vocabulary",
    "field_path",
    "node_and_field",
    "run_validate",
    "split_engine_error",
    "summary",
]


def check_file(
    path: str, data: dict[str, Any], lines: Lines
) -> tuple[Scenario | None, list[Diagnostic]]:
    """Every single-file check; the scenario too when it passed the schema."""
    report = Report(path, lines)
    scenario = check_schema(data, report)
    unscorable = check_vocabulary(data, report)
    check_graph(data, report)
    check_content_note(data, report)
    check_file_name(path, data, report)
    # an unknown file-level jurisdiction leaves the engine nothing to score against
    if scenario is not None and not any(d.code == "CL022" and d.node is None for d in report.items):
        check_engine(scenario, unscorable, report)
    if scenario is not None:
        check_node_cues(scenario, report)
    return scenario, sorted(report.items, key=lambda d: (d.line, d.code))


def run_validate(paths: list[str]) -> int:
    """``python -m engine validate``: print the diagnostics, the cue audit's figures (when
    a folder, that is a bank, is validated) and a summary; exit 0 or 1."""
    from engine.scenarios.loader import load_paths  # loader imports this module

    paths = paths or ["scenarios"]
    bank = load_paths(paths, audit=any(Path(p).is_dir() for p in paths))
    for diagnostic in bank.diagnostics:
        sys.stdout.write(diagnostic.format() + "\n")
    for line in bank.audit.lines() if bank.audit else []:
        sys.stdout.write(line + "\n")
    sys.stdout.write(summary(len(bank.files), bank.diagnostics) + "\n")
    return 1 if bank.diagnostics else 0
