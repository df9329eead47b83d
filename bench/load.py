"""Many learners at once: the real Streamlit server, driven the way browsers drive it.

Starts ``streamlit run app.py`` (or ``--script deploy/serve.py``, the fleet's server) on a
fresh SQLite file (or ``--database-url``), warms it
with one untimed learner, then for each N in ``--learners`` runs N simulated learners
for ``--duration`` seconds. Each plays random vignettes from the bank through the Play
page over Streamlit's websocket protocol (``bench/load_client.py``), thinking for
``--think`` seconds before every click. For each N it reports the median and p95 time
from Submit to the feedback (what the learner waits for), the p95 until the choice is
saved (Continue appears), the errors a learner saw, the server's CPU and memory, and the
choices made against the rows the database holds for those learners.

    .venv/bin/python bench/load.py [--learners 1,25,50,100] [--duration 60] [--json]

Goals (issue 11): p95 at the largest N at most 3x the single-learner p95; zero errors;
every choice saved. The run exits 0 once it has measured, whatever the numbers; pass
``--check`` to exit 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.load_learner import Deadline, Learner, Tally, Think  # noqa: E402
from bench.load_server import AppServer, cpu_seconds, rss_mb  # noqa: E402
from engine.scenarios import Scenario, load_bank  # noqa: E402
from storage import learner_key, make_engine, new_learner_code  # noqa: E402
from storage.schema import choices  # noqa: E402

P95_GOAL = 3.0


@dataclass
class Phase:
    """One row of the table: N learners for the run's duration."""

    learners: int
    tally: Tally
    seconds: float
    choices_saved: int | None
    server_cpu_percent: float | None
    server_rss_mb: float | None
    client_cpu_percent: float
    machine_load: float
    """The 1-minute load average (of 2 cores here): other work skews the figures."""

    def row(self) -> dict[str, Any]:
        return {
            "learners": self.learners,
            "median_ms": _round(median(self.tally.feedback_ms)),
            "p95_ms": _round(p95(self.tally.feedback_ms)),
            "errors": len(self.tally.errors),
            "choices_made": self.tally.choices_made,
            "choices_saved": self.choices_saved,
            "saved_median_ms": _round(median(self.tally.saved_ms)),
            "saved_p95_ms": _round(p95(self.tally.saved_ms)),
            "vignettes_finished": self.tally.vignettes_finished,
            "server_cpu_percent": _round(self.server_cpu_percent),
            "server_rss_mb": _round(self.server_rss_mb),
            "client_cpu_percent": _round(self.client_cpu_percent),
            "seconds": _round(self.seconds),
            "machine_load": _round(self.machine_load),
        }


def median(samples: Sequence[float]) -> float | None:
    return statistics.median(samples) if samples else None


def p95(samples: Sequence[float]) -> float | None:
    """Nearest-rank 95th percentile: a value that was observed, even in a small sample."""
    if not samples:
        return None
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def count_saved(database_url: str, codes: Sequence[str]) -> int:
    """Rows in ``choices`` for these learners: what the database really holds."""
    engine = make_engine(database_url)
    try:
        keys = [learner_key(code) for code in codes]
        with engine.connect() as conn:
            query = select(func.count()).select_from(choices).where(choices.c.learner_key.in_(keys))
            return int(conn.execute(query).scalar_one())
    finally:
        engine.dispose()


async def sample_rss(pid: int, peak: list[float], stop: asyncio.Event) -> None:
    """The server's resident memory, every half second; keeps the peak in ``peak[0]``."""
    while not stop.is_set():
        try:
            peak[0] = max(peak[0], rss_mb(pid))
        except OSError:
            return
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except TimeoutError:
            pass


async def play(
    url: str,
    n: int,
    duration: float,
    think: Think,
    scenarios: Mapping[str, Scenario],
    seed: int,
    timeout: float,
    min_choices: int = 0,
) -> Tally:
    """N learners, started over the first think interval, until the duration is up and
    they have made ``min_choices`` (a single learner thinking for seconds makes few, and
    a p95 of four samples is their maximum), but never past five times the duration."""
    tally = Tally()
    deadline = Deadline(
        duration, also=lambda: tally.choices_made >= min_choices, limit=duration * 5
    )
    learners = [
        Learner(url, new_learner_code(), scenarios, think, tally, seed=seed + i, timeout=timeout)
        for i in range(n)
    ]
    await asyncio.gather(*(one.run(deadline, start_within=think.high) for one in learners))
    return tally


async def phase(
    url: str,
    n: int,
    args: argparse.Namespace,
    scenarios: Mapping[str, Scenario],
    pid: int | None,
) -> Phase:
    stop = asyncio.Event()
    peak = [0.0]
    sampler = asyncio.create_task(sample_rss(pid, peak, stop)) if pid else None
    cpu_before = cpu_seconds(pid) if pid else 0.0
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    tally = await play(
        url,
        n,
        args.duration,
        args.think,
        scenarios,
        args.seed * 1000 + n,
        args.timeout,
        args.min_choices,
    )
    seconds = time.monotonic() - started
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    server_cpu = (cpu_seconds(pid) - cpu_before) / seconds * 100 if pid else None
    stop.set()
    if sampler is not None:
        await sampler
    client_cpu = (
        client_after.ru_utime
        + client_after.ru_stime
        - client_before.ru_utime
        - client_before.ru_stime
    )
    saved = count_saved(args.database_url, tally.codes) if args.database_url else None
    return Phase(
        learners=n,
        tally=tally,
        seconds=seconds,
        choices_saved=saved,
        server_cpu_percent=server_cpu,
        server_rss_mb=peak[0] if pid else None,
        client_cpu_percent=client_cpu / seconds * 100,
        machine_load=max(load_before, os.getloadavg()[0]),
    )


