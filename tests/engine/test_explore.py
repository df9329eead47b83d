"""The law explorer's engine functions: every jurisdiction at once, and the single facts
that change an answer, checked against ``engine.rule`` itself (not against hand-written
expectations), plus their command-line form."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import engine
from engine.explore import compare, counterfactuals, situation_fields
from engine.facts import FACT_MODELS, parse_facts
from engine.profiles import load_profiles
from engine.vocabulary import PROFESSIONS
from tests.engine.fact_space import situation_fields as space_fields

ROOT = Path(__file__).resolve().parents[2]
CODES = list(load_profiles())
CA_THREAT = {
    "situation": "threat_to_others",
    "victim": "identified",
    "imminence": "imminent",
    "intent": "stated",
    "plan": True,
    "means": True,
}
ROW_KEYS = {
    "code",
    "name",
    "verified",
    "obligation",
    "recipients",
    "discharge_options",
    "scope",
    "law_reviewed",
}
ITEM_KEYS = {"field", "from", "to", "obligation_before", "obligation_after"}


def sample_facts(per_situation: int, seed: int = 20261128) -> list[dict[str, Any]]:
    """Random facts objects the engine accepts, each situation equally, all professions,
    each with a jurisdiction drawn from the 52 profiles (seeded: the same every run)."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for situation in FACT_MODELS:
        fields = {**space_fields(situation), "profession": PROFESSIONS}
        found = 0
        while found < per_situation:
            facts = {"situation": situation}
            facts.update({name: rng.choice(values) for name, values in fields.items()})
            facts["jurisdiction"] = rng.choice(CODES)
            try:
                engine.rule(facts)
            except engine.InvalidInput:
                continue
            out.append(facts)
            found += 1
    return out


def brute_force(facts: dict[str, Any], code: str) -> list[tuple[str, Any, Any, str, str]]:
    """Every single-field change whose obligation differs, straight from engine.rule."""
    before = engine.rule(facts, code).obligation
    fields = {**space_fields(facts["situation"]), "profession": PROFESSIONS}
    parsed = parse_facts(facts).model_dump()
    found = []
    for name, values in fields.items():
        for value in values:
            if value == parsed[name]:
                continue
            try:
                after = engine.rule({**facts, name: value}, code).obligation
            except engine.InvalidInput:
                continue
            if after != before:
                found.append((name, parsed[name], value, before, after))
    return found


# --- compare ---------------------------------------------------------------------------


def test_compare_gives_every_profile_in_order_with_its_ruling() -> None:
    rows = compare({**CA_THREAT, "jurisdiction": "US-NY"})  # the facts' own is ignored
    assert [row["code"] for row in rows] == CODES and len(rows) == 52
    for row in rows:
        assert set(row) == ROW_KEYS
        ruling = engine.rule(CA_THREAT, row["code"])
        assert row["name"] == load_profiles()[row["code"]].name
        assert row["obligation"] == ruling.obligation
        assert row["recipients"] == ruling.recipients
        assert row["discharge_options"] == ruling.discharge_options
        assert (row["verified"], row["scope"], row["law_reviewed"]) == (
            ruling.verified,
            ruling.scope,
            ruling.law_reviewed,
        )
    by_code = {row["code"]: row for row in rows}
    assert by_code["US-CA"]["obligation"] == "must_protect"
    assert by_code["US-TX"]["obligation"] == "may_disclose"
    assert "intended_victim" not in by_code["US-TX"]["recipients"]
    assert any(not row["verified"] for row in rows) and by_code["MODEL"]["verified"]


def test_compare_is_plain_json() -> None:
    rows = compare({"situation": "abuse", "victim_group": "child"})
    assert json.loads(json.dumps(rows)) == rows


# --- counterfactuals ---------------------------------------------------------------------


def test_the_issue_example_if_the_victim_were_not_identifiable() -> None:
    items = counterfactuals(CA_THREAT, "US-CA")
    assert {
        "field": "victim",
        "from": "identified",
        "to": "unidentifiable",
        "obligation_before": "must_protect",
        "obligation_after": "may_disclose",
    } in items
    assert all(set(item) == ITEM_KEYS for item in items)
    assert all(item["obligation_before"] == "must_protect" for item in items)


