"""How much the app costs over a bare Streamlit page with the same widgets.

Not a test: it prints numbers and asserts nothing. In one run it measures
(a) AppTest: one decision (an option, its steps ticked, submit) on the Play page vs
    bench/bare_page.py, which has the same widgets: a radio, the step checklist, a
    submit button;
(b) headless Chromium: page load to the first choice visible, and submit click to
    feedback, against `streamlit run app.py` vs `streamlit run bench/bare_page.py`.
Medians of N runs each; the goals are (a) at most 2x, (b) load at most 1.3x and
click to feedback at most 1.5x.

    .venv/bin/python bench/app_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from engine.scenarios import load_bank  # noqa: E402
from engine.scenarios.paths import best_path  # noqa: E402
from engine.words import STEP_LABELS  # noqa: E402
from storage import Store, make_engine, new_learner_code  # noqa: E402
from tests.app.live import launch_chromium, streamlit_server  # noqa: E402

BARE = ROOT / "bench" / "bare_page.py"
APP = ROOT / "app.py"
GOALS = {"apptest": 2.0, "load": 1.3, "feedback": 1.5}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def vignette():
    bank = load_bank(ROOT / "scenarios")
    scenario = next(iter(bank.scenarios.values()))
    return scenario, best_path(scenario)[0][1]


def ideal_steps() -> tuple[str, ...]:
    scenario, _ = vignette()
    return scenario.ideal_steps(scenario.start)


def new_attempts(url: str, learner: str, n: int) -> list[str]:
    """Fresh attempts at their first decision, one per measured run."""
    scenario, _ = vignette()
    store = Store(make_engine(url))
    return [
        store.start_attempt(
            learner, scenario.id, scenario.jurisdiction, scenario.category, scenario.start
        )
        for _ in range(n)
    ]


# --- (a) AppTest -------------------------------------------------------------------------


def apptest_step(runs: int) -> tuple[float, float]:
    """Median time of one choose-and-submit run: the Play page vs the bare page."""
    _, index = vignette()
    learner = new_learner_code()
    attempts = new_attempts(os.environ["DATABASE_URL"], learner, runs + 1)

    def ours(attempt_id: str) -> float:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params.update(learner=learner, attempt=attempt_id)
        at.run()
        at.switch_page("ui/pages/play.py").run()
        at.radio(key="choice").set_value(index)
        for step in ideal_steps():
            at.checkbox(key=f"step_{step}").check()
        seconds = timed(lambda: at.button(key="submit").click().run())
        assert not at.exception and at.button(key="continue"), "ours: no feedback"
        return seconds

    def bare() -> float:
        at = AppTest.from_file(str(BARE), default_timeout=60).run()
        at.radio(key="choice").set_value(1)
        for step in ideal_steps():
            at.checkbox(key=f"step_{step}").check()
        seconds = timed(lambda: at.button(key="submit").click().run())
        assert at.success, "bare: no result"
        return seconds

    ours(attempts[-1])
    bare()  # warm both (imports, caches)
    app_times, bare_times = [], []
    for attempt_id in attempts[:runs]:  # interleaved, so both see the same machine load
        app_times.append(ours(attempt_id))
        bare_times.append(bare())
    return median_ms(app_times), median_ms(bare_times)


# --- (b) Chromium ------------------------------------------------------------------------


# Timestamps are taken in the page (performance.now(), from navigation start), by a
# MutationObserver: Playwright's own waits poll at growing intervals (up to 500 ms),
# which would blur differences of a few hundred milliseconds.
OBSERVER = """
window.__marks = {};
new MutationObserver(() => {
  const marks = window.__marks, now = performance.now();
  for (const [name, selector, text] of window.__targets || []) {
    if (marks[name]) continue;
    for (const node of document.querySelectorAll(selector)) {
      if (node.textContent.includes(text) && node.getClientRects().length) {
        marks[name] = now;
        break;
      }
    }
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
document.addEventListener("click", () => { window.__marks.click = performance.now(); }, true);
"""


def browser_steps(
    page: Page, url: str, option: str, feedback: str, steps: list[str]
) -> tuple[float, float]:
    """(navigation start -> first choice visible, submit click -> feedback visible), s."""
    targets = [
        ["choice", "[data-testid=stForm] label", option],
        ["feedback", "[data-testid=stMain] p", feedback],
    ]
    page.add_init_script(f"window.__targets = {targets!r};" + OBSERVER)
    page.goto(url)
    page.wait_for_function("window.__marks.choice")
    loaded = page.evaluate("window.__marks.choice")
    page.get_by_test_id("stForm").get_by_text(option, exact=True).click()
    for label in steps:
        page.get_by_test_id("stForm").get_by_text(label, exact=True).click()
    page.evaluate("delete window.__marks.click")
    page.get_by_role("button", name="Submit my decision").click()
    page.wait_for_function("window.__marks.feedback")
    clicked = page.evaluate("window.__marks.feedback - window.__marks.click")
    return loaded / 1000, clicked / 1000


def chromium_steps(runs: int, folder: Path) -> dict[str, tuple[float, float]]:
    scenario, index = vignette()
    label = scenario.nodes[scenario.start].choices[index].label
    result = scenario.score_choice(scenario.start, index)
    ticks = [STEP_LABELS[s] for s in ideal_steps()]
    learner = new_learner_code()
    url = f"sqlite:///{folder}/chromium.db"
    attempts = new_attempts(url, learner, runs + 1)
    env = {"DATABASE_URL": url}
    out: dict[str, tuple[float, float]] = {}
    with (
        streamlit_server(APP, env, log=folder / "app.log") as app_url,
        streamlit_server(BARE, env, log=folder / "bare.log") as bare_url,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        samples: dict[str, list[tuple[float, float]]] = {"ours": [], "bare": []}
        for n, attempt_id in enumerate(attempts):
            for name, target, option, feedback in (
                ("ours", f"{app_url}/?learner={learner}&attempt={attempt_id}", label,
                 f"({result.points} points)"),
                ("bare", f"{bare_url}/", "Warn the victim and call the police", "(100 points)"),
            ):  # fmt: skip
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.set_default_timeout(30_000)
                measured = browser_steps(page, target, option, feedback, ticks)
                page.close()
                if n:  # the first round warms the servers and the browser
                    samples[name].append(measured)
        browser.close()
    for name, values in samples.items():
        out[name] = (median_ms([v[0] for v in values]), median_ms([v[1] for v in values]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="measured runs per case")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/apptest.db"
        ours_a, bare_a = apptest_step(args.runs * 3)  # cheap and noisy: more runs
        browser = chromium_steps(args.runs, folder)
    rows = [
        ("(a) AppTest choose+submit", ours_a, bare_a, GOALS["apptest"]),
        ("(b) load -> first choice", browser["ours"][0], browser["bare"][0], GOALS["load"]),
        ("(b) submit -> feedback", browser["ours"][1], browser["bare"][1], GOALS["feedback"]),
    ]
    print(f"median of {args.runs} runs each")
    print(f"{'measure':<28}{'ours ms':>10}{'bare ms':>10}{'ratio':>8}{'goal':>7}  ")
    for name, ours, bare, goal in rows:
        ratio = ours / bare
        verdict = "ok" if ratio <= goal else "OVER"
        print(f"{name:<28}{ours:>10.1f}{bare:>10.1f}{ratio:>7.2f}x{goal:>6.1f}x  {verdict}")


if __name__ == "__main__":
    main()
