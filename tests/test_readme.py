"""The README's two commands are the project's promise; keep them true and in step with CI."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert first_block, "README must open with a bash block"
    return [
        line.strip()
        for line in first_block.group(1).splitlines()
        if line.strip() and not line.startswith("#")
    ]


def test_readme_opens_with_run_app_and_run_tests() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    run_app, run_tests = commands
    assert "requirements.txt" in run_app and "streamlit run app.py" in run_app
    assert "pytest" in run_tests
    assert (
        (ROOT / "README.md")
        .read_text(encoding="utf-8")
        .startswith("# Confidentiality Lab\n\n```bash")
    )


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_requirements_are_pinned() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{name}: {line} is not pinned"
