"""The Explorer page (AppTest) and its map figure: facts set with plain-word widgets, the
ruling, the counterfactuals and the side-by-side agree with the engine; the case
survives a trip through its link; a link's bad values become notices, never errors or
markup.

The page is opened through the app (``app.py``) once ``ui/navigation.py`` registers it,
and straight from its file before that, so these tests run either way.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from streamlit.testing.v1 import AppTest

from engine import load_profiles, rule
from engine.explore import compare, counterfactuals, situation_fields
from engine.facts import FACT_MODELS
from tests.app.conftest import APP, ROOT, TIMEOUT, texts
from ui import explorer_map, fact_widgets
from ui.explorer_view import aspects

PAGE = "ui/pages/explorer.py"
REGISTERED = PAGE in (ROOT / "ui" / "navigation.py").read_text(encoding="utf-8")
CA_CASE = {
    "situation": "threat_to_others",
    "victim": "identified",
    "imminence": "imminent",
    "intent": "stated",
    "plan": "true",
    "means": "true",
}


@pytest.fixture
def explorer(db_url: str) -> Callable[..., AppTest]:
    """``explorer(**query_params)``: a fresh session (a link opened) on the Explorer."""

    def opener(**params: str) -> AppTest:
        if REGISTERED:
            at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
            at.query_params.update(params)
            at.run()
            at.switch_page(PAGE).run()
        else:
            at = AppTest.from_file(str(ROOT / PAGE), default_timeout=TIMEOUT)
            at.query_params.update(params)
            at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return opener


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def widget_key(situation: str, name: str) -> str:
    return "explore_profession" if name == "profession" else f"explore_{situation}__{name}"


def set_fact(at: AppTest, situation: str, name: str, value: Any) -> AppTest:
    key = widget_key(situation, name)
    if isinstance(value, bool):
        at.checkbox(key=key).set_value(value)
    else:
        at.selectbox(key=key).set_value(value)
    return run(at)


def shown_facts(at: AppTest) -> dict[str, Any]:
    """The facts the widgets show."""
    situation = at.selectbox(key="explore_situation").value
    facts: dict[str, Any] = {"situation": situation}
    for name, values in situation_fields(situation).items():
        key = widget_key(situation, name)
        widget = at.checkbox(key=key) if values == (False, True) else at.selectbox(key=key)
        facts[name] = widget.value
    return facts


def params(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def map_spec(at: AppTest) -> dict[str, Any]:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def tiles(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each tile's code -> its trace, from a figure's JSON."""
    out = {}
    for trace in spec["data"]:
        for data in trace.get("customdata") or []:
            out[data[0]] = trace
    return out


def counterfactual_lines(at: AppTest) -> list[str]:
    return [
        line
        for element in at.markdown
        for line in str(element.value).splitlines()
        if line.startswith("- **") and "→" in line
    ]


# --- the page ------------------------------------------------------------------------------


def test_the_page_opens_on_the_starting_case_with_every_jurisdiction(explorer) -> None:
    at = explorer()
    assert at.title[0].value == "Law explorer"
    assert shown_facts(at) == {
        **fact_widgets.default_facts("threat_to_others"),
        **fact_widgets.STARTING_CASE,
    }
    spec = map_spec(at)
    rows = compare(shown_facts(at))
    assert set(tiles(spec)) == {row["code"] for row in rows} and len(rows) == 52
    assert any(s.value.startswith("Model profile") for s in at.subheader)
    # the case is in the URL at once, so the address bar is already a shareable link
    assert {k: params(at)[k] for k in CA_CASE} == CA_CASE
    assert "Education, not legal advice" in texts(at)


def test_choosing_a_jurisdiction_shows_its_ruling_and_counterfactuals(explorer) -> None:
    at = explorer()
    at.selectbox(key="explorer_jurisdiction").set_value("US-CA")
    run(at)
    assert params(at)["j"] == "US-CA"
    page = texts(at)
    ruling = rule(shown_facts(at), "US-CA")
    assert "California (US-CA)" in page
    assert "Must protect" in page
    assert "warn the intended victim and notify law enforcement" in page
    assert ruling.rules[0].citation.split(";")[0] in page
    expected = counterfactuals(shown_facts(at), "US-CA")
    lines = counterfactual_lines(at)
    assert len(lines) == len(expected) > 0
    assert any(
        line.startswith("- **Who is threatened:** no one who can be identified instead of")
        and "**may disclose**" in line
        for line in lines
    ), lines
    # the selected tile is outlined on the map
    spec = map_spec(at)
    trace = tiles(spec)["US-CA"]
    codes = [d[0] for d in trace["customdata"]]
    assert trace["marker"]["line"]["width"][codes.index("US-CA")] == explorer_map.SELECTED_LINE


