"""Attempts and choices: the write path, resuming, ownership and the chart frames."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine

from storage import OpenAttempt, StorageError, Store, new_learner_code
from storage.schema import attempts, choices, learners
from storage.store import ATTEMPT_COLUMNS, CHOICE_COLUMNS
from tests.storage.helpers import begin, choose, rows


def test_start_record_finish(store: Store, code: str, engine: Engine) -> None:
    attempt_id = begin(store, code)
    assert store.open_attempt(code) == OpenAttempt(attempt_id, "tarasoff-1", "US-CA", "n0", 0, ())
    choose(store, attempt_id, code, 0, "n0", "n1", choice_index=2, label="Warn the victim")
    opened = store.open_attempt(code)
    assert opened is not None
    assert (opened.current_node, opened.step, opened.path) == ("n1", 1, (("n0", 2),))
    store.finish_attempt(attempt_id, code)
    assert store.open_attempt(code) is None
    finished = store.get_attempt(attempt_id, code)
    assert finished is not None and finished.finished and finished.path == (("n0", 2),)
    [row] = rows(engine, attempts)
    assert row.finished_at.tzinfo is not None and row.finished_at.utcoffset().total_seconds() == 0
    first_finish = row.finished_at
    store.finish_attempt(attempt_id, code)  # finishing twice keeps the first time
    assert rows(engine, attempts)[0].finished_at == first_finish


def test_resume_returns_the_path_in_order_from_a_new_session(
    store: Store, code: str, engine: Engine
) -> None:
    attempt_id = begin(store, code)
    walk = [("n0", 1, "n1", ()), ("n1", 0, "n2", ("consult",)), ("n2", 3, "n3", None)]
    for step, (node, index, nxt, ticked) in enumerate(walk):
        choose(store, attempt_id, code, step, node, nxt, choice_index=index, steps=ticked)
    resumed = Store(engine).open_attempt(code.lower().replace("-", ""))
    assert resumed == OpenAttempt(
        attempt_id,
        "tarasoff-1",
        "US-CA",
        "n3",
        3,
        (("n0", 1), ("n1", 0), ("n2", 3)),
        steps=((), ("consult",), None),  # None: a choice saved before steps were recorded
    )
    frame = store.choices_frame(code)
    assert list(frame["steps"]) == ["", "consult", None]


def test_open_attempt_is_the_latest_unfinished_one(store: Store, code: str) -> None:
    older = begin(store, code, scenario_id="s-old")
    newer = begin(store, code, scenario_id="s-new")
    opened = store.open_attempt(code)
    assert opened is not None and opened.attempt_id == newer
    store.finish_attempt(newer, code)
    opened = store.open_attempt(code)
    assert opened is not None and opened.attempt_id == older  # left as it was
    store.finish_attempt(older, code)
    assert store.open_attempt(code) is None
    assert store.open_attempt(new_learner_code()) is None


def test_retrying_the_same_choice_is_a_no_op(store: Store, code: str, engine: Engine) -> None:
    attempt_id = begin(store, code)
    for _ in range(3):
        choose(store, attempt_id, code, 0, "n0", "n1")
    choose(store, attempt_id, code, 1, "n1", "end")
    choose(store, attempt_id, code, 0, "n0", "n1")  # a late retry of an earlier step
    store.finish_attempt(attempt_id, code)
    choose(store, attempt_id, code, 1, "n1", "end")  # and after finishing
    assert [(r.step, r.node_id) for r in rows(engine, choices)] == [(0, "n0"), (1, "n1")]
    opened = store.get_attempt(attempt_id, code)
    assert opened is not None and (opened.current_node, opened.step) == ("end", 2)


@pytest.mark.parametrize(
    "change",
    [{"choice_index": 1}, {"label": "Something else"}, {"points": 70, "verdict": "acceptable"}],
)
def test_a_different_choice_for_a_saved_step_is_refused(
    store: Store, code: str, engine: Engine, change: dict
) -> None:  # type: ignore[type-arg]
    attempt_id = begin(store, code)
    choose(store, attempt_id, code, 0, "n0", "n1")
    with pytest.raises(StorageError, match="already saved"):
        choose(store, attempt_id, code, 0, "n0", "n1", **change)
    [row] = rows(engine, choices)
    assert (row.choice_index, row.choice_label, row.points) == (0, "Consult a colleague", 100)
    assert rows(engine, attempts)[0].current_node == "n1"


def test_choices_must_follow_the_attempt(store: Store, code: str, engine: Engine) -> None:
    attempt_id = begin(store, code)
    with pytest.raises(StorageError, match="moved on"):
        choose(store, attempt_id, code, 0, "n5", "n6")  # not the current node
    with pytest.raises(StorageError, match="does not belong"):
        choose(store, attempt_id, code, 0, "n0", "n1", scenario_id="other")
    store.finish_attempt(attempt_id, code)
    with pytest.raises(StorageError, match="finished"):
        choose(store, attempt_id, code, 0, "n0", "n1")
    assert rows(engine, choices) == []


def test_another_learner_cannot_read_or_write_an_attempt(
    store: Store, code: str, engine: Engine
) -> None:
    attempt_id = begin(store, code)
    choose(store, attempt_id, code, 0, "n0", "n1")
    intruder = new_learner_code()
    assert store.get_attempt(attempt_id, intruder) is None
    assert store.open_attempt(intruder) is None
    with pytest.raises(StorageError, match="not found") as wrote:
        choose(store, attempt_id, intruder, 1, "n1", "n2")
    with pytest.raises(StorageError, match="not found") as probed:
        choose(store, "0" * 32, intruder, 0, "n0", "n1")
    assert str(wrote.value) == str(probed.value)  # someone's attempt looks like no attempt
    with pytest.raises(StorageError):
        store.finish_attempt(attempt_id, intruder)
    assert store.choices_frame(intruder).empty and store.attempts_frame(intruder).empty
    assert len(rows(engine, choices)) == 1
    assert rows(engine, attempts)[0].finished_at is None
    assert store.get_attempt("no-such-attempt", code) is None
    assert store.get_attempt("' OR 1=1 --", code) is None


@pytest.mark.parametrize("bad", ["", "not-a-code", "' OR '1'='1", "0" * 25])
def test_malformed_learner_codes_are_refused(store: Store, bad: str) -> None:
    with pytest.raises(StorageError, match="not valid"):
        begin(store, bad)
    for read in (store.open_attempt, store.choices_frame, store.attempts_frame):
        with pytest.raises(StorageError, match="not valid"):
            read(bad)


def test_only_the_hash_of_the_code_is_stored(store: Store, code: str, engine: Engine) -> None:
    attempt_id = begin(store, code)
    choose(store, attempt_id, code, 0, "n0", "n1")
    key = hashlib.sha256(code.encode()).hexdigest()
    assert [r.learner_key for r in rows(engine, learners)] == [key]
    assert rows(engine, attempts)[0].learner_key == rows(engine, choices)[0].learner_key == key
    dump = repr([rows(engine, t) for t in (learners, attempts, choices)]).upper()
    assert code not in dump and code.replace("-", "") not in dump


def test_timestamps_are_aware_utc_and_naive_ones_are_refused(
    store: Store, code: str, engine: Engine
) -> None:
    before = datetime.now(UTC)
    attempt_id = begin(store, code)
    choose(store, attempt_id, code, 0, "n0", "n1")
    for value in (rows(engine, learners)[0].created_at, rows(engine, choices)[0].made_at):
        assert value.tzinfo is not None and value.utcoffset().total_seconds() == 0
        assert abs((value - before).total_seconds()) < 60
    with engine.begin() as conn, pytest.raises(Exception, match="naive"):
        conn.execute(
            learners.insert().values(learner_key="k" * 64, created_at=datetime(2024, 1, 1))
        )


def test_frames_have_the_contract_columns_and_values(store: Store, code: str) -> None:
    other = new_learner_code()
    empty_choices, empty_attempts = store.choices_frame(code), store.attempts_frame(code)
    assert list(empty_choices.columns) == CHOICE_COLUMNS and empty_choices.empty
    assert list(empty_attempts.columns) == ATTEMPT_COLUMNS and empty_attempts.empty

    first = begin(store, code)
    choose(store, first, code, 0, "n0", "n1", points=100)
    choose(store, first, code, 1, "n1", "end", choice_index=1, verdict="over_disclosure", points=0)
    store.finish_attempt(first, code)
    second = begin(
        store, code, scenario_id="elder-2", jurisdiction="MODEL", category="mandatory_reporting"
    )
    choose(
        store,
        second,
        code,
        0,
        "n0",
        "n1",
        scenario_id="elder-2",
        jurisdiction="MODEL",
        category="mandatory_reporting",
        verdict="acceptable",
        points=70,
    )
    begin(store, code, scenario_id="untouched")
    theirs = begin(store, other)
    choose(store, theirs, other, 0, "n0", "n1", points=55)

    frame = store.choices_frame(code)
    assert list(frame.columns) == CHOICE_COLUMNS
    assert frame[["attempt_id", "step", "verdict", "points"]].values.tolist() == [
        [first, 0, "best", 100],
        [first, 1, "over_disclosure", 0],
        [second, 0, "acceptable", 70],
    ]
    assert frame.loc[2, "category"] == "mandatory_reporting"
    assert (
        frame.loc[1, "choice_index"] == 1 and frame.loc[0, "choice_label"] == "Consult a colleague"
    )
    assert str(frame["made_at"].dt.tz) == "UTC"
    assert frame["points"].dtype == "int64"

    one = store.choices_frame(code, first)
    assert list(one.columns) == CHOICE_COLUMNS
    assert one[["attempt_id", "step"]].values.tolist() == [[first, 0], [first, 1]]
    assert store.choices_frame(other, first).empty  # another learner's attempt stays hidden

    summary = store.attempts_frame(code)
    assert list(summary.columns) == ATTEMPT_COLUMNS
    assert summary["scenario_id"].tolist() == ["tarasoff-1", "elder-2", "untouched"]
    assert summary["choices"].tolist() == [2, 1, 0]
    assert summary["total_points"].tolist() == [100, 70, 0]
    assert summary["average_points"].tolist()[:2] == [50.0, 70.0]
    assert pd.isna(summary.loc[2, "average_points"])
    assert summary["finished_at"].notna().tolist() == [True, False, False]
    assert str(summary["started_at"].dt.tz) == "UTC"


def test_tally_in_the_database_matches_the_choices(store: Store, code: str) -> None:
    """Progress reads a tally computed by the database; it must say what the rows say."""
    from ui.charts import tally

    for a in range(3):
        attempt_id = begin(store, code, jurisdiction=("US-CA", "MODEL", "US-CA")[a])
        for step, (verdict, points) in enumerate(
            [("best", 100), ("over_disclosure", 0), ("acceptable", 70)][: a + 1]
        ):
            choose(
                store,
                attempt_id,
                code,
                step,
                f"n{step}",
                f"n{step + 1}",
                verdict=verdict,
                points=points,
                jurisdiction=("US-CA", "MODEL", "US-CA")[a],
            )
    expected = tally(store.choices_frame(code)).sort_values(["category", "jurisdiction", "verdict"])
    got = store.tally(code)
    assert got.reset_index(drop=True).equals(expected.reset_index(drop=True).astype(got.dtypes))
    assert store.attempt_counts(code) == (3, 0, 3)


def test_attempts_page_in_the_database(store: Store, code: str) -> None:
    ids = [begin(store, code, scenario_id=f"s{n}") for n in range(5)]
    choose(store, ids[1], code, 0, "n0", "n1", scenario_id="s1")
    newest = store.attempts_frame(code, limit=2, newest_first=True)
    assert list(newest["scenario_id"]) == ["s4", "s3"]
    second = store.attempts_frame(code, limit=2, offset=2, newest_first=True)
    assert list(second["scenario_id"]) == ["s2", "s1"]
    played = store.attempts_frame(code, with_choices_only=True)
    assert list(played["scenario_id"]) == ["s1"]
    assert list(store.attempts_frame(code)["scenario_id"]) == [f"s{n}" for n in range(5)]
