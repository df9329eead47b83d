"""Class statistics kept up to date as choices are saved, so a class dashboard reads a
few small tables instead of every choice its members ever made.

Why at write time: a GROUP BY over a class's choices costs time in proportion to the
choices (SQLite took about 230 ms per 100,000 for the simplest one here), and a
dashboard needs several; a cohort of 1,000 learners reaches a million choices. Counted
as each choice is saved, in the same transaction as the choice itself, the statistics
are never out of step with it, and reading them costs time in proportion to the class's
size (members x decisions) instead.

What counts is exactly what a class's instructor may see (``storage.cohorts``): a
choice made during one of the learner's sharing periods, at one of the class's assigned
vignettes. ``rebuild`` recomputes a class's tables from the choices (for bulk loads, and
as the oracle the tests compare the running counts with).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, case, delete, func, insert, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.schema import (
    attempts,
    choices,
    class_days,
    class_learner_items,
    class_options,
    class_progress,
    class_steps,
    class_tally,
    cohorts,
    sharing_periods,
    utcnow,
)

STAT_TABLES = (
    class_learner_items,
    class_options,
    class_steps,
    class_tally,
    class_days,
    class_progress,
)


def _upsert(
    conn: Connection,
    table: Table,
    keys: Mapping[str, Any],
    add: Mapping[str, int],
    put: Mapping[str, Any] | None = None,
    keep_max: Mapping[str, Any] | None = None,
    only_new: Mapping[str, Any] | None = None,
) -> None:
    """Insert the row, or add ``add`` to its counters, overwrite ``put`` and keep the
    larger of the stored value and ``keep_max``: one statement on both backends.
    ``only_new``: values for a new row only (the row's required columns)."""
    put, keep_max = dict(put or {}), dict(keep_max or {})
    values = {**(only_new or {}), **keys, **add, **put, **keep_max}
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values)
    excluded = statement.excluded
    changes: dict[str, Any] = {name: table.c[name] + excluded[name] for name in add}
    changes.update({name: excluded[name] for name in put})
    for name in keep_max:
        column = table.c[name]
        changes[name] = func.coalesce(
            func.max(column, excluded[name])
            if conn.dialect.name == "sqlite"
            else func.greatest(column, excluded[name]),
            column,
            excluded[name],
        )
    conn.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changes))


def _sharing_cohorts(
    conn: Connection, learner_key: str, scenario_id: str
) -> list[tuple[str, datetime]]:
    """(cohort id, period start) of each class this learner shares with now that assigns
    this vignette."""
    rows = conn.execute(
        select(sharing_periods.c.cohort_id, sharing_periods.c.started_at, cohorts.c.assigned)
        .join(cohorts, cohorts.c.cohort_id == sharing_periods.c.cohort_id)
        .where(sharing_periods.c.learner_key == learner_key, sharing_periods.c.ended_at.is_(None))
    )
    return [(r.cohort_id, r.started_at) for r in rows if scenario_id in json.loads(r.assigned)]


def on_choice(conn: Connection, row: Mapping[str, Any], made_at: datetime) -> None:
    """Count a choice just saved (``row``: the choices row's values) for every class the
    learner shares it with. Runs inside the saving transaction."""
    for cohort_id, period_start in _sharing_cohorts(conn, row["learner_key"], row["scenario_id"]):
        _count_choice(conn, cohort_id, row, made_at, period_start)


def _count_choice(
    conn: Connection,
    cohort_id: str,
    row: Mapping[str, Any],
    made_at: datetime,
    period_start: datetime,
) -> None:
    points, verdict = int(row["points"]), row["verdict"]
    _upsert(
        conn,
        class_learner_items,
        {
            "cohort_id": cohort_id,
            "learner_key": row["learner_key"],
            "scenario_id": row["scenario_id"],
            "node_id": row["node_id"],
        },
        {
            "answers": 1,
            "points": points,
            "best": int(verdict == "best"),
            "over": int(verdict == "over_disclosure"),
            "under": int(verdict == "under_disclosure"),
        },
        put={"category": row["category"]},
    )
    place = {"cohort_id": cohort_id, "scenario_id": row["scenario_id"], "node_id": row["node_id"]}
    _upsert(
        conn,
        class_options,
        {**place, "jurisdiction": row["jurisdiction"], "choice_index": int(row["choice_index"])},
        {"answers": 1},
    )
    if row.get("steps") is not None:
        _upsert(
            conn,
            class_steps,
            {**place, "jurisdiction": row["jurisdiction"], "steps": row["steps"]},
            {"answers": 1},
        )
    _upsert(
        conn,
        class_tally,
        {
            "cohort_id": cohort_id,
            "category": row["category"],
            "jurisdiction": row["jurisdiction"],
            "verdict": verdict,
        },
        {"answers": 1, "points": points},
    )
    _upsert(
        conn,
        class_days,
        {"cohort_id": cohort_id, "day": f"{made_at:%Y-%m-%d}"},
        {"answers": 1, "points": points},
    )
    shared_before = conn.execute(
        select(func.count())
        .select_from(choices)
        .where(
            choices.c.attempt_id == row["attempt_id"],
            choices.c.made_at >= period_start,
            choices.c.step != row["step"],
        )
    ).scalar_one()
    _upsert(
        conn,
        class_progress,
        {
            "cohort_id": cohort_id,
            "learner_key": row["learner_key"],
            "scenario_id": row["scenario_id"],
        },
        {"open_attempts": 0 if shared_before else 1, "finished": 0},
        put={"last_at": made_at},
        keep_max={"best_percent": None},
    )


