"""Loading: the app's API, one broken file never stops the others, hostile input."""

from __future__ import annotations

import copy
import dataclasses
import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine.scenarios.schema as schema_module
from engine.scenarios import Bank, Diagnostic, Scenario, load_bank
from engine.scenarios.loader import load_paths
from tests.scenarios.conftest import LINE, VALID, fixture_text, replace_once

SCENARIO_SOURCES = [
    Path(__file__).resolve().parents[2] / "engine" / "scenarios" / name
    for name in (
        "loader.py",
        "validate.py",
        "diagnostics.py",
        "raw.py",
        "check_schema.py",
        "check_graph.py",
        "check_engine.py",
        "schema.py",
        "paths.py",
        "branch_map.py",
    )
]


def _copy_valid(folder: Path) -> None:
    for name in ("intake-basics", "threat-basic"):
        (folder / f"{name}.yaml").write_text(fixture_text(name), encoding="utf-8")


def test_load_bank_returns_valid_scenarios_sorted_by_category_then_title() -> None:
    bank = load_bank(VALID)
    assert isinstance(bank, Bank)
    assert bank.diagnostics == [] and bank.broken_files == {}
    assert list(bank.scenarios) == ["threat-basic", "intake-basics"]  # contract's category order
    assert all(isinstance(s, Scenario) for s in bank.scenarios.values())


