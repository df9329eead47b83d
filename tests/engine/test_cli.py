"""The CLI as a user calls it: ``python -m engine ...`` in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CA_THREAT = {
    "situation": "threat_to_others",
    "jurisdiction": "US-CA",
    "victim": "identified",
    "imminence": "imminent",
    "intent": "stated",
    "plan": True,
    "means": True,
}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def write(tmp_path: Path, name: str, data: object) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def score_ca_threat(tmp_path: Path, action: object) -> subprocess.CompletedProcess[str]:
    """``python -m engine score`` on the California threat with ``action``."""
    facts = write(tmp_path, "f.json", CA_THREAT)
    return run("score", "--facts", facts, "--action", write(tmp_path, "a.json", action))


def test_rule_prints_the_ruling_as_json(tmp_path: Path) -> None:
    result = run("rule", "--facts", write(tmp_path, "f.json", CA_THREAT))
    assert result.returncode == 0, result.stderr
    ruling = json.loads(result.stdout)
    assert ruling["obligation"] == "must_protect"
    assert ruling["discharge_options"] == [["intended_victim", "law_enforcement"]]
    assert ruling["rules"][0]["citation"].startswith("Cal. Civ. Code 43.92")


def test_rule_reads_stdin_and_jurisdiction_overrides() -> None:
    result = run("rule", "--facts", "-", "--jurisdiction", "US-TX", stdin=json.dumps(CA_THREAT))
    assert result.returncode == 0, result.stderr
    ruling = json.loads(result.stdout)
    assert (ruling["jurisdiction"], ruling["obligation"]) == ("US-TX", "may_disclose")
    assert "intended_victim" not in ruling["recipients"]


def test_rule_accepts_yaml_facts(tmp_path: Path) -> None:
    facts = write(tmp_path, "f.yaml", "situation: abuse\nvictim_group: child\n")
    assert json.loads(run("rule", "--facts", facts).stdout)["obligation"] == "must_disclose"


def test_score_prints_ruling_and_score(tmp_path: Path) -> None:
    action = {"act": "disclose", "to": ["intended_victim"], "steps": ["document", "consult"]}
    result = score_ca_threat(tmp_path, action)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["ruling"]["obligation"] == "must_protect"
    assert out["score"]["verdict"] == "under_disclosure"
    assert "missing required recipient: law_enforcement" in out["score"]["errors"]
    assert out["score"]["points"] < 50


def test_jurisdictions_lists_every_profile() -> None:
    result = run("jurisdictions")
    assert result.returncode == 0
    profiles = json.loads(result.stdout)
    codes = [p["code"] for p in profiles]
    assert codes[0] == "MODEL" and len(codes) == 52 and "US-DC" in codes
    for profile in profiles:
        assert {"code", "name", "reviewed", "duty_to_protect", "elder_abuse_reporting"} <= set(
            profile
        )
    texas = next(p for p in profiles if p["code"] == "US-TX")
    assert texas["duty_to_protect"] == "permissive"


@pytest.mark.parametrize(
    ("facts", "expected_fragments"),
    [
        ({**CA_THREAT, "victim": "named"}, ["facts.victim", "'identified'", "'unidentifiable'"]),
        ({**CA_THREAT, "weapon": "gun"}, ["facts.weapon", "unknown field", "history_of_violence"]),
        ({"situation": "abuse"}, ["facts.victim_group", "required"]),
        ({"situation": "gossip"}, ["facts.situation", "'threat_to_others'", "'intake'"]),
        ({"victim": "identified"}, ["facts.situation", "required", "threat_to_self"]),
        ({**CA_THREAT, "plan": "maybe"}, ["facts.plan"]),
        ({**CA_THREAT, "profession": "nurse"}, ["facts.profession", "'mft'"]),
        (["not", "a", "mapping"], ["facts", "mapping"]),
    ],
)
def test_invalid_facts_exit_2_naming_the_field(
    tmp_path: Path, facts: object, expected_fragments: list[str]
) -> None:
    result = run("rule", "--facts", write(tmp_path, "f.json", facts))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in expected_fragments:
        assert fragment in lines[0], (fragment, lines[0])


def test_unknown_jurisdiction_lists_the_known_ones(tmp_path: Path) -> None:
    result = run("rule", "--facts", write(tmp_path, "f.json", CA_THREAT), "--jurisdiction", "US-ZZ")
    assert result.returncode == 2 and result.stdout == ""
    assert "US-ZZ" in result.stderr and "MODEL" in result.stderr and "US-WY" in result.stderr
    facts = write(tmp_path, "g.json", {**CA_THREAT, "jurisdiction": "California"})
    assert run("rule", "--facts", facts).returncode == 2


@pytest.mark.parametrize(
    ("action", "fragment"),
    [
        ({"act": "shout"}, "action.act"),
        ({"act": "disclose", "to": ["neighbour"]}, "action.to"),
        ({"act": "disclose"}, "recipient"),
        ({"act": "keep_confidential", "steps": ["pray"]}, "action.steps"),
        ({"act": "keep_confidential", "volume": 3}, "action.volume"),
    ],
)
def test_invalid_action_exits_2(tmp_path: Path, action: dict, fragment: str) -> None:
    result = score_ca_threat(tmp_path, action)
    assert result.returncode == 2 and result.stdout == ""
    assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unreadable_and_malformed_files_exit_2(tmp_path: Path) -> None:
    missing = run("rule", "--facts", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    broken = run("rule", "--facts", write(tmp_path, "b.json", "{situation: [intake"))
    assert broken.returncode == 2 and "not valid JSON or YAML" in broken.stderr
    usage = run("rule")
    assert usage.returncode == 2 and usage.stdout == ""
