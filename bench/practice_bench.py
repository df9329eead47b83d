"""Next-item selection for a learner with 10,000 saved practice answers.

Not a test: it prints numbers and asserts nothing. In one run, for one learner with
``--answers`` practice answers (default 10,000, seeded straight into the store, spread
over every skill with a skill level of their own), it measures (median of N runs):

(a) the floor: the same rows already in memory as a pandas frame, and one group-by
    over them (answers and answers right per skill): what any selection must at least
    read and count;
(b) next-item selection as the Practice page does it (``ui.practice_view.plan_next``):
    the latest answers per skill and the tally from the database, the Leitner pick, and
    the engine's draw of the item, with the template families already indexed; then the
    same split into its parts (database reads, the pick, the draw);
(c) a cold draw: the first item under a jurisdiction the server has not indexed yet;
(d) server time of one AppTest run of the Practice page for this learner, against the
    same run of ``bench/bare_page.py`` (a static page with the same kinds of widgets).

Goal (issue 10): (b) under 50 ms on this machine.

    .venv/bin/python bench/practice_bench.py [--runs N] [--answers N] [--url DATABASE_URL]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from engine.practice import generate  # noqa: E402
from engine.practice.generate import available_skills, draw  # noqa: E402
from engine.practice.select import CORRECT, choose_next, direction_prior  # noqa: E402
from storage import Store, make_engine, new_learner_code  # noqa: E402
from storage.learner_code import learner_key  # noqa: E402
from storage.practice import PracticeStore  # noqa: E402
from storage.schema import attempts, choices, learners, practice_items  # noqa: E402
from ui.practice_view import learner_skills, next_item, plan_next  # noqa: E402

PAGE = ROOT / "ui" / "pages" / "practice.py"
BARE = ROOT / "bench" / "bare_page.py"
JURISDICTION = "US-CA"
DISTINCT_ITEMS = 300  # real generated items, reused under fresh ids
VERDICT_POINTS = {
    "best": 100,
    "acceptable": 70,
    "process_error": 55,
    "under_disclosure": 30,
    "over_disclosure": 0,
}


def seed(url: str, answers: int) -> tuple[str, pd.DataFrame]:
    """One learner with ``answers`` practice answers, in one transaction; and the rows
    the floor reads, as a frame (category, side, verdict, position)."""
    code = new_learner_code()
    key = learner_key(code)
    rng = random.Random(answers)
    items = [draw(None, JURISDICTION, n) for n in range(DISTINCT_ITEMS)]
    level = {skill: rng.uniform(0.3, 0.95) for skill in {i.skill for i in items}}
    start = datetime(2026, 1, 5, tzinfo=UTC)
    attempt_rows, choice_rows, item_rows, floor_rows = [], [], [], []
    for n in range(answers):
        item = items[n % len(items)]
        right = rng.random() < level[item.skill]
        verdict = rng.choice(
            ["best", "acceptable"]
            if right
            else ["over_disclosure", "under_disclosure", "process_error"]
        )
        when = start + timedelta(minutes=n)
        item_id = f"{n:032x}"
        attempt_rows.append(
            {
                "attempt_id": item_id,
                "learner_key": key,
                "scenario_id": f"practice:{item.template}",
                "jurisdiction": JURISDICTION,
                "category": item.category,
                "start_node": "item",
                "current_node": "done",
                "step": 1,
                "started_at": when,
                "finished_at": when,
            }
        )
        choice_rows.append(
            {
                "attempt_id": item_id,
                "step": 0,
                "learner_key": key,
                "scenario_id": f"practice:{item.template}",
                "jurisdiction": JURISDICTION,
                "node_id": "item",
                "choice_index": 0,
                "choice_label": item.labels[0],
                "steps": "document",
                "verdict": verdict,
                "points": VERDICT_POINTS[verdict],
                "category": item.category,
                "next_node": "done",
                "made_at": when,
                "confidence": rng.choice([None, 50, 70, 90]),
            }
        )
        item_rows.append(
            {
                "attempt_id": item_id,
                "learner_key": key,
                "template": item.template,
                "seed": item.seed,
                "category": item.category,
                "side": item.skill.side,
                "verdict": verdict,
                "position": n,
                "facts": json.dumps(item.facts, sort_keys=True),
                "item": json.dumps(item.to_json(), sort_keys=True),
                "created_at": when,
            }
        )
        floor_rows.append((item.category, item.skill.side, verdict, n))
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(learners), [{"learner_key": key, "created_at": start}])
        conn.execute(insert(attempts), attempt_rows)
        conn.execute(insert(choices), choice_rows)
        conn.execute(insert(practice_items), item_rows)
    engine.dispose()
    return code, pd.DataFrame(floor_rows, columns=["category", "side", "verdict", "position"])


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def floor(frame: pd.DataFrame) -> pd.DataFrame:
    """One group-by of the learner's rows: answers and answers right per skill."""
    return (
        frame.assign(right=frame["verdict"].isin(list(CORRECT)))
        .groupby(["category", "side"])
        .agg(answers=("verdict", "size"), right=("right", "sum"))
    )


