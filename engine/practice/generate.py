"""Practice items: one decision, generated from a template's family of facts.

How an item is made (``draw``), and why each step is there:

1. The family is indexed per jurisdiction and profession (``family``): every
   combination of the template's varied facts, ruled on by the engine and sorted by the
   skill the ruling trains (``engine.practice.skills``). Drawing "an item for
   *legal process, hold*" is then a pick from that bucket, not a guess.
2. The words are filled in from the template with a seeded random generator, so a
   (template, seed, jurisdiction) always gives the same item, and the facts are stored
   with every answer anyway.
3. The options: the template's acts that make sense for these facts are scored by the
   engine with the steps the law asks for (as ``Scenario.score_choice`` scores a
   vignette's options). One best act is shown with up to three that are not, chosen to
   cover different verdicts (an over-disclosure beside a failure to act), in a shuffled
   order. A combination where no act in the pool is best, or where fewer than two are
   wrong, is not a decision and is skipped.
4. The item is a one-decision ``Scenario``, so it is scored, checked and shown exactly
   like a vignette's decision: the same checklist, the same per-decision cue checks
   (CL054-CL059: enough options, no process words, labels alike in length), the same
   feedback. An item that fails a cue check is never shown; another is drawn.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from engine.actions import Score
from engine.core import rule
from engine.errors import InvalidInput
from engine.facts import parse_facts
from engine.practice.skills import Skill, skill_of
from engine.practice.templates import (
    FOLDER,
    OptionSpec,
    Template,
    TemplateSet,
    load_templates,
    person_context,
    pool_context,
    render,
)
from engine.profiles import MODEL, get_profile
from engine.scenarios.check_cues import check_node_cues
from engine.scenarios.diagnostics import Report
from engine.scenarios.loader import LineMap
from engine.scenarios.schema import Scenario

NODE = "item"
ENDING = "done"
SHOWN = 4  # options shown: one best, up to three that are not
MIN_SHOWN = 3
TRIES = 40  # combinations tried per template before moving on
PROFESSION_WORDS = {
    "psychologist": "a psychologist",
    "counselor": "a licensed professional counselor",
    "social_worker": "a clinical social worker",
    "mft": "a marriage and family therapist",
    "psychiatrist": "a psychiatrist",
}


class NoItem(LookupError):
    """No template can make an item for this skill under this jurisdiction."""


@dataclass(frozen=True)
class Item:
    """One generated decision, with everything needed to show, score and store it."""

    template: str
    seed: int
    jurisdiction: str
    facts: dict[str, Any]
    title: str
    text: str
    labels: tuple[str, ...]
    actions: tuple[dict[str, Any], ...]
    skill: Skill
    scenario: Scenario = field(repr=False, compare=False)

    @property
    def category(self) -> str:
        return self.skill.category

    def checklist(self) -> tuple[str, ...]:
        return self.scenario.checklist(NODE)

    def score(self, index: int, steps: tuple[str, ...] | None = None) -> Score:
        """The engine's score for option ``index`` with the ticked ``steps`` (None: the
        steps the law asks for, i.e. the worth of the act alone)."""
        return self.scenario.score_choice(NODE, index, None, steps)

    def to_json(self) -> dict[str, Any]:
        """What is stored with the answer: enough to show the item again as it was."""
        return {
            "template": self.template,
            "seed": self.seed,
            "jurisdiction": self.jurisdiction,
            "facts": self.facts,
            "title": self.title,
            "text": self.text,
            "options": [
                {"label": label, "action": action}
                for label, action in zip(self.labels, self.actions, strict=True)
            ],
        }


TEMPLATES_ENV = "CONFLAB_PRACTICE_TEMPLATES"
"""A folder of practice templates to use instead of the shipped ones (the app's tests
point it at hostile copies)."""


def default_templates() -> TemplateSet:
    """The templates the app uses, read once per folder."""
    return _templates_at(os.environ.get(TEMPLATES_ENV) or str(FOLDER))


@cache
def _templates_at(folder: str) -> TemplateSet:
    return load_templates(folder)


def _facts_key(facts: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(facts.items()))


Buckets = dict[Skill, tuple[tuple[tuple[str, Any], ...], ...]]
_FAMILIES: dict[tuple[int, str, str], tuple[Template, Buckets]] = {}
MAX_FAMILIES = 1024  # templates x jurisdictions x professions in use


def family(template: Template, jurisdiction: str, profession: str) -> Buckets:
    """Every valid combination of the template's facts, sorted by the skill its ruling
    trains under this jurisdiction (combinations the engine refuses are left out).

    Cached per template object (a template holds mappings, so it cannot be hashed).
    """
    key = (id(template), jurisdiction, profession)
    cached = _FAMILIES.get(key)
    if cached is not None and cached[0] is template:
        return cached[1]
    buckets: dict[Skill, list[tuple[tuple[str, Any], ...]]] = {}
    for combo in template.combinations():
        facts = template.facts(combo, jurisdiction, profession)
        try:
            parse_facts(facts)
        except InvalidInput:
            continue
        buckets.setdefault(skill_of(rule(facts)), []).append(_facts_key(combo))
    found = {skill: tuple(combos) for skill, combos in buckets.items()}
    if len(_FAMILIES) >= MAX_FAMILIES:
        _FAMILIES.clear()
    _FAMILIES[key] = (template, found)
    return found


def available_skills(jurisdiction: str, templates: TemplateSet | None = None) -> set[Skill]:
    """The skills the templates can train under this jurisdiction (each template with
    its first profession: the others rarely change the ruling's side, and the skill of
    a drawn item is read from its own ruling anyway)."""
    found: set[Skill] = set()
    for template in (templates or default_templates()).templates.values():
        found |= set(family(template, jurisdiction, template.professions[0]))
    return found


def draw(
    skill: Skill | None,
    jurisdiction: str,
    seed: int,
    templates: TemplateSet | None = None,
) -> Item:
    """An item for ``skill`` (any skill when None) under ``jurisdiction``.

    Deterministic for the same arguments and templates. Raises NoItem when no template
    can make one; InvalidInput for an unknown jurisdiction.
    """
    get_profile(jurisdiction)
    rng = random.Random(seed)  # noqa: S311 - variety, not security
    pool = sorted((templates or default_templates()).templates.values(), key=lambda t: t.id)
    rng.shuffle(pool)
    for template in pool:
        profession = rng.choice(template.professions)
        buckets = family(template, jurisdiction, profession)
        combos = (
            list(buckets.get(skill, ()))
            if skill is not None
            else [c for bucket in buckets.values() for c in bucket]
        )
        for combo in rng.sample(combos, min(TRIES, len(combos))):
            item = build(template, dict(combo), jurisdiction, profession, seed, rng)
            if item is not None and (skill is None or item.skill == skill):
                return item
    raise NoItem(f"no template makes an item for {skill} under {jurisdiction}")


def build(
    template: Template,
    combo: dict[str, Any],
    jurisdiction: str,
    profession: str,
    seed: int,
    rng: random.Random,
) -> Item | None:
    """The item for one combination, or None when it is not a fair decision."""
    facts = template.facts(combo, jurisdiction, profession)
    context = _context(template, combo, jurisdiction, profession, rng)
    text = render(template.text, context).strip()
    offered = template.options_for(facts)
    labels = [render(o.label, context) for o in offered]
    whole = _scenario(template, facts, text, labels, offered)
    scores = [whole.score_choice(NODE, i) for i in range(len(offered))]
    chosen = _choose(scores, rng)
    if chosen is None:
        return None
    options = [offered[i] for i in chosen]
    shown = [labels[i] for i in chosen]
    scenario = _scenario(template, facts, text, shown, options)
    report = Report(f"practice/{template.id}", LineMap())
    check_node_cues(scenario, report)
    if report.items:
        return None
    ruling = scores[chosen[0]].ruling  # every option is scored against the same ruling
    assert ruling is not None
    return Item(
        template=template.id,
        seed=seed,
        jurisdiction=jurisdiction,
        facts=facts,
        title=render(template.title, context),
        text=text,
        labels=tuple(shown),
        actions=tuple(o.action for o in options),
        skill=skill_of(ruling),
        scenario=scenario,
    )


def _context(
    template: Template,
    combo: Mapping[str, Any],
    jurisdiction: str,
    profession: str,
    rng: random.Random,
) -> dict[str, str]:
    """The words for one item: the client, the pools, and each varied value's fragments."""
    context = person_context(rng.choice(template.people))
    context["a_profession"] = PROFESSION_WORDS[profession]
    context["where"] = "" if jurisdiction == MODEL else f" in {get_profile(jurisdiction).name}"
    context.update(
        pool_context(
            template, [rng.randrange(len(template.pools[n])) for n in sorted(template.pools)]
        )
    )
    for name, value in combo.items():
        context.update(template.vary[name][value])
    return context