def test_facts_set_with_widgets_reach_the_map_and_the_url(explorer) -> None:
    at = explorer()
    set_fact(at, "threat_to_others", "victim", "group")
    assert params(at)["victim"] == "group"
    assert params(at)["plan"] == "true"
    set_fact(at, "threat_to_others", "plan", False)
    assert "plan" not in params(at)  # back at the engine's default: left out of the link
    facts = shown_facts(at)
    spec = map_spec(at)
    by_code = {row["code"]: row["obligation"] for row in compare(facts)}
    for code, trace in tiles(spec).items():
        assert trace["name"] == explorer_map.obligation_short(by_code[code]), code


def test_switching_situation_drops_the_old_facts_from_the_link_and_remembers_them(
    explorer,
) -> None:
    at = explorer()
    at.selectbox(key="explore_situation").set_value("abuse")
    run(at)
    assert params(at)["situation"] == "abuse"
    assert not {"victim", "imminence", "intent", "plan", "means"} & set(params(at))
    set_fact(at, "abuse", "victim_group", "elder")
    assert params(at)["victim_group"] == "elder"
    at.selectbox(key="explore_situation").set_value("threat_to_others")
    run(at)
    assert {k: params(at)[k] for k in CA_CASE} == CA_CASE
    assert "victim_group" not in params(at)


def test_the_link_round_trip_reproduces_the_case(explorer) -> None:
    at = explorer()
    at.selectbox(key="explore_situation").set_value("disclosure_request")
    run(at)
    set_fact(at, "disclosure_request", "requester", "parent")
    set_fact(at, "disclosure_request", "parent_role", "minor_consented")
    set_fact(at, "disclosure_request", "authorization", "verbal")
    set_fact(at, "disclosure_request", "profession", "social_worker")
    at.selectbox(key="explorer_jurisdiction").set_value("US-NY")
    run(at)
    at.selectbox(key="explorer_compare").set_value("US-TX")
    run(at)
    link = params(at)
    assert link["compare"] == "US-TX" and link["j"] == "US-NY"
    before = shown_facts(at)

    again = explorer(**{k: v for k, v in link.items() if k != "learner"})
    assert shown_facts(again) == before
    assert again.selectbox(key="explorer_jurisdiction").value == "US-NY"
    assert again.selectbox(key="explorer_compare").value == "US-TX"
    assert not again.info, [i.value for i in again.info]  # nothing in it was refused
    assert [s.value for s in again.subheader] == [s.value for s in at.subheader]
    assert counterfactual_lines(again) == counterfactual_lines(at)
    # the link to share says the same, without the learner code
    shared = again.code[-1].value
    expected = {**fact_widgets.params_from_facts(before), "compare": "US-TX", "j": "US-NY"}
    assert shared == "explorer?" + urlencode(expected)
    assert "learner" not in shared


def test_bad_link_values_are_ignored_with_notices_and_never_shown(explorer) -> None:
    hostile = "<script>window.__pwned=1</script>"
    at = explorer(
        situation="threat_to_others",
        victim=hostile,
        plan="maybe",
        records="x" * 500,
        victim_group="child",  # a field of another situation
        compare="US-ZZ",
        imminence="imminent",
    )
    notices = [i.value for i in at.info]
    assert len(notices) == 5, notices
    page = texts(at) + str(params(at))
    assert "<script" not in page and "pwned" not in page and "x" * 50 not in page
    facts = shown_facts(at)
    defaults = fact_widgets.default_facts("threat_to_others")
    assert facts == {**defaults, "imminence": "imminent"}
    # the link now says only what the page shows
    assert params(at).get("victim") is None and "compare" not in params(at)
    assert params(at)["imminence"] == "imminent"


def test_an_unknown_situation_starts_the_default_one_with_a_notice(explorer) -> None:
    at = explorer(situation="gossip")
    assert at.selectbox(key="explore_situation").value == fact_widgets.DEFAULT_SITUATION
    assert any("situation" in i.value for i in at.info)


def test_a_combination_the_engine_refuses_is_explained_not_a_traceback(explorer) -> None:
    at = explorer()
    set_fact(at, "threat_to_others", "victim", "unidentifiable")
    set_fact(at, "threat_to_others", "victim_reachable", False)
    warnings = [w.value for w in at.warning]
    assert any(
        "do not fit together" in w and "The person threatened can be reached" in w for w in warnings
    ), warnings
    assert not at.get("plotly_chart") and "Traceback" not in texts(at)
    set_fact(at, "threat_to_others", "victim", "identified")  # fixed: the map is back
    assert len(at.get("plotly_chart")) == 1


