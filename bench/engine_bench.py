"""Benchmark: the cost of one ruling over the whole fact space, against a dict-lookup floor.

Enumerates every facts object (every situation and value combination) under every
jurisdiction profile, times ``engine.rule`` on each (cold: the ruling cache is cleared
first, so every call computes), then times a dict lookup of the same precomputed rulings
in the same run. Prints medians and the ratio; there is no pass/fail (the machines are
shared and noisy, so goals are read as ratios, not asserted as times).

    python bench/engine_bench.py                 # psychologist, all 52 profiles
    python bench/engine_bench.py --professions all --jurisdictions MODEL,US-CA,US-TX
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import engine  # noqa: E402
from engine.core import _rule  # noqa: E402
from engine.vocabulary import PROFESSIONS  # noqa: E402
from tests.engine.fact_space import valid_facts  # noqa: E402

FLOOR_SAMPLE = 200_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--professions", default="psychologist", help="comma list or 'all'")
    parser.add_argument("--jurisdictions", default="all", help="comma list or 'all'")
    args = parser.parse_args()
    professions = PROFESSIONS if args.professions == "all" else tuple(args.professions.split(","))
    codes = (
        list(engine.load_profiles())
        if args.jurisdictions == "all"
        else args.jurisdictions.split(",")
    )
    space = [
        {**facts, "jurisdiction": code} for facts in valid_facts(professions) for code in codes
    ]
    print(
        f"fact space: {len(space):,} facts objects ({len(codes)} jurisdictions, {len(professions)} professions)"
    )

    # The space is millions of dicts: keep the cyclic collector from walking them on every
    # collection (it would measure the collector, not the engine).
    gc.freeze()
    _rule.cache_clear()
    cold: list[int] = []
    precomputed: dict[tuple, engine.Ruling] = {}
    sample = space[:: max(1, len(space) // FLOOR_SAMPLE)]  # the floor needs no millions
    keep = {id(facts) for facts in sample}
    clock = time.perf_counter_ns
    for facts in space:
        start = clock()
        ruling = engine.rule(facts)
        cold.append(clock() - start)
        if id(facts) in keep:
            precomputed[tuple(sorted(facts.items()))] = ruling

    floor: list[int] = []
    for facts in sample:
        start = clock()
        _ = precomputed[tuple(sorted(facts.items()))]
        floor.append(clock() - start)

    warm: list[int] = []
    sample = space[-min(len(space), 50_000) :]  # the most recent entries are still cached
    for facts in sample:
        start = clock()
        engine.rule(facts)
        warm.append(clock() - start)

    def median_us(values: list[int]) -> float:
        return statistics.median(values) / 1000

    cold_us, warm_us, floor_us = median_us(cold), median_us(warm), median_us(floor)
    p99 = sorted(cold)[int(len(cold) * 0.99)] / 1000
    print(f"{'measure':<34}{'median µs':>12}{'x floor':>10}")
    print(f"{'rule(), computed (cache cleared)':<34}{cold_us:>12.1f}{cold_us / floor_us:>10.1f}")
    print(f"{'rule(), cached (repeat facts)':<34}{warm_us:>12.1f}{warm_us / floor_us:>10.1f}")
    print(f"{'dict lookup of precomputed (floor)':<34}{floor_us:>12.2f}{1:>10.1f}")
    print(f"p99 computed ruling: {p99:.1f} µs; goal: well under 1000 µs per ruling")


if __name__ == "__main__":
    main()