def _choose(scores: Sequence[Score], rng: random.Random) -> list[int] | None:
    """One best option and up to three that are not, covering different verdicts first,
    shuffled; None when the pool has no best act or too few wrong ones."""
    best = [i for i, s in enumerate(scores) if s.verdict == "best"]
    wrong = [i for i, s in enumerate(scores) if s.verdict != "best"]
    if not best or len(wrong) < MIN_SHOWN - 1:
        return None
    rng.shuffle(wrong)
    by_verdict: dict[str, list[int]] = {}
    for i in wrong:
        by_verdict.setdefault(scores[i].verdict, []).append(i)
    first = [indexes[0] for indexes in by_verdict.values()]  # one of each verdict
    rest = [i for i in wrong if i not in first]
    picked = [rng.choice(best), *(first + rest)[: SHOWN - 1]]
    rng.shuffle(picked)
    return picked


def _scenario(
    template: Template,
    facts: dict[str, Any],
    text: str,
    labels: Sequence[str],
    options: Sequence[OptionSpec],
) -> Scenario:
    """A one-decision vignette: what the app, the scorer and the cue checks all read."""
    category = rule(facts).category
    return Scenario.model_validate(
        {
            "id": f"practice-{template.id}",
            "title": template.title,
            "summary": template.objective,
            "category": category,
            "jurisdiction": facts["jurisdiction"],
            "profession": facts["profession"],
            "difficulty": 2 if len(options) >= SHOWN else 1,
            "minutes": 2,
            "learning_objectives": [template.objective],
            "content_note": template.content_note,
            "start": NODE,
            "nodes": {
                NODE: {
                    "text": text,
                    "facts": {k: v for k, v in facts.items() if k != "jurisdiction"},
                    "choices": [
                        {"label": label, "action": option.action, "next": ENDING}
                        for label, option in zip(labels, options, strict=True)
                    ],
                },
                ENDING: {
                    "text": "The end of this practice item.",
                    "ending": True,
                    "debrief": "The feedback above is the engine's ruling on these facts.",
                },
            },
        }
    )


def item_id(learner_key: str, position: int, jurisdiction: str, seed: int) -> str:
    """A stable id for the item a learner is shown at ``position``: a reload or a second
    tab shows (and saves) the same item once, like a vignette's step."""
    raw = f"{learner_key}:{position}:{jurisdiction}:{seed}".encode()
    return hashlib.sha256(raw).hexdigest()[:32]


def item_seed(learner_key: str, position: int, jurisdiction: str) -> int:
    """The seed of the item at ``position``: the same on a reload, different per learner."""
    raw = f"seed:{learner_key}:{position}:{jurisdiction}".encode()
    return int.from_bytes(hashlib.sha256(raw).digest()[:4], "big") >> 1  # 31 bits