def page_ms(code: str, runs: int) -> tuple[float, float]:
    """Median AppTest run of the Practice page for this learner, and of the bare page."""

    def ours() -> None:
        at = AppTest.from_file(str(PAGE), default_timeout=120)
        at.query_params.update(learner=code, j=JURISDICTION)
        at.run()
        assert not at.exception and at.radio, "no item drawn"

    def bare() -> None:
        AppTest.from_file(str(BARE), default_timeout=60).run()

    return median_ms(ours, runs), median_ms(bare, runs)


def cold_draw_ms() -> float:
    """The first item under jurisdictions not indexed yet (families built on the way)."""
    times = []
    for code in ("US-TX", "US-NY", "US-FL", "US-MN", "US-IL"):
        generate._FAMILIES.clear()
        started = time.perf_counter()
        skill = sorted(available_skills(code))[0]
        draw(skill, code, 1)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--url", help="a database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{tmp}/practice.db"
        os.environ["DATABASE_URL"] = url
        print(f"seeding {args.answers:,} practice answers ...", flush=True)
        code, frame = seed(url, args.answers)
        engine = make_engine(url)
        db, practice = Store(engine), PracticeStore(engine)
        key = learner_key(code) or ""

        floor_ms = median_ms(lambda: floor(frame), args.runs)
        total_ms = median_ms(lambda: plan_next(db, practice, code, JURISDICTION), args.runs)
        history_ms = median_ms(lambda: learner_skills(practice, code), args.runs)
        tally_ms = median_ms(lambda: db.tally(code), args.runs)
        found, position = learner_skills(practice, code)
        prior = direction_prior(db.tally(code)[["category", "verdict", "choices"]].values)
        skills = available_skills(JURISDICTION)
        pick_ms = median_ms(
            lambda: choose_next(found, skills, position, random.Random(position), prior),
            args.runs,
        )
        item_ms = median_ms(lambda: next_item(found, prior, key, position, JURISDICTION), args.runs)
        cold_ms = cold_draw_ms()
        ours_page, bare_page = page_ms(code, max(5, args.runs // 5))
        engine.dispose()

    backend = url.split(":", 1)[0]
    print(
        f"learner with {args.answers:,} practice answers on {backend}; median of {args.runs} runs"
    )
    print(f"{'measure':<52}{'ms':>9}{'x floor':>9}")
    rows = [
        ("floor: one pandas group-by of the rows in memory", floor_ms),
        ("next item, as the Practice page picks it (goal < 50)", total_ms),
        ("  read: the latest answers per skill", history_ms),
        ("  read: the tally (direction of error, all choices)", tally_ms),
        ("  the Leitner pick", pick_ms),
        ("  the pick and the engine's draw of the item", item_ms),
        ("a cold draw (a jurisdiction not indexed yet)", cold_ms),
    ]
    for name, ms in rows:
        print(f"{name:<52}{ms:>9.2f}{ms / floor_ms:>9.1f}")
    print(
        f"Practice page, one AppTest run: {ours_page:.0f} ms server time, bare page "
        f"{bare_page:.0f} ms ({ours_page / bare_page:.1f}x)"
    )


if __name__ == "__main__":
    main()
