"""Instructors and classes through the real app (AppTest): the passcode door, creating a
class, a learner joining with consent, the dashboard, items, exports, certificates, and
every refusal: no passcode, wrong passcode, another instructor's class, another
learner's data."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, func, select, update
from streamlit.testing.v1 import AppTest

from engine.scenarios import Scenario, load_bank
from storage import Store, make_engine, new_learner_code
from storage.cohorts import Cohort, Cohorts
from storage.db import REPO_ROOT
from storage.demo import fill
from storage.passcode import hash_passcode
from storage.schema import choices, passcode_failures, utcnow
from tests.app.conftest import texts
from ui.feedback import VERDICT_WORDS
from ui.instructor.gate import HOW_TO_CONFIGURE, PASSCODE_ENV, PLAIN_PASSCODE
from ui.instructor.item_preview import preview_keys
from ui.words import STEP_LABELS

PASSCODE = "a long passcode for tests"
ASSIGNED = ["consent-mom-on-line-two", "consent-back-on-the-route"]


@pytest.fixture(scope="module")
def passcode_hash() -> str:
    return hash_passcode(PASSCODE)


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, passcode_hash: str, db_url: str) -> str:
    monkeypatch.setenv(PASSCODE_ENV, passcode_hash)
    return db_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def button(at: AppTest, label: str) -> AppTest:
    matches = [b for b in at.button if b.label == label]
    assert matches, (label, [b.label for b in at.button])
    matches[0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def sign_in(open_app: Callable[..., AppTest], code: str | None = None) -> AppTest:
    """Through the door: passcode, then an instructor code (new if ``code`` is None)."""
    at = open_app("instructor")
    at.text_input[0].input(PASSCODE)
    button(at, "Open the instructor pages")
    if code is None:
        button(at, "Start as a new instructor")
    else:
        at.text_input[0].input(code)
        button(at, "Use this code")
    return at


def new_class(at: AppTest, name: str = "PSY 610 =Ethics", jurisdiction: str = "US-CA") -> AppTest:
    at.text_input[0].input(name)
    at.selectbox[-1].set_value(jurisdiction)
    at.multiselect[0].set_value(ASSIGNED)
    return button(at, "Create the class")


def instructor_code(at: AppTest) -> str:
    return at.code[0].value


def the_cohort(engine: Engine, code: str) -> Cohort:
    classes = Cohorts(engine).instructor_cohorts(code)
    assert len(classes) == 1
    return classes[0]


def test_without_a_configured_passcode_the_page_says_how_to_set_one(
    open_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSCODE_ENV, raising=False)
    at = open_app("instructor")
    assert HOW_TO_CONFIGURE in [i.value for i in at.info]
    assert not at.text_input  # no form to guess into


def test_a_plain_passcode_in_the_configuration_is_refused(
    open_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSCODE_ENV, PASSCODE)
    at = open_app("instructor")
    assert PLAIN_PASSCODE in [e.value for e in at.error]
    assert not at.text_input


def test_wrong_passcodes_are_refused_and_slow_down(
    open_app: Callable[..., AppTest], configured: str, engine: Engine
) -> None:
    at = open_app("instructor")
    at.text_input[0].input("not the passcode")
    button(at, "Open the instructor pages")
    assert "That passcode is not right." in [e.value for e in at.error]
    assert "Instructor code" not in [t.label for t in at.text_input]
    with engine.begin() as conn:  # as after many wrong guesses just now
        assert conn.execute(select(passcode_failures.c.failures)).scalar_one() == 1
        conn.execute(update(passcode_failures).values(failures=8, last_failed_at=utcnow()))
    at.text_input[0].input(PASSCODE)  # even the right passcode waits
    button(at, "Open the instructor pages")
    assert any("Too many wrong passcodes" in e.value for e in at.error)
    assert "Instructor code" not in [t.label for t in at.text_input]


def test_instructor_pages_never_show_a_learner_code(
    open_app: Callable[..., AppTest], configured: str
) -> None:
    learner = new_learner_code()
    at = open_app("instructor", learner=learner)
    assert "learner" not in at.query_params
    assert learner not in texts(at) and "Your learner code" not in texts(at)


def test_create_a_class_join_with_consent_and_see_the_dashboard(
    open_app: Callable[..., AppTest], configured: str, engine: Engine
) -> None:
    at = sign_in(open_app)
    code = instructor_code(at)
    new_class(at)
    cohort = the_cohort(engine, code)
    assert cohort.jurisdiction == "US-CA" and list(cohort.assigned) == ASSIGNED
    assert cohort.join_code in texts(at)
    assert any("Nothing shared yet" in i.value for i in at.info)

    # a learner joins from the link; nothing happens until they agree
    learner = new_learner_code()
    page = open_app("class", learner=learner, join=cohort.join_code)
    assert "What your instructor will see" in texts(page)
    page.text_input(key="class_join_code")  # prefilled from the link
    button(page, "Join the class")
    assert any("Tick the box" in e.value for e in page.error)
    assert Cohorts(engine).membership(learner, cohort.cohort_id) is None
    page.checkbox[0].check()
    page.text_input[1].input("=Ana")
    button(page, "Join the class")
    membership = Cohorts(engine).membership(learner, cohort.cohort_id)
    assert membership is not None and membership.display_name == "=Ana"
    assert "=Ana" not in [m.value for m in page.markdown]  # the name is not echoed as markup

    # the class fills up; the dashboard shows it to its instructor
    fill(
        engine,
        load_bank(REPO_ROOT / "scenarios"),
        learner_count=15,
        choice_count=450,
        cohort=cohort,
    )
    button(at, "Refresh the numbers")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Members sharing"] == "16" and metrics["Choices shared"] == "450"
    assert len(at.get("plotly_chart")) >= 4
    assert "Learners who may need help" in [s.value for s in at.subheader]

    # items: the most-missed decision first, with its option chart
    at.button_group(key="instructor_section").set_value("Items").run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("decisions answered" in m.value for m in at.markdown)
    assert at.selectbox(key="item_choice").options
    assert at.get("plotly_chart")
    try_the_item_as_a_learner(at, cohort, engine)

    # exports: the three files, built on demand
    at.button_group(key="instructor_section").set_value("Exports").run()
    assert not at.exception, [e.message for e in at.exception]
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Attempts (CSV)", "Choices (CSV)", "xAPI statements (JSON)"]
    assert "No LRS is configured" in texts(at)


def try_the_item_as_a_learner(at: AppTest, cohort: Cohort, engine: Engine) -> None:
    """The item page's preview: the learner's form, the engine's verdict under the
    class's law for the act and the ticked steps, and nothing written to the database."""
    scenarios = load_bank(REPO_ROOT / "scenarios").scenarios

    def law_of(scenario: Scenario) -> str | None:
        return scenario.override_for(cohort.jurisdiction_for(scenario.jurisdiction))

    def best_act(scenario: Scenario, node_id: str) -> int:
        every = tuple(scenario.checklist(node_id))
        return max(
            range(len(scenario.nodes[node_id].choices)),
            key=lambda i: scenario.score_choice(node_id, i, law_of(scenario), every).points,
        )

    def steps_matter(key: tuple[str, str]) -> bool:
        """A decision where the best act scores differently with every box ticked."""
        scenario, node_id = scenarios[key[0]], key[1]
        best = best_act(scenario, node_id)
        every = tuple(scenario.checklist(node_id))
        law = law_of(scenario)
        return (
            scenario.score_choice(node_id, best, law, every).points
            != scenario.score_choice(node_id, best, law, ()).points
        )

    menu = at.selectbox(key="item_choice")
    answered = [
        (scenario_id, node_id)
        for scenario_id in ASSIGNED
        for node_id, node in scenarios[scenario_id].nodes.items()
        if node.choices and menu.format_func((scenario_id, node_id)) in menu.options
    ]
    item = next(k for k in answered if steps_matter(k))
    menu.set_value(item).run()
    scenario, node_id = scenarios[item[0]], item[1]
    choice_key, step_prefix = preview_keys(scenario, node_id)
    before = choice_count(engine)

    [b for b in at.button if b.label == "Submit (preview)"][0].click().run()
    assert any("Choose one of the options" in w.value for w in at.warning)

    # every option a learner sees, in the learner's words, and the situation's checklist
    radio = at.radio(key=choice_key)
    labels = [c.label for c in scenario.nodes[node_id].choices]
    assert sorted(radio.options) == sorted(labels)
    checklist = tuple(scenario.checklist(node_id))
    assert [at.checkbox(key=step_prefix + s).label for s in checklist] == [
        STEP_LABELS[s] for s in checklist
    ]
    best = best_act(scenario, node_id)
    radio.set_value(best)
    for step in checklist:
        at.checkbox(key=step_prefix + step).check()
    [b for b in at.button if b.label == "Submit (preview)"][0].click().run()
    assert not at.exception, [e.message for e in at.exception]
    expected = scenario.score_choice(node_id, best, law_of(scenario), checklist)
    assert f"{VERDICT_WORDS[expected.verdict]}** ({expected.points} points)" in texts(at)
    assert choice_count(engine) == before


