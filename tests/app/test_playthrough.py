"""Full playthroughs on the real bank, through the real engine and a real database:
one per category, reload-and-resume, and a replay under another jurisdiction's law."""

from __future__ import annotations

from functools import cache

import pytest

from engine import load_profiles
from engine.scenarios import Scenario, load_bank
from engine.scenarios.paths import best_path
from storage import Store
from tests.app.conftest import ROOT, attempt_rows, begin, choose, press, texts
from ui.feedback import VERDICT_STYLE
from ui.resources import jurisdiction_label
from ui.text import as_text


@cache
def bank():
    return load_bank(ROOT / "scenarios")


def first_of_each_category() -> list[Scenario]:
    chosen: dict[str, Scenario] = {}
    for scenario in bank().scenarios.values():
        chosen.setdefault(scenario.category, scenario)
    return list(chosen.values())


def test_the_bank_has_vignettes_to_play() -> None:
    assert first_of_each_category(), "scenarios/ has no valid vignette"


def node_text_shown(at, scenario: Scenario, node_id: str) -> bool:
    first_line = scenario.nodes[node_id].text.strip().splitlines()[0].replace("$", r"\$")
    return first_line.replace("<", "&lt;") in texts(at)


@pytest.mark.parametrize("scenario", first_of_each_category(), ids=lambda s: s.category)
def test_best_path_playthrough(open_app, learner, store: Store, scenario: Scenario) -> None:
    path = best_path(scenario)
    assert path, f"{scenario.id} has no all-best path"
    at = begin(open_app, learner, scenario.id)
    attempt_id = at.query_params["attempt"]
    assert at.caption and scenario.nodes  # header drawn
    for step, (node_id, index, expected) in enumerate(path):
        assert node_text_shown(at, scenario, node_id), node_id
        options = at.radio(key="choice").options
        assert as_text(scenario.nodes[node_id].choices[index].label) in options
        choose(at, index, scenario.ideal_steps(node_id))
        # immediate feedback: verdict in words (a green "best" alert), points, the law
        assert any(f"({expected.points} points)" in s.value for s in at.success), node_id
        assert "What the law required here" in texts(at)
        if expected.ruling and expected.ruling.rules:
            assert expected.ruling.rules[0].citation in texts(at)
        # the choice was written when it was made, in its own row
        rows = attempt_rows(store, learner, attempt_id)
        assert len(rows) == step + 1
        row = rows.iloc[step]
        assert (row.node_id, row.choice_index, row.verdict, row.points) == (
            node_id,
            index,
            "best",
            100,
        )
        assert row.scenario_id == scenario.id and row.jurisdiction == scenario.jurisdiction
        press(at, "continue")
    # the ending: debrief, the path on the map, paths not taken, replay
    ending = scenario.nodes[path[-1][0]].choices[path[-1][1]].next
    assert scenario.is_ending(ending)
    page = texts(at)
    assert scenario.nodes[ending].debrief.strip().splitlines()[0][:40].replace("$", r"\$") in page
    assert len(at.get("graphviz_chart")) == 1
    # the same map in words, with the learner's choices marked, and no node ids or tokens
    assert any(e.label == "The map as a list" for e in at.expander)
    assert page.count("*your choice*") == len(path)
    assert "threat_to_others" not in page and "over_disclosure" not in page
    assert "Paths not taken" in page and "Replay under another jurisdiction" in page
    attempt = store.get_attempt(attempt_id, learner)
    assert attempt is not None and attempt.finished
    assert attempt.path == tuple((node_id, index) for node_id, index, _ in path)