def test_counterfactuals_default_to_the_facts_own_jurisdiction() -> None:
    facts = {**CA_THREAT, "jurisdiction": "US-TX"}
    assert counterfactuals(facts) == counterfactuals(CA_THREAT, "US-TX")
    assert counterfactuals(facts) != counterfactuals(facts, "US-CA")


@pytest.mark.parametrize("facts", sample_facts(per_situation=40), ids=lambda f: f["situation"])
def test_counterfactuals_match_the_engine_on_a_sample_of_the_fact_space(
    facts: dict[str, Any],
) -> None:
    """Exactly the single-field changes that change the obligation (none missed, none
    extra), each one true when the engine is asked about the changed facts."""
    code = facts["jurisdiction"]
    items = counterfactuals(facts, code)
    got = [
        (i["field"], i["from"], i["to"], i["obligation_before"], i["obligation_after"])
        for i in items
    ]
    assert sorted(got, key=repr) == sorted(brute_force(facts, code), key=repr)
    for item in items:
        changed = {**facts, item["field"]: item["to"]}
        assert engine.rule(changed, code).obligation == item["obligation_after"]
        assert item["from"] != item["to"]


def test_counterfactuals_come_in_form_order() -> None:
    """Field order as the model declares it (records and profession last), then value
    order, so the list is the same on every call and reads like the form."""
    for facts in sample_facts(per_situation=5, seed=7):
        items = counterfactuals(facts)
        order = list(situation_fields(facts["situation"]))
        positions = [
            (
                order.index(i["field"]),
                situation_fields(facts["situation"])[i["field"]].index(i["to"]),
            )
            for i in items
        ]
        assert positions == sorted(positions)
        assert counterfactuals(facts) == items
    assert list(situation_fields("threat_to_others"))[-2:] == ["records", "profession"]


def test_a_combination_the_models_refuse_is_skipped_not_raised() -> None:
    """victim 'unidentifiable' with an unreachable victim is not a fact: never offered."""
    facts = {**CA_THREAT, "victim_reachable": False}
    items = counterfactuals(facts, "US-MN")
    assert not any(i["field"] == "victim" and i["to"] == "unidentifiable" for i in items)


def test_situation_fields_cover_every_model_field() -> None:
    for situation, model in FACT_MODELS.items():
        fields = situation_fields(situation)
        assert set(fields) == set(model.model_fields) - {"jurisdiction", "situation"}
        assert all(len(values) >= 2 for values in fields.values())


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: compare({"situation": "threat_to_others", "victim": "named"}), "facts.victim"),
        (lambda: compare({"situation": "gossip"}), "facts.situation"),
        (lambda: compare("not a mapping"), "mapping"),
        (lambda: counterfactuals({"situation": "abuse"}, "US-CA"), "facts.victim_group"),
        (lambda: counterfactuals(CA_THREAT, "US-ZZ"), "jurisdiction"),
        (lambda: situation_fields("gossip"), "facts.situation"),
    ],
)
def test_bad_input_raises_invalid_input(call, fragment: str) -> None:  # noqa: ANN001
    with pytest.raises(engine.InvalidInput, match=fragment.replace(".", r"\.")):
        call()


# --- the command line ---------------------------------------------------------------------


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_compare_prints_every_jurisdiction(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text(json.dumps(CA_THREAT), encoding="utf-8")
    result = run("compare", "--facts", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == compare(CA_THREAT)


def test_cli_counterfactuals_prints_the_list() -> None:
    result = run(
        "counterfactuals", "--facts", "-", "--jurisdiction", "US-CA", stdin=json.dumps(CA_THREAT)
    )
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert items == counterfactuals(CA_THREAT, "US-CA")
    assert items and all(set(item) == ITEM_KEYS for item in items)


@pytest.mark.parametrize(
    ("args", "facts", "fragment"),
    [
        (("compare",), {"situation": "threat_to_others", "victim": "named"}, "facts.victim"),
        (("counterfactuals",), {"situation": "abuse"}, "facts.victim_group"),
        (("counterfactuals", "--jurisdiction", "US-ZZ"), CA_THREAT, "jurisdiction"),
        (("compare",), "{situation: [intake", "not valid JSON or YAML"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(args: tuple[str, ...], facts: Any, fragment: str) -> None:
    text = facts if isinstance(facts, str) else json.dumps(facts)
    result = run(*args, "--facts", "-", stdin=text)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], result.stderr
