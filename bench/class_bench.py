"""The class dashboard for a large cohort: 1,000 learners with 100,000 choices, then
1,000,000.

Not a test: it prints numbers and asserts nothing. The class is filled by
``storage.demo`` (the real bank through the real engine), in a fresh SQLite file, or in
PostgreSQL with ``--postgres URL`` (a private schema, dropped after). For each size it
measures, median of ``--runs``:

(a) aggregation: ``load_class_data`` (four GROUP BY queries over the class's rows);
(b) dashboard: (a) plus every table the dashboard and item pages compute from it
    (completion, tally, weekly trend, learners who need help, item analysis);
(c) page: one AppTest run of the instructor page with the cache cleared, the server
    time a dashboard view costs;
(floor) one pandas group-by (by decision and option) over the same rows already in
    memory: the least work any dashboard must do once.

Goals (issue 9): at most 300 ms server time at 100,000 choices and 2 s at 1,000,000.

    .venv/bin/python bench/class_bench.py [--sizes 100000,1000000] [--learners 1000]
        [--runs 5] [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from engine.scenarios import load_bank  # noqa: E402
from storage import make_engine, new_learner_code  # noqa: E402
from storage.class_analysis import (  # noqa: E402
    completion,
    item_analysis,
    needs_help,
    vignette_completion,
    weekly_trend,
)
from storage.class_report import load_class_data  # noqa: E402
from storage.cohorts import Cohorts  # noqa: E402
from storage.db import _normalise  # noqa: E402
from storage.demo import fill  # noqa: E402
from storage.passcode import hash_passcode  # noqa: E402

PASSCODE = "benchmark passcode"


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def database(postgres: str | None, folder: str) -> tuple[str, Callable[[], None]]:
    if not postgres:
        return f"sqlite:///{folder}/class.db", lambda: None
    schema = f"bench_class_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_normalise(postgres))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _normalise(postgres).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def page_run(url: str, instructor: str) -> Callable[[], object]:
    """One uncached run of the instructor page, signed in, on the class's dashboard."""
    os.environ["DATABASE_URL"] = url
    os.environ["CONFLAB_INSTRUCTOR_PASSCODE_HASH"] = hash_passcode(PASSCODE)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    at.switch_page("ui/pages/instructor.py").run()
    at.text_input[0].input(PASSCODE)
    next(b for b in at.button if b.label == "Open the instructor pages").click().run()
    at.text_input[0].input(instructor)
    next(b for b in at.button if b.label == "Use this code").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(m.label == "Choices shared" for m in at.metric), "not on the dashboard"

    def run() -> object:
        from ui.instructor.data import refresh

        refresh()
        return at.run()

    return run


def assigned_spread(bank: object) -> list[str]:
    """Two vignettes of each category: the dashboard has something in every row."""
    by_category: dict[str, list[str]] = {}
    for scenario in sorted(bank.scenarios.values(), key=lambda s: s.id):
        by_category.setdefault(scenario.category, []).append(scenario.id)
    return [sid for ids in by_category.values() for sid in ids[:2]]


def measure(url: str, bank: object, learners: int, size: int, runs: int) -> dict[str, float]:
    """Fill a class of ``learners`` with ``size`` choices at ``url`` and time it."""
    engine = make_engine(url)
    repo = Cohorts(engine)
    instructor = new_learner_code()
    cohort = repo.create_cohort(
        instructor, name="Benchmark", jurisdiction="US-CA", assigned=assigned_spread(bank)
    )
    start = time.perf_counter()
    fill(engine, bank, learner_count=learners, choice_count=size, cohort=cohort)
    filled = time.perf_counter() - start
    rows = repo.class_choices(cohort)
    titles = {sid: s.title for sid, s in bank.scenarios.items()}

    def floor() -> object:
        return rows.groupby(["scenario_id", "node_id", "choice_index"]).size()

    def aggregate() -> object:
        return load_class_data(engine, cohort)

    def dashboard() -> object:
        data = load_class_data(engine, cohort)
        completion(data, cohort)
        vignette_completion(data, cohort, titles)
        weekly_trend(data)
        needs_help(data, cohort)
        return item_analysis(data, bank.scenarios, cohort.jurisdiction)

    result = {
        "fill": filled,
        "floor": median_ms(floor, runs),
        "aggregate": median_ms(aggregate, runs),
        "dashboard": median_ms(dashboard, runs),
        "page": median_ms(page_run(url, instructor), runs),
    }
    engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", default=None)
    args = parser.parse_args()
    bank = load_bank(ROOT / "scenarios")
    print(f"backend: {'PostgreSQL' if args.postgres else 'SQLite'}; learners: {args.learners:,}")
    print(
        f"{'choices':>10} {'fill s':>7} {'floor ms':>9} {'aggregate ms':>13} "
        f"{'dashboard ms':>13} {'page ms':>9} {'page/floor':>11}"
    )
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as folder:
            url, drop = database(args.postgres, folder)
            try:
                r = measure(url, bank, args.learners, size, args.runs)
            finally:
                drop()
        print(
            f"{size:>10,} {r['fill']:>7.1f} {r['floor']:>9.1f} {r['aggregate']:>13.1f} "
            f"{r['dashboard']:>13.1f} {r['page']:>9.1f} {r['page'] / r['floor']:>10.1f}x"
        )
    print("goals: page server time <= 300 ms at 100,000 choices, <= 2,000 ms at 1,000,000")


if __name__ == "__main__":
    main()
