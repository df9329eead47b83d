"""Generated items: valid facts the engine rules on, a fair decision, words that never
name the answer, and the per-decision cue checks the vignettes pass."""

from __future__ import annotations

import random
import re

import pytest

import engine
from engine.facts import parse_facts
from engine.practice.generate import (
    NoItem,
    available_skills,
    default_templates,
    draw,
    family,
    item_id,
    item_seed,
)
from engine.practice.skills import ALL_SKILLS, skill_of
from engine.profiles import load_profiles
from engine.scenarios.check_cues import PROCESS_WORDS
from engine.scenarios.loader import LineMap
from engine.scenarios.validate import check_file

# Words that would state (or all but state) what the law requires. Facts are told in
# plain words; the engine's ruling, shown after the answer, says what follows from them.
ANSWER_WORDS = re.compile(
    r"\b(must|mandat\w*|dut(?:y|ies)|requir\w*|obligat\w*|permit\w*|allow\w*|lawful\w*|"
    r"unlawful|illegal|legally|breach\w*|tarasoff|hipaa|reportable|privileged?|"
    r"confidentiality|exception|best|correct|wrong)\b",
    re.IGNORECASE,
)
KEY_STATES = ["MODEL", "US-CA", "US-TX", "US-NY", "US-FL", "US-MN", "US-IL", "US-MA", "US-OH"]
TEMPLATES = default_templates().templates


def _sample_states(n: int = 4) -> list[str]:
    others = [c for c in load_profiles() if c not in KEY_STATES]
    return KEY_STATES + random.Random(10).sample(others, n)


def assert_fair_item(item) -> None:  # type: ignore[no-untyped-def]
    """Everything a generated item owes a learner, checked on one item."""
    facts = parse_facts(item.facts)  # valid facts
    ruling = engine.rule(item.facts)
    assert ruling.rules and all(r.citation for r in ruling.rules)
    assert item.skill == skill_of(ruling) and facts.jurisdiction == item.jurisdiction
    verdicts = [item.score(i).verdict for i in range(len(item.labels))]
    assert verdicts.count("best") == 1, verdicts  # one best act, the others real errors
    assert len(verdicts) >= 3
    words = [item.title, item.text, *item.labels]
    for text in words:
        assert "{" not in text and "}" not in text, text
        assert not ANSWER_WORDS.search(text), (ANSWER_WORDS.search(text), text)
    for label in item.labels:
        assert not PROCESS_WORDS.search(label), label
    # the same checks a vignette file passes, decision cues (CL054-CL059) included
    data = item.scenario.model_dump(mode="json")
    scenario, problems = check_file(f"{item.scenario.id}.yaml", data, LineMap())
    assert scenario is not None and problems == [], [p.format() for p in problems]
    assert item.scenario.nodes["item"].text == item.text


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_every_template_makes_fair_items_for_each_of_its_skills(template_id: str) -> None:
    template = TEMPLATES[template_id]
    only = type(default_templates())(templates={template_id: template})
    made = 0
    for jurisdiction in _sample_states():
        skills = set(family(template, jurisdiction, template.professions[0]))
        assert skills, f"{template_id} makes nothing under {jurisdiction}"
        for skill in sorted(skills):
            for seed in range(3):
                item = draw(skill, jurisdiction, seed * 7919 + len(jurisdiction), only)
                assert item.template == template_id and item.skill == skill
                assert_fair_item(item)
                made += 1
    assert made >= 13 * 3


def test_many_seeds_across_every_jurisdiction_stay_fair() -> None:
    """Any skill, any template: 4 items in each of the 52 profiles."""
    for jurisdiction in load_profiles():
        for seed in range(4):
            assert_fair_item(draw(None, jurisdiction, seed))


def test_every_template_covers_both_sides_somewhere() -> None:
    """A family of facts teaches both when to act and when to hold back, except intake
    (where the only lesson is what to say)."""
    for template in TEMPLATES.values():
        sides = {s.side for j in KEY_STATES for s in family(template, j, template.professions[0])}
        assert sides == ({"hold"} if template.situation == "intake" else {"act", "hold"})


def test_every_skill_can_be_practised_in_every_jurisdiction() -> None:
    trainable = set(ALL_SKILLS) - {s for s in ALL_SKILLS if s.key == "informed_consent:act"}
    for jurisdiction in load_profiles():
        assert available_skills(jurisdiction) == trainable, jurisdiction


def test_items_are_deterministic_and_vary_with_the_seed() -> None:
    skill = sorted(available_skills("US-TX"))[0]
    first, again = draw(skill, "US-TX", 42), draw(skill, "US-TX", 42)
    assert first.to_json() == again.to_json()
    texts = {draw(skill, "US-TX", seed).text for seed in range(12)}
    assert len(texts) >= 6


def test_the_stored_item_is_the_item_shown() -> None:
    item = draw(None, "US-CA", 5)
    stored = item.to_json()
    assert stored["facts"] == item.facts and stored["text"] == item.text
    assert [o["label"] for o in stored["options"]] == list(item.labels)
    assert engine.rule(stored["facts"]) == engine.rule(item.facts)


def test_no_template_no_item_and_unknown_law_is_refused() -> None:
    empty = type(default_templates())()
    with pytest.raises(NoItem):
        draw(None, "MODEL", 1, empty)
    with pytest.raises(engine.InvalidInput):
        draw(None, "US-XX", 1)


def test_item_ids_and_seeds_are_stable_per_learner_and_position() -> None:
    key_a, key_b = "a" * 64, "b" * 64
    assert item_seed(key_a, 3, "MODEL") == item_seed(key_a, 3, "MODEL")
    assert item_seed(key_a, 3, "MODEL") != item_seed(key_a, 4, "MODEL")
    assert item_seed(key_a, 3, "MODEL") != item_seed(key_b, 3, "MODEL")
    assert 0 <= item_seed(key_a, 3, "MODEL") < 2**31
    ids = {item_id(k, p, "MODEL", 1) for k in (key_a, key_b) for p in range(50)}
    assert len(ids) == 100 and all(len(i) == 32 for i in ids)


def test_the_fairness_check_catches_words_that_give_the_answer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The check above is not vacuous: a template that names the duty fails it."""
    from engine.practice.templates import FOLDER, load_templates

    source = (FOLDER / "intake-first-session.yaml").read_text(encoding="utf-8")
    told = source.replace(
        "Before you start, {client} asks:", "You are required to explain the limits. {client} asks:"
    )
    (tmp_path / "intake-first-session.yaml").write_text(told, encoding="utf-8")
    item = draw(None, "MODEL", 1, load_templates(tmp_path))
    with pytest.raises(AssertionError, match="required"):
        assert_fair_item(item)
