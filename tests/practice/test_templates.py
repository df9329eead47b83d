"""Practice templates: every file loads, and a broken one is refused with its reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.practice.templates import FOLDER, TemplateError, load_templates, render

GOOD = FOLDER / "intake-first-session.yaml"


def test_every_template_loads_under_its_file_name() -> None:
    found = load_templates()
    assert found.problems == []
    files = sorted(p.stem for p in FOLDER.glob("*.yaml"))
    assert sorted(found.templates) == files and len(files) >= 7
    situations = {t.situation for t in found.templates.values()}
    assert situations == {
        "threat_to_others",
        "threat_to_self",
        "abuse",
        "legal_process",
        "disclosure_request",
        "intake",
    }


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / GOOD.name).write_text(text.replace(old, new, 1), encoding="utf-8")
    found = load_templates(tmp_path)
    assert not found.templates
    return found.problems


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("{client}, {age}", "{client}, {agee}", "unknown placeholder {agee}"),
        ("steps: [explain_limits]", "steps: [explain_limits, document]", "process steps"),
        ("  records:\n", "  recordz:\n", "not a fact of intake"),
        ("education_record:", "school_record:", "refuses"),
        ("id: intake-first-session", "id: another-name", "differs from the file name"),
        ("title: Before you start", "title: Before you start\ntitle: Twice", "duplicate"),
        ("to: [family]", "to: [the_neighbours]", "options[5]"),
    ],
)
def test_a_broken_template_is_reported_not_loaded(
    tmp_path: Path, old: str, new: str, reason: str
) -> None:
    problems = _broken(tmp_path, old, new)
    assert len(problems) == 1 and reason in problems[0], problems


def test_yaml_tags_are_refused_not_run(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "title: Before you start", "title: !!python/object:os.system x")
    assert problems and "tag" in problems[0]


def test_render_fills_placeholders_and_refuses_unknown_ones() -> None:
    assert render("{a} and {b}", {"a": "{b}!", "b": "x"}) == "x! and x"
    with pytest.raises(TemplateError, match="unknown placeholder"):
        render("{a} {missing}", {"a": "x"})
    with pytest.raises(TemplateError, match="nested"):
        render("{a}", {"a": "{a}"})
    # nothing but a bare name is a placeholder: no format specs, no attribute access
    assert render("{a.__class__} {a!r}", {"a": "x"}) == "{a.__class__} {a!r}"
