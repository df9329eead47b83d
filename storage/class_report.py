"""What a class did, read from its running statistics: the numbers behind the class
dashboard, each already aggregated in the database.

The statistics are counted as choices are saved (``storage.class_stats``), so reading
them costs time in proportion to the class's size, however many choices its members
have made; and every query here groups them further, so what crosses to Python is a few
thousand rows even for a class of 1,000 (the dashboard needs no row per learner and
decision). The frames:

* ``learner_categories``: per member and category: answers and points (who needs help,
  and the ranking for discrimination);
* ``items``: per decision: learners, answers, full-credit answers;
* ``item_groups``: per decision and group (the top and bottom 27% of learners by mean
  points): learners and their mean score at the decision (the discrimination index);
* ``options``, ``steps``: per decision, jurisdiction and option (or set of ticked
  steps): how often;
* ``tally``: per category, jurisdiction and verdict: choices and points (the learner
  Progress tally's shape, so the same charts draw both);
* ``days``: choices and points per day;
* ``progress``: per member and assigned vignette: finished attempts, the best finished
  score, open attempts and the last activity of an open one.

``storage.class_analysis`` turns these into the dashboard's tables; ``bench/class_bench.py``
times both against a pandas group-by floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import (
    Connection,
    Engine,
    Row,
    Select,
    String,
    Table,
    and_,
    case,
    func,
    literal,
    select,
    type_coerce,
)

from storage.cohorts import Cohort
from storage.schema import (
    class_days,
    class_learner_items,
    class_options,
    class_progress,
    class_steps,
    class_tally,
    memberships,
)

GROUP_SHARE = 0.27
"""The upper and lower groups of the discrimination index: 27% each (Kelley 1939)."""

LEARNER_CATEGORY_COLUMNS = ["pseudonym", "category", "answers", "points"]
ITEM_COLUMNS = ["scenario_id", "node_id", "learners", "answers", "best"]
GROUP_COLUMNS = ["scenario_id", "node_id", "group", "learners", "score"]
OPTION_COLUMNS = ["scenario_id", "node_id", "jurisdiction", "choice_index", "answers"]
STEP_COLUMNS = ["scenario_id", "node_id", "jurisdiction", "steps", "answers"]
TALLY_COLUMNS = ["category", "jurisdiction", "verdict", "choices", "points"]
DAY_COLUMNS = ["day", "choices", "points"]
PROGRESS_COLUMNS = [
    "pseudonym",
    "scenario_id",
    "finished",
    "best_percent",
    "unfinished",
    "last_unfinished_at",
]
MEMBER_COLUMNS = ["pseudonym", "display_name", "left"]


@dataclass(frozen=True)
class ClassData:
    """A cohort's shared work in aggregate, plus who its members are."""

    learner_categories: pd.DataFrame
    items: pd.DataFrame
    item_groups: pd.DataFrame
    options: pd.DataFrame
    steps: pd.DataFrame
    tally: pd.DataFrame
    days: pd.DataFrame
    progress: pd.DataFrame
    members: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.items.empty


def _by_member(table: Table, cohort: Cohort, *columns: Any) -> Select:
    """A stats table keyed by learner, with the member's pseudonym in place of the
    learner key (which never leaves this module), for the cohort's assigned vignettes."""
    return (
        select(*columns)
        .join_from(
            table,
            memberships,
            and_(
                memberships.c.cohort_id == table.c.cohort_id,
                memberships.c.learner_key == table.c.learner_key,
            ),
        )
        .where(table.c.cohort_id == cohort.cohort_id, table.c.scenario_id.in_(cohort.assigned))
    )


def learner_category_query(cohort: Cohort) -> Select:
    t = class_learner_items
    return _by_member(
        t,
        cohort,
        memberships.c.pseudonym,
        t.c.category,
        func.sum(t.c.answers),
        func.sum(t.c.points),
    ).group_by(memberships.c.pseudonym, t.c.category)


def item_query(cohort: Cohort) -> Select:
    t = class_learner_items
    return (
        select(
            t.c.scenario_id,
            t.c.node_id,
            func.count(),
            func.sum(t.c.answers),
            func.sum(t.c.best),
        )
        .where(t.c.cohort_id == cohort.cohort_id, t.c.scenario_id.in_(cohort.assigned))
        .group_by(t.c.scenario_id, t.c.node_id)
    )


def item_group_query(cohort: Cohort, upper: list[str], lower: list[str]) -> Select:
    """Per decision, the upper and lower groups' learners and mean score (points per
    answer, out of 1): the two halves of the discrimination index."""
    t = class_learner_items
    group = case(
        (memberships.c.pseudonym.in_(upper), literal("upper")),
        (memberships.c.pseudonym.in_(lower), literal("lower")),
        else_=literal(""),
    ).label("grp")
    score = t.c.points * 1.0 / t.c.answers / 100
    inner = _by_member(t, cohort, t.c.scenario_id, t.c.node_id, group, score.label("score"))
    rows = inner.subquery("grouped")
    return (
        select(rows.c.scenario_id, rows.c.node_id, rows.c.grp, func.count(), func.avg(rows.c.score))
        .where(rows.c.grp != "")
        .group_by(rows.c.scenario_id, rows.c.node_id, rows.c.grp)
    )


