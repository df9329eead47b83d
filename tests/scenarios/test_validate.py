"""Each validator check, fed a broken copy of a valid fixture.

Every case asserts that a diagnostic names the file, the node and the field, that its
line is the one to edit, and that the printed line has the compiler-style format.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import engine.scenarios.check_cues as check_cues_module
import engine.scenarios.check_engine as check_engine_module
import engine.scenarios.check_graph as check_graph_module
import engine.scenarios.check_schema as check_schema_module
import engine.scenarios.diagnostics as diagnostics_module
import engine.scenarios.loader as loader_module
import engine.scenarios.schema as schema_module
from engine.scenarios import validate as validate_module
from engine.scenarios.loader import load_paths
from tests.scenarios.conftest import (
    LINE,
    VALID,
    edit_data,
    fixture_text,
    replace_once,
    run_cli,
)

R = replace_once


@dataclass(frozen=True)
class Case:
    """A breakage and what the validator must say about it."""

    id: str
    edit: Callable[[str], str | bytes]
    code: str
    node: str  # "-" for none
    field: str | None  # "-" for none; None: do not check
    line_has: str | None  # text on the line the diagnostic points at
    fixture: str = "intake-basics"
    name: str | None = None  # the broken file's stem, if not the fixture's


def _trap(data: dict) -> None:
    """worries and loop lead only to each other: a cycle with no way out."""
    nodes = data["nodes"]
    for choice in nodes["worries"]["choices"]:
        choice["next"] = "loop"
    nodes["loop"] = {
        "text": "Round and round.",
        "facts": {"situation": "intake"},
        "choices": [
            {"label": "Again", "action": {"act": "keep_confidential"}, "next": "worries"},
            {"label": "And again", "action": {"act": "keep_confidential"}, "next": "loop"},
        ],
    }


def _no_endings(data: dict) -> None:
    nodes = data["nodes"]
    for node_id in ("records-request", "promise-made", "privilege-kept", "chart-sent", "confirmed"):
        del nodes[node_id]
    for node_id in ("first-session", "worries"):
        for choice in nodes[node_id]["choices"]:
            choice.pop("expect", None)
            choice["next"] = "worries" if node_id == "first-session" else "first-session"


def _all_best(data: dict) -> None:
    for choice in data["nodes"]["first-session"]["choices"]:
        choice["action"] = {"act": "keep_confidential", "steps": ["explain_limits", "document"]}
        choice.pop("expect", None)


FACTS_LP = "    facts: {situation: legal_process, instrument: subpoena}"
PROMISE_ACTION = "action: {act: keep_confidential}\n        next: promise-made\n        expect"
PROMISE_NEXT = "next: promise-made\n        expect: process_error"
BEST_INTAKE = "steps: [explain_limits]}\n        next: records-request\n        expect: best"
WORRIES_FACTS = (
    "    facts: {situation: intake}\n    choices:\n      - label: Explain the limits now"
)
CASES = [
    # YAML (CL001-CL005)
    Case(
        "syntax",
        lambda t: R(t, "title: The first session", "title: The first: session"),
        "CL001",
        "-",
        "-",
        "title:",
    ),
    Case("tab", lambda t: R(t, "    text: They say", "\ttext: They say"), "CL001", "-", "-", None),
    Case("empty", lambda t: "", "CL002", "-", "-", None),
    Case("only-comments", lambda t: "# nothing yet\n", "CL002", "-", "-", None),
    Case("top-level-list", lambda t: "- id: intake-basics\n", "CL002", "-", "-", "- id"),
    Case("top-level-text", lambda t: "just some text\n", "CL002", "-", "-", None),
    Case(
        "python-tag",
        lambda t: R(
            t, "title: The first session", "title: !!python/object/apply:os.system ['true']"
        ),
        "CL003",
        "-",
        "title",
        "title:",
    ),
    Case(
        "custom-tag",
        lambda t: R(
            t, "    text: You promised", "    text: !include other.md\n    x: You promised"
        ),
        "CL003",
        "promise-made",
        "text",
        "!include",
    ),
    Case(
        "duplicate-node",
        lambda t: R(t, "  privilege-kept:\n", "  promise-made:\n"),
        "CL004",
        "promise-made",
        "-",
        "promise-made:",
    ),
    Case(
        "duplicate-field",
        lambda t: R(t, "    text: You promised", "    text: Twice.\n    text: You promised"),
        "CL004",
        "promise-made",
        "text",
        "You promised",
    ),
    Case(
        "not-utf8",
        lambda t: t.encode().replace(b"The first session", b"The first \xff session"),
        "CL005",
        "-",
        "-",
        None,
    ),
    Case(
        "alias",
        lambda t: R(t, "tags: [intake, subpoena]", "tags: &t [intake, subpoena]\nextra: *t"),
        "CL005",
        "-",
        "extra",
        "*t",
    ),
    Case(
        "too-deep",
        lambda t: R(t, "tags: [intake, subpoena]", "tags: " + "[" * 60 + "]" * 60),
        "CL005",
        "-",
        None,
        "tags:",  # field: the path of the deepest list
    ),
    Case("too-large", lambda t: t + "# " + "x" * 1_000_001 + "\n", "CL005", "-", "-", None),
    # schema (CL010-CL013)
    Case(
        "unknown-top-field",
        lambda t: R(t, "title: The first", "titel: The first"),
        "CL010",
        "-",
        "titel",
        "titel:",
    ),
    Case(
        "unknown-node-field",
        lambda t: R(t, "    debrief: Never", "    debreif: Never"),
        "CL010",
        "promise-made",
        "debreif",
        "debreif:",
    ),
    Case(
        "unknown-choice-field",
        lambda t: R(t, "      - label: Reassure them", "      - lable: Reassure them"),
        "CL010",
        "first-session",
        "choices[1].lable",
        "lable:",
    ),
    Case(
        "missing-summary",
        lambda t: R(
            t,
            "summary: A new client asks whether what they say stays private, then a subpoena arrives.\n",
            "",
        ),
        "CL011",
        "-",
        "summary",
        None,
    ),
    Case(
        "missing-node-text",
        lambda t: R(
            t, '    text: Months later an attorney\'s subpoena asks for "all records".\n', ""
        ),
        "CL011",
        "records-request",
        "text",
        "records-request:",
    ),
    Case(
        "missing-next",
        lambda t: R(t, "        next: worries\n", ""),
        "CL011",
        "first-session",
        "choices[2].next",
        "- label: Ask what worries",
    ),
    Case(
        "quoted-number",
        lambda t: R(t, "difficulty: 1", 'difficulty: "1"'),
        "CL012",
        "-",
        "difficulty",
        "difficulty:",
    ),
    Case(
        "difficulty-range",
        lambda t: R(t, "difficulty: 1", "difficulty: 4"),
        "CL012",
        "-",
        "difficulty",
        "difficulty:",
    ),
    Case(
        "minutes-range",
        lambda t: R(t, "minutes: 5", "minutes: 0"),
        "CL012",
        "-",
        "minutes",
        "minutes:",
    ),
    Case(
        "no-objectives",
        lambda t: R(
            t,
            "learning_objectives:\n  - Explain the limits of confidentiality at the outset.\n  - Answer a subpoena without disclosing.",
            "learning_objectives: []",
        ),
        "CL012",
        "-",
        "learning_objectives",
        "learning_objectives:",
    ),
    Case(
        "id-not-slug",
        lambda t: R(t, "id: intake-basics", "id: Intake_Basics"),
        "CL012",
        "-",
        "id",
        "id:",
    ),
    Case(
        "quoted-bool",
        lambda t: R(
            t, "    ending: true\n    debrief: Never", '    ending: "yes"\n    debrief: Never'
        ),
        "CL012",
        "promise-made",
        "ending",
        "ending:",
    ),
    Case(
        "blank-label",
        lambda t: R(t, "label: Ask what worries them before answering", "label: '   '"),
        "CL012",
        "first-session",
        "choices[2].label",
        "label:",
    ),
    Case(
        "nodes-as-list",
        lambda t: edit_data(t, lambda d: d.update(nodes=list(d["nodes"].values()))),
        "CL012",
        "-",
        "nodes",
        "nodes:",
    ),
    Case(
        "choice-not-mapping",
        lambda t: R(
            t,
            "      - label: Go back to the consent form\n        action: {act: keep_confidential}\n        next: first-session\n",
            "      - go back\n",
        ),
        "CL012",
        "worries",
        "choices[1]",
        "- go back",
    ),
    Case(
        "bad-node-id",
        lambda t: R(
            R(t, "  worries:\n", "  what worries:\n"), "next: worries", "next: what worries"
        ),
        "CL012",
        "what worries",
        "-",
        "what worries:",
    ),
    Case(
        "category-list",
        lambda t: R(t, "category: informed_consent", "category: informed-consent"),
        "CL013",
        "-",
        "category",
        "category:",
    ),
    Case(
        "expect-list",
        lambda t: R(t, "expect: process_error", "expect: process-error"),
        "CL013",
        "first-session",
        "choices[1].expect",
        "expect:",
    ),
    Case(
        "profession-list",
        lambda t: R(t, "profession: counselor", "profession: therapist"),
        "CL013",
        "-",
        "profession",
        "profession:",
    ),
    # engine vocabulary (CL020-CL022)
    Case(
        "facts-value",
        lambda t: R(t, FACTS_LP, FACTS_LP.replace("subpoena}", "subpena}")),
        "CL020",
        "records-request",
        "facts.instrument",
        "instrument: subpena",
    ),
    Case(
        "facts-unknown-field",
        lambda t: R(t, FACTS_LP, FACTS_LP.replace("}", ", judge: true}")),
        "CL020",
        "records-request",
        "facts.judge",
        "judge: true",
    ),
    Case(
        "facts-no-situation",
        lambda t: R(t, WORRIES_FACTS, WORRIES_FACTS.replace("{situation: intake}", "{}")),
        "CL020",
        "worries",
        "facts.situation",
        "facts: {}",
    ),
    Case(
        "facts-bad-situation",
        lambda t: R(t, WORRIES_FACTS, WORRIES_FACTS.replace("intake}", "intak}")),
        "CL020",
        "worries",
        "facts.situation",
        "intak",
    ),
    Case(
        "facts-bad-profession",
        lambda t: R(
            t, WORRIES_FACTS, WORRIES_FACTS.replace("intake}", "intake, profession: nurse}")
        ),
        "CL020",
        "worries",
        "facts.profession",
        "nurse",
    ),
    Case(
        "action-recipient",
        lambda t: R(t, "to: [requester], scope: full_record", "to: [lawyer], scope: full_record"),
        "CL021",
        "records-request",
        "choices[1].action.to[0]",
        "lawyer",
    ),
    Case(
        "action-no-recipient",
        lambda t: R(
            t,
            "{act: disclose, to: [requester], scope: full_record}",
            "{act: disclose, scope: full_record}",
        ),
        "CL021",
        "records-request",
        "choices[1].action.to",
        "act: disclose",
    ),
    Case(
        "action-unknown-field",
        lambda t: R(
            t,
            "{act: keep_confidential}\n        next: worries",
            "{act: keep_confidential, step: [explain_limits]}\n        next: worries",
        ),
        "CL021",
        "first-session",
        "choices[2].action.step",
        "step: [explain_limits]",
    ),
    Case(
        "action-act",
        lambda t: R(t, PROMISE_ACTION, PROMISE_ACTION.replace("keep_confidential", "keep_quiet")),
        "CL021",
        "first-session",
        "choices[1].action.act",
        "keep_quiet",
    ),
    Case(
        "action-step",
        lambda t: R(t, BEST_INTAKE, BEST_INTAKE.replace("explain_limits", "explain_limit")),
        "CL021",
        "first-session",
        "choices[0].action.steps[0]",
        "explain_limit",
    ),
    Case(
        "action-kept-with-to",
        lambda t: R(
            t,
            PROMISE_ACTION,
            PROMISE_ACTION.replace("keep_confidential}", "keep_confidential, to: [family]}"),
        ),
        "CL021",
        "first-session",
        "choices[1].action.to",
        "to: [family]",
    ),
    Case(
        "jurisdiction",
        lambda t: R(t, "jurisdiction: MODEL", "jurisdiction: US-XX"),
        "CL022",
        "-",
        "jurisdiction",
        "jurisdiction:",
    ),
    Case(
        "facts-jurisdiction",
        lambda t: R(t, FACTS_LP, FACTS_LP.replace("}", ", jurisdiction: CA}")),
        "CL022",
        "records-request",
        "facts.jurisdiction",
        "jurisdiction: CA",
    ),
    # identity (CL031; CL030 has its own test)
    Case("id-not-file-name", lambda t: t, "CL031", "-", "id", "id: intake-basics", name="renamed"),
    # graph (CL040-CL048)
    Case("no-start", lambda t: R(t, "start: first-session\n", ""), "CL040", "-", "start", None),
    Case(
        "unknown-start",
        lambda t: R(t, "start: first-session", "start: first-sesion"),
        "CL040",
        "-",
        "start",
        "start:",
    ),
    Case(
        "dangling-next",
        lambda t: R(t, PROMISE_NEXT, PROMISE_NEXT.replace("promise-made", "promise-mad")),
        "CL041",
        "first-session",
        "choices[1].next",
        "promise-mad",
    ),
    Case(
        "unreachable",
        lambda t: (
            t + "  orphan:\n    text: Nobody comes here.\n    ending: true\n    debrief: Unused.\n"
        ),
        "CL042",
        "orphan",
        "-",
        "orphan:",
    ),
    Case("trapped-cycle", lambda t: edit_data(t, _trap), "CL043", "worries", "choices", "choices:"),
    Case("no-ending-at-all", lambda t: edit_data(t, _no_endings), "CL043", "-", "nodes", "nodes:"),
    Case(
        "decision-without-facts",
        lambda t: R(
            t, WORRIES_FACTS, WORRIES_FACTS.replace("    facts: {situation: intake}\n", "")
        ),
        "CL044",
        "worries",
        "facts",
        "worries:",
    ),
    Case(
        "one-choice",
        lambda t: R(
            t,
            "      - label: Go back to the consent form\n        action: {act: keep_confidential}\n        next: first-session\n"
            "      - label: Promise it will never leave this room\n        action: {act: keep_confidential}\n        next: promise-made\n",
            "",
        ),
        "CL045",
        "worries",
        "choices",
        "choices:",
    ),
    Case(
        "dead-end",
        lambda t: R(
            t,
            "    ending: true\n    debrief: Never promise absolute confidentiality (ACA Code of Ethics (2014) A.2, B.1.d).\n",
            "",
        ),
        "CL045",
        "promise-made",
        "choices",
        "promise-made:",
    ),
    Case(
        "ending-with-choices",
        lambda t: R(
            t,
            "A.2, B.1.d).\n",
            "A.2, B.1.d).\n    choices:\n      - label: Try again\n        action: {act: keep_confidential}\n        next: first-session\n",
        ),
        "CL046",
        "promise-made",
        "choices",
        "choices:",
    ),
    Case(
        "ending-without-debrief",
        lambda t: R(
            t, "    debrief: A bare subpoena is not a court order (45 CFR 164.512(e)).\n", ""
        ),
        "CL046",
        "chart-sent",
        "debrief",
        "chart-sent:",
    ),
    Case(
        "start-is-ending",
        lambda t: R(t, "start: first-session", "start: promise-made"),
        "CL047",
        "-",
        "start",
        "start:",
    ),
    Case(
        "no-content-note",
        lambda t: R(t, "content_note: Discusses a threat of lethal violence.\n", ""),
        "CL048",
        "-",
        "content_note",
        "situation: threat_to_others",
        fixture="threat-basic",
    ),
    # engine (CL050-CL052; CL053 has its own test)
    Case(
        "expect-disagrees",
        lambda t: R(t, "expect: process_error", "expect: acceptable"),
        "CL050",
        "first-session",
        "choices[1].expect",
        "expect: acceptable",
    ),
    Case(
        "no-best",
        lambda t: R(
            t,
            "{act: keep_confidential}\n        next: privilege-kept",
            "{act: disclose, to: [court]}\n        next: privilege-kept",
        ),
        "CL051",
        "records-request",
        "choices",
        "choices:",
    ),
    Case(
        "all-best",
        lambda t: edit_data(t, _all_best),
        "CL052",
        "first-session",
        "choices",
        "choices:",
    ),
    # cues (CL054-CL059; the bank-level CL060-CL065 have their own tests)
    Case(
        "too-few-options",
        lambda t: R(
            t,
            "      - label: Confirm they are a client and send nothing more\n"
            "        action: {act: disclose, to: [requester], scope: minimum_necessary}\n"
            "        next: confirmed\n        expect: over_disclosure\n",
            "",
        ),
        "CL054",
        "records-request",
        "choices",
        "choices:",
    ),
    Case(
        "label-names-a-step",
        lambda t: R(
            t,
            "label: Ask what worries them before answering",
            "label: Ask what worries them and document it",
        ),
        "CL055",
        "first-session",
        "choices[2].label",
        "document it",
    ),
    Case(
        "label-tells-the-client-of-a-report",
        lambda t: R(
            t,
            "label: Ask what worries them before answering",
            "label: Tell them you must report it, then answer",
        ),
        "CL055",
        "first-session",
        "choices[2].label",
        "Tell them you must report",
    ),
    Case(
        "option-carries-a-step",
        lambda t: R(
            t, BEST_INTAKE, BEST_INTAKE.replace("[explain_limits]", "[explain_limits, document]")
        ),
        "CL056",
        "first-session",
        "choices[0].action.steps",
        "steps: [explain_limits, document]",
    ),
    Case(
        "labels-unlike-in-length",
        lambda t: R(
            t,
            "label: Send the whole chart to the attorney",
            "label: Send the whole chart, every note and letter, to the attorney who asked for it",
        ),
        "CL057",
        "records-request",
        "choices",
        "choices:",
    ),
    Case(
        "names-our-research-notes",
        lambda t: R(
            t,
            "    debrief: A subpoena must be answered",
            "    debrief: As RULES.md says, a subpoena must be answered",
        ),
        "CL058",
        "privilege-kept",
        "debrief",
        "RULES.md",
    ),
    Case(
        "another-professions-code",
        lambda t: R(t, "(ACA Code of Ethics (2014) A.2, B.1.d)", "(APA Ethics Code 4.02)"),
        "CL059",
        "promise-made",
        "debrief",
        "APA Ethics Code 4.02",
    ),
]


def _write_case(tmp_path: Path, case: Case) -> Path:
    content = case.edit(fixture_text(case.fixture))
    path = tmp_path / f"{case.name or case.fixture}.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_check_names_file_node_and_field(case: Case, tmp_path: Path) -> None:
    path = _write_case(tmp_path, case)
    bank = load_paths([tmp_path])
    found = [d for d in bank.diagnostics if d.code == case.code]
    assert found, f"no {case.code}; got:\n" + "\n".join(d.format() for d in bank.diagnostics)
    printed = [LINE.match(d.format()) for d in found]
    assert all(printed), [d.format() for d in found]
    matching = [
        (d, m)
        for d, m in zip(found, printed, strict=True)
        if m["node"].strip("'") == case.node and (case.field is None or m["field"] == case.field)
    ]
    assert matching, f"want node {case.node} field {case.field}; got:\n" + "\n".join(
        d.format() for d in found
    )
    diagnostic, match = matching[0]
    assert match["file"] == str(path) == diagnostic.file
    assert len(match["message"]) > 20 and ";" in match["message"], "say what and how to fix"
    if case.line_has is not None:
        text = path.read_bytes().decode("utf-8", "replace").splitlines()
        assert case.line_has in text[diagnostic.line - 1], (diagnostic.line, diagnostic.format())
    assert not bank.scenarios, "a broken file is never offered to learners"
    assert str(path) in bank.broken_files


def test_every_documented_code_is_tested_and_used() -> None:
    documented = set(re.findall(r"^(CL\d{3})\s", diagnostics_module.__doc__ or "", re.M))
    sources = "".join(
        Path(module.__file__).read_text(encoding="utf-8").split('"""', 2)[2]
        for module in (
            diagnostics_module,
            validate_module,
            check_schema_module,
            check_graph_module,
            check_engine_module,
            check_cues_module,
            loader_module,
        )
    )
    used = set(re.findall(r'"(CL\d{3})"', sources))
    bank_level = {"CL060", "CL061", "CL062", "CL063", "CL064", "CL065"}  # test_cue_audit.py
    tested = {case.code for case in CASES} | {"CL006", "CL030", "CL053"} | bank_level
    assert documented == used, documented ^ used
    assert documented <= tested, documented - tested


