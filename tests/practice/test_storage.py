"""Storage for practice and confidence, on SQLite and (with TEST_DATABASE_URL) PostgreSQL:
the confidence column round trip, practice items saved like choices but told apart,
idempotent writes, and the history selection reads."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, inspect, select

from engine.practice.generate import draw
from storage import Store, new_learner_code
from storage.practice import ANSWERED, PracticeAnswer, PracticeStore
from storage.schema import attempts, practice_items
from storage.store import StorageError
from tests.storage.conftest import code, engine, pg_url, sleeps, store  # noqa: F401
from tests.storage.helpers import begin, choose


def answer(item_id: str, seed: int = 1, **changes: object) -> PracticeAnswer:
    """A real generated item and its first option, as the Practice page saves them."""
    item = draw(None, "US-CA", seed)
    result = item.score(0, ())
    values: dict[str, object] = {
        "item_id": item_id,
        "template": item.template,
        "seed": item.seed,
        "side": item.skill.side,
        "category": result.ruling.category,
        "jurisdiction": item.jurisdiction,
        "facts": item.facts,
        "item": item.to_json(),
        "choice_index": 0,
        "choice_label": item.labels[0],
        "steps": (),
        "verdict": result.verdict,
        "points": result.points,
        "confidence": 70,
    }
    values.update(changes)
    return PracticeAnswer(**values)  # type: ignore[arg-type]


@pytest.fixture
def practice(engine: Engine) -> PracticeStore:  # noqa: F811
    return PracticeStore(engine)


def test_the_migration_adds_the_column_the_table_and_the_index(engine: Engine) -> None:  # noqa: F811
    inspector = inspect(engine)
    column = {c["name"]: c for c in inspector.get_columns("choices")}["confidence"]
    assert column["nullable"]
    assert "practice_items" in inspector.get_table_names()
    indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes("choices")}
    assert indexes["ix_choices_learner_confidence"][:2] == ["learner_key", "confidence"]


def test_confidence_round_trip_and_unanswered_stays_missing(store: Store, code: str) -> None:  # noqa: F811
    attempt = begin(store, code)
    store.record_choice(
        attempt_id=attempt, learner=code, step=0, scenario_id="tarasoff-1",
        jurisdiction="US-CA", node_id="n0", choice_index=0, choice_label="x",
        verdict="best", points=100, category="imminent_danger", next_node="n1",
        steps=("document",), confidence=90,
    )  # fmt: skip
    choose(store, attempt, code, 1, "n1", "n2")  # no confidence given
    frame = store.choices_frame(code)
    assert frame["confidence"].dtype == "Int64"
    assert frame["confidence"].tolist()[0] == 90 and pd.isna(frame["confidence"].tolist()[1])


@pytest.mark.parametrize("bad", [101, -1, True, "70", 70.5])
def test_a_confidence_outside_0_to_100_is_refused(store: Store, code: str, bad: object) -> None:  # noqa: F811
    attempt = begin(store, code)
    with pytest.raises(StorageError, match="percentage"):
        store.record_choice(
            attempt_id=attempt, learner=code, step=0, scenario_id="tarasoff-1",
            jurisdiction="US-CA", node_id="n0", choice_index=0, choice_label="x",
            verdict="best", points=100, category="imminent_danger", next_node="n1",
            confidence=bad,  # type: ignore[arg-type]
        )  # fmt: skip
    assert store.choices_frame(code).empty


def test_a_retry_with_another_confidence_is_a_conflict(store: Store, code: str) -> None:  # noqa: F811
    attempt = begin(store, code)
    kwargs = dict(
        attempt_id=attempt, learner=code, step=0, scenario_id="tarasoff-1",
        jurisdiction="US-CA", node_id="n0", choice_index=0, choice_label="x",
        verdict="best", points=100, category="imminent_danger", next_node="n1",
    )  # fmt: skip
    store.record_choice(**kwargs, confidence=50)
    store.record_choice(**kwargs, confidence=50)  # the same again: a no-op
    with pytest.raises(StorageError, match="already saved"):
        store.record_choice(**kwargs, confidence=90)
    assert store.choices_frame(code)["confidence"].tolist() == [50]


def test_practice_is_saved_like_a_choice_and_told_apart(
    store: Store,  # noqa: F811
    practice: PracticeStore,
    code: str,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    vignette = begin(store, code)
    choose(store, vignette, code, 0, "n0", "n1", verdict="over_disclosure", points=0)
    saved = answer("p" * 32)
    practice.record_practice(code, saved)

    everything = store.choices_frame(code)
    assert len(everything) == 2  # practice is in the learner's choices ...
    row = everything[everything["attempt_id"] == "p" * 32].iloc[0]
    assert row["scenario_id"] == f"practice:{saved.template}" and row["confidence"] == 70
    assert (row["verdict"], row["points"], row["node_id"]) == (saved.verdict, saved.points, "item")
    # ... but not among the vignettes' attempts, counts, resumable or finished ones
    assert store.attempts_frame(code)["attempt_id"].tolist() == [vignette]
    assert store.attempt_counts(code) == (1, 0, 1)
    assert store.open_attempt(code).attempt_id == vignette
    assert store.finished_scenarios(code) == set()
    with engine.connect() as conn:
        finished = conn.execute(
            select(attempts.c.finished_at).where(attempts.c.attempt_id == "p" * 32)
        ).scalar_one()
    assert finished is not None  # a practice item never waits to be resumed
    # the tally has both; the practice tally only practice
    assert int(store.tally(code)["choices"].sum()) == 2
    only = practice.practice_tally(code)
    assert only[["category", "verdict", "choices"]].values.tolist() == [
        [saved.category, saved.verdict, 1]
    ]
    assert practice.practice_count(code) == 1


def test_the_item_is_recoverable_from_what_was_saved(practice: PracticeStore, code: str) -> None:  # noqa: F811
    saved = answer("q" * 32, seed=9)
    practice.record_practice(code, saved)
    back = practice.practice_item(code, "q" * 32)
    assert back is not None
    assert back["facts"] == saved.facts and back["item"] == saved.item
    assert (back["template"], back["seed"], back["side"]) == (
        saved.template,
        saved.seed,
        saved.side,
    )
    regenerated = draw(None, "US-CA", 9)
    assert regenerated.facts == back["facts"] and regenerated.to_json() == back["item"]
    assert practice.practice_item(new_learner_code(), "q" * 32) is None  # not another's


def test_practice_writes_are_idempotent_and_never_overwritten(
    practice: PracticeStore,
    code: str,  # noqa: F811
    engine: Engine,  # noqa: F811
) -> None:
    first = answer("r" * 32)
    practice.record_practice(code, first)
    practice.record_practice(code, first)  # a retry: nothing new
    for changed in (
        answer("r" * 32, choice_index=1),
        answer("r" * 32, confidence=None),
        answer("r" * 32, seed=2),
    ):
        with pytest.raises(StorageError) as info:
            practice.record_practice(code, changed)
        assert str(info.value) == ANSWERED and not info.value.retryable
    with pytest.raises(StorageError, match="already answered"):
        practice.record_practice(new_learner_code(), first)  # someone else's id
    with engine.connect() as conn:
        assert len(conn.execute(select(practice_items)).all()) == 1
    assert practice.practice_count(code) == 1


def test_history_keeps_the_latest_answers_per_skill_with_positions(
    practice: PracticeStore,
    code: str,  # noqa: F811
) -> None:
    skills = []
    for n in range(14):
        saved = answer(f"{n:032d}", seed=n)
        skills.append((saved.category, saved.side))
        practice.record_practice(code, saved)
    history = practice.practice_history(code, window=3)
    assert set(history["total"]) == {14}
    for (category, side), rows in history.groupby(["category", "side"]):
        positions = [i for i, s in enumerate(skills) if s == (category, side)]
        assert sorted(rows["position"]) == positions[-3:]
        assert set(rows["answers"]) == {len(positions)}
    assert practice.practice_history(new_learner_code()).empty


def test_calibration_counts_read_only_stated_confidence(
    store: Store,  # noqa: F811
    practice: PracticeStore,
    code: str,  # noqa: F811
) -> None:
    attempt = begin(store, code)
    choose(store, attempt, code, 0, "n0", "n1")  # no confidence: not counted
    practice.record_practice(code, answer("s" * 32, confidence=90))
    practice.record_practice(code, answer("t" * 32, seed=3, confidence=90))
    counts = practice.calibration(code)
    assert int(counts["choices"].sum()) == 2 and set(counts["confidence"]) == {90}
    assert practice.calibration(new_learner_code()).empty