def option_query(cohort: Cohort) -> Select:
    t = class_options
    return select(
        t.c.scenario_id, t.c.node_id, t.c.jurisdiction, t.c.choice_index, t.c.answers
    ).where(t.c.cohort_id == cohort.cohort_id, t.c.scenario_id.in_(cohort.assigned))


def step_query(cohort: Cohort) -> Select:
    t = class_steps
    return select(t.c.scenario_id, t.c.node_id, t.c.jurisdiction, t.c.steps, t.c.answers).where(
        t.c.cohort_id == cohort.cohort_id, t.c.scenario_id.in_(cohort.assigned)
    )


def tally_query(cohort: Cohort) -> Select:
    t = class_tally
    return select(t.c.category, t.c.jurisdiction, t.c.verdict, t.c.answers, t.c.points).where(
        t.c.cohort_id == cohort.cohort_id
    )


def day_query(cohort: Cohort) -> Select:
    t = class_days
    return select(t.c.day, t.c.answers, t.c.points).where(t.c.cohort_id == cohort.cohort_id)


def progress_query(cohort: Cohort) -> Select:
    t = class_progress
    return _by_member(
        t,
        cohort,
        memberships.c.pseudonym,
        t.c.scenario_id,
        t.c.finished,
        t.c.best_percent,
        t.c.open_attempts,
        # untyped on purpose: pandas parses the column at once, where the UTC type would
        # convert thousands of values one by one
        case((t.c.open_attempts > 0, type_coerce(t.c.last_at, String())), else_=None),
    )


def members_query(cohort: Cohort) -> Select:
    return (
        select(
            memberships.c.pseudonym,
            memberships.c.display_name,
            case((memberships.c.left_at.is_(None), 0), else_=1),
        )
        .where(memberships.c.cohort_id == cohort.cohort_id)
        .order_by(memberships.c.consented_at)
    )


def _frame(rows: list[Row], columns: list[str], counts: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    for name in counts:
        frame[name] = pd.to_numeric(frame[name]).astype("int64")
    return frame


def groups(learner_categories: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The top and bottom ``GROUP_SHARE`` of learners by mean points per choice."""
    if learner_categories.empty:
        return [], []
    sums = learner_categories.groupby("pseudonym")[["points", "answers"]].sum()
    ranking = (sums["points"] / sums["answers"]).sort_values(kind="stable")
    size = max(1, math.ceil(len(ranking) * GROUP_SHARE))
    return list(ranking.index[-size:]), list(ranking.index[:size])


def _read(conn: Connection, cohort: Cohort) -> ClassData:
    learner_categories = _frame(
        conn.execute(learner_category_query(cohort)).all(),
        LEARNER_CATEGORY_COLUMNS,
        ("answers", "points"),
    )
    upper, lower = groups(learner_categories)
    item_groups = _frame(
        conn.execute(item_group_query(cohort, upper, lower)).all() if upper else [],
        GROUP_COLUMNS,
        ("learners",),
    )
    item_groups["score"] = pd.to_numeric(item_groups["score"]).astype(float)
    items = _frame(
        conn.execute(item_query(cohort)).all(), ITEM_COLUMNS, ("learners", "answers", "best")
    )
    options = _frame(
        conn.execute(option_query(cohort)).all(), OPTION_COLUMNS, ("choice_index", "answers")
    )
    steps = _frame(conn.execute(step_query(cohort)).all(), STEP_COLUMNS, ("answers",))
    tally = _frame(conn.execute(tally_query(cohort)).all(), TALLY_COLUMNS, ("choices", "points"))
    days = _frame(conn.execute(day_query(cohort)).all(), DAY_COLUMNS, ("choices", "points"))
    days["day"] = pd.to_datetime(days["day"])
    progress = _frame(
        conn.execute(progress_query(cohort)).all(),
        ["pseudonym", "scenario_id", "finished", "best_percent", "open", "last_at"],
        ("finished", "open"),
    )
    progress["best_percent"] = pd.to_numeric(progress["best_percent"]).astype(float)
    progress["last_unfinished_at"] = pd.to_datetime(progress["last_at"], utc=True, format="mixed")
    progress = progress.rename(columns={"open": "unfinished"})[PROGRESS_COLUMNS]
    members = _frame(conn.execute(members_query(cohort)).all(), MEMBER_COLUMNS)
    members["left"] = members["left"].astype(bool)
    return ClassData(
        learner_categories=learner_categories,
        items=items,
        item_groups=item_groups,
        options=options,
        steps=steps,
        tally=tally,
        days=days,
        progress=progress,
        members=members,
    )


def load_class_data(engine: Engine, cohort: Cohort) -> ClassData:
    """The cohort's statistics, read in one transaction (a consistent snapshot). The
    caller checked that the instructor owns ``cohort`` (``Cohorts.instructor_cohort``)."""
    with engine.connect() as conn, conn.begin():
        return _read(conn, cohort)