async def measure(url: str, args: argparse.Namespace, pid: int | None) -> list[Phase]:
    scenarios = load_bank(ROOT / "scenarios").scenarios
    say(f"warming up the server at {url}")
    await play(url, 1, args.warmup, Think(0.05, 0.1), scenarios, seed=0, timeout=args.timeout)
    phases = []
    for n in args.learners:
        say(f"{n} learner(s) for {args.duration:.0f} s")
        done = await phase(url, n, args, scenarios, pid)
        row = done.row()
        say(
            f"  {row['choices_made']} choices, feedback median {row['median_ms']} ms, "
            f"p95 {row['p95_ms']} ms, {row['errors']} errors, {row['choices_saved']} saved"
        )
        for error in done.tally.errors[:5]:
            say(f"  error: {error}")
        phases.append(done)
    return phases


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- reporting -------------------------------------------------------------------------


COLUMNS = [
    ("learners", "learners", "{:>8}"),
    ("choices_made", "made", "{:>6}"),
    ("choices_saved", "saved", "{:>6}"),
    ("median_ms", "median ms", "{:>10}"),
    ("p95_ms", "p95 ms", "{:>8}"),
    ("saved_p95_ms", "saved p95", "{:>10}"),
    ("errors", "errors", "{:>7}"),
    ("server_cpu_percent", "srv CPU%", "{:>9}"),
    ("server_rss_mb", "srv MiB", "{:>8}"),
    ("client_cpu_percent", "load CPU%", "{:>10}"),
    ("seconds", "secs", "{:>6}"),
    ("machine_load", "loadavg", "{:>8}"),
]


def table(rows: list[dict[str, Any]]) -> str:
    head = "".join(fmt.format(title) for _, title, fmt in COLUMNS)
    lines = [head]
    for row in rows:
        lines.append(
            "".join(fmt.format("-" if row[key] is None else row[key]) for key, _, fmt in COLUMNS)
        )
    return "\n".join(lines)


def verdicts(rows: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """The issue's goals, each with whether this run met it."""
    out = []
    single = next((r for r in rows if r["learners"] == 1), None)
    largest = max(rows, key=lambda r: r["learners"])
    if single and largest is not single and single["p95_ms"] and largest["p95_ms"]:
        ratio = largest["p95_ms"] / single["p95_ms"]
        out.append(
            (
                f"p95 at {largest['learners']} learners is {ratio:.2f}x the single learner's "
                f"(goal at most {P95_GOAL:.0f}x)",
                ratio <= P95_GOAL,
            )
        )
    errors = sum(r["errors"] for r in rows)
    out.append((f"{errors} errors (goal 0)", errors == 0))
    lost = [r for r in rows if r["choices_saved"] != r["choices_made"]]
    out.append(
        (
            "every choice made is saved"
            if not lost
            else "choices made and saved differ at N = "
            + ", ".join(str(r["learners"]) for r in lost),
            not lost,
        )
    )
    return out


# --- command line ----------------------------------------------------------------------


def _learners(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list like 1,25,50,100") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("learner counts must be whole numbers of at least 1")
    return values


def _think(text: str) -> Think:
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not MIN,MAX seconds like 2,8") from None
    if not 0 <= low <= high:
        raise argparse.ArgumentTypeError("think time needs 0 <= MIN <= MAX")
    return Think(low, high)


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=_learners, default=[1, 25, 50, 100], help="N per phase")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase")
    parser.add_argument(
        "--think", type=_think, default=Think(2.0, 8.0), help="MIN,MAX seconds before each click"
    )
    parser.add_argument("--json", action="store_true", help="print the table as JSON only")
    parser.add_argument("--check", action="store_true", help="exit 1 if a goal is missed")
    parser.add_argument(
        "--url", help="drive this running server (or proxy) instead of starting one"
    )
    parser.add_argument("--server-pid", type=int, help="with --url: the server process to measure")
    parser.add_argument(
        "--script",
        default="app.py",
        help="what the started server runs: app.py (one classroom) or deploy/serve.py",
    )
    parser.add_argument(
        "--database-url",
        help="the server's database (default: a fresh SQLite file for a started server)",
    )
    parser.add_argument(
        "--min-choices",
        type=int,
        default=20,
        help="go on past --duration until a phase has this many choices (up to 5x)",
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="untimed seconds before")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait per click")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    with ExitStack() as stack:
        pid = args.server_pid
        url = args.url
        if url is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="conflab-load-")))
            args.database_url = args.database_url or f"sqlite:///{folder}/load.db"
            server = AppServer(
                {"DATABASE_URL": args.database_url},
                log=folder / "server.log",
                script=ROOT / args.script,
            )
            say("starting the app server")
            stack.enter_context(server)
            url, pid = server.url, server.pid
        rows = [done.row() for done in asyncio.run(measure(url, args, pid))]
    goals = verdicts(rows)
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        where = args.url or f"streamlit run {args.script}"
        print(
            f"{where}: {args.duration:.0f} s per phase (at least {args.min_choices} choices), "
            f"think {args.think.low:g}-{args.think.high:g} s"
        )
        print(table(rows))
        for text, met in goals:
            print(f"{'ok  ' if met else 'MISS'} {text}")
    return 1 if args.check and not all(met for _, met in goals) else 0


if __name__ == "__main__":
    raise SystemExit(main())