def test_load_bank_default_folder_is_scenarios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "scenarios").mkdir()
    _copy_valid(tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    assert set(load_bank().scenarios) == {"intake-basics", "threat-basic"}


def test_broken_files_never_stop_the_others(tmp_path: Path) -> None:
    _copy_valid(tmp_path)
    broken = {
        "syntax.yaml": "id: [unclosed\n",
        "evil.yaml": "!!python/object/apply:os.system ['true']\n",
        "empty.yaml": "",
        "schema.yaml": replace_once(fixture_text(), "id: intake-basics", "id: schema"),
        "graph.yaml": replace_once(
            replace_once(fixture_text(), "id: intake-basics", "id: graph"),
            "next: chart-sent",
            "next: nowhere",
        ),
    }
    broken["schema.yaml"] = replace_once(broken["schema.yaml"], "minutes: 5", "minutes: lots")
    for name, text in broken.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a scenario", encoding="utf-8")
    bank = load_bank(tmp_path)
    assert set(bank.scenarios) == {"intake-basics", "threat-basic"}
    assert set(bank.broken_files) == {str(tmp_path / name) for name in broken}
    assert len(bank.files) == 7
    for problems in bank.broken_files.values():
        assert problems and all(LINE.match(d.format()) for d in problems)
    assert sum(map(len, bank.broken_files.values())) == len(bank.diagnostics)
    assert "graph" in bank.drafts, "parsed but broken: for the author's branch map only"


def test_diagnostic_is_a_frozen_one_liner() -> None:
    diagnostic = Diagnostic("a.yaml", 3, "CL041", "start-node", "choices[0].next", "what; fix")
    assert (
        diagnostic.format() == "a.yaml:3: CL041 node start-node: field choices[0].next: what; fix"
    )
    assert (
        Diagnostic("a.yaml", 1, "CL001", None, None, "x")
        .format()
        .startswith("a.yaml:1: CL001 node -: field -: ")
    )
    assert Diagnostic("a", 1, "CL012", "bad id", None, "x").format() == (
        "a:1: CL012 node 'bad id': field -: x"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        diagnostic.line = 4  # type: ignore[misc]


def test_scenario_helpers() -> None:
    scenario = load_bank(VALID).scenarios["intake-basics"]
    assert scenario.node_facts("first-session") == {
        "jurisdiction": "MODEL",
        "profession": "counselor",
        "situation": "intake",
    }
    assert scenario.node_facts("privilege-kept") == {}
    assert scenario.is_ending("chart-sent") and not scenario.is_ending("worries")
    assert scenario.decision_nodes() == ["first-session", "worries", "records-request"]
    result = scenario.score_choice("first-session", 0)
    assert result.verdict == "best" and result.points == 100
    assert scenario.score_choice("first-session", 0) is result, "cached"
    texas = scenario.score_choice("first-session", 0, "US-TX")
    assert texas.ruling is not None and texas.ruling.jurisdiction == "US-TX"


def test_node_facts_win_over_scenario_defaults(tmp_path: Path) -> None:
    text = replace_once(
        fixture_text(),
        "    facts: {situation: legal_process, instrument: subpoena}",
        "    facts: {situation: legal_process, instrument: subpoena, jurisdiction: US-CA, "
        "profession: mft}",
    )
    (tmp_path / "intake-basics.yaml").write_text(text, encoding="utf-8")
    scenario = load_bank(tmp_path).scenarios["intake-basics"]
    facts = scenario.node_facts("records-request")
    assert facts["jurisdiction"] == "US-CA" and facts["profession"] == "mft"
    ruling = scenario.score_choice("records-request", 0).ruling
    assert ruling is not None and ruling.jurisdiction == "US-CA"


def test_loading_scores_each_choice_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = schema_module.engine_score

    def counting(*args: object) -> object:
        calls.append(args)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(schema_module, "engine_score", counting)
    bank = load_bank(VALID)
    choices = sum(len(node.choices) for s in bank.scenarios.values() for node in s.nodes.values())
    assert len(calls) == choices
    from engine.scenarios.paths import enumerate_paths, points_range

    for scenario in bank.scenarios.values():
        enumerate_paths(scenario)
        points_range(scenario)
    assert len(calls) == choices, "path tests reuse the loader's scores"


def test_only_safe_yaml_loading_in_the_source() -> None:
    for source in SCENARIO_SOURCES:
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"yaml\.(load|load_all|unsafe_load|full_load)\(", text), source
        assert "FullLoader" not in text and "UnsafeLoader" not in text and "yaml.Loader" not in text


# --- hostile input ------------------------------------------------------------------


def _only(tmp_path: Path, text: str | bytes) -> list[Diagnostic]:
    path = tmp_path / "hostile.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    bank = load_paths([path])
    assert not bank.scenarios
    assert bank.diagnostics and all(LINE.match(d.format()) for d in bank.diagnostics)
    return bank.diagnostics


def test_python_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"id: x\ntitle: !!python/object/apply:os.system ['touch {marker}']\n"
    [diagnostic] = _only(tmp_path, text)
    assert diagnostic.code == "CL003" and diagnostic.line == 2 and diagnostic.field == "title"
    assert not marker.exists()


@pytest.mark.parametrize(
    "tag",
    ["!!python/name:os.system", "!!python/object/new:subprocess.Popen", "!!python/module:os"],
)
def test_other_python_tags_rejected(tmp_path: Path, tag: str) -> None:
    [diagnostic] = _only(tmp_path, f"id: x\nstart: {tag} 'x'\n")
    assert diagnostic.code == "CL003"


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        prev, cur = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    [diagnostic] = _only(tmp_path, "\n".join(lines) + "\n")
    assert diagnostic.code == "CL005" and "alias" in diagnostic.message
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("depth", [100, 10_000, 200_000])
def test_deep_nesting_does_not_crash(tmp_path: Path, depth: int) -> None:
    diagnostics = _only(tmp_path, "id: " + "[" * depth + "]" * depth + "\n")
    assert diagnostics[0].code in ("CL001", "CL005")


def test_deep_block_nesting_does_not_crash(tmp_path: Path) -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(3000)) + "  " * 3000 + "x\n"
    assert _only(tmp_path, text)[0].code in ("CL001", "CL005")


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    started = time.perf_counter()
    [diagnostic] = _only(tmp_path, "id: x\n" + "# padding\n" * 200_000)
    assert diagnostic.code == "CL005" and "larger than" in diagnostic.message
    assert time.perf_counter() - started < 2