def test_a_wrong_choice_branches_and_is_scored_as_such(open_app, learner, store) -> None:
    scenario, index, result = next(
        (scenario, i, scenario.score_choice(scenario.start, i))
        for scenario in bank().scenarios.values()
        for i in range(len(scenario.nodes[scenario.start].choices))
        if scenario.score_choice(scenario.start, i).verdict
        in ("over_disclosure", "under_disclosure")
    )
    start = scenario.nodes[scenario.start]
    at = begin(open_app, learner, scenario.id)
    choose(at, index, scenario.ideal_steps(scenario.start))
    # red, and the words say which way it went wrong (colour is never the only signal)
    assert VERDICT_STYLE[result.verdict][1] == "error"
    words = "Over-disclosure" if result.verdict == "over_disclosure" else "Under-disclosure"
    assert any(f"({result.points} points)" in e.value and words in e.value for e in at.error)
    press(at, "continue")
    target = start.choices[index].next
    if scenario.is_ending(target):
        assert "Debrief" in texts(at)
    else:
        assert node_text_shown(at, scenario, target)
        assert sorted(at.radio(key="choice").options) == sorted(
            as_text(c.label) for c in scenario.nodes[target].choices
        )
    rows = attempt_rows(store, learner, at.query_params["attempt"])
    assert list(rows["verdict"]) == [result.verdict] and list(rows["points"]) == [result.points]


def test_reload_and_resume_lands_on_the_same_node(open_app, learner, store) -> None:
    scenario = first_of_each_category()[0]
    path = best_path(scenario)
    at = begin(open_app, learner, scenario.id)
    attempt_id = at.query_params["attempt"]
    node_id, index, _ = path[0]
    choose(at, index, scenario.ideal_steps(node_id))
    here = scenario.nodes[node_id].choices[index].next
    shown = at.radio(key="choice") if at.radio else None
    assert shown is None  # the feedback replaces the form

    # a reload while the feedback is on screen: the choice is saved, the story moves on
    reloaded = open_app("play", learner=learner, attempt=attempt_id)
    assert node_text_shown(reloaded, scenario, here)
    options = reloaded.radio(key="choice").options
    assert sorted(options) == sorted(as_text(c.label) for c in scenario.nodes[here].choices)
    # the options keep their order across the reload (the order is the attempt's own)
    again = open_app("play", learner=learner, attempt=attempt_id)
    assert again.radio(key="choice").options == options
    assert any(e.label == "Your previous decision and its feedback" for e in reloaded.expander)

    # a return visit with only the learner code: Home offers to continue at that node
    home = open_app("home", learner=learner)
    assert "Continue where you left off" in texts(home)
    press(home, "home_continue")
    assert home.query_params["attempt"] == attempt_id
    assert node_text_shown(home, scenario, here)
    assert store.get_attempt(attempt_id, learner).current_node == here


def jurisdiction_sensitive() -> tuple[Scenario, list, str]:
    """A vignette whose best path scores differently under some other jurisdiction."""
    for scenario in bank().scenarios.values():
        path = best_path(scenario)
        for code in load_profiles():
            if code == scenario.jurisdiction:
                continue
            other = [scenario.score_choice(n, i, code, scenario.ideal_steps(n)) for n, i, _ in path]
            if [s.points for s in other] != [s.points for _, _, s in path]:
                return scenario, path, code
    raise AssertionError("no vignette whose scoring depends on the jurisdiction")


def test_replay_under_another_jurisdiction_rescores(open_app, learner, store) -> None:
    scenario, path, code = jurisdiction_sensitive()
    at = begin(open_app, learner, scenario.id)
    first = at.query_params["attempt"]
    for node_id, index, _ in path:
        choose(at, index, scenario.ideal_steps(node_id))
        press(at, "continue")
    at.selectbox(key=f"replay_{first}").set_value(code).run()
    assert any(f"Under {code}" in str(t.value) for t in at.table)
    press(at, "replay")
    second = at.query_params["attempt"]
    assert second != first
    assert jurisdiction_label(code) in at.caption[0].value
    for node_id, index, _ in path:
        choose(at, index, scenario.ideal_steps(node_id))
        press(at, "continue")
    before = attempt_rows(store, learner, first)
    after = attempt_rows(store, learner, second)
    assert set(after["jurisdiction"]) == {code}
    assert list(before["node_id"]) == list(after["node_id"])
    expected = [
        scenario.score_choice(n, i, code, scenario.ideal_steps(n)).points for n, i, _ in path
    ]
    assert list(after["points"]) == expected != list(before["points"])