def choice_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(choices)).scalar_one()


def test_another_instructor_sees_none_of_it(
    open_app: Callable[..., AppTest], configured: str, engine: Engine
) -> None:
    first = sign_in(open_app)
    new_class(first, name="Mine")
    second = sign_in(open_app)
    assert instructor_code(second) != instructor_code(first)
    assert "You have no classes yet" in texts(second)
    assert "Mine" not in texts(second)
    # the same passcode with the first instructor's code shows the class again
    again = sign_in(open_app, instructor_code(first))
    assert "Mine" in [h.value for h in again.header]


def test_a_learner_sees_only_their_own_standing(
    open_app: Callable[..., AppTest], configured: str, engine: Engine
) -> None:
    repo = Cohorts(engine)
    cohort = repo.create_cohort(
        new_learner_code(), name="CE", jurisdiction="MODEL", assigned=ASSIGNED[:1], pass_mark=0
    )
    strong, weak = new_learner_code(), new_learner_code()
    for learner in (strong, weak):
        repo.join(learner, cohort.join_code, consented=True, display_name=None)
    _finish(engine, strong, ASSIGNED[0])
    page = open_app("class", learner=weak)
    assert "not finished yet" in texts(page)
    assert "Make my certificate" not in [b.label for b in page.button]
    page = open_app("class", learner=strong)
    assert "passed: best score" in texts(page)