def on_finish(conn: Connection, attempt_id: str, learner_key: str, scenario_id: str) -> None:
    """Count an attempt just finished: for each class it was shared with, one open
    attempt fewer, one finished more, and its score if it is the best so far."""
    for cohort_id, period_start in _sharing_cohorts(conn, learner_key, scenario_id):
        shared = conn.execute(
            select(func.count(), func.avg(choices.c.points)).where(
                choices.c.attempt_id == attempt_id, choices.c.made_at >= period_start
            )
        ).one()
        if not shared[0]:
            continue  # finished without a choice made while sharing: nothing to count
        _upsert(
            conn,
            class_progress,
            {"cohort_id": cohort_id, "learner_key": learner_key, "scenario_id": scenario_id},
            {"open_attempts": -1, "finished": 1},
            keep_max={"best_percent": float(shared[1])},
            only_new={"last_at": utcnow()},
        )


def rebuild(conn: Connection, cohort_id: str) -> None:
    """Recompute a class's statistics from its shared choices, replacing what is there:
    set-based (INSERT ... SELECT ... GROUP BY), so a bulk load of a million choices
    (``storage.demo``) is counted in seconds. Also the tests' oracle for the running
    counts."""
    for table in STAT_TABLES:
        conn.execute(delete(table).where(table.c.cohort_id == cohort_id))
    assigned = json.loads(
        conn.execute(
            select(cohorts.c.assigned).where(cohorts.c.cohort_id == cohort_id)
        ).scalar_one()
    )
    s = (
        select(choices, literal(cohort_id).label("cohort_id"))
        .join(
            sharing_periods,
            and_(
                sharing_periods.c.learner_key == choices.c.learner_key,
                sharing_periods.c.cohort_id == cohort_id,
                choices.c.made_at >= sharing_periods.c.started_at,
                or_(
                    sharing_periods.c.ended_at.is_(None),
                    choices.c.made_at < sharing_periods.c.ended_at,
                ),
            ),
        )
        .where(choices.c.scenario_id.in_(assigned))
        .subquery("shared")
    )

    def count(verdict: str) -> Any:
        return func.sum(case((s.c.verdict == verdict, 1), else_=0))

    def fill(table: Table, keys: list[Any], aggregates: dict[str, Any], where: Any = None) -> None:
        query = select(*keys, *aggregates.values()).group_by(*keys)
        if where is not None:
            query = query.where(where)
        names = [k.name for k in keys] + list(aggregates)
        conn.execute(insert(table).from_select(names, query))

    place = [s.c.cohort_id, s.c.scenario_id, s.c.node_id]
    fill(
        class_learner_items,
        [s.c.cohort_id, s.c.learner_key, s.c.scenario_id, s.c.node_id],
        {
            "category": func.max(s.c.category),
            "answers": func.count(),
            "points": func.sum(s.c.points),
            "best": count("best"),
            "over": count("over_disclosure"),
            "under": count("under_disclosure"),
        },
    )
    fill(class_options, [*place, s.c.jurisdiction, s.c.choice_index], {"answers": func.count()})
    fill(
        class_steps,
        [*place, s.c.jurisdiction, s.c.steps],
        {"answers": func.count()},
        where=s.c.steps.is_not(None),
    )
    fill(
        class_tally,
        [s.c.cohort_id, s.c.category, s.c.jurisdiction, s.c.verdict],
        {"answers": func.count(), "points": func.sum(s.c.points)},
    )
    # days in Python: the date of a timestamp is spelled differently by each database
    days: dict[str, list[int]] = {}
    for made_at, points in conn.execute(select(s.c.made_at, s.c.points)):
        day = days.setdefault(f"{made_at:%Y-%m-%d}", [0, 0])
        day[0] += 1
        day[1] += int(points)
    if days:
        conn.execute(
            insert(class_days),
            [
                {"cohort_id": cohort_id, "day": d, "answers": n, "points": p}
                for d, (n, p) in days.items()
            ],
        )
    per_attempt = (
        select(
            s.c.learner_key,
            s.c.scenario_id,
            s.c.attempt_id,
            attempts.c.finished_at,
            func.avg(s.c.points).label("percent"),
            func.max(s.c.made_at).label("last_at"),
        )
        .join(attempts, attempts.c.attempt_id == s.c.attempt_id)
        .group_by(s.c.learner_key, s.c.scenario_id, s.c.attempt_id, attempts.c.finished_at)
        .subquery("per_attempt")
    )
    a = per_attempt.c
    done = a.finished_at.is_not(None)
    conn.execute(
        insert(class_progress).from_select(
            [
                "cohort_id",
                "learner_key",
                "scenario_id",
                "open_attempts",
                "finished",
                "best_percent",
                "last_at",
            ],
            select(
                literal(cohort_id),
                a.learner_key,
                a.scenario_id,
                func.sum(case((done, 0), else_=1)),
                func.sum(case((done, 1), else_=0)),
                func.max(case((done, a.percent), else_=None)),
                func.max(a.last_at),
            ).group_by(a.learner_key, a.scenario_id),
        )
    )
