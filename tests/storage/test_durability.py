"""Durability: many writers on one SQLite file, a server killed mid-vignette, and a
PostgreSQL server restarted under load.

What a learner is promised (README, storage/store.py): a choice shown as saved is in the
database, and one that could not be saved is shown as not saved, with Retry; the
learner's place survives a reload or a crash. These tests break things for real (other
processes, SIGKILL, a database server stopping) and then count rows.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.load_client import Run, Tab
from bench.load_learner import Deadline, Learner, Tally, Think, submit_choice
from bench.load_server import AppServer
from engine.scenarios import Scenario, load_bank
from engine.words import STEP_LABELS
from storage import StorageError, Store, learner_key, make_engine, new_learner_code
from storage.schema import attempts, choices
from tests.deploy.postgres import PrivatePostgres, why_no_private_server
from tests.deploy.vignettes import long_vignette
from ui.text import as_text

WRITERS = 8
CHOICES_EACH = 10_000
STEPS_PER_ATTEMPT = 100
"""Each attempt is a straight walk n0 -> n1 -> ... so every choice is a legal next step."""


def _write_choices(url: str, count: int) -> dict[str, object]:
    """In a fresh process: one learner saves ``count`` choices, as fast as it can.

    Returns the learner's code, how many saves succeeded, and the text of every failure
    a learner would have seen (none is allowed, "database is locked" least of all).
    """
    store = Store(make_engine(url))
    code = new_learner_code()
    saved, failures = 0, []
    attempt_id, step = "", STEPS_PER_ATTEMPT
    started = time.monotonic()
    while saved + len(failures) < count:
        try:
            if step == STEPS_PER_ATTEMPT:
                attempt_id, step = (
                    store.start_attempt(code, "durability", "US-CA", "abuse", "n0"),
                    0,
                )
            store.record_choice(
                attempt_id=attempt_id,
                learner=code,
                step=step,
                scenario_id="durability",
                jurisdiction="US-CA",
                node_id=f"n{step}",
                choice_index=step % 4,
                choice_label="Report to child protective services",
                verdict="best",
                points=100,
                category="abuse",
                next_node=f"n{step + 1}",
                steps=("document",),
            )
            saved += 1
            step += 1
        except StorageError as exc:
            failures.append(str(exc))
    store.engine.dispose()
    return {
        "code": code,
        "saved": saved,
        "failures": failures,
        "seconds": time.monotonic() - started,
    }


def test_eight_processes_writing_ten_thousand_choices_each_lose_none(tmp_path: Path) -> None:
    """Eight servers' worth of writers on one brand-new SQLite file: every choice is
    saved, in order, and no writer ever sees a failure (WAL, the busy timeout and the
    store's retries absorb the lock waits)."""
    url = f"sqlite:///{tmp_path}/eight.db"
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WRITERS) as pool:
        results = pool.starmap(_write_choices, [(url, CHOICES_EACH)] * WRITERS)
    failures = [text for result in results for text in result["failures"]]  # type: ignore[attr-defined]
    assert failures == [], f"{len(failures)} failed saves, e.g. {failures[:3]}"
    assert [result["saved"] for result in results] == [CHOICES_EACH] * WRITERS
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(choices)).scalar_one()
            walks = conn.execute(
                select(attempts.c.step, func.count()).group_by(attempts.c.step)
            ).all()
    finally:
        engine.dispose()
    assert total == WRITERS * CHOICES_EACH
    full = WRITERS * CHOICES_EACH // STEPS_PER_ATTEMPT
    assert dict(walks) == {STEPS_PER_ATTEMPT: full}  # every attempt walked to its end


# --- (b) the app server killed in the middle of a vignette ------------------------------

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 60.0


def best_submit(tab: Tab, run: Run, scenario: Scenario, node_id: str, index: int) -> object:
    """Submit the option at ``index`` of ``node_id`` with the steps the law asks for."""
    label = as_text(scenario.nodes[node_id].choices[index].label)
    ticks = {STEP_LABELS[step] for step in scenario.ideal_steps(node_id)}
    return submit_choice(tab, run, label, ticks)


def heading(run: Run) -> str:
    found = run.find("heading")
    return found.text if found else ""


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[tuple[AppServer, str]]:
    """The app on a SQLite file; stopped (or found dead) at the end whatever happens."""
    url = f"sqlite:///{tmp_path}/killed.db"
    server = AppServer({"DATABASE_URL": url}, log=tmp_path / "server.log")
    server.start()
    try:
        yield server, url
    finally:
        server.stop()


def test_a_killed_server_loses_no_saved_choice_and_the_learner_resumes_at_the_same_node(
    sqlite_server: tuple[AppServer, str],
) -> None:
    """SIGKILL while the feedback of the second decision is on screen; restarted on the
    same port, the learner's resume link opens the third decision, with both choices
    saved, and the learner goes on from there."""
    server, url = sqlite_server
    scenario, path = long_vignette()
    code = new_learner_code()

    async def before_the_crash() -> str:
        tab = Tab(server.url, f"learner={code}&scenario={scenario.id}", timeout=WAIT_S)
        run = await tab.open()
        begin = run.find("button", "Begin the vignette")
        assert begin is not None, run.failures()
        run = await tab.click(begin)
        attempt_id = tab.query_string.split("attempt=")[1].split("&")[0]
        for k in (0, 1):
            node_id, index, _ = path[k]
            run = await best_submit(tab, run, scenario, node_id, index)
            assert run.ms("feedback") is not None and run.ms("saved") is not None, run.failures()
            if k == 0:
                onward = run.find("button", "Continue")
                assert onward is not None
                run = await tab.click(onward)
        return attempt_id  # the tab is left open on the second decision's feedback

    attempt_id = asyncio.run(before_the_crash())
    server.kill()
    server.start()  # the same port: the learner's link still points here

    async def after_the_restart() -> tuple[Run, Run]:
        tab = Tab(server.url, f"learner={code}&attempt={attempt_id}", timeout=WAIT_S)
        resumed = await tab.open()
        node_id, index, _ = path[2]
        onward = await best_submit(tab, resumed, scenario, node_id, index)
        await tab.close()
        return resumed, onward

    resumed, third = asyncio.run(after_the_restart())
    assert heading(resumed) == "Decision 3"
    decision = resumed.find("radio", "What do you do?")
    assert decision is not None, resumed.failures()
    node_id = path[2][0]
    expected = {as_text(choice.label) for choice in scenario.nodes[node_id].choices}
    assert set(decision.proto.options) == expected  # the same node, not the start
    assert third.ms("saved") is not None, third.failures()
    store = Store(make_engine(url))
    try:
        saved = store.get_attempt(attempt_id, code)
    finally:
        store.engine.dispose()
    assert saved is not None
    assert saved.path == tuple((node, index) for node, index, _ in path[:3])