def test_duplicate_id_across_files_names_both(tmp_path: Path) -> None:
    original = tmp_path / "intake-basics.yaml"
    original.write_text(fixture_text(), encoding="utf-8")
    copy = tmp_path / "copy.yaml"
    copy.write_text(fixture_text(), encoding="utf-8")
    bank = load_paths([tmp_path])
    [dup] = [d for d in bank.diagnostics if d.code == "CL030"]
    assert dup.file == str(copy) and dup.field == "id" and dup.node is None
    assert str(original) in dup.message
    assert list(bank.scenarios) == ["intake-basics"], "the file named after the id keeps it"


def test_duplicate_id_across_folders(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "intake-basics.yaml").write_text(fixture_text(), encoding="utf-8")
    bank = load_paths([tmp_path / "a", tmp_path / "b"])
    [dup] = [d for d in bank.diagnostics if d.code == "CL030"]
    assert dup.file.startswith(str(tmp_path / "b")) and str(tmp_path / "a") in dup.message


def test_engine_failure_is_a_diagnostic_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_engine(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(schema_module, "engine_score", broken_engine)
    (tmp_path / "intake-basics.yaml").write_text(fixture_text(), encoding="utf-8")
    (tmp_path / "threat-basic.yaml").write_text(fixture_text("threat-basic"), encoding="utf-8")
    bank = load_paths([tmp_path])
    failures = [d for d in bank.diagnostics if d.code == "CL053"]
    assert {d.node for d in failures} == {"first-session", "worries", "records-request", "threat"}
    assert all("boom" in d.message and d.field == "facts" for d in failures)


def test_empty_and_missing_folders(tmp_path: Path) -> None:
    bank = load_paths([tmp_path, tmp_path / "nope"])
    assert [d.code for d in bank.diagnostics] == ["CL006", "CL005"]
    assert bank.diagnostics[0].file == str(tmp_path)


def test_messages_suggest_the_fix(tmp_path: Path) -> None:
    text = R(fixture_text(), "jurisdiction: MODEL", "jurisdiction: CA")
    text = R(text, PROMISE_NEXT, PROMISE_NEXT.replace("promise-made", "promise-mad"))
    text = R(text, "category: informed_consent", "category: informed-consent")
    (tmp_path / "intake-basics.yaml").write_text(text, encoding="utf-8")
    messages = {d.code: d.message for d in load_paths([tmp_path]).diagnostics}
    assert "did you mean 'US-CA'" in messages["CL022"]
    assert "python -m engine jurisdictions" in messages["CL022"]
    assert "did you mean 'promise-made'" in messages["CL041"]
    assert "did you mean 'informed_consent'" in messages["CL013"]


def test_expect_message_shows_both_verdicts_and_the_engine_errors(tmp_path: Path) -> None:
    text = R(fixture_text(), "expect: process_error", "expect: best")
    (tmp_path / "intake-basics.yaml").write_text(text, encoding="utf-8")
    [d] = load_paths([tmp_path]).diagnostics
    assert "expect is best" in d.message and "process_error" in d.message
    assert "missing required step: explain_limits" in d.message and "MODEL" in d.message


def test_one_problem_does_not_hide_the_others(tmp_path: Path) -> None:
    """A schema error and a graph error in one file are reported in one run."""
    text = R(fixture_text(), "title: The first", "titel: The first")
    text = R(text, PROMISE_NEXT, PROMISE_NEXT.replace("promise-made", "nowhere"))
    text = R(text, "to: [requester], scope: full_record", "to: [lawyer], scope: full_record")
    (tmp_path / "intake-basics.yaml").write_text(text, encoding="utf-8")
    codes = {d.code for d in load_paths([tmp_path]).diagnostics}
    assert {"CL010", "CL011", "CL041", "CL021"} <= codes


def test_summary_wording() -> None:
    diagnostic = validate_module.Diagnostic("a.yaml", 1, "CL001", None, None, "x")
    assert validate_module.summary(37, []) == "37 files valid, no problems"
    assert validate_module.summary(1, []) == "1 file valid, no problems"
    assert (
        validate_module.summary(3, [diagnostic] * 2) == "2 problems in 1 of 3 files; 2 files valid"
    )


# --- the command, as CI runs it -------------------------------------------------------


def test_cli_valid_folder_exits_0_with_summary() -> None:
    result = run_cli("validate", str(VALID))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines() == ["2 files valid, no problems"]


@pytest.mark.parametrize(
    "case_id", ["syntax", "python-tag", "facts-value", "dangling-next", "expect-disagrees"]
)
def test_cli_broken_file_exits_1(case_id: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == case_id)
    broken = _write_case(tmp_path, case)
    for name in ("threat-basic",):
        (tmp_path / f"{name}.yaml").write_text(fixture_text(name), encoding="utf-8")
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1
    *lines, summary = result.stdout.strip().splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    assert any(
        line.startswith(f"{broken}:")
        and f" {case.code} node {case.node}: field {case.field}:" in line
        for line in lines
    ), lines
    assert re.fullmatch(r"\d+ problems? in 1 of 2 files; 1 file valid", summary), summary


def test_cli_accepts_files_and_folders(tmp_path: Path) -> None:
    broken = _write_case(tmp_path, CASES[0])
    result = run_cli("validate", str(VALID / "threat-basic.yaml"), str(broken))
    assert result.returncode == 1
    assert result.stdout.strip().endswith("1 problem in 1 of 2 files; 1 file valid")
