"""What a class did, aggregated in the database: the numbers behind the class dashboard.

A cohort of 1,000 learners can hold a million shared choices; loading them all into
pandas on every page run is what made the learner's Progress page slow, so the heavy
lifting here is four GROUP BY queries over the cohort's shared rows only
(``storage.cohorts.shared_choices_query``), each returning a small frame:

* ``items``: choices per learner, decision, option, jurisdiction and verdict (points
  summed): the item analysis, the category scores and the learners who need help;
* ``steps``: choices per decision and set of ticked steps: the checklist half of each
  decision, analysed apart from the act;
* ``days``: choices and points per day: the weekly trend;
* ``progress``: per learner and assigned vignette, finished attempts, the best finished
  score and the last activity of an unfinished one: completion and stalled work.

The pure functions in ``storage.class_analysis`` turn these into the dashboard's tables;
``bench/class_bench.py`` times both against a pandas group-by floor.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, Select, Subquery, case, func, select

from storage.cohorts import Cohort, shared_choices_query
from storage.schema import choices, memberships

ITEM_COLUMNS = [
    "pseudonym",
    "scenario_id",
    "node_id",
    "category",
    "jurisdiction",
    "choice_index",
    "verdict",
    "choices",
    "points",
]
STEP_COLUMNS = ["scenario_id", "node_id", "jurisdiction", "steps", "choices"]
DAY_COLUMNS = ["day", "choices", "points"]
PROGRESS_COLUMNS = [
    "pseudonym",
    "scenario_id",
    "finished",
    "best_percent",
    "unfinished",
    "last_unfinished_at",
]


@dataclass(frozen=True)
class ClassData:
    """A cohort's shared work in aggregate, plus who its members are."""

    items: pd.DataFrame
    steps: pd.DataFrame
    days: pd.DataFrame
    progress: pd.DataFrame
    members: pd.DataFrame  # pseudonym, display_name, consented_at, left_at

    @property
    def empty(self) -> bool:
        return self.items.empty


def _shared(cohort: Cohort) -> Subquery:
    """The cohort's shared choices at its assigned vignettes, as a subquery."""
    query = shared_choices_query(cohort.cohort_id).where(choices.c.scenario_id.in_(cohort.assigned))
    return query.subquery("shared")


def _frame(engine: Engine, query: Select, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def item_query(cohort: Cohort) -> Select:
    s = _shared(cohort)
    keys = [
        s.c.pseudonym,
        s.c.scenario_id,
        s.c.node_id,
        s.c.category,
        s.c.jurisdiction,
        s.c.choice_index,
        s.c.verdict,
    ]
    return select(*keys, func.count(), func.sum(s.c.points)).group_by(*keys)


def step_query(cohort: Cohort) -> Select:
    s = _shared(cohort)
    keys = [s.c.scenario_id, s.c.node_id, s.c.jurisdiction, s.c.steps]
    return select(*keys, func.count()).where(s.c.steps.is_not(None)).group_by(*keys)


def day_query(cohort: Cohort) -> Select:
    s = _shared(cohort)
    day = func.date(s.c.made_at)
    return select(day, func.count(), func.sum(s.c.points)).group_by(day)


def progress_query(cohort: Cohort) -> Select:
    """Per member and assigned vignette: finished attempts, best finished percent, and
    unfinished attempts with their last activity (an attempt's percent is the mean
    points of its choices, as on the learner's Progress page)."""
    s = _shared(cohort)
    per_attempt = (
        select(
            s.c.pseudonym,
            s.c.scenario_id,
            s.c.attempt_id,
            s.c.finished_at,
            func.avg(s.c.points).label("percent"),
            func.max(s.c.made_at).label("last_at"),
        )
        .group_by(s.c.pseudonym, s.c.scenario_id, s.c.attempt_id, s.c.finished_at)
        .subquery("per_attempt")
    )
    a = per_attempt.c
    done = a.finished_at.is_not(None)
    return select(
        a.pseudonym,
        a.scenario_id,
        func.sum(case((done, 1), else_=0)),
        func.max(case((done, a.percent), else_=None)),
        func.sum(case((done, 0), else_=1)),
        func.max(case((done, None), else_=a.last_at)),
    ).group_by(a.pseudonym, a.scenario_id)


def members_query(cohort: Cohort) -> Select:
    return (
        select(
            memberships.c.pseudonym,
            memberships.c.display_name,
            memberships.c.consented_at,
            memberships.c.left_at,
        )
        .where(memberships.c.cohort_id == cohort.cohort_id)
        .order_by(memberships.c.consented_at)
    )


def load_class_data(engine: Engine, cohort: Cohort) -> ClassData:
    """The cohort's aggregates. The caller checked that the instructor owns ``cohort``
    (``Cohorts.instructor_cohort``); this reads only that cohort's rows."""
    items = _frame(engine, item_query(cohort), ITEM_COLUMNS)
    steps = _frame(engine, step_query(cohort), STEP_COLUMNS)
    days = _frame(engine, day_query(cohort), DAY_COLUMNS)
    progress = _frame(engine, progress_query(cohort), PROGRESS_COLUMNS)
    members = _frame(
        engine, members_query(cohort), ["pseudonym", "display_name", "consented_at", "left_at"]
    )
    for name in ("choices", "points", "choice_index"):
        items[name] = pd.to_numeric(items[name]).astype("int64")
    steps["choices"] = pd.to_numeric(steps["choices"]).astype("int64")
    days["day"] = pd.to_datetime(days["day"].astype(str))
    for name in ("choices", "points"):
        days[name] = pd.to_numeric(days[name]).astype("int64")
    for name in ("finished", "unfinished"):
        progress[name] = pd.to_numeric(progress[name]).astype("int64")
    progress["best_percent"] = pd.to_numeric(progress["best_percent"]).astype(float)
    progress["last_unfinished_at"] = pd.to_datetime(progress["last_unfinished_at"], utc=True)
    return ClassData(items=items, steps=steps, days=days, progress=progress, members=members)
