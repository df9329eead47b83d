"""Property tests over the whole fact space (hypothesis): invariants that follow from the law."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.facts import FACT_MODELS
from engine.profiles import LAW_DIR, load_profiles
from engine.vocabulary import PROFESSIONS, RECIPIENTS
from tests.engine.fact_space import situation_fields

CODES = sorted(load_profiles())
PERMISSIVENESS = {
    "must_not_disclose": 0,
    "respond_without_disclosing": 1,
    "may_disclose": 2,
    "must_protect": 3,
    "must_disclose": 3,
}


@st.composite
def facts_objects(draw: st.DrawFn, situation: str | None = None) -> dict[str, Any]:
    situation = situation or draw(st.sampled_from(sorted(FACT_MODELS)))
    facts: dict[str, Any] = {
        "situation": situation,
        "jurisdiction": draw(st.sampled_from(CODES)),
        "profession": draw(st.sampled_from(PROFESSIONS)),
    }
    for name, values in situation_fields(situation).items():
        facts[name] = draw(st.sampled_from(values))
    return facts


def best_action(ruling: engine.Ruling) -> dict[str, Any]:
    """The action the ruling itself describes as best."""
    steps = list(ruling.steps)
    if ruling.obligation == "must_protect":
        option = ruling.discharge_options[0]
        to = [p for p in option if p in RECIPIENTS]
        steps += [p for p in option if p not in RECIPIENTS]
        if ruling.preferred_act == "disclose":  # a protective step beyond a bare report
            steps += ruling.protective_steps
    elif ruling.obligation == "must_disclose":
        to = list((ruling.report_options or [ruling.recipients])[0])
    elif ruling.obligation == "may_disclose" and ruling.preferred_act == "disclose":
        to = [ruling.recipients[0]]
    else:
        to = []
    action: dict[str, Any] = {"act": "disclose" if to else "keep_confidential", "steps": steps}
    if to:
        action.update(to=to, scope=ruling.scope)
    return action


@settings(max_examples=600, deadline=None)
@given(facts_objects())
def test_every_facts_object_gets_a_cited_ruling(facts: dict[str, Any]) -> None:
    ruling = engine.rule(facts)
    assert ruling.rules, "a ruling without a cited rule"
    assert all(r.citation.strip() and r.id and r.summary for r in ruling.rules)
    assert ruling.explanation.strip()
    assert set(ruling.required_steps) <= set(ruling.steps)
    if ruling.obligation == "must_protect":
        assert ruling.discharge_options
        assert ruling.discharge == ("all" if len(ruling.discharge_options) == 1 else "any")
    else:
        assert ruling.discharge is None and ruling.discharge_options is None
    if ruling.obligation in ("must_not_disclose", "respond_without_disclosing"):
        assert ruling.recipients == [] and ruling.scope == "none"


@settings(max_examples=600, deadline=None)
@given(facts_objects())
def test_every_ruling_has_a_best_action(facts: dict[str, Any]) -> None:
    ruling = engine.rule(facts)
    result = engine.score(best_action(ruling), facts)
    assert result.verdict == "best", (ruling.to_dict(), result.errors)
    assert result.points == 100


@settings(max_examples=400, deadline=None)
@given(facts_objects(), st.sampled_from(RECIPIENTS))
def test_a_recipient_the_law_does_not_allow_is_over_disclosure(
    facts: dict[str, Any], recipient: str
) -> None:
    ruling = engine.rule(facts)
    action = {"act": "disclose", "to": [recipient], "steps": list(ruling.steps)}
    result = engine.score(action, facts)
    if recipient not in ruling.recipients + ruling.also_permitted:
        assert result.verdict == "over_disclosure"
        assert result.points < 50
    if result.verdict in ("over_disclosure", "under_disclosure"):
        assert result.points < 50
    assert 0 <= result.points <= 100


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["disclosure_request", "legal_process"]).flatmap(facts_objects), st.data())
def test_valid_authorization_never_makes_a_request_less_permitted(
    facts: dict[str, Any], data: st.DataObject
) -> None:
    other = data.draw(st.sampled_from(["none", "invalid", "verbal", "revoked", "refused"]))
    with_valid = engine.rule({**facts, "authorization": "valid"})
    without = engine.rule({**facts, "authorization": other})
    assert PERMISSIVENESS[with_valid.obligation] >= PERMISSIVENESS[without.obligation]


@settings(max_examples=300, deadline=None)
@given(facts_objects("legal_process"))
def test_court_order_for_general_records_is_never_respond_without_disclosing(
    facts: dict[str, Any],
) -> None:
    facts = {**facts, "instrument": "court_order", "records": "general"}
    assert engine.rule(facts).obligation != "respond_without_disclosing"


@settings(max_examples=600, deadline=None)
@given(facts_objects("threat_to_others"))
def test_unidentifiable_victim_never_must_protect_where_one_is_required(
    facts: dict[str, Any],
) -> None:
    profile = load_profiles()[facts["jurisdiction"]]
    facts = {**facts, "victim": "unidentifiable"}
    if profile.victim_required != "none":
        assert engine.rule(facts).obligation != "must_protect"


def test_verified_follows_the_csv_verification_column_exactly() -> None:
    with open(LAW_DIR / "jurisdictions.csv", newline="", encoding="utf-8") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle) if row["code"].startswith("US-")}
    assert len(rows) == 51
    for code, row in rows.items():
        expected = row["verification"] == "statute_text"
        for facts in ({"situation": "intake"}, {"situation": "abuse", "victim_group": "child"}):
            ruling = engine.rule(facts, code)
            assert ruling.verified is expected, code
            assert (ruling.verification_note is None) is expected, code
    assert engine.rule({"situation": "intake"}).verified is True  # MODEL


def test_law_copy_matches_the_research_table() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "domain" / "jurisdictions.csv"
    ours = (LAW_DIR / "jurisdictions.csv").read_bytes()
    if shared.exists():  # beside the repo on developer machines and in CI
        assert ours == shared.read_bytes(), "engine/law/jurisdictions.csv drifted from shared/"
    assert b"US-CA" in ours
