"""Exports: CSV a spreadsheet shows but never runs, xAPI statements valid against the
1.0.3 statement structure, and a learner who is a pseudonym and nothing more."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

import pandas as pd
import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import Engine, select

from engine.scenarios import Bank, load_bank
from storage import new_learner_code
from storage.cohorts import CHOICE_EXPORT_COLUMNS, Cohort, Cohorts
from storage.db import REPO_ROOT
from storage.demo import HOSTILE_NAMES, fill
from storage.exports import (
    ATTEMPT_EXPORT_COLUMNS,
    CHOICES_COLUMNS,
    attempts_export,
    choices_export,
    csv_bytes,
    iso_duration,
    spreadsheet_safe,
    statements,
)
from storage.schema import learners

SCHEMA = json.loads((Path(__file__).parent / "xapi_statement.schema.json").read_text())
HOME = "https://lab.example.edu"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(REPO_ROOT / "scenarios")


@pytest.fixture
def demo_class(engine: Engine, bank: Bank) -> tuple[Cohort, pd.DataFrame]:
    repo = Cohorts(engine)
    cohort = repo.create_cohort(
        new_learner_code(),
        name="=cmd|' /C calc'!A0",
        jurisdiction="US-CA",
        assigned=sorted(bank.scenarios)[:4],
        pass_mark=80,
    )
    fill(engine, bank, learner_count=10, choice_count=300, cohort=cohort)
    return cohort, repo.class_choices(cohort)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_are_made_text(start: str) -> None:
    frame = pd.DataFrame({"name": [start + "SUM(A1)", "plain"], "points": [-5, 100]})
    rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8"), newline="")))
    assert rows[1][0] == "'" + start + "SUM(A1)"
    assert rows[2][0] == "plain"
    assert rows[1][1] == "-5"  # numbers are numbers, negative ones included
    assert spreadsheet_safe(None) is None and spreadsheet_safe(7) == 7


def test_class_csvs_have_the_documented_columns_and_no_live_formula(
    demo_class: tuple[Cohort, pd.DataFrame],
) -> None:
    cohort, shared = demo_class
    for frame, columns in (
        (choices_export(cohort, shared), CHOICES_COLUMNS),
        (attempts_export(cohort, shared), ATTEMPT_EXPORT_COLUMNS),
    ):
        assert list(frame.columns) == columns
        rows = list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8"), newline="")))
        assert rows[0] == columns
        for row in rows[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
                assert not cell.startswith("-") or _number(cell), cell
        names = {r[columns.index("display_name")] for r in rows[1:]}
        assert any(n.startswith("'=") for n in names)  # the hostile names are there, defused
    assert CHOICES_COLUMNS == ["cohort", *CHOICE_EXPORT_COLUMNS]
    attempts = attempts_export(cohort, shared)
    assert int(attempts["choices"].sum()) == len(shared) == 300
    finished = attempts[attempts["finished_at"].notna()]
    assert (finished["passed"] == (finished["percent"] >= 80)).all()
    assert not attempts.loc[attempts["finished_at"].isna(), "passed"].any()


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_every_statement_is_valid_xapi_and_names_no_learner(
    engine: Engine, bank: Bank, demo_class: tuple[Cohort, pd.DataFrame]
) -> None:
    cohort, shared = demo_class
    made = statements(cohort, shared, bank.scenarios, HOME)
    validator = Draft202012Validator(SCHEMA)
    problems = [f"{s['id']}: {e.message}" for s in made for e in validator.iter_errors(s)]
    assert problems == []
    verbs = pd.Series([s["verb"]["display"]["en-US"] for s in made]).value_counts()
    finished = shared.loc[shared["finished_at"].notna(), "attempt_id"].nunique()
    assert verbs["answered"] == len(shared)
    assert verbs["completed"] == finished
    assert verbs.get("passed", 0) + verbs.get("failed", 0) == finished
    assert len({s["id"] for s in made}) == len(made)
    keys = set(_scalars(engine))
    text = json.dumps(made)
    assert not any(key in text for key in keys)  # the learner key (hash) never leaves
    for s in made:
        score = s["result"]["score"]
        assert score["min"] <= score["raw"] <= score["max"]
        assert score["scaled"] == pytest.approx(score["raw"] / 100, abs=1e-4)
        assert s["actor"]["account"]["homePage"] == HOME
        assert s["actor"]["account"]["name"] in set(shared["pseudonym"])
        assert str(uuid.UUID(s["context"]["registration"])).replace("-", "") in set(
            shared["attempt_id"]
        )
        if s["verb"]["display"]["en-US"] == "answered":
            definition = s["object"]["definition"]
            assert definition["interactionType"] == "choice"
            ids = {c["id"] for c in definition["choices"]}
            assert s["result"]["response"] in ids
            assert set(definition["correctResponsesPattern"]) <= ids
            extensions = s["result"]["extensions"]
            assert {k.rsplit("/", 1)[1] for k in extensions} >= {
                "category",
                "verdict",
                "jurisdiction",
                "rule-ids",
            }
            # each vignette under the law the class plays it under
            played = cohort.jurisdiction_for(bank.scenarios[row_of(s, shared)].jurisdiction)
            assert extensions[f"{HOME}/xapi/extensions/jurisdiction"] == played
            assert extensions[f"{HOME}/xapi/extensions/rule-ids"]  # the engine's rules
    # exporting again gives the same statements (an LRS sees a re-send as the same)
    assert statements(cohort, shared, bank.scenarios, HOME) == made


def row_of(statement: dict, shared: pd.DataFrame) -> str:
    """The scenario id of an ``answered`` statement's decision."""
    parts = statement["object"]["id"].split("/vignettes/")[1].split("/")
    assert parts[0] in set(shared["scenario_id"])
    return parts[0]


def _scalars(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(learners.c.learner_key)).scalars())


def test_the_schema_refuses_what_xapi_forbids() -> None:
    """The schema is not a rubber stamp: it refuses an email-less agent with two
    identifiers, an unknown interaction type and a bad duration."""
    validator = Draft202012Validator(SCHEMA)
    good = {
        "actor": {"account": {"homePage": HOME, "name": "abc"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": f"{HOME}/x", "definition": {"interactionType": "choice"}},
        "result": {"duration": "PT1M5.5S", "score": {"scaled": 0.5}},
    }
    assert not list(validator.iter_errors(good))
    bad_agent = {**good, "actor": {"mbox": "mailto:a@b.c", "account": good["actor"]["account"]}}
    bad_type = {**good, "object": {"id": f"{HOME}/x", "definition": {"interactionType": "pick"}}}
    bad_duration = {**good, "result": {"duration": "1 minute"}}
    bad_scaled = {**good, "result": {"score": {"scaled": 1.5}}}
    for statement in (bad_agent, bad_type, bad_duration, bad_scaled):
        assert list(validator.iter_errors(statement)), statement


def test_durations_are_iso_8601() -> None:
    assert iso_duration(pd.Timedelta(seconds=65.25)) == "PT1M5.25S"
    assert iso_duration(pd.Timedelta(hours=2, seconds=3)) == "PT2H3S"
    assert iso_duration(pd.Timedelta(seconds=-4)) == "PT0S"


def test_hostile_names_are_what_the_demo_uses() -> None:
    starts = {name[:1] for name in HOSTILE_NAMES}
    assert {"=", "+", "-", "@", "\t", "\r"} <= starts