def test_a_refused_combination_in_a_link_is_repaired_with_a_notice(explorer) -> None:
    at = explorer(situation="threat_to_others", victim="unidentifiable", victim_reachable="false")
    assert any("does not fit" in i.value for i in at.info)
    assert shown_facts(at)["victim_reachable"] is True
    assert len(at.get("plotly_chart")) == 1


def test_side_by_side_marks_the_parts_that_differ(explorer) -> None:
    at = explorer(**CA_CASE, j="US-CA", compare="US-TX")
    page = texts(at)
    assert "**Obligation** :orange-badge[differs]" in page
    assert "**What to disclose** :gray-badge[same]" in page
    assert "May disclose" in page and "Must protect" in page
    ca = aspects(rule({**CA_CASE, "plan": True, "means": True}, "US-CA"))
    tx = aspects(rule({**CA_CASE, "plan": True, "means": True}, "US-TX"))
    differ = sum(ca[name] != tx[name] for name in ca)
    assert f"**{differ} of {len(ca)}** parts differ" in page


# --- words, map and grid (no Streamlit run) ---------------------------------------------------


def test_every_field_and_value_has_plain_words() -> None:
    assert set(fact_widgets.SITUATION_LABELS) == set(FACT_MODELS)
    for situation in FACT_MODELS:
        for name, values in situation_fields(situation).items():
            assert name in fact_widgets.FIELD_LABELS, name
            if values != (False, True):
                assert set(values) <= set(fact_widgets.VALUE_LABELS[name]), name


def test_text_from_the_engine_is_escaped_before_it_is_shown() -> None:
    ruling = rule({"situation": "intake"}, "MODEL")
    hostile = ruling.model_copy(
        update={
            "rules": [
                ruling.rules[0].model_copy(update={"citation": "<img src=x> $5 ![p](http://x)"})
            ]
        }
    )
    shown = aspects(hostile)["Citations"]
    assert "<img" not in shown and "![" not in shown and r"\$5" in shown


def test_the_state_grid_has_each_state_and_dc_once() -> None:
    with open(explorer_map.GRID_FILE, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = [row["code"] for row in rows]
    assert sorted(codes) == sorted(set(load_profiles()) - {"MODEL"}) and len(codes) == 51
    cells = {(int(row["row"]), int(row["col"])) for row in rows}
    assert len(cells) == 51, "two states share a tile"
    assert all(row["label"] == row["code"].removeprefix("US-") for row in rows)
    assert all(0 <= r < explorer_map.ROWS and 0 <= c < explorer_map.COLS for r, c in cells), (
        "a tile outside the map"
    )
    model = explorer_map.MODEL_TILE
    assert not {(model.row, round(model.col - 0.5)), (model.row, round(model.col + 0.5))} & cells


def test_the_map_never_relies_on_colour_alone() -> None:
    rows = compare({**CA_CASE, "plan": True, "means": True})
    spec = explorer_map.map_figure(rows, "US-TX").to_plotly_json()
    by_code = tiles(spec)
    assert set(by_code) == {row["code"] for row in rows}
    for row in rows:
        trace = by_code[row["code"]]
        codes = [d[0] for d in trace["customdata"]]
        hover = trace["hovertext"][codes.index(row["code"])]
        if row["verified"]:
            assert "pattern" not in trace["marker"] and "Verified" in hover
        else:
            assert trace["marker"]["pattern"]["shape"] and "Unverified" in hover
        assert explorer_map.obligation_short(row["obligation"]) in hover
        assert f"<b>{explorer_map.load_grid()[row['code']].label}</b>" in trace["text"]
    legend = [t["name"] for t in spec["data"] if t.get("showlegend") is not False]
    assert explorer_map.UNVERIFIED_LEGEND in legend
    assert "Must protect (32)" in legend and "May disclose (20)" in legend


def test_a_click_selection_names_a_tile() -> None:
    assert explorer_map.code_from_selection({"points": [{"customdata": ["US-TX"]}]}) == "US-TX"
    assert explorer_map.code_from_selection({"points": [{"customdata": "US-CA"}]}) == "US-CA"
    assert explorer_map.code_from_selection({"points": []}) is None
    assert explorer_map.code_from_selection({"points": [{"customdata": ["<b>"]}]}) is None
    assert explorer_map.code_from_selection(None) is None
