"""The Explorer's server time: the map (52 rulings in one render) and the counterfactual
search, against the floor of 52 ``engine.rule`` calls measured in the same run.

Not a test: it prints numbers and asserts nothing. On facts sampled from the whole fact
space (seeded, so every run uses the same ones, each facts object new to the caches) it
measures, cold (the ruling cache cleared first, as for a case nobody has looked at yet):

(a) the floor: one ``engine.rule`` call per profile, 52 in all;
(b) the map's engine work: ``engine.explore.compare`` (the same 52 rulings, as rows);
(c) the map's figure: ``ui.explorer_map.map_figure`` and the JSON ``st.plotly_chart`` sends;
(d) server time of one run of the whole Explorer page (AppTest) after the facts change,
    and of a rerun with the same facts (warm), with a bare one-title page for scale;
(e) the counterfactual search for one state: ``counterfactuals(facts, code)`` for each of
    the 52 profiles, with the number of neighbouring cases it ruled.

Goals (the explorer issue): the map and the counterfactuals under 300 ms server time.

    .venv/bin/python bench/explorer_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import plotly.io  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

import engine  # noqa: E402
from engine.core import _rule  # noqa: E402
from engine.explore import compare, counterfactuals, situation_fields  # noqa: E402
from engine.facts import FACT_MODELS  # noqa: E402
from ui.explorer_map import map_figure  # noqa: E402

PAGE = ROOT / "ui" / "pages" / "explorer.py"
CODES = list(engine.load_profiles())
GOAL_MS = 300


def sample(n: int, situations: tuple[str, ...] = tuple(FACT_MODELS), seed: int = 1) -> list:
    """``n`` facts objects the engine accepts, spread over ``situations``."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    while len(out) < n:
        situation = situations[len(out) % len(situations)]
        facts = {"situation": situation}
        facts.update({k: rng.choice(v) for k, v in situation_fields(situation).items()})
        try:
            engine.rule(facts)
        except engine.InvalidInput:
            continue
        if facts not in out:
            out.append(facts)
    return out


def cold(action: Callable[[], object]) -> float:
    """Milliseconds for ``action`` with every ruling computed afresh."""
    _rule.cache_clear()
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def stats(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return statistics.median(ordered), p95, ordered[-1]


def engine_and_figure(runs: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"floor": [], "compare": [], "figure": [], "map": []}
    map_figure(compare(sample(1)[0]), "US-CA")  # warm imports and plotly's validators
    for facts in sample(runs, seed=2):
        out["floor"].append(cold(lambda f=facts: [engine.rule(f, code) for code in CODES]))
        out["compare"].append(cold(lambda f=facts: compare(f)))
        rows = compare(facts)
        start = time.perf_counter()
        plotly.io.to_json(map_figure(rows, "US-CA"), validate=False)
        out["figure"].append((time.perf_counter() - start) * 1000)
        out["map"].append(out["compare"][-1] + out["figure"][-1])
    return out


def page_runs(runs: int) -> dict[str, list[float]]:
    """AppTest: the Explorer after its facts change (cold), and rerun unchanged (warm)."""
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.run()
    at.selectbox(key="explorer_jurisdiction").set_value("US-CA")
    at.selectbox(key="explorer_compare").set_value("US-TX")
    at.run()
    bare = AppTest.from_string("import streamlit as st\nst.title('Bare page')", default_timeout=60)
    bare.run()
    out: dict[str, list[float]] = {"new facts": [], "same facts": [], "bare": []}
    for facts in sample(runs, situations=("threat_to_others",), seed=3):
        for name, value in facts.items():
            if name == "situation":
                continue
            key = (
                "explore_profession"
                if name == "profession"
                else f"explore_threat_to_others__{name}"
            )
            widget = at.checkbox(key=key) if isinstance(value, bool) else at.selectbox(key=key)
            widget.set_value(value)
        _rule.cache_clear()  # the facts are new, so the page's own caches miss too
        start = time.perf_counter()
        at.run()
        out["new facts"].append((time.perf_counter() - start) * 1000)
        assert not at.exception and at.get("plotly_chart"), "the map was not drawn"
        start = time.perf_counter()
        at.run()
        out["same facts"].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        bare.run()
        out["bare"].append((time.perf_counter() - start) * 1000)
    return out


def counterfactual_runs(per_situation: int) -> tuple[dict[str, list[float]], list[int]]:
    """Cold counterfactual search for every profile on sampled facts, by situation."""
    times: dict[str, list[float]] = {}
    tried: list[int] = []
    for facts in sample(per_situation * len(FACT_MODELS), seed=4):
        neighbours = sum(len(v) - 1 for v in situation_fields(facts["situation"]).values())
        for code in CODES:
            times.setdefault(facts["situation"], []).append(
                cold(lambda f=facts, c=code: counterfactuals(f, c))
            )
            tried.append(neighbours + 1)
    return times, tried


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="facts objects per measurement")
    args = parser.parse_args()

    parts = engine_and_figure(args.runs)
    pages = page_runs(args.runs)
    cf_times, tried = counterfactual_runs(max(1, args.runs // 6))
    floor = statistics.median(parts["floor"])

    print(f"Explorer server time; {args.runs} facts objects each, cold caches unless noted")
    print(f"{'':48}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}{'x floor':>9}")

    def line(label: str, samples: list[float]) -> None:
        median, p95, top = stats(samples)
        print(f"{label:48}{median:>10.1f}{p95:>9.1f}{top:>9.1f}{median / floor:>9.1f}")

    line("floor: 52 engine.rule calls", parts["floor"])
    line("compare(): the 52 rulings as rows", parts["compare"])
    line("map figure and its JSON", parts["figure"])
    line("map: compare + figure", parts["map"])
    line("Explorer page run, new facts (AppTest)", pages["new facts"])
    line("Explorer page rerun, same facts (AppTest)", pages["same facts"])
    line("bare one-title page run (AppTest), for scale", pages["bare"])
    every = [t for samples in cf_times.values() for t in samples]
    line("counterfactuals, one state (all situations)", every)
    for situation, samples in cf_times.items():
        line(f"  {situation}", samples)
    print(
        f"counterfactual search rules {min(tried)}-{max(tried)} cases per state "
        f"(median {statistics.median(tried):.0f})"
    )
    print(f"goals: the map and the counterfactuals under {GOAL_MS} ms server time")


if __name__ == "__main__":
    main()
