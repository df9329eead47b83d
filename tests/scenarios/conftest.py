"""Shared helpers: copy a valid fixture into tmp_path, break it, validate it."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from engine.scenarios.diagnostics import Diagnostic
from engine.scenarios.loader import load_paths

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid"
LINE = re.compile(
    r"^(?P<file>.+):(?P<line>\d+): (?P<code>CL\d{3}) "
    r"node (?P<node>'(?:[^']|'')*'|\S+): field (?P<field>'(?:[^']|'')*'|\S+): (?P<message>.+)$"
)


def fixture_text(name: str = "intake-basics") -> str:
    return (VALID / f"{name}.yaml").read_text(encoding="utf-8")


def replace_once(text: str, old: str, new: str) -> str:
    """A text edit that must apply exactly once, so a fixture change cannot void a test."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def edit_data(text: str, change: Callable[[dict], object]) -> str:
    """Load, change, dump: for breakages easier to say on the data than on the text."""
    data = yaml.safe_load(text)
    change(data)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write(text, name="intake-basics")`` puts a scenario file into tmp_path."""

    def _write(text: str | bytes, name: str = "intake-basics", suffix: str = ".yaml") -> Path:
        path = tmp_path / f"{name}{suffix}"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write


def diagnostics_for(path: Path) -> list[Diagnostic]:
    return load_paths([path.parent]).diagnostics


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """After the run, the bank's min/max points per vignette (if the bank tests ran)."""
    module = sys.modules.get("tests.scenarios.test_bank_paths")
    rows = getattr(module, "REPORT", None)
    if rows:
        from engine.scenarios.paths import format_report

        terminalreporter.write_sep("-", "scenario paths: total points per vignette")
        terminalreporter.write_line(format_report(rows))
