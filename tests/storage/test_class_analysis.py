"""The class dashboard's numbers: the SQL aggregates agree with pandas over the raw
shared rows, and item statistics match hand-worked examples."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine

from engine.scenarios import Bank, load_bank
from storage import new_learner_code
from storage.class_analysis import (
    FLAG_EASY,
    FLAG_HARD,
    FLAG_NEGATIVE,
    FLAG_UNUSED,
    class_tally,
    completion,
    item_analysis,
    needs_help,
    standing,
    step_analysis,
    weekly_trend,
)
from storage.class_report import ClassData, load_class_data
from storage.cohorts import Cohort, Cohorts
from storage.db import REPO_ROOT
from storage.demo import fill

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(REPO_ROOT / "scenarios")


def _class(engine: Engine, bank: Bank, learners: int, choices: int) -> tuple[Cohort, ClassData]:
    repo = Cohorts(engine)
    assigned = sorted(bank.scenarios)[:3]
    cohort = repo.create_cohort(
        new_learner_code(), name="Demo", jurisdiction="MODEL", assigned=assigned
    )
    fill(engine, bank, learner_count=learners, choice_count=choices, cohort=cohort, now=NOW)
    return cohort, load_class_data(engine, cohort)


def test_sql_aggregates_match_pandas_over_the_raw_rows(engine: Engine, bank: Bank) -> None:
    cohort, data = _class(engine, bank, learners=12, choices=600)
    raw = Cohorts(engine).class_choices(cohort)
    assert len(raw) == 600 == int(data.items["choices"].sum())
    assert int(data.items["points"].sum()) == int(raw["points"].sum())
    by_node = raw.groupby(["scenario_id", "node_id", "choice_index"]).size()
    mine = data.items.groupby(["scenario_id", "node_id", "choice_index"])["choices"].sum()
    pd.testing.assert_series_equal(by_node, mine, check_names=False)
    assert int(data.steps["choices"].sum()) == int(raw["steps"].notna().sum())
    assert int(data.days["choices"].sum()) == 600
    finished = raw[raw["finished_at"].notna()]
    per_attempt = finished.groupby(["pseudonym", "scenario_id", "attempt_id"])["points"].mean()
    best = per_attempt.groupby(level=[0, 1]).max()
    progress = data.progress.set_index(["pseudonym", "scenario_id"])["best_percent"].dropna()
    pd.testing.assert_series_equal(
        best.sort_index(), progress.sort_index(), check_names=False, atol=1e-9
    )
    # the tally has the learner Progress tally's shape, so the same charts draw it
    tally = class_tally(data)
    assert list(tally.columns) == ["category", "jurisdiction", "verdict", "choices", "points"]
    assert int(tally["choices"].sum()) == 600
    assert int(weekly_trend(data)["choices"].sum()) == 600


def test_only_the_class_rows_are_read(engine: Engine, bank: Bank) -> None:
    first, first_data = _class(engine, bank, learners=5, choices=100)
    second, _ = _class(engine, bank, learners=7, choices=210)
    assert int(first_data.items["choices"].sum()) == 100
    assert first_data.items["pseudonym"].nunique() == 5
    assert set(load_class_data(engine, second).members["pseudonym"]).isdisjoint(
        first_data.members["pseudonym"]
    )


def _data(rows: list[tuple[str, int, str, int]], members: list[str]) -> ClassData:
    """Answers at one real decision: (learner, option, verdict, points) each."""
    items = pd.DataFrame(
        [
            ("p-" + who, SCENARIO, NODE, "client_consent", "MODEL", option, verdict, 1, points)
            for who, option, verdict, points in rows
        ],
        columns=[
            "pseudonym",
            "scenario_id",
            "node_id",
            "category",
            "jurisdiction",
            "choice_index",
            "verdict",
            "choices",
            "points",
        ],
    )
    frame = pd.DataFrame(
        {
            "pseudonym": ["p-" + m for m in members],
            "display_name": [None] * len(members),
            "consented_at": [NOW] * len(members),
            "left_at": [None] * len(members),
        }
    )
    empty = pd.DataFrame(columns=["scenario_id", "node_id", "jurisdiction", "steps", "choices"])
    progress = pd.DataFrame(
        columns=[
            "pseudonym",
            "scenario_id",
            "finished",
            "best_percent",
            "unfinished",
            "last_unfinished_at",
        ]
    )
    days = pd.DataFrame(columns=["day", "choices", "points"])
    return ClassData(items=items, steps=empty, days=days, progress=progress, members=frame)


SCENARIO = "consent-mom-on-line-two"
NODE = "mom-calls"


def _best_and_wrong(bank: Bank) -> tuple[int, list[int]]:
    scenario = bank.scenarios[SCENARIO]
    verdicts = [
        scenario.score_choice(NODE, i, "MODEL").verdict
        for i in range(len(scenario.nodes[NODE].choices))
    ]
    best = verdicts.index("best")
    return best, [i for i, v in enumerate(verdicts) if v != "best"]


def test_difficulty_and_discrimination_by_hand(bank: Bank) -> None:
    best, wrong = _best_and_wrong(bank)
    # 10 learners: the strongest 3 (by mean points) chose best, the weakest 3 did not
    rows = []
    for i in range(10):
        who = f"{i:02d}"
        right = i >= 5
        rows.append(
            (
                who,
                best if right else wrong[i % len(wrong)],
                "best" if right else "over_disclosure",
                100 if right else 0,
            )
        )
    data = _data(rows, [f"{i:02d}" for i in range(10)])
    table, options = item_analysis(data, bank.scenarios, "MODEL")
    row = table.iloc[0]
    assert row["responses"] == 10 and row["learners"] == 10
    assert row["difficulty"] == pytest.approx(0.5)
    assert row["discrimination"] == pytest.approx(1.0)  # upper 3 all right, lower 3 all wrong
    chosen = {s.index: s.chosen for s in options[(SCENARIO, NODE)]}
    assert chosen[best] == 5 and sum(chosen.values()) == 10
    assert FLAG_HARD not in row["flags"] and FLAG_NEGATIVE not in row["flags"]


def test_flags_for_the_author(bank: Bank) -> None:
    best, wrong = _best_and_wrong(bank)
    # everyone right: too easy, and no wrong option does any work
    data = _data(
        [(f"{i:02d}", best, "best", 100) for i in range(12)], [f"{i:02d}" for i in range(12)]
    )
    flags = item_analysis(data, bank.scenarios, "MODEL")[0].iloc[0]["flags"]
    assert FLAG_EASY in flags and FLAG_UNUSED in flags
    # the strongest learners (by their other answers) miss it, the weakest get it right
    other = "consent-back-on-the-route"
    rows, extra = [], []
    for i in range(12):
        strong = i >= 6
        rows.append(
            (
                f"{i:02d}",
                wrong[0] if strong else best,
                "over_disclosure" if strong else "best",
                0 if strong else 100,
            )
        )
        extra.append(
            (
                "p-" + f"{i:02d}",
                other,
                "hr-calls",
                "client_consent",
                "MODEL",
                0,
                "best",
                5,
                500 if strong else 0,
            )
        )
    data = _data(rows, [f"{i:02d}" for i in range(12)])
    more = pd.DataFrame(extra, columns=data.items.columns)
    data = ClassData(
        items=pd.concat([data.items, more], ignore_index=True),
        steps=data.steps,
        days=data.days,
        progress=data.progress,
        members=data.members,
    )
    table = item_analysis(data, bank.scenarios, "MODEL")[0].set_index("node_id")
    assert table.loc[NODE, "discrimination"] < 0
    assert FLAG_NEGATIVE in table.loc[NODE, "flags"]
    # too few learners: nothing is flagged, and discrimination is left blank
    few = _data([("a", best, "best", 100), ("b", wrong[0], "over_disclosure", 0)], ["a", "b"])
    row = item_analysis(few, bank.scenarios, "MODEL")[0].iloc[0]
    assert row["flags"] == "" and math.isnan(row["discrimination"])


def test_answers_at_a_vignette_that_no_longer_exists_are_left_out(bank: Bank) -> None:
    data = _data([("a", 0, "best", 100)], ["a"])
    data.items.loc[0, "scenario_id"] = "deleted-vignette"
    table, options = item_analysis(data, bank.scenarios, "MODEL")
    assert table.empty and options == {}


def test_steps_are_analysed_apart_from_the_act(bank: Bank) -> None:
    scenario = bank.scenarios[SCENARIO]
    ideal = scenario.ideal_steps(NODE, "MODEL")
    steps = pd.DataFrame(
        [
            (SCENARIO, NODE, "MODEL", " ".join(ideal), 3),
            (SCENARIO, NODE, "MODEL", "", 1),
        ],
        columns=["scenario_id", "node_id", "jurisdiction", "steps", "choices"],
    )
    base = _data([("a", 0, "best", 100)], ["a"])
    data = ClassData(base.items, steps, base.days, base.progress, base.members)
    frame = step_analysis(data, scenario, NODE, "MODEL").set_index("step")
    assert list(frame.index) == list(scenario.checklist(NODE))
    for step in ideal:
        assert frame.loc[step, "asked"] == "asked for"
        assert frame.loc[step, "ticked"] == pytest.approx(0.75)
    others = [s for s in frame.index if s not in ideal]
    assert all(frame.loc[s, "ticked"] == 0 for s in others)


def test_completion_needs_help_and_standing(engine: Engine, bank: Bank) -> None:
    cohort, data = _class(engine, bank, learners=20, choices=1200)
    members = completion(data, cohort)
    assert len(members) == 20
    assert (members["passed"] <= members["finished"]).all()
    assert members["complete"].equals(members["passed"] == len(cohort.assigned))
    # a due date in the past marks everyone who is not complete
    late = Cohort(**{**cohort.__dict__, "due_at": NOW - timedelta(days=1)})
    helped = needs_help(data, late, now=NOW)
    incomplete = set(members.loc[~members["complete"], "pseudonym"])
    assert incomplete <= set(helped["pseudonym"])
    assert all(
        "due date" in why
        for p, why in zip(helped["pseudonym"], helped["why"], strict=True)
        if p in incomplete and "points" not in why and "stalled" not in why
    )
    # one member's standing from their own rows agrees with the class's completion
    raw = Cohorts(engine).class_choices(cohort)
    someone = members.iloc[0]
    own = standing(raw[raw["pseudonym"] == someone["pseudonym"]], cohort)
    assert own.complete == bool(someone["complete"])
    assert sum(v is not None for v in own.best.values()) == someone["finished"]
