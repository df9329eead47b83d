"""AppTest flows: the Practice page, the confidence question on Play, and the Progress
page's practice and calibration sections, on a real database through the real engine.

The Practice page is opened on its own file (``AppTest.from_file``): it needs nothing
from the app's frame but the learner code in the URL.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engine.practice.generate import TEMPLATES_ENV, draw
from engine.practice.templates import FOLDER
from storage import Store, make_engine
from storage.practice import PracticeAnswer, PracticeStore
from tests.app.conftest import ROOT, TIMEOUT, begin, choose, failing_writes, texts
from ui.calibration import MIN_ANSWERS
from ui.resources import jurisdiction_label
from ui.text import as_text

PRACTICE = ROOT / "ui" / "pages" / "practice.py"
SURE_LABELS = ["Submit, 50% sure", "Submit, 70% sure", "Submit, 90% sure"]


def practice_page(learner: str, **params: str) -> AppTest:
    """A fresh session (as after a reload) on the Practice page."""
    at = AppTest.from_file(str(PRACTICE), default_timeout=TIMEOUT)
    at.query_params.update({"learner": learner, **params})
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def submit_labels(at: AppTest, key: str) -> list[str]:
    """The form's submit buttons: plain Submit first, then one per stated confidence."""
    return [b.label for b in at.button if b.key and b.key.startswith(key)]


def shown_item(at: AppTest):  # type: ignore[no-untyped-def]
    return at.session_state["practice_current"]


def answer(
    at: AppTest, index: int | None, steps: tuple[str, ...] = (), sure: int | None = None
) -> AppTest:
    if index is not None:
        at.radio(key="practice_choice").set_value(index)
    for step in steps:
        at.checkbox(key=f"practice_step_{step}").check()
    key = "practice_submit" if sure is None else f"practice_submit_{sure}"
    at.button(key=key).click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_an_item_is_answered_scored_saved_and_followed_by_the_next(
    db_url: str, learner: str, store: Store
) -> None:
    at = practice_page(learner)
    current = shown_item(at)
    item = current.item
    assert at.header[0].value == f"Decision 1: {item.title}"
    assert as_text(item.text) in texts(at)
    assert list(at.radio(key="practice_choice").options) == [as_text(x) for x in item.labels]
    # saying how sure is optional: plain Submit first, or submit with a level
    assert submit_labels(at, "practice_submit") == ["Submit my decision", *SURE_LABELS]
    # before the answer, nothing names the side the item is on
    assert "What this item practised" not in texts(at)

    best = next(i for i in range(len(item.labels)) if item.score(i).verdict == "best")
    ideal = item.scenario.ideal_steps("item")
    answer(at, best, ideal, sure=90)
    expected = item.score(best, ideal)
    assert expected.verdict == "best"
    assert any("(100 points)" in s.value for s in at.success)
    shown = texts(at)
    assert "What the law required here" in shown and "How sure you were:** 90%" in shown
    assert expected.ruling.rules[0].citation in shown  # the law is the engine's, cited
    assert "What this item practised" in shown

    row = store.choices_frame(learner).iloc[0]
    assert row["scenario_id"] == f"practice:{item.template}"
    assert (row["verdict"], row["confidence"], row["attempt_id"]) == ("best", 90, current.item_id)
    saved = PracticeStore(make_engine(db_url)).practice_item(learner, current.item_id)
    assert saved is not None and saved["facts"] == item.facts and saved["side"] == item.skill.side

    at.button(key="practice_next").click().run()
    assert not at.exception
    assert at.header[0].value.startswith("Decision 2: ")
    assert shown_item(at).item_id != current.item_id


def test_the_same_item_after_a_reload_and_the_next_once_answered(
    learner: str, store: Store
) -> None:
    first = practice_page(learner)
    item_id = shown_item(first).item_id
    answer(first, None)  # submitted with nothing chosen: asked to choose, nothing saved
    assert any("Choose one of the options" in w.value for w in first.warning)
    assert store.choices_frame(learner).empty

    reloaded = practice_page(learner)
    assert shown_item(reloaded).item_id == item_id  # the same item, not a new draw
    answer(reloaded, 0)  # no confidence: allowed, and saved as unknown
    frame = store.choices_frame(learner)
    assert len(frame) == 1 and pd.isna(frame["confidence"].iloc[0])

    after = practice_page(learner)
    assert shown_item(after).item_id != item_id and shown_item(after).position == 1
    assert after.header[0].value.startswith("Decision 2: ")


def test_a_failed_save_says_so_keeps_the_answer_and_retry_saves_it_once(
    db_url: str, learner: str, store: Store
) -> None:
    at = practice_page(learner)
    # every try the store makes fails: the learner is told, nothing is half-saved
    with failing_writes(db_url, "INSERT INTO practice_items", times=4):
        answer(at, 0, sure=50)
    assert any("press Retry" in e.value for e in at.error)
    assert "Feedback on your decision" in texts(at)  # under the error, the answer kept
    assert not [b for b in at.button if b.key == "practice_next"]
    assert store.choices_frame(learner).empty  # the choice and the item roll back together
    at.button(key="practice_retry").click().run()
    assert not at.exception and not any("press Retry" in e.value for e in at.error)
    frame = store.choices_frame(learner)
    assert len(frame) == 1 and frame["confidence"].tolist() == [50]
    assert [b for b in at.button if b.key == "practice_next"]


