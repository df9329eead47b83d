"""Progress for learners with a short, a long and a very long history.

Not a test: it prints numbers and asserts nothing. In one run, for learners with 16,
1,000 and 100,000 saved choices (seeded straight into a SQLite store, five choices an
attempt), it measures:

(a) server time: one AppTest run of the Progress page (median of N runs), against the
    same run of a bare page with one title, as the floor;
(b) headless Chromium: navigation to the first chart drawn, to all four charts drawn,
    and the bytes the server sent over the websocket, against the bare page's load.

Goals (issue 13): all charts within 3 s of the bare page's load at 100,000 choices, and
under 1 MB sent; server time under 300 ms at 100,000 choices (issue 9).

    .venv/bin/python bench/progress_bench.py [--runs N] [--sizes 16,1000,100000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from engine.scenarios import load_bank  # noqa: E402
from storage import make_engine, new_learner_code  # noqa: E402
from storage.learner_code import learner_key  # noqa: E402
from storage.schema import attempts, choices, learners  # noqa: E402
from tests.app.live import launch_chromium, streamlit_server  # noqa: E402

APP = ROOT / "app.py"
BARE = ROOT / "bench" / "bare_page.py"
VERDICTS = [
    ("best", 100),
    ("acceptable", 70),
    ("process_error", 55),
    ("under_disclosure", 30),
    ("over_disclosure", 0),
]


def seed(url: str, size: int) -> str:
    """A learner with ``size`` choices over size/5 attempts, in one transaction."""
    code = new_learner_code()
    key = learner_key(code)
    scenarios = list(load_bank(ROOT / "scenarios").scenarios.values())
    rng = random.Random(size)
    start = datetime(2026, 1, 5, tzinfo=UTC)
    attempt_rows, choice_rows = [], []
    for n in range(max(1, size // 5)):
        scenario = scenarios[n % len(scenarios)]
        attempt_id = uuid.uuid4().hex
        when = start + timedelta(minutes=7 * n)
        jurisdiction = rng.choice(["MODEL", "US-CA", "US-TX", "US-NY", scenario.jurisdiction])
        attempt_rows.append(
            {
                "attempt_id": attempt_id,
                "learner_key": key,
                "scenario_id": scenario.id,
                "jurisdiction": jurisdiction,
                "category": scenario.category,
                "start_node": scenario.start,
                "current_node": scenario.start,
                "step": 5,
                "started_at": when,
                "finished_at": when + timedelta(minutes=6),
            }
        )
        for step in range(min(5, size - 5 * n)):
            verdict, points = rng.choice(VERDICTS)
            choice_rows.append(
                {
                    "attempt_id": attempt_id,
                    "step": step,
                    "learner_key": key,
                    "scenario_id": scenario.id,
                    "jurisdiction": jurisdiction,
                    "node_id": scenario.start,
                    "choice_index": 0,
                    "choice_label": "An option",
                    "steps": "document",
                    "verdict": verdict,
                    "points": points,
                    "category": scenario.category,
                    "next_node": scenario.start,
                    "made_at": when + timedelta(minutes=step),
                }
            )
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(learners), [{"learner_key": key, "created_at": start}])
        conn.execute(insert(attempts), attempt_rows)
        conn.execute(insert(choices), choice_rows)
    engine.dispose()
    return code


def server_ms(code: str, runs: int) -> tuple[float, float]:
    """Median AppTest run of Progress for this learner, and of the bare page."""

    def ours() -> float:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params.update(learner=code)
        at.run()
        started = time.perf_counter()
        at.switch_page("ui/pages/progress.py").run()
        elapsed = time.perf_counter() - started
        assert not at.exception and at.get("plotly_chart"), "no charts drawn"
        return elapsed

    def bare() -> float:
        at = AppTest.from_file(str(BARE), default_timeout=60)
        started = time.perf_counter()
        at.run()
        return time.perf_counter() - started

    ours(), bare()  # warm imports and caches
    app = [ours() for _ in range(runs)]
    floor = [bare() for _ in range(runs)]
    return statistics.median(app) * 1000, statistics.median(floor) * 1000


def count_websocket_bytes(page) -> list[int]:  # noqa: ANN001 - a Playwright Page
    """A one-item list the page's websocket frames from the server add their sizes to."""
    received = [0]

    def on_frame(frame: str | bytes) -> None:
        received[0] += len(frame)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return received


def browser_ms(app_url: str, bare_url: str, code: str, runs: int) -> dict[str, float]:
    """Median first chart, all charts and websocket bytes for Progress; bare page load."""
    out: dict[str, list[float]] = {"first": [], "all": [], "bytes": [], "bare": []}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for n in range(runs + 1):
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.set_default_timeout(300_000)
            received = count_websocket_bytes(page)
            started = time.perf_counter()
            page.goto(f"{app_url}/progress?learner={code}")
            charts = page.locator('[data-testid="stPlotlyChart"] .main-svg')
            charts.first.wait_for()
            first = time.perf_counter() - started
            page.wait_for_function(
                "document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= 4"
            )
            every = time.perf_counter() - started
            page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')")
            page.close()
            bare = browser.new_page(viewport={"width": 1366, "height": 900})
            started = time.perf_counter()
            bare.goto(bare_url)
            bare.get_by_role("heading", name="Bare page").wait_for()
            loaded = time.perf_counter() - started
            bare.close()
            if n:  # the first round warms the servers
                out["first"].append(first * 1000)
                out["all"].append(every * 1000)
                out["bytes"].append(received[0])
                out["bare"].append(loaded * 1000)
        browser.close()
    return {name: statistics.median(values) for name, values in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="16,1000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/progress.db"
        os.environ["DATABASE_URL"] = url
        codes = {size: seed(url, size) for size in sizes}
        with (
            streamlit_server(APP, {"DATABASE_URL": url}, log=Path(tmp) / "app.log") as app_url,
            streamlit_server(BARE, {"DATABASE_URL": url}, log=Path(tmp) / "bare.log") as bare_url,
        ):
            print(f"median of {args.runs} runs each; Progress page vs a bare page, same run")
            print(
                f"{'choices':>9}{'server ms':>11}{'bare ms':>9}{'first chart':>13}"
                f"{'all charts':>12}{'bare load':>11}{'over bare':>11}{'sent KB':>9}"
            )
            for size in sizes:
                server, floor = server_ms(codes[size], args.runs)
                seen = browser_ms(app_url, bare_url, codes[size], args.runs)
                print(
                    f"{size:>9,}{server:>11.0f}{floor:>9.0f}{seen['first']:>13.0f}"
                    f"{seen['all']:>12.0f}{seen['bare']:>11.0f}"
                    f"{seen['all'] - seen['bare']:>11.0f}{seen['bytes'] / 1024:>9.0f}"
                )
    print("goals: all charts within 3,000 ms of the bare load and under 1,024 KB sent at")
    print("100,000 choices; server time under 300 ms at 100,000 choices")


if __name__ == "__main__":
    main()
