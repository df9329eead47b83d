"""A live session with 100 phones: how fast a reveal reaches the room, and what the room
costs the server and the database.

Not a test: it prints numbers and asserts nothing. One app server (``streamlit run``
on ``tests/live/live_app.py``, the app's frame with the live pages) serves a session on
a real vignette. 100 simulated participants join ``/join?code=...`` and poll it the way
the browser does: each speaks Streamlit's websocket protocol (``streamlit.proto``) and
reruns the page's polling fragment every ``--poll`` seconds, as the front end's
``run_every`` timer does. (A hundred Chromium tabs on a 2-core machine would measure
Chromium.) Votes are cast straight into the database; then, for each decision of the
vignette's best path, the facilitator's "reveal" is written (``LiveSessions.set_phase``)
and every participant's time to receive their verdict is measured, and the room is
moved on.

It prints: polls per second; database statements and transactions per second while the
room waits (counted inside the server by a SQLAlchemy hook) and per poll; the server
process's CPU; and the time from "reveal" to each participant seeing it (median, p95,
max). Goal (issue 12): p95 under 3 s with 100 participants.

    .venv/bin/python bench/live_bench.py [--participants 100] [--poll 1.5] [--db URL]

With ``TEST_DATABASE_URL`` (or ``--db``) set to a PostgreSQL URL the session lives in a
fresh schema there (dropped at the end); otherwise in a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_server import wait_healthy  # noqa: E402

APP = ROOT / "tests" / "live" / "live_app.py"
MARK_REVEAL = b"What the law required here"  # drawn only after a reveal
MARK_DECISION = "Decision {n}"
TICKS = os.sysconf("SC_CLK_TCK")


# --- the server, with a statement counter inside it --------------------------------------


def serve(port: int, count_file: str) -> None:
    """Run ``streamlit run live_app.py`` in this process, counting every SQL statement and
    commit the app's engines make, written to ``count_file`` every 0.2 s."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    counts = {"statements": 0, "commits": 0}
    lock = threading.Lock()

    def statement(*_: object) -> None:
        with lock:
            counts["statements"] += 1

    def commit(*_: object) -> None:
        with lock:
            counts["commits"] += 1

    event.listen(Engine, "before_cursor_execute", statement)
    event.listen(Engine, "commit", commit)

    def dump() -> None:
        while True:
            with lock:
                text = json.dumps(counts)
            Path(count_file + ".tmp").write_text(text)
            os.replace(count_file + ".tmp", count_file)
            time.sleep(0.2)

    threading.Thread(target=dump, daemon=True).start()
    sys.argv = [
        "streamlit", "run", str(APP),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    from streamlit.web import cli

    cli.main(prog_name="streamlit")


class Server:
    """The server subprocess: its URL, its statement counts and its CPU time."""

    def __init__(self, env: dict[str, str], folder: Path) -> None:
        from tests.app.live import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.count_file = str(folder / "counts.json")
        self.log = open(folder / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(self.port), self.count_file],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(self.url, timeout=60, process=self.process)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; see {folder / 'server.log'}") from None

    def counts(self) -> dict[str, int]:
        for _ in range(20):
            try:
                return json.loads(Path(self.count_file).read_text())
            except (OSError, ValueError):
                time.sleep(0.05)
        raise RuntimeError("no statement counts from the server")

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# --- a participant's phone, without the browser --------------------------------------------


class Phone:
    """One participant: the join page's first run, then the polling fragment's reruns
    on its ``run_every`` timer, as the front end sends them."""

    def __init__(self, base_url: str, code: str, learner: str, poll: float) -> None:
        self.ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
        self.base_url = base_url
        self.query = urlencode({"code": code, "learner": learner})
        self.learner = learner
        self.poll = poll
        self.page_hash = ""
        self.fragment_id = ""
        self.ready = asyncio.Event()
        self.polls = 0
        self.runs_finished = 0
        self.marks: dict[bytes, float] = {}  # a marker -> when this phone first saw it
        self.watching: set[bytes] = set()
        self.errors: list[str] = []
        self._ws = None

    def watch(self, marker: bytes) -> None:
        self.marks.pop(marker, None)
        self.watching.add(marker)

    def _rerun(self, fragment_id: str = "", auto: bool = False) -> bytes:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        if not self.page_hash:
            state.page_name = "join"
        state.widget_states.SetInParent()
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = auto
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base_url}/join?{self.query}"
        return msg.SerializeToString()

    async def run(self, stop: asyncio.Event) -> None:
        import websockets
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        async with websockets.connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60
        ) as ws:
            self._ws = ws
            await ws.send(self._rerun())
            poller = asyncio.create_task(self._poll(ws, stop))
            try:
                while not stop.is_set():
                    try:
                        async with asyncio.timeout(0.5):
                            data = await ws.recv()
                    except TimeoutError:
                        continue
                    now = time.monotonic()
                    raw = data if isinstance(data, bytes) else data.encode()
                    for marker in list(self.watching):
                        if marker in raw:
                            self.marks[marker] = now
                            self.watching.discard(marker)
                    msg = ForwardMsg()
                    msg.ParseFromString(raw)
                    kind = msg.WhichOneof("type")
                    if kind == "navigation":
                        self.page_hash = msg.navigation.page_script_hash
                    elif kind == "page_info_changed":
                        self.query = msg.page_info_changed.query_string or self.query
                    elif kind == "auto_rerun":
                        self.fragment_id = msg.auto_rerun.fragment_id
                    elif (
                        kind == "delta" and msg.delta.new_element.WhichOneof("type") == "exception"
                    ):
                        self.errors.append(msg.delta.new_element.exception.message)
                    elif kind == "script_finished":
                        self.runs_finished += 1
                        if self.fragment_id:
                            self.ready.set()
            finally:
                poller.cancel()

    async def _poll(self, ws, stop: asyncio.Event) -> None:  # noqa: ANN001 - a websocket
        """The front end's ``run_every`` timer: a fragment rerun every ``poll`` seconds,
        each phone on its own phase."""
        await self.ready.wait()
        await asyncio.sleep(random.uniform(0, self.poll))  # noqa: S311
        while not stop.is_set():
            await ws.send(self._rerun(self.fragment_id, auto=True))
            self.polls += 1
            await asyncio.sleep(self.poll)