def test_no_choice_whose_feedback_was_shown_is_lost_to_a_crash(
    sqlite_server: tuple[AppServer, str],
) -> None:
    """The strict promise: feedback on screen means the choice is in the database.

    A database busy with another writer (a write lock held here) keeps the save waiting
    for seconds, and the server is killed while it waits. The Play page saves before it
    draws the feedback, so the learner has seen none; when it drew the feedback first
    (until 26f3ffa) this test caught a learner reading feedback for a lost choice.
    """
    server, url = sqlite_server
    scenario, path = long_vignette()
    code = new_learner_code()
    database = url.removeprefix("sqlite:///")

    async def crash_during_the_save() -> bool:
        tab = Tab(server.url, f"learner={code}&scenario={scenario.id}", timeout=WAIT_S)
        run = await tab.open()
        begin = run.find("button", "Begin the vignette")
        assert begin is not None
        run = await tab.click(begin)
        node_id, index, _ = path[0]
        lock = sqlite3.connect(database, isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")  # another writer holds the database
            pending = asyncio.ensure_future(best_submit(tab, run, scenario, node_id, index))
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and not (tab.last and "feedback" in tab.last.marks):
                await asyncio.sleep(0.01)
            shown = bool(tab.last and "feedback" in tab.last.marks)
            server.kill()
            lock.execute("ROLLBACK")
        finally:
            lock.close()
        await asyncio.gather(pending, return_exceptions=True)
        return shown

    shown = asyncio.run(crash_during_the_save())
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(func.count())
                .select_from(choices)
                .where(choices.c.learner_key == learner_key(code))
            ).scalar_one()
    finally:
        engine.dispose()
    assert not shown or rows == 1, "the learner saw feedback for a choice that was lost"


# --- (c) PostgreSQL restarted under load -----------------------------------------------


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    reason = why_no_private_server()
    if reason:
        pytest.skip(f"no private PostgreSQL server can run here: {reason}")
    server = PrivatePostgres()
    try:
        server.init().start()
        yield server
    finally:
        server.cleanup()


async def _wait_for(condition: object, what: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def test_postgres_restarting_under_load_never_drops_a_choice_silently(
    private_postgres: PrivatePostgres, tmp_path: Path
) -> None:
    """Four learners play while PostgreSQL is stopped (as a crash) and started again.

    Every choice ends confirmed (saved, perhaps after Retry) or shown as not saved;
    none is left in between; every confirmed one is in the database; and once the
    server is back the app reconnects and saves new choices.
    """
    scenarios = load_bank(ROOT / "scenarios").scenarios
    tally = Tally()
    with AppServer({"DATABASE_URL": private_postgres.url}, log=tmp_path / "server.log") as app:

        async def play() -> tuple[int, int]:
            deadline = Deadline(600)
            learners = [
                Learner(
                    app.url,
                    new_learner_code(),
                    scenarios,
                    Think(0.2, 0.6),
                    tally,
                    seed=i,
                    retries=3,
                    timeout=WAIT_S,
                )  # fmt: skip
                for i in range(4)
            ]
            playing = asyncio.gather(*(one.run(deadline) for one in learners))
            try:
                await _wait_for(lambda: tally.choices_confirmed >= 6, "choices before the stop")
                private_postgres.stop("immediate")
                failed = len(tally.errors)
                await _wait_for(
                    lambda: any("save:" in error for error in tally.errors[failed:]),
                    "a choice that could not be saved while it is down",
                )
                private_postgres.start()
                back = tally.choices_confirmed
                await _wait_for(lambda: tally.choices_confirmed >= back + 6, "saves after it")
            finally:
                deadline.end_now()
                await playing
            return failed, back

        failed, back = asyncio.run(play())

    silent = [error for error in tally.errors if "neither saved nor" in error]
    assert silent == []
    unknown = [outcome for outcome in tally.outcomes if outcome.status == "unknown"]
    assert unknown == [], "a choice whose fate the learner was never told"
    assert any("save:" in error for error in tally.errors[failed:]), (
        "no choice was made while the database was away; the test did not test that"
    )
    engine = make_engine(private_postgres.url)
    try:
        with engine.connect() as conn:
            stored = set(conn.execute(select(choices.c.attempt_id, choices.c.step)).all())
    finally:
        engine.dispose()
    confirmed = {(o.attempt_id, o.step) for o in tally.outcomes if o.status == "confirmed"}
    assert confirmed <= stored, "a choice shown as saved is missing"
    made = {(o.attempt_id, o.step) for o in tally.outcomes}
    assert stored <= made, "a row nobody made"
    assert tally.choices_confirmed >= back + 6