def test_items_follow_the_law_the_learner_chooses(db_url: str, learner: str) -> None:
    at = practice_page(learner, j="US-FL")  # the jurisdiction chosen on Home
    assert at.selectbox(key="practice_law").value == "US-FL"
    assert shown_item(at).item.jurisdiction == "US-FL"
    at.selectbox(key="practice_law").set_value("US-TX").run()
    assert not at.exception
    item = shown_item(at).item
    assert item.jurisdiction == "US-TX" and item.facts["jurisdiction"] == "US-TX"
    assert jurisdiction_label("US-TX") in texts(at)
    assert at.query_params["j"] == "US-TX"  # Home's choice, kept in the URL


def test_template_words_reach_the_page_as_text_not_markup(
    db_url: str, learner: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = "<img src=x onerror=alert(1)> ![x](http://evil.example/x.png) $5 and $6"
    source = (FOLDER / "intake-first-session.yaml").read_text(encoding="utf-8")
    source = source.replace("Before you start, {client} asks:", hostile + " {client} asks:")
    source = source.replace(  # the one best act: shown in every item
        "Say most of it stays private, and name when it can't",
        "Say most of it <b>stays</b> private, and name when it can't",
    )
    (tmp_path / "intake-first-session.yaml").write_text(source, encoding="utf-8")
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path))
    at = practice_page(learner)
    shown = texts(at)
    assert "<img" not in shown and "&lt;img src=x onerror=alert(1)>" in shown
    assert "](http" not in shown and r"\$5" in shown
    options = at.radio(key="practice_choice").options
    assert "Say most of it &lt;b>stays&lt;/b> private, and name when it can't" in options


def test_play_asks_how_sure_and_saves_it_with_the_choice(
    open_app, learner: str, store: Store
) -> None:
    from engine.scenarios import load_bank

    scenario = next(iter(load_bank(ROOT / "scenarios").scenarios.values()))
    at = begin(open_app, learner, scenario.id)
    assert submit_labels(at, "submit") == ["Submit my decision", *SURE_LABELS]
    at.radio(key="choice").set_value(0)
    at.button(key="submit_70").click().run()
    assert not at.exception
    assert "How sure you were:** 70%" in texts(at)
    assert store.choices_frame(learner)["confidence"].tolist() == [70]
    if scenario.is_ending(scenario.nodes[scenario.start].choices[0].next):
        return
    at.button(key="continue").click().run()
    choose(at, 0)  # plain Submit: no confidence stated, none saved
    assert "How sure you were" not in texts(at)
    saved = store.choices_frame(learner)["confidence"].tolist()
    assert saved[0] == 70 and pd.isna(saved[1])


def seed_practice(db_url: str, learner: str, count: int, start: int = 0) -> None:
    """``count`` practice answers (ids from ``start``) stated 90% sure, as the Practice
    page saves them."""
    practice = PracticeStore(make_engine(db_url))
    rng = random.Random(count)
    for n in range(start, start + count):
        item = draw(None, "MODEL", n)
        index = rng.randrange(len(item.labels))
        result = item.score(index, ())
        practice.record_practice(
            learner,
            PracticeAnswer(
                item_id=f"{n:032x}",
                template=item.template,
                seed=item.seed,
                side=item.skill.side,
                category=result.ruling.category,
                jurisdiction="MODEL",
                facts=item.facts,
                item=item.to_json(),
                choice_index=index,
                choice_label=item.labels[index],
                verdict=result.verdict,
                points=result.points,
                confidence=90,
            ),
        )


def calibration_charts(at: AppTest) -> list:
    return [c for c in at.get("plotly_chart") if "How sure you were" in c.proto.spec]


def test_progress_shows_calibration_only_with_enough_answers(
    db_url: str, open_app, learner: str
) -> None:
    seed_practice(db_url, learner, MIN_ANSWERS - 1)
    at = open_app("progress", learner=learner)
    assert not calibration_charts(at)
    assert f"once you have said how sure you were on {MIN_ANSWERS} decisions" in texts(at)
    assert dict((m.label, m.value) for m in at.metric)["Practice items"] == f"{MIN_ANSWERS - 1}"

    seed_practice(db_url, learner, 1, start=MIN_ANSWERS)  # one more: now enough
    at = open_app("progress", learner=learner)
    assert len(calibration_charts(at)) == 1
    assert "% sure" in texts(at) and "% of the time" in texts(at)
    assert "Practice skills" in [h.value for h in at.header]


def test_progress_tells_vignettes_from_practice(db_url: str, open_app, learner: str) -> None:
    seed_practice(db_url, learner, 3)
    at = open_app("progress", learner=learner)
    metrics = dict((m.label, m.value) for m in at.metric)
    assert (metrics["Vignette decisions"], metrics["Practice items"]) == ("0", "3")
    assert at.dataframe[-1].value.empty  # the attempts table: vignettes only
    at.radio(key="progress_source").set_value("Vignettes").run()
    assert "Nothing here yet from this source." in texts(at)
    at.radio(key="progress_source").set_value("Practice").run()
    assert at.get("plotly_chart")  # the practice items' own charts