def _finish(engine: Engine, learner: str, scenario_id: str) -> None:
    """Play a vignette to its end with the best act and steps at every decision."""
    scenario = load_bank(REPO_ROOT / "scenarios").scenarios[scenario_id]
    store = Store(engine)
    attempt = store.start_attempt(learner, scenario_id, "MODEL", scenario.category, scenario.start)
    node, step = scenario.start, 0
    while not scenario.is_ending(node):
        choices = scenario.nodes[node].choices
        index = next(
            i
            for i in range(len(choices))
            if scenario.score_choice(node, i, "MODEL").verdict == "best"
        )
        steps = scenario.ideal_steps(node, "MODEL")
        score = scenario.score_choice(node, index, "MODEL", steps)
        step += 1
        store.record_choice(
            attempt_id=attempt,
            learner=learner,
            step=step,
            scenario_id=scenario_id,
            jurisdiction="MODEL",
            node_id=node,
            choice_index=index,
            choice_label=choices[index].label,
            verdict=score.verdict,
            points=score.points,
            category=scenario.category,
            next_node=choices[index].next,
            steps=steps,
        )
        node = choices[index].next
    store.finish_attempt(attempt, learner)


def test_certificate_when_complete_and_its_lookup(
    open_app: Callable[..., AppTest], configured: str, engine: Engine
) -> None:
    at = sign_in(open_app)
    code = instructor_code(at)
    new_class(at, name="CE: consent", jurisdiction="MODEL")
    cohort = the_cohort(engine, code)
    learner = new_learner_code()
    Cohorts(engine).join(learner, cohort.join_code, consented=True, display_name="Ana")
    for scenario_id in ASSIGNED:
        _finish(engine, learner, scenario_id)
    page = open_app("class", learner=learner)
    assert any("Complete: 100% overall" in s.value for s in page.success)
    page.text_input[-1].input("Dr. Ana Ruiz")
    button(page, "Make my certificate")
    downloads = page.get("download_button")
    assert [d.proto.label for d in downloads] == ["Download the certificate (PDF)"]
    issued = next(c.value for c in page.caption if c.value.startswith("Certificate id"))
    certificate_id = issued.split()[2].rstrip(":")
    # the instructor confirms it by id; another instructor cannot
    at.button_group(key="instructor_section").set_value("Certificates").run()
    at.text_input[-1].input(certificate_id)
    button(at, "Look it up")
    assert "This certificate is genuine." in [s.value for s in at.success]
    stranger = sign_in(open_app)
    new_class(stranger, name="Other")
    stranger.button_group(key="instructor_section").set_value("Certificates").run()
    stranger.text_input[-1].input(certificate_id)
    button(stranger, "Look it up")
    assert "No certificate with that id was issued in your classes." in [
        e.value for e in stranger.error
    ]


def test_leaving_a_class(open_app: Callable[..., AppTest], engine: Engine) -> None:
    repo = Cohorts(engine)
    cohort = repo.create_cohort(
        new_learner_code(), name="Seminar", jurisdiction="MODEL", assigned=ASSIGNED
    )
    learner = new_learner_code()
    repo.join(learner, cohort.join_code, consented=True, display_name=None)
    page = open_app("class", learner=learner)
    assert "Seminar" in [s.value for s in page.subheader]
    button(page, "Leave the class")
    assert repo.membership(learner, cohort.cohort_id) is None
    assert "You are not in a class" in texts(page)


def test_play_from_a_class_opens_the_vignette_under_its_own_law(
    open_app: Callable[..., AppTest], engine: Engine
) -> None:
    """A vignette written for a state is played under that state's law (its options
    were written for it); a model-law one under the class's jurisdiction."""
    bank = load_bank(REPO_ROOT / "scenarios")
    state = next(s for s in bank.scenarios.values() if s.jurisdiction not in ("MODEL", "US-CA"))
    model = next(s for s in bank.scenarios.values() if s.jurisdiction == "MODEL")
    repo = Cohorts(engine)
    cohort = repo.create_cohort(
        new_learner_code(), name="CA class", jurisdiction="US-CA", assigned=[state.id, model.id]
    )
    learner = new_learner_code()
    repo.join(learner, cohort.join_code, consented=True, display_name=None)
    for scenario, law in ((state, state.jurisdiction), (model, "US-CA")):
        page = open_app("class", learner=learner)
        button_key = f"class_play_{cohort.cohort_id}_{scenario.id}"
        page.button(key=button_key).click().run()
        assert not page.exception, [e.message for e in page.exception]
        assert page.query_params.get("scenario") == scenario.id
        assert page.selectbox(key=f"start_jurisdiction_{scenario.id}").value == law
        assert "Begin the vignette" in [b.label for b in page.button]  # content note first
