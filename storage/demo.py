"""Synthetic learners who play the real bank through the real engine.

For demonstrations, for the class benchmark, and for exercising exports: every choice is
scored by the engine exactly as the app scores it, and the learners' display names
include hostile values (text a spreadsheet would run as a formula, markup, control
characters) so an export that is not safe shows it at once.

Learners differ in skill: each has a probability of choosing the best act and of ticking
exactly the steps the law asks for, so the class has strong and weak members and the
item analysis has something to discriminate. Rows are inserted in bulk (thousands per
statement), which is what makes a million choices take minutes rather than hours.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select

from engine.scenarios import Bank
from engine.scenarios.schema import Scenario
from storage import class_stats
from storage.cohorts import Cohort, Cohorts, normal_join_code
from storage.learner_code import learner_key, new_learner_code
from storage.repository import StorageError
from storage.schema import attempts, choices, learners, memberships, sharing_periods
from storage.store import join_steps

HOSTILE_NAMES = (
    '=HYPERLINK("http://example.invalid","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturned",
    "<script>alert(1)</script>",
    "**bold** [link](http://example.invalid)",
)
PLAIN_NAMES = ("Ana", "Ben", "Chidi", "Dana", "Eitan", "Fatima", "Gus", "Hana", "Ines", "Jun")
BATCH = 5_000


@dataclass(frozen=True)
class DemoResult:
    learners: int
    attempts: int
    choices: int
    cohort: Cohort | None
    instructor_code: str | None


def _walk(
    scenario: Scenario, jurisdiction: str | None, skill: float, rng: random.Random
) -> Iterator[tuple[str, int, tuple[str, ...], str, int, str]]:
    """One playthrough: (node, option, steps, verdict, points, next node) per decision."""
    jurisdiction = scenario.override_for(jurisdiction)
    node_id = scenario.start
    while not scenario.is_ending(node_id):
        node = scenario.nodes[node_id]
        scored = [scenario.score_choice(node_id, i, jurisdiction) for i in range(len(node.choices))]
        best = [i for i, s in enumerate(scored) if s.verdict == "best"] or [
            max(range(len(scored)), key=lambda i: scored[i].points)
        ]
        index = rng.choice(best) if rng.random() < skill else rng.randrange(len(node.choices))
        ideal = scenario.ideal_steps(node_id, jurisdiction)
        offered = scenario.checklist(node_id)
        steps = set(ideal)
        if rng.random() >= skill and offered:
            steps.symmetric_difference_update({rng.choice(offered)})
        ticked = tuple(s for s in offered if s in steps)
        score = scenario.score_choice(node_id, index, jurisdiction, ticked)
        next_node = node.choices[index].next
        yield node_id, index, ticked, score.verdict, score.points, next_node
        node_id = next_node


def _display_name(i: int, rng: random.Random) -> str | None:
    if i % 5 == 0:
        return HOSTILE_NAMES[(i // 5) % len(HOSTILE_NAMES)]
    if i % 5 == 4:
        return None  # display names are optional
    return f"{rng.choice(PLAIN_NAMES)} {i}"


def fill(
    engine: Engine,
    bank: Bank,
    *,
    learner_count: int,
    choice_count: int,
    cohort: Cohort | None = None,
    jurisdiction: str = "MODEL",
    seed: int = 1,
    now: datetime | None = None,
) -> DemoResult:
    """Insert ``learner_count`` learners who make about ``choice_count`` choices in all
    (whole playthroughs; the last one of some learners is left unfinished). With a
    ``cohort``, they join it with consent and play its assigned vignettes in its
    jurisdiction; without, they play the whole bank."""
    if learner_count < 1 or choice_count < 1:
        raise StorageError("Learners and choices must be at least 1.")
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    pool: Sequence[Scenario] = (
        [bank.scenarios[s] for s in cohort.assigned if s in bank.scenarios]
        if cohort
        else list(bank.scenarios.values())
    )
    if not pool:
        raise StorageError("No playable vignettes for these learners.")
    per_learner = max(1, choice_count // learner_count)
    extra = choice_count - per_learner * learner_count
    learner_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    period_rows: list[dict[str, Any]] = []
    attempt_rows: list[dict[str, Any]] = []
    choice_rows: list[dict[str, Any]] = []
    made = 0
    attempt_total = 0
    with engine.begin() as conn:
        for i in range(learner_count):
            key = learner_key(new_learner_code())
            skill = rng.uniform(0.25, 0.95)
            clock = now - timedelta(days=rng.uniform(7, 56))
            learner_rows.append({"learner_key": key, "created_at": clock})
            if cohort is not None:
                member_rows.append(
                    {
                        "cohort_id": cohort.cohort_id,
                        "learner_key": key,
                        "display_name": _display_name(i, rng),
                        "pseudonym": secrets.token_hex(8),
                        "consented_at": clock,
                        "left_at": None,
                    }
                )
                period_rows.append(
                    {
                        "cohort_id": cohort.cohort_id,
                        "learner_key": key,
                        "started_at": clock,
                        "ended_at": None,
                    }
                )
            target = per_learner + (1 if i < extra else 0)
            mine = 0
            while mine < target:
                scenario = pool[rng.randrange(len(pool))]
                law = cohort.jurisdiction_for(scenario.jurisdiction) if cohort else jurisdiction
                attempt_id = uuid.uuid4().hex
                clock += timedelta(minutes=rng.uniform(5, 600))
                started = clock
                step = 0
                node = scenario.start
                for node_id, index, ticked, verdict, points, next_node in _walk(
                    scenario, law, skill, rng
                ):
                    if mine >= target:
                        break
                    step += 1
                    mine += 1
                    clock += timedelta(seconds=rng.uniform(20, 240))
                    choice_rows.append(
                        {
                            "attempt_id": attempt_id,
                            "step": step,
                            "learner_key": key,
                            "scenario_id": scenario.id,
                            "jurisdiction": law,
                            "node_id": node_id,
                            "choice_index": index,
                            "choice_label": scenario.nodes[node_id].choices[index].label,
                            "steps": join_steps(ticked),
                            "verdict": verdict,
                            "points": points,
                            "category": scenario.category,
                            "next_node": next_node,
                            "made_at": clock,
                        }
                    )
                    node = next_node
                finished = clock if scenario.is_ending(node) else None
                attempt_total += 1
                attempt_rows.append(
                    {
                        "attempt_id": attempt_id,
                        "learner_key": key,
                        "scenario_id": scenario.id,
                        "jurisdiction": law,
                        "category": scenario.category,
                        "start_node": scenario.start,
                        "current_node": node,
                        "step": step,
                        "started_at": started,
                        "finished_at": finished,
                    }
                )
            made += mine
            if len(choice_rows) >= BATCH:
                _flush(conn, learner_rows, member_rows, period_rows, attempt_rows, choice_rows)
        _flush(conn, learner_rows, member_rows, period_rows, attempt_rows, choice_rows)
        if cohort is not None:  # bulk rows bypass the store: count them for the class
            class_stats.rebuild(conn, cohort.cohort_id)
    return DemoResult(
        learners=learner_count,
        attempts=attempt_total,
        choices=made,
        cohort=cohort,
        instructor_code=None,
    )


def _flush(conn: Any, *batches: list[dict[str, Any]]) -> None:
    """Insert and clear each batch, parents before children."""
    tables = (learners, memberships, sharing_periods, attempts, choices)
    for table, rows in zip(tables, batches, strict=True):
        if rows:
            conn.execute(insert(table), rows)
            rows.clear()


def demo_cohort(
    engine: Engine, bank: Bank, *, join_code: str | None, name: str | None
) -> tuple[Cohort | None, str | None]:
    """The cohort to fill: an existing one by join code, a new one (with a new
    instructor code, returned so it can be used to sign in), or none."""
    repo = Cohorts(engine)
    if join_code is not None:
        if normal_join_code(join_code) is None:
            raise StorageError(f"--cohort: {join_code!r} is not a join code (7 letters/digits).")
        cohort = repo.cohort_by_join_code(join_code)
        if cohort is None:
            raise StorageError(f"--cohort: no class has the join code {join_code}.")
        return cohort, None
    if name is None:
        return None, None
    instructor = new_learner_code()
    by_category: dict[str, list[str]] = {}
    for scenario in sorted(bank.scenarios.values(), key=lambda s: s.id):
        by_category.setdefault(scenario.category, []).append(scenario.id)
    # two of each category, so the dashboard has something in every row
    assigned = [sid for ids in by_category.values() for sid in ids[:2]]
    cohort = repo.create_cohort(instructor, name=name, jurisdiction="MODEL", assigned=assigned)
    return cohort, instructor


def count_rows(engine: Engine) -> dict[str, int]:
    """How many learners, attempts and choices the database holds (for the report)."""
    with engine.connect() as conn:
        return {
            table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for table in (learners, attempts, choices)
        }
