"""Each page renders; hostile scenario text stays text; forged codes and database
failures never show a traceback or another learner's data."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from engine import law_reviewed, load_profiles
from engine.scenarios import load_bank
from storage import Store, new_learner_code, parse_learner_code
from storage.exports import csv_bytes
from tests.app.conftest import (
    PAGES,
    ROOT,
    attempt_rows,
    begin,
    choose,
    failing_writes,
    press,
    texts,
)
from ui.text import as_text
from ui.words import humanize

STAFF_PAGES = {"instructor", "facilitate"}


@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_renders_without_exception(open_app, page: str) -> None:
    at = open_app(page)
    assert not at.exception
    assert at.title, "every page has a title"
    if page in STAFF_PAGES:
        assert "learner" not in at.query_params, "a staff page never carries a learner code"
    else:
        assert parse_learner_code(at.query_params["learner"]), "a new learner gets a code"


@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_renders_on_the_fixture_bank(fixture_bank, open_app, page: str) -> None:
    assert not open_app(page).exception


def test_home_says_what_it_is_and_is_not(open_app) -> None:
    at = open_app("home")
    page = texts(at)
    assert "Education, not legal advice" in page
    assert "Law last reviewed" in page
    year = law_reviewed()[:4]
    assert year in page
    assert "For** graduate students" in page


def test_home_offers_every_jurisdiction_with_unverified_marked(open_app) -> None:
    at = open_app("home")
    select = at.selectbox(key="home_jurisdiction")
    assert select.value == "MODEL"
    assert len(select.options) == len(load_profiles()) == 52
    unverified = [code for code, p in load_profiles().items() if not p.verified]
    assert unverified, "the research table has unverified profiles"
    labels = dict(zip(load_profiles(), select.options, strict=True))
    for code in unverified:
        assert labels[code].endswith("— unverified"), labels[code]
    verified = next(code for code, p in load_profiles().items() if p.verified and code != "MODEL")
    assert "unverified" not in labels[verified]


def test_jurisdiction_choice_is_kept_in_the_url_and_used_at_start(open_app, learner) -> None:
    at = open_app("home", learner=learner)
    at.selectbox(key="home_jurisdiction").set_value("US-TX").run()
    assert at.query_params["j"] == "US-TX"
    # a reload keeps it
    again = open_app("home", learner=learner, j="US-TX")
    assert again.selectbox(key="home_jurisdiction").value == "US-TX"
    scenario_id = next(iter(load_bank(ROOT / "scenarios").scenarios))
    again.selectbox(key="home_vignette").set_value(scenario_id).run()
    press(again, "home_start_chosen")
    assert again.selectbox(key=f"start_jurisdiction_{scenario_id}").value == "US-TX"


# --- hostile input ----------------------------------------------------------------------


def test_as_text_neutralises_html_and_latex() -> None:
    assert (
        as_text("<script>x()</script> <b>raw</b>") == "&lt;script>x()&lt;/script> &lt;b>raw&lt;/b>"
    )
    assert as_text("$20 and $30") == r"\$20 and \$30"
    assert as_text("**bold** > quote") == "**bold** > quote"
    assert as_text(None) == ""


def _no_raw_html(at: AppTest) -> None:
    page = texts(at) + "\n".join(str(r.options) for r in at.radio)
    assert "<script" not in page.lower()
    assert "<b>" not in page and "<img" not in page


def test_scenario_html_is_shown_as_text_on_every_page(fixture_bank, open_app, learner) -> None:
    home = open_app("home", learner=learner)
    _no_raw_html(home)
    assert "&lt;b>raw&lt;/b> intake &lt;script>" in texts(home)

    library = open_app("library", learner=learner)
    _no_raw_html(library)

    at = begin(open_app, learner, "fixture-hostile-intake")
    _no_raw_html(at)
    page = texts(at)
    assert "&lt;script>window.__pwned = 3&lt;/script>" in page
    assert r"co-pay is \$20 and \$30" in page
    options = at.radio(key="choice").options
    assert any(option.startswith("Explain the limits") for option in options)
    # a Markdown image in an option is broken up: nothing for the browser to fetch
    assert any("!\\[y]\\(http://127.0.0.9/x.png)" in option for option in options)
    choose(at, 0)
    _no_raw_html(at)
    assert "&lt;b>Good.&lt;/b>" in texts(at)
    press(at, "continue")
    _no_raw_html(at)
    assert "Limits come first, in plain words" in texts(at)
    assert "&lt;script>window.__pwned = 4" in texts(at)


def test_start_panel_shows_the_content_note_first(fixture_bank, open_app, learner) -> None:
    at = open_app("home", learner=learner)
    press(at, "home_start_fixture-hostile-intake")
    notes = [w.value for w in at.warning if "Content note" in w.value]
    assert notes and "&lt;script>alert(1)" in notes[0]
    assert not at.radio, "no decision before the learner begins"


def test_library_lists_broken_files_with_their_messages(fixture_bank, open_app) -> None:
    at = open_app("library")
    assert "Scenario files that failed validation" in texts(at)
    assert any("not playable" in w.value for w in at.warning)
    labels = [e.label for e in at.expander]
    assert "fixture-broken.yaml" in labels
    messages = "\n".join(c.value for c in at.code)
    assert "fixture-broken.yaml:3: CL013 node -: field category" in messages
    assert "/" not in messages.split(":", 1)[0], "no server paths shown"
    # playable ones are listed, the broken one is not
    keys = {b.key for b in at.button}
    assert "library_start_fixture-two-step" in keys
    assert "library_start_fixture-broken" not in keys


def test_library_filters_and_search(open_app) -> None:
    at = open_app("library")
    everything = [b.key for b in at.button if b.key.startswith("library_start_")]
    at.multiselect(key="library_category").set_value(["legal_process"]).run()
    legal = [b.key for b in at.button if b.key.startswith("library_start_")]
    assert legal and len(legal) < len(everything)
    at.text_input(key="library_search").set_value("zzzz-no-such-word").run()
    assert not [b for b in at.button if b.key.startswith("library_start_")]
    assert any("No vignette matches" in i.value for i in at.info)


# --- learner codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "forged",
    ["", "not-a-code", "A" * 25, "A" * 27, "' OR 1=1 --", "<script>alert(1)</script>", "Z" * 500],
)
def test_malformed_learner_code_starts_a_new_learner(open_app, forged: str) -> None:
    at = open_app("home", learner=forged)
    code = at.query_params["learner"]
    assert parse_learner_code(code) == code and code != forged
    assert any("not a valid code" in w.value for w in at.main.warning)
    at.switch_page(PAGES["progress"]).run()
    assert not at.exception and at.query_params["learner"] == code
    assert any("Nothing to show yet" in i.value for i in at.info)


def test_another_learners_attempt_is_never_shown(open_app, store: Store) -> None:
    owner = new_learner_code()
    attempt_id = store.start_attempt(owner, "fixture-x", "MODEL", "informed_consent", "intake")
    stranger = new_learner_code()
    at = open_app("play", learner=stranger, attempt=attempt_id)
    assert "attempt" not in at.query_params
    assert not at.radio
    progress = open_app("progress", learner=stranger)
    assert any("Nothing to show yet" in i.value for i in progress.info)


@pytest.mark.parametrize("attempt", ["", "x" * 500, "../../etc/passwd", "1; DROP TABLE attempts"])
def test_malformed_attempt_id_is_ignored(open_app, learner, attempt: str) -> None:
    at = open_app("play", learner=learner, attempt=attempt)
    assert not at.exception and "attempt" not in at.query_params


def test_code_from_another_device(open_app, learner) -> None:
    at = open_app("home")
    at.text_input(key="typed_code").set_value("this is not it")
    press(at, "use_code_submit")
    assert any("not a valid learner code" in e.value for e in at.error)
    assert at.query_params["learner"] != learner
    at.text_input(key="typed_code").set_value(learner.lower().replace("-", " "))
    press(at, "use_code_submit")
    assert at.query_params["learner"] == learner


# --- playing: feedback, saving, failures -----------------------------------------------------


def test_submit_without_a_choice_asks_for_one(fixture_bank, open_app, learner, store) -> None:
    at = begin(open_app, learner, "fixture-two-step")
    press(at, "submit")
    assert any("Choose one of the options" in w.value for w in at.warning)
    assert store.choices_frame(learner).empty


def test_feedback_names_verdict_points_rules_and_the_law(fixture_bank, open_app, learner) -> None:
    at = begin(open_app, learner, "fixture-two-step")
    choose(at, 1)  # "everything stays private": the act leaves out the required limits
    page = texts(at)
    alerts = [a.value for a in (*at.success, *at.info, *at.warning, *at.error)]
    assert any("(55 points)" in a and "required step is missing" in a for a in alerts), alerts
    assert "explain the limits of confidentiality" in page  # the fault, in words
    assert "What the law required here" in page
    assert "APA Ethics Code" in page  # a rule's citation
    assert "You chose:** Tell her that everything she says here stays private" in page
    assert "Steps you ticked:** none" in page


def test_steps_are_judged_apart_from_the_act(fixture_bank, open_app, learner, store) -> None:
    """The right act with a step that is not called for is acceptable, not best; the
    feedback says which step, and the saved row keeps the act and the ticks apart."""
    at = begin(open_app, learner, "fixture-two-step")
    choose(at, 0, ("document", "seek_authorization"))
    alerts = [a.value for a in at.info]
    assert any("(70 points)" in a and "Not called for here: ask the client" in a for a in alerts)
    page = texts(at)
    assert "Steps you ticked:** document what you did and why; ask the client" in page
    assert "✓ Ask the client for a signed authorization: not called for here" in page
    rows = attempt_rows(store, learner, at.query_params["attempt"])
    assert list(rows["steps"]) == ["document seek_authorization"]
    assert list(rows["verdict"]) == ["acceptable"]


def test_the_checklist_is_the_same_at_every_decision_of_a_situation(
    fixture_bank, open_app, learner
) -> None:
    """Nothing pre-ticked, a fixed order, and the boxes do not depend on the options."""
    at = begin(open_app, learner, "fixture-two-step")
    boxes = [box for box in at.checkbox if str(box.key).startswith("step_")]
    assert [box.key for box in boxes] == [
        "step_consult",
        "step_document",
        "step_seek_authorization",
    ]
    assert not any(box.value for box in boxes)


def test_database_error_shows_a_message_and_retry_saves_the_choice(
    fixture_bank, open_app, learner, store, db_url
) -> None:
    """The database refuses every try of the write (a real driver error on the app's
    SQLite file): the learner sees Retry, nothing is half-written, Retry saves it."""
    at = begin(open_app, learner, "fixture-two-step")
    with failing_writes(db_url, "INSERT INTO choices", times=4) as seen:
        choose(at, 0, ("document",))
    assert len(seen) == 4  # the store's own retries ran first
    assert any("press Retry" in e.value for e in at.error)
    assert "Traceback" not in texts(at)
    assert store.choices_frame(learner).empty
    press(at, "retry")
    assert not at.error
    attempt_id = at.query_params["attempt"]
    rows = attempt_rows(store, learner, attempt_id)
    assert list(rows["node_id"]) == ["intake"] and list(rows["verdict"]) == ["best"]
    assert list(rows["steps"]) == ["document"]
    press(at, "continue")
    assert any(o.startswith("Say nothing about her") for o in at.radio(key="choice").options)


def test_a_save_that_can_never_succeed_offers_to_reload_not_retry(
    fixture_bank, open_app, learner, store
) -> None:
    """Another tab saved a different choice for this step first: the store refuses this
    one for good, so the learner is offered what was saved, not a Retry that cannot work."""
    at = begin(open_app, learner, "fixture-two-step")
    attempt = store.get_attempt(at.query_params["attempt"], learner)
    assert attempt is not None
    store.record_choice(  # the other tab
        attempt_id=attempt.attempt_id,
        learner=learner,
        step=0,
        scenario_id="fixture-two-step",
        jurisdiction="MODEL",
        node_id="intake",
        choice_index=1,
        choice_label="Tell her that everything she says here stays private",
        verdict="process_error",
        points=55,
        category="informed_consent",
        next_node="family-call",
        steps=(),
    )
    choose(at, 0, ("document",))
    assert any("another tab" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "retry"]
    press(at, "reload_saved")
    assert not at.error, [e.value for e in at.error]
    assert at.radio(key="choice").options  # at the node the other tab moved on to
    assert any(o.startswith("Say nothing about her") for o in at.radio(key="choice").options)
    rows = attempt_rows(store, learner, attempt.attempt_id)
    assert list(rows["choice_index"]) == [1]  # the other tab's choice, once, untouched


def test_unreachable_database_is_a_message_not_a_traceback(open_app, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1")
    for page in ("play", "progress", "home"):
        at = open_app(page)
        shown = [e.value for e in (*at.error, *at.warning)]
        assert any("database" in message.lower() for message in shown), (page, shown)
        assert "Traceback" not in texts(at)


def test_csv_download_keeps_formulas_as_text() -> None:
    import pandas as pd

    data = csv_bytes(pd.DataFrame({"label": ["=HYPERLINK(1)", "plain"], "points": [-5, 100]}))
    assert b"'=HYPERLINK(1)" in data and b"-5" in data


def test_humanize_turns_tokens_into_words() -> None:
    assert humanize("recipient not permitted: intended_victim") == (
        "recipient not permitted: the intended victim"
    )
    assert re.search("document what you did", humanize("missing required step: document"))


def test_scenario_markdown_cannot_make_the_browser_fetch_outside_addresses() -> None:
    from ui.text import as_text

    shown = as_text("See ![pixel](https://tracker.example/p.png) or [this](https://x.example)")
    assert "![" not in shown and "](" not in shown
    assert "tracker.example/p.png" in shown  # still visible, as text