# --- the measurement -------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def wait_all(phones: list[Phone], marker: bytes, since: float, limit: float) -> list[float]:
    """Seconds from ``since`` until each phone saw ``marker`` (missing phones: none)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and any(marker not in p.marks for p in phones):
        await asyncio.sleep(0.02)
    return [p.marks[marker] - since for p in phones if marker in p.marks]


async def measure(args: argparse.Namespace, url: str, server: Server) -> None:
    from engine.scenarios import load_bank
    from engine.scenarios.paths import best_path
    from storage import make_engine, new_learner_code
    from storage.live import REVEALED, LiveSessions

    bank = load_bank(ROOT / "scenarios")
    scenario = min(bank.scenarios.values(), key=lambda s: (len(best_path(s) or []) or 99, s.id))
    path = best_path(scenario)
    live = LiveSessions(make_engine(url))
    instructor = new_learner_code()
    state = live.start_session(
        instructor,
        scenario_id=scenario.id,
        jurisdiction=scenario.jurisdiction,
        start_node=scenario.start,
    )
    phones = [
        Phone(server.url, state.join_code, new_learner_code(), args.poll)
        for _ in range(args.participants)
    ]
    stop = asyncio.Event()
    tasks = []
    started = time.monotonic()
    for phone in phones:  # a room arriving over a few seconds, not in one instant
        tasks.append(asyncio.create_task(phone.run(stop)))
        await asyncio.sleep(args.arrive / args.participants)
    await asyncio.wait_for(asyncio.gather(*(p.ready.wait() for p in phones)), timeout=120)
    joined = live.counts(state.session_id, state.round_no).joined
    print(
        f"{len(phones)} phones joined “{scenario.title}” in {time.monotonic() - started:.1f} s "
        f"({joined} in the database); polling every {args.poll} s"
    )

    def vote_all(round_no: int, node_id: str) -> None:
        options = len(scenario.nodes[node_id].choices)
        for phone in phones:
            index = random.randrange(options)  # noqa: S311
            result = scenario.score_choice(node_id, index, None, ())
            live.vote(
                state.session_id,
                phone.learner,
                round_no=round_no,
                choice_index=index,
                choice_label=scenario.nodes[node_id].choices[index].label,
                steps=(),
                jurisdiction=scenario.jurisdiction,
                verdict=result.verdict,
                points=result.points,
                category=result.ruling.category if result.ruling else scenario.category,
            )

    def window(seconds: float) -> dict[str, float]:
        """Rates over a quiet stretch: the room waiting, polling."""
        before, cpu0, polls0 = server.counts(), server.cpu_seconds(), sum(p.polls for p in phones)
        t0 = time.monotonic()
        time.sleep(seconds)
        elapsed = time.monotonic() - t0
        after, cpu1, polls1 = server.counts(), server.cpu_seconds(), sum(p.polls for p in phones)
        polls = (polls1 - polls0) / elapsed
        statements = (after["statements"] - before["statements"]) / elapsed
        return {
            "polls": polls,
            "statements": statements,
            "commits": (after["commits"] - before["commits"]) / elapsed,
            "per_poll": statements / polls if polls else float("nan"),
            "cpu": 100 * (cpu1 - cpu0) / elapsed,
        }

    await asyncio.to_thread(vote_all, state.round_no, state.node_id)
    quiet = await asyncio.to_thread(window, args.window)
    print(
        f"waiting room: {quiet['polls']:.0f} polls/s, {quiet['statements']:.0f} DB statements/s "
        f"({quiet['per_poll']:.2f} a poll), {quiet['commits']:.0f} transactions/s, "
        f"server CPU {quiet['cpu']:.0f}% of one core"
    )

    latencies: list[float] = []
    moves: list[float] = []
    burst_cpu: list[float] = []
    for step, (node_id, taken, _) in enumerate(path):
        for phone in phones:
            phone.watch(MARK_REVEAL)
        cpu0 = server.cpu_seconds()
        t0 = time.monotonic()
        state = live.set_phase(instructor, state.session_id, state.version, REVEALED)
        seen = await wait_all(phones, MARK_REVEAL, t0, 30)
        burst_cpu.append(100 * (server.cpu_seconds() - cpu0) / (time.monotonic() - t0))
        missing = len(phones) - len(seen)
        latencies.extend(seen)
        print(
            f"reveal {step + 1}: every phone saw its verdict within {max(seen):.2f} s "
            f"(median {statistics.median(seen):.2f} s, p95 {percentile(seen, 0.95):.2f} s)"
            + (f"; {missing} never did" if missing else "")
        )
        next_node = scenario.nodes[node_id].choices[taken].next
        if scenario.is_ending(next_node):
            break
        marker = MARK_DECISION.format(n=step + 2).encode()
        for phone in phones:
            phone.watch(marker)
        t0 = time.monotonic()
        state = live.advance(
            instructor, state.session_id, state.version, taken_index=taken, next_node=next_node
        )
        moves.extend(await wait_all(phones, marker, t0, 30))
        # in a thread: writing 100 votes must not stall the phones' timers (and line them up)
        await asyncio.to_thread(vote_all, state.round_no, state.node_id)

    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    errors = [e for p in phones for e in p.errors]
    print()
    print(f"participants                 {len(phones)}")
    print(f"poll interval                {args.poll} s (one fragment rerun)")
    print(f"polls per second             {quiet['polls']:.1f}")
    print(
        f"DB statements per second     {quiet['statements']:.1f} "
        f"({quiet['per_poll']:.2f} per poll; transactions {quiet['commits']:.1f}/s)"
    )
    print(f"server CPU, waiting room     {quiet['cpu']:.0f}% of one core")
    print(f"server CPU, during reveals   {statistics.mean(burst_cpu):.0f}% of one core")
    print(
        f"reveal -> seen ({len(latencies)} samples)  median {statistics.median(latencies):.2f} s, "
        f"p95 {percentile(latencies, 0.95):.2f} s, max {max(latencies):.2f} s (goal: p95 < 3 s)"
    )
    if moves:
        print(
            f"next -> new decision seen    median {statistics.median(moves):.2f} s, "
            f"p95 {percentile(moves, 0.95):.2f} s"
        )
    print(f"page errors                  {len(errors)}")
    live.end(instructor, state.session_id)


def database(args: argparse.Namespace, folder: Path) -> tuple[str, Callable[[], None]]:
    """The session's database: a fresh PostgreSQL schema, or a temporary SQLite file."""
    if not args.db:
        return f"sqlite:///{folder}/live_bench.db", lambda: None
    from sqlalchemy import create_engine, text

    from storage.db import _normalise

    schema = f"live_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_normalise(args.db))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _normalise(args.db).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--poll", type=float, default=1.5, help="participant poll, seconds")
    parser.add_argument("--window", type=float, default=15.0, help="quiet window, seconds")
    parser.add_argument("--arrive", type=float, default=10.0, help="seconds for all to join")
    parser.add_argument("--db", default=os.environ.get("TEST_DATABASE_URL", ""))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="live_bench_"))
    url, drop = database(args, folder)
    print(f"database: {'PostgreSQL' if args.db else 'SQLite'}; logs in {folder}")
    env = {
        "DATABASE_URL": url,
        "CONFLAB_LIVE_POLL_SECONDS": str(args.poll),
        "CONFLAB_INSTRUCTOR_PASSCODE_HASH": "",
    }
    env.pop("CONFLAB_SCENARIOS", None)
    os.environ.pop("CONFLAB_SCENARIOS", None)
    server = Server(env, folder)
    try:
        asyncio.run(measure(args, url, server))
    finally:
        server.stop()
        drop()


if __name__ == "__main__":
    main()
