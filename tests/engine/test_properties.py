"""Invariants that follow from the law, checked on the whole fact space.

``sweep.run_sweep`` rules every valid facts object (every combination of every
situation's fields that the engine accepts) under every one of the 52 jurisdiction
profiles, for psychologists, and checks each invariant below on each ruling; the counts
it reports are asserted too, so the sweep cannot quietly shrink. The other professions
change rulings only through coverage and the ethics code cited; hypothesis samples the
same invariants across all five professions.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.facts import FACT_MODELS
from engine.profiles import LAW_DIR, load_profiles
from engine.vocabulary import PROFESSIONS
from tests.engine import sweep
from tests.engine.fact_space import situation_fields, valid_facts

CODES = sorted(load_profiles())
SHARED_TABLE = Path(__file__).resolve().parents[3] / "shared" / "domain" / "jurisdictions.csv"


@pytest.fixture(scope="module")
def outcome() -> sweep.Outcome:
    return sweep.run_sweep()


def test_the_sweep_covers_every_facts_object_under_every_profile(outcome: sweep.Outcome) -> None:
    expected = len(valid_facts())
    assert outcome.facts_objects == expected > 50_000
    assert outcome.rulings == expected * len(CODES)
    for name in sweep.INVARIANTS:
        assert outcome.checked[name] == outcome.rulings, name


@pytest.mark.parametrize("name", list(sweep.INVARIANTS))
def test_invariant_holds_on_the_whole_fact_space(outcome: sweep.Outcome, name: str) -> None:
    """cited: every ruling cites a rule and explains itself;
    shape: required steps are listed, discharge options only with must_protect, nothing
    disclosed where nothing may be;
    no_research_notes: no ruling cites our research notes (RULES.md, the CSV, "our
    sources"), only statutes, rules, codes and cases;
    best_action: the action the ruling describes scores best, 100 points;
    disallowed_recipients: telling anyone the law does not allow is a breach below 50
    points, and each such recipient is named;
    extra_step: a step that is not called for turns best into acceptable (70);
    checklist_covers: every step a ruling asks for can be ticked at such a decision;
    unidentifiable_victim: no duty to protect an unidentifiable victim where the statute
    requires an identifiable one;
    court_order: a court order for ordinary records is never answered without disclosing;
    authorization: a valid written authorization never makes a request less permitted.
    """
    problems = outcome.violations.get(name, [])
    assert not problems, "\n".join(problems)


@st.composite
def facts_objects(draw: st.DrawFn) -> dict[str, Any]:
    situation = draw(st.sampled_from(sorted(FACT_MODELS)))
    facts: dict[str, Any] = {
        "situation": situation,
        "jurisdiction": draw(st.sampled_from(CODES)),
        "profession": draw(st.sampled_from(PROFESSIONS)),
    }
    for name, values in situation_fields(situation).items():
        facts[name] = draw(st.sampled_from(values))
    return facts


@settings(max_examples=1500, deadline=None)
@given(facts_objects())
def test_every_profession_keeps_the_invariants(facts: dict[str, Any]) -> None:
    try:
        parsed = engine.facts.parse_facts(facts)
    except engine.InvalidInput:
        return  # a combination the models refuse is not a facts object
    ruling = engine.rule(parsed)
    for name, check in sweep.INVARIANTS.items():
        assert check(parsed, ruling) is None, (name, facts)


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


@pytest.mark.skipif(
    not SHARED_TABLE.exists(),
    reason=f"the research table {SHARED_TABLE} is not beside this checkout, so the copy "
    "cannot be compared with it",
)
def test_law_copy_matches_the_research_table() -> None:
    ours = (LAW_DIR / "jurisdictions.csv").read_bytes()
    assert ours == SHARED_TABLE.read_bytes(), "engine/law/jurisdictions.csv drifted from shared/"