def test_large_valid_graph_loads(tmp_path: Path) -> None:
    """500 decision nodes in a chain, each with an exit: linear work, no recursion limit."""
    head = fixture_text().split("start:")[0]
    nodes = []
    for i in range(500):
        nxt = f"n{i + 1}" if i < 499 else "done"
        nodes.append(
            f"  n{i}:\n    text: Step {i}.\n    facts: {{situation: intake}}\n    choices:\n"
            f"      - label: Explain the limits\n        action: {{act: keep_confidential, steps: [explain_limits]}}\n"
            f"        next: {nxt}\n"
            f"      - label: Promise full secrecy\n        action: {{act: keep_confidential}}\n        next: done\n"
            f"      - label: Hand over the form\n        action: {{act: keep_confidential}}\n        next: done\n"
        )
    text = (
        head
        + "start: n0\nnodes:\n"
        + "".join(nodes)
        + ("  done:\n    text: Done.\n    ending: true\n    debrief: Done.\n")
    )
    (tmp_path / "intake-basics.yaml").write_text(text, encoding="utf-8")
    started = time.perf_counter()
    bank = load_bank(tmp_path)
    assert bank.diagnostics == [] and "intake-basics" in bank.scenarios
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize(
    "text",
    [
        b"\x00\x01\x02binary",
        b"\xef\xbb\xbfid: [x\n",
        "id: x\n---\nid: y\n",
        "id: x\x07\n",
        "? [a, b]\n: c\n",
        "nodes: {1: {text: x}}\n",
        "{id: x, id: y}\n",
        "- - - -\n",
        "id: x\nnodes: ~\nstart: 7\n",
    ],
)
def test_odd_files_become_diagnostics(tmp_path: Path, text: str | bytes) -> None:
    _only(tmp_path, text)


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    text = "\ufeff" + fixture_text().replace("\n", "\r\n")
    (tmp_path / "intake-basics.yaml").write_bytes(text.encode("utf-8"))
    bank = load_bank(tmp_path)
    assert bank.diagnostics == [] and list(bank.scenarios) == ["intake-basics"]


_LINES = fixture_text().splitlines(keepends=True)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "garble"]),
            st.integers(0, len(_LINES) - 1),
            st.text(alphabet="{}[]:-&*!|>'\" #\t\nab1", max_size=4),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_breakage_is_reported_never_raised(tmp_path: Path, edits: list) -> None:
    """Reviewers will break files in ways nobody listed: whatever happens, no exception,
    and every diagnostic is one well-formed line pointing into the file."""
    lines = list(_LINES)
    for kind, index, junk in edits:
        index %= len(lines)
        if kind == "delete" and len(lines) > 1:
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "swap" and index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        elif kind == "indent":
            lines[index] = "  " + lines[index]
        elif kind == "dedent":
            lines[index] = lines[index][2:] if lines[index].startswith("  ") else lines[index]
        elif kind == "garble":
            cut = len(lines[index]) // 2
            lines[index] = lines[index][:cut] + junk + lines[index][cut:]
    path = tmp_path / "intake-basics.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    bank = load_paths([path])
    count = len("".join(lines).splitlines()) or 1
    for diagnostic in bank.diagnostics:
        assert LINE.match(diagnostic.format()), diagnostic.format()
        assert "\n" not in diagnostic.format()
        assert 1 <= diagnostic.line <= count + 1, diagnostic.format()
    assert bool(bank.scenarios) != bool(bank.diagnostics)


def _paths(value: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


_DATA = yaml.safe_load(fixture_text())
_DATA_PATHS = _paths(_DATA)[1:]
_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "best", "nodes"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "text", "next"]), inner, max_size=2)
    ),
    max_leaves=5,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(_DATA_PATHS), _JUNK | st.just(DELETE := object())),
        min_size=1,
        max_size=3,
    )
)
def test_any_value_swap_is_reported_never_raised(tmp_path: Path, changes: list) -> None:
    """Replace or delete any value with any other shape: diagnostics, never an exception."""
    data = copy.deepcopy(_DATA)
    for path, value in changes:
        parent = data
        for part in path[:-1]:
            if isinstance(parent, dict) and part in parent:
                parent = parent[part]
            elif isinstance(parent, list) and isinstance(part, int) and part < len(parent):
                parent = parent[part]
            else:
                break
        else:
            key = path[-1]
            if isinstance(parent, dict) or (
                isinstance(parent, list) and isinstance(key, int) and key < len(parent)
            ):
                if value is DELETE:
                    parent.pop(key, None) if isinstance(parent, dict) else parent.pop(key)
                else:
                    parent[key] = value
    path = tmp_path / "intake-basics.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    bank = load_paths([path])
    for diagnostic in bank.diagnostics:
        assert LINE.match(diagnostic.format()), diagnostic.format()


def test_device_files_are_not_read(tmp_path: Path) -> None:
    started = time.perf_counter()
    bank = load_paths(["/dev/zero"])
    assert [d.code for d in bank.diagnostics] == ["CL005"]
    assert time.perf_counter() - started < 2
