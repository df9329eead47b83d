"""The load test, small enough for CI: bench/load.py as anyone runs it, at N = 1 and 3.

The full table (N = 1, 25, 50, 100) is a by-hand run; this keeps the tool working and
holds the two goals that do not depend on the machine: no learner sees an error, and
every choice a learner makes is in the database.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.load_server import ROOT

KEYS = {"learners", "median_ms", "p95_ms", "errors", "choices_made", "choices_saved"}


def test_load_at_small_n_saves_every_choice_without_errors() -> None:
    command = [
        sys.executable, str(ROOT / "bench" / "load.py"),
        "--learners", "1,3",
        "--duration", "15",
        "--think", "0.3,1",
        "--min-choices", "0",
        "--json",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(done.stdout)
    assert [row["learners"] for row in rows] == [1, 3]
    for row in rows:
        assert KEYS <= set(row), row
        assert row["choices_made"] > 0, row
        assert row["errors"] == 0, done.stderr[-3000:]
        assert row["choices_saved"] == row["choices_made"], row
        assert 0 < row["median_ms"] <= row["p95_ms"], row
