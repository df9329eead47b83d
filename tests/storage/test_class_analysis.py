"""The class dashboard's numbers: the SQL aggregates agree with pandas over the raw
shared rows, and item statistics match hand-worked examples."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from engine.scenarios import Bank, load_bank
from engine.scenarios.schema import Scenario
from storage import Store, class_stats, new_learner_code
from storage.class_analysis import (
    FLAG_EASY,
    FLAG_HARD,
    FLAG_NEGATIVE,
    FLAG_UNUSED,
    completion,
    item_analysis,
    needs_help,
    standing,
    step_analysis,
    weekly_trend,
)
from storage.class_report import ClassData, groups, load_class_data
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


def test_statistics_match_pandas_over_the_raw_rows(engine: Engine, bank: Bank) -> None:
    cohort, data = _class(engine, bank, learners=12, choices=600)
    raw = Cohorts(engine).class_choices(cohort)
    assert len(raw) == 600 == int(data.items["answers"].sum())
    assert int(data.learner_categories["points"].sum()) == int(raw["points"].sum())
    by_option = raw.groupby(["scenario_id", "node_id", "choice_index"]).size()
    mine = data.options.groupby(["scenario_id", "node_id", "choice_index"])["answers"].sum()
    pd.testing.assert_series_equal(by_option, mine, check_names=False)
    per_item = raw.groupby(["scenario_id", "node_id"])
    items = data.items.set_index(["scenario_id", "node_id"]).sort_index()
    pd.testing.assert_series_equal(
        per_item["pseudonym"].nunique().sort_index(), items["learners"], check_names=False
    )
    full = raw.assign(best=raw["verdict"] == "best").groupby(["scenario_id", "node_id"])["best"]
    pd.testing.assert_series_equal(
        full.sum().astype("int64").sort_index(), items["best"], check_names=False
    )
    assert int(data.steps["answers"].sum()) == int(raw["steps"].notna().sum())
    assert int(data.days["choices"].sum()) == 600
    finished = raw[raw["finished_at"].notna()]
    per_attempt = finished.groupby(["pseudonym", "scenario_id", "attempt_id"])["points"].mean()
    best = per_attempt.groupby(level=[0, 1]).max()
    progress = data.progress.set_index(["pseudonym", "scenario_id"])["best_percent"].dropna()
    pd.testing.assert_series_equal(
        best.sort_index(), progress.sort_index(), check_names=False, atol=1e-9
    )
    # the tally has the learner Progress tally's shape, so the same charts draw it
    tally = data.tally
    assert list(tally.columns) == ["category", "jurisdiction", "verdict", "choices", "points"]
    assert int(tally["choices"].sum()) == 600
    assert int(weekly_trend(data)["choices"].sum()) == 600
    # the discrimination groups: each learner's mean score at a decision, averaged
    upper, lower = groups(data.learner_categories)
    assert len(upper) == len(lower) == 4  # 27% of 12, rounded up
    raw["score"] = raw["points"] / 100
    per_learner = raw.groupby(["scenario_id", "node_id", "pseudonym"])["score"].mean()
    for row in data.item_groups.itertuples(index=False):
        names = upper if row.group == "upper" else lower
        scores = per_learner.loc[(row.scenario_id, row.node_id)]
        expected = scores[scores.index.isin(names)]
        assert row.learners == len(expected)
        assert row.score == pytest.approx(expected.mean())


def test_running_counts_equal_a_rebuild(engine: Engine, bank: Bank) -> None:
    """Choices saved one by one through the store (joining, leaving and rejoining on the
    way) leave the statistics exactly as a rebuild from the choices computes them."""
    repo = Cohorts(engine)
    scenario = bank.scenarios["consent-mom-on-line-two"]
    cohort = repo.create_cohort(
        new_learner_code(), name="Live", jurisdiction="MODEL", assigned=[scenario.id]
    )
    store = Store(engine)
    learners = [new_learner_code() for _ in range(3)]
    _play(store, learners[0], scenario, best=True)  # before joining: not counted
    for learner in learners:
        repo.join(learner, cohort.join_code, consented=True, display_name=None)
    _play(store, learners[0], scenario, best=True)
    _play(store, learners[1], scenario, best=False)
    half = _play(store, learners[2], scenario, best=True, stop_after=1)
    repo.leave(learners[1], cohort.cohort_id)
    _play(store, learners[1], scenario, best=True)  # after leaving: not counted
    repo.join(learners[1], cohort.join_code, consented=True, display_name=None)
    _play(store, learners[1], scenario, best=True)
    running = _snapshot(engine, cohort.cohort_id)
    with engine.begin() as conn:
        class_stats.rebuild(conn, cohort.cohort_id)
    assert _snapshot(engine, cohort.cohort_id) == running
    progress = running["class_progress"]
    assert sum(r["open_attempts"] for r in progress) == 1  # learner 2's half attempt
    assert half is not None
    assert sum(r["answers"] for r in running["class_tally"]) == len(repo.class_choices(cohort))


def _play(
    store: Store, learner: str, scenario: Scenario, *, best: bool, stop_after: int = 99
) -> str:
    attempt = store.start_attempt(learner, scenario.id, "MODEL", scenario.category, scenario.start)
    node, step = scenario.start, 0
    while not scenario.is_ending(node) and step < stop_after:
        options = scenario.nodes[node].choices
        verdicts = [scenario.score_choice(node, i, "MODEL").verdict for i in range(len(options))]
        index = (
            verdicts.index("best")
            if best
            else next(i for i, v in enumerate(verdicts) if v != "best")
        )
        score = scenario.score_choice(node, index, "MODEL", ())
        step += 1
        store.record_choice(
            attempt_id=attempt,
            learner=learner,
            step=step,
            scenario_id=scenario.id,
            jurisdiction="MODEL",
            node_id=node,
            choice_index=index,
            choice_label=options[index].label,
            verdict=score.verdict,
            points=score.points,
            category=scenario.category,
            next_node=options[index].next,
            steps=(),
        )
        node = options[index].next
    if scenario.is_ending(node):
        store.finish_attempt(attempt, learner)
    return attempt


def _snapshot(engine: Engine, cohort_id: str) -> dict[str, list[dict]]:
    out = {}
    with engine.connect() as conn:
        for table in class_stats.STAT_TABLES:
            rows = conn.execute(select(table).where(table.c.cohort_id == cohort_id)).mappings()
            cleaned = []
            for row in rows:
                row = dict(row)
                if isinstance(row.get("best_percent"), float):
                    row["best_percent"] = round(row["best_percent"], 6)
                cleaned.append(row)
            out[table.name] = sorted(cleaned, key=lambda r: sorted(map(str, r.items())))
    return out


def test_only_the_class_rows_are_read(engine: Engine, bank: Bank) -> None:
    first, first_data = _class(engine, bank, learners=5, choices=100)
    second, _ = _class(engine, bank, learners=7, choices=210)
    assert int(first_data.items["answers"].sum()) == 100
    assert first_data.learner_categories["pseudonym"].nunique() == 5
    assert set(load_class_data(engine, second).members["pseudonym"]).isdisjoint(
        first_data.members["pseudonym"]
    )


def _data(rows: list[tuple[str, int, str, int]], members: list[str]) -> ClassData:
    """Answers at one real decision: (learner, option, verdict, points) each, one
    answer per learner, all in MODEL."""
    raw = pd.DataFrame(rows, columns=["pseudonym", "choice_index", "verdict", "points"])
    raw["pseudonym"] = "p-" + raw["pseudonym"]
    raw["scenario_id"], raw["node_id"] = SCENARIO, NODE
    learner_categories = (
        raw.assign(category="client_consent", answers=1)
        .groupby(["pseudonym", "category"], as_index=False)[["answers", "points"]]
        .sum()
    )
    upper, lower = groups(learner_categories)
    raw["group"] = raw["pseudonym"].map(
        lambda p: "upper" if p in upper else ("lower" if p in lower else "")
    )
    raw["score"] = raw["points"] / 100
    item_groups = (
        raw[raw["group"] != ""]
        .groupby(["scenario_id", "node_id", "group"], as_index=False)
        .agg(learners=("pseudonym", "nunique"), score=("score", "mean"))
    )
    items = raw.groupby(["scenario_id", "node_id"], as_index=False).agg(
        learners=("pseudonym", "nunique"),
        answers=("points", "size"),
        best=("verdict", lambda v: int((v == "best").sum())),
    )
    options = (
        raw.assign(jurisdiction="MODEL")
        .groupby(["scenario_id", "node_id", "jurisdiction", "choice_index"], as_index=False)
        .agg(answers=("points", "size"))
    )
    members_frame = pd.DataFrame(
        {
            "pseudonym": ["p-" + m for m in members],
            "display_name": [None] * len(members),
            "left": [False] * len(members),
        }
    )
    empty_steps = pd.DataFrame(
        columns=["scenario_id", "node_id", "jurisdiction", "steps", "answers"]
    )
    return ClassData(
        learner_categories=learner_categories,
        items=items,
        item_groups=item_groups,
        options=options,
        steps=empty_steps,
        tally=pd.DataFrame(columns=["category", "jurisdiction", "verdict", "choices", "points"]),
        days=pd.DataFrame(columns=["day", "choices", "points"]),
        progress=pd.DataFrame(
            columns=[
                "pseudonym",
                "scenario_id",
                "finished",
                "best_percent",
                "unfinished",
                "last_unfinished_at",
            ]
        ),
        members=members_frame,
    )


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
    # 10 learners: the 5 strongest chose best (100 points), the others a breach (0)
    rows = []
    for i in range(10):
        right = i >= 5
        rows.append(
            (
                f"{i:02d}",
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
    assert row["full_credit"] == pytest.approx(0.5)
    assert row["discrimination"] == pytest.approx(1.0)  # upper 3 all right, lower 3 all wrong
    chosen = {s.index: s.chosen for s in options[(SCENARIO, NODE)]}
    assert chosen[best] == 5 and sum(chosen.values()) == 10
    assert FLAG_HARD not in row["flags"] and FLAG_NEGATIVE not in row["flags"]


def test_flags_for_the_author(bank: Bank) -> None:
    best, wrong = _best_and_wrong(bank)
    # everyone right: too easy, and no wrong option does any work
    everyone = [f"{i:02d}" for i in range(12)]
    data = _data([(p, best, "best", 100) for p in everyone], everyone)
    flags = item_analysis(data, bank.scenarios, "MODEL")[0].iloc[0]["flags"]
    assert FLAG_EASY in flags and FLAG_UNUSED in flags
    # those who answer best score lowest overall (their other work is poor): negative D
    data = _data(
        [
            (p, best, "best", 100) if i < 6 else (p, wrong[0], "over_disclosure", 0)
            for i, p in enumerate(everyone)
        ],
        everyone,
    )
    groups_flipped = data.item_groups.assign(
        group=data.item_groups["group"].map({"upper": "lower", "lower": "upper"})
    )
    flipped = ClassData(**{**data.__dict__, "item_groups": groups_flipped})
    row = item_analysis(flipped, bank.scenarios, "MODEL")[0].iloc[0]
    assert row["discrimination"] < 0 and FLAG_NEGATIVE in row["flags"]
    # too few learners: nothing is flagged, and discrimination is left blank
    few = _data([("a", best, "best", 100), ("b", wrong[0], "over_disclosure", 0)], ["a", "b"])
    row = item_analysis(few, bank.scenarios, "MODEL")[0].iloc[0]
    assert row["flags"] == "" and math.isnan(row["discrimination"])


def test_answers_at_a_vignette_that_no_longer_exists_are_left_out(bank: Bank) -> None:
    data = _data([("a", 0, "best", 100)], ["a"])
    data.options.loc[0, "scenario_id"] = "deleted-vignette"
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
        columns=["scenario_id", "node_id", "jurisdiction", "steps", "answers"],
    )
    base = _data([("a", 0, "best", 100)], ["a"])
    data = ClassData(**{**base.__dict__, "steps": steps})
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
