"""``python -m storage``: the administrator's demo and export, run as a subprocess the way
a scheduler runs it, against the database named by DATABASE_URL."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import REPO_ROOT
from storage.exports import ATTEMPT_EXPORT_COLUMNS, CHOICES_COLUMNS


def run(*args: str, url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "storage", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/cli.db"


def test_demo_then_export_csv_and_xapi(url: str, tmp_path: Path) -> None:
    done = run(
        "demo", "--learners", "6", "--choices", "120", "--new-cohort", "Demo", url=url, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "added 6 learners" in done.stdout and "120 choices" in done.stdout
    code = next(line.split()[-1] for line in done.stdout.splitlines() if "join code" in line)
    out = tmp_path / "out"
    done = run(
        "export", "--format", "csv", "--out", str(out), "--cohort", code, url=url, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    choices = list(
        csv.DictReader(io.StringIO((out / "choices.csv").read_text(encoding="utf-8"), newline=""))
    )
    attempts = list(
        csv.DictReader(io.StringIO((out / "attempts.csv").read_text(encoding="utf-8"), newline=""))
    )
    assert len(choices) == 120 and set(choices[0]) == set(CHOICES_COLUMNS)
    assert set(attempts[0]) == set(ATTEMPT_EXPORT_COLUMNS)
    assert sum(int(a["choices"]) for a in attempts) == 120
    assert {c["cohort"] for c in choices} == {code}
    done = run("export", "--format", "xapi", "--out", str(out), url=url, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    statements = json.loads((out / "statements.json").read_text(encoding="utf-8"))
    assert sum(s["verb"]["display"]["en-US"] == "answered" for s in statements) == 120


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("demo", "--learners", "0", "--choices", "5"), "--learners: 0 must be at least 1"),
        (("demo", "--learners", "x", "--choices", "5"), "'x' is not a whole number"),
        (("export", "--format", "pdf", "--out", "o"), "invalid choice: 'pdf'"),
        (("export", "--format", "csv"), "the following arguments are required: --out"),
        (("export", "--format", "csv", "--out", "o", "--cohort", "AB"), "'AB' is not a join code"),
        (
            ("export", "--format", "csv", "--out", "o", "--cohort", "ABCDEFG"),
            "no class has the join code ABCDEFG",
        ),
        (("lrs-send",), "no LRS configured"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    args: tuple[str, ...], says: str, url: str, tmp_path: Path
) -> None:
    done = run(*args, url=url, cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], done.stderr
    assert done.stdout == ""


def test_an_out_path_that_is_a_file_is_refused(url: str, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("keep me")
    done = run("export", "--format", "csv", "--out", str(target), url=url, cwd=tmp_path)
    assert done.returncode == 2 and "is not a folder" in done.stderr
    assert target.read_text() == "keep me"


def test_check_says_whether_the_database_is_ready(url: str, tmp_path: Path) -> None:
    missing = run("check", url=url, cwd=tmp_path)
    assert missing.returncode == 1
    assert json.loads(missing.stdout)["ok"] is False
    assert not (tmp_path / "cli.db").exists()  # a check never creates the database
    run("demo", "--learners", "1", "--choices", "3", url=url, cwd=tmp_path)
    ready = run("check", url=url, cwd=tmp_path)
    assert ready.returncode == 0, ready.stdout
    answer = json.loads(ready.stdout)
    assert answer["ok"] is True and answer["schema"] == answer["head"]
    assert "cli.db" not in ready.stdout  # never the URL
