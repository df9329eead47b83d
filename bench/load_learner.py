"""One simulated learner: vignettes played through the Play page, with time to think.

A learner opens a vignette's link (``/?learner=CODE&scenario=ID``, the link an instructor
shares), presses Begin, and at each decision picks an option and ticks some steps after
thinking, reads the feedback for a while, presses Continue, and at the end opens the
debrief, then goes back to Home by the debrief's link and picks another vignette there,
in the same tab (one Streamlit session per learner, as in a browser), until the run's
time is up. A learner of ``skill`` 0.7 picks the option the engine scores best, with the
steps the law asks for, at 70% of decisions (so most play a vignette through, as a class
does; the bank's wrong options mostly end it at once), and a random option with random
ticks otherwise. What it records is what a person would notice: how long from Submit to
the feedback, how long until the choice was saved (Continue appears only then), and
anything that went wrong.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from bench.load_client import Element, Run, Tab, TabError
from engine.scenarios import Scenario
from engine.words import STEP_LABELS
from ui.text import as_text

BEGIN = "Begin the vignette"
DECIDE = "What do you do?"
SUBMIT = "Submit my decision"
RETRY = "Retry saving my choice"
ANOTHER = "Choose another vignette"
PICK = "Or go straight to any vignette"
SAVED_LABELS = frozenset({"Continue", "See the debrief"})
"""Buttons the Play page draws only once the choice is saved (ui/play_view.py)."""


def is_feedback(element: Element) -> bool:
    """The verdict alert: "**Best choice** (100 points)" (ui/feedback.py)."""
    return element.kind == "alert" and " points)" in element.text


def is_saved(element: Element) -> bool:
    return element.kind == "button" and element.label in SAVED_LABELS


WATCH = {"feedback": is_feedback, "saved": is_saved}


@dataclass(frozen=True)
class Outcome:
    """One choice a learner made and what the page told them about it.

    ``status``: ``confirmed`` (Continue drawn: saved), ``reported`` (the page said it
    was not saved), or ``unknown`` (the tab lost the server before either).
    """

    code: str
    attempt_id: str
    step: int
    status: str
    feedback_seen: bool


@dataclass
class Tally:
    """What a group of learners did and saw; shared by the learners of one phase."""

    feedback_ms: list[float] = field(default_factory=list)
    saved_ms: list[float] = field(default_factory=list)
    choices_made: int = 0
    choices_confirmed: int = 0
    """Choices the learner saw confirmed as saved (Continue drawn)."""
    errors: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    vignettes_finished: int = 0
    outcomes: list[Outcome] = field(default_factory=list)


class Deadline:
    """When learners stop starting new choices: a time, and optionally a condition that
    must also hold (enough choices for a stable p95), up to a hard limit."""

    def __init__(
        self,
        seconds: float,
        *,
        also: Callable[[], bool] | None = None,
        limit: float | None = None,
    ) -> None:
        now = time.monotonic()
        self.at = now + seconds
        self.limit = now + (limit if limit is not None else seconds)
        self.also = also

    def passed(self) -> bool:
        now = time.monotonic()
        if now >= self.limit:
            return True
        return now >= self.at and (self.also is None or self.also())

    def end_now(self) -> None:
        self.at = self.limit = time.monotonic()


@dataclass(frozen=True)
class Think:
    """Seconds a learner spends reading before each click, drawn uniformly."""

    low: float
    high: float

    async def pause(self, rng: random.Random) -> None:
        await asyncio.sleep(rng.uniform(self.low, self.high))


class Learner:
    """Plays vignettes until its :class:`Deadline`; records what it saw into ``tally``."""

    def __init__(
        self,
        base_url: str,
        code: str,
        scenarios: Mapping[str, Scenario],
        think: Think,
        tally: Tally,
        *,
        seed: int,
        skill: float = 0.7,
        retries: int = 1,
        headers: Mapping[str, str] | None = None,
        timeout: float = 60.0,
    ) -> None:
        self.base_url = base_url
        self.code = code
        self.scenarios = scenarios
        self.scenario_ids = sorted(scenarios)
        self.skill = skill
        self.retries = retries
        self.think = think
        self.tally = tally
        self.rng = random.Random(seed)
        self.headers = dict(headers or {})
        self.timeout = timeout
        tally.codes.append(code)

    async def run(self, deadline: Deadline, start_within: float = 0.0) -> None:
        """Play until the deadline; a start spread over ``start_within`` seconds.

        One tab for the whole visit, as a person keeps one: the first vignette from its
        link, the next ones through the debrief's "Choose another vignette" and Home's
        vignette picker. A tab that failed is closed and the learner opens a new one.
        """
        await asyncio.sleep(self.rng.uniform(0, start_within))
        tab: Tab | None = None
        last: Run | None = None
        try:
            while not deadline.passed():
                scenario_id = self.rng.choice(self.scenario_ids)
                try:
                    if tab is None or last is None:
                        if tab is not None:
                            await tab.close()
                        tab = Tab(
                            self.base_url,
                            f"learner={self.code}&scenario={scenario_id}",
                            timeout=self.timeout,
                            headers=self.headers,
                        )
                        run = await tab.open()
                    else:
                        run = await self.pick_next(tab, last, scenario_id)
                    last = await self.vignette(tab, run, self.scenarios[scenario_id], deadline)
                except TabError as exc:
                    self.tally.errors.append(f"{scenario_id}: {exc}")
                    last = None
                    await self.think.pause(self.rng)
        finally:
            if tab is not None:
                await tab.close()

    async def pick_next(self, tab: Tab, debrief: Run, scenario_id: str) -> Run:
        """From a debrief to the next vignette's start panel, the way a person goes."""
        link = next((e for e in debrief.all("page_link") if e.label == ANOTHER), None)
        if link is None:
            raise TabError("no link back to the vignettes on the debrief")
        home = await tab.follow(link)
        self.check(home, "home")
        picker = home.find("selectbox", PICK)
        title = self.scenarios[scenario_id].title
        if picker is None or title not in picker.proto.options:
            raise TabError("the vignette is not in Home's picker")
        await self.think.pause(self.rng)
        picked = await tab.change(picker, title)
        start = picked.find("button", "Start")
        if start is None:
            raise TabError("no Start button on Home")
        return await tab.click(start, [(picker, title)])

    async def vignette(
        self, tab: Tab, run: Run, scenario: Scenario, deadline: Deadline
    ) -> Run | None:
        """Play one vignette from its start panel; the debrief's run if it got there."""
        self.check(run, "page load")
        begin = run.find("button", BEGIN)
        if begin is None:
            raise TabError("no Begin button on the vignette's start panel")
        await self.think.pause(self.rng)
        run = await tab.click(begin)
        self.check(run, "begin")
        attempt_id = parse_qs(tab.query_string).get("attempt", [""])[0]
        node_id = scenario.start
        step = 0
        while not deadline.passed():
            radio = run.find("radio", DECIDE)
            if radio is None:
                raise TabError("no decision on the page")
            await self.think.pause(self.rng)
            if deadline.passed():
                return None
            run, node_id = await self.decide(tab, run, radio, scenario, node_id, (attempt_id, step))
            step += 1
            onward = run.find("button", "Continue") or run.find("button", "See the debrief")
            if onward is None:
                return None  # the save failed even after a retry; counted as an error
            await self.think.pause(self.rng)
            run = await tab.click(onward)
            self.check(run, "continue")
            if onward.label == "See the debrief":
                self.tally.vignettes_finished += 1
                await self.think.pause(self.rng)
                return run
        return None

    def pick(self, scenario: Scenario, node_id: str, options: list[str]) -> tuple[int, set[str]]:
        """The choice's index in the node and the step labels to tick."""
        labels = [as_text(choice.label) for choice in scenario.nodes[node_id].choices]
        if self.rng.random() < self.skill and sorted(labels) == sorted(options):
            index = best_option(scenario, node_id)
            wanted = {STEP_LABELS[s] for s in scenario.ideal_steps(node_id) if s in STEP_LABELS}
            return index, wanted
        label = self.rng.choice(options)
        ticked = {STEP_LABELS[s] for s in scenario.checklist(node_id) if self.rng.random() < 0.5}
        return (labels.index(label) if label in labels else -1), ticked

    async def decide(
        self,
        tab: Tab,
        run: Run,
        radio: Element,
        scenario: Scenario,
        node_id: str,
        where: tuple[str, int],
    ) -> tuple[Run, str]:
        """Choose an option and some steps, submit, and wait for the saved feedback
        (pressing Retry up to ``retries`` times if the save failed); returns the last run
        and the node the choice leads to. ``where`` is (attempt id, step)."""
        if node_id not in scenario.nodes:
            raise TabError("the learner lost track of the vignette")
        index, ticked = self.pick(scenario, node_id, list(radio.proto.options))
        if index < 0:
            raise TabError("the options on the page are not the node's")
        choice = scenario.nodes[node_id].choices[index]
        pending = submit_choice(tab, run, as_text(choice.label), ticked)
        self.tally.choices_made += 1
        run = await self.outcome(tab, pending, where)
        feedback = run.ms("feedback")
        if feedback is None:
            self.check(run, "submit")
            self.record(where, "reported" if run.failures() else "unknown", False)
            raise TabError("no feedback after Submit")
        self.tally.feedback_ms.append(feedback)
        if run.ms("saved") is not None:
            self.tally.saved_ms.append(run.ms("saved") or 0.0)
        tries = 0
        while run.ms("saved") is None:
            self.check(run, "save")  # the failure the learner saw
            retry = run.find("button", RETRY)
            if not run.failures():
                self.tally.errors.append("submit: neither saved nor a failure shown")
            if retry is None or tries == self.retries:
                self.record(where, "reported" if run.failures() else "unknown", True)
                return run, choice.next
            tries += 1
            await self.think.pause(self.rng)
            run = await self.outcome(tab, tab.click(retry, (), WATCH), where, seen=True)
        self.tally.choices_confirmed += 1
        self.record(where, "confirmed", True)
        return run, choice.next

    async def outcome(
        self, tab: Tab, pending: Any, where: tuple[str, int], *, seen: bool = False
    ) -> Run:
        """Await a Submit or Retry; a lost tab leaves the choice's fate unknown (noting
        whether its feedback had reached the tab before the connection went)."""
        try:
            return await pending
        except TabError:
            arrived = tab.last is not None and "feedback" in tab.last.marks
            self.record(where, "unknown", seen or arrived)
            raise

    def record(self, where: tuple[str, int], status: str, seen: bool) -> None:
        attempt_id, step = where
        self.tally.outcomes.append(Outcome(self.code, attempt_id, step, status, seen))

    def check(self, run: Run, step: str) -> None:
        for failure in run.failures():
            self.tally.errors.append(f"{step}: {failure}")


def submit_choice(tab: Tab, run: Run, label: str, ticked: set[str]) -> Awaitable[Run]:
    """Submit the decision form ``run`` drew: the option ``label``, the boxes whose
    labels are in ``ticked``; the result waits for the feedback and the save."""
    radio = run.find("radio", DECIDE)
    submit = next(
        (b for b in run.all("button") if b.label == SUBMIT and b.proto.is_form_submitter), None
    )
    if radio is None or submit is None:
        raise TabError("no decision form on the page")
    if label not in radio.proto.options:
        raise TabError("that option is not on the page")
    values: list[tuple[Element, bool | str]] = [(radio, label)]
    for box in run.all("checkbox"):
        if box.proto.form_id == radio.proto.form_id:
            values.append((box, box.label in ticked))
    return tab.click(submit, values, WATCH)


_BEST: dict[tuple[str, str], int] = {}


def best_option(scenario: Scenario, node_id: str) -> int:
    """The option the engine scores highest for its act (cached: the bank is fixed)."""
    key = (scenario.id, node_id)
    if key not in _BEST:
        node = scenario.nodes[node_id]
        _BEST[key] = max(
            range(len(node.choices)), key=lambda i: scenario.score_choice(node_id, i).points
        )
    return _BEST[key]
