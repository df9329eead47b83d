"""Practice templates: YAML files that describe a family of facts in plain words.

A template never says what the law requires. It names the facts it varies (each value
with the words that describe it), the people and places that dress the story, and a
pool of acts a clinician might take, each in plain words. The generator
(``engine.practice.generate``) fills in the facts, the engine rules on them, and the
engine's scores decide which act is best. So a template can be wrong only in its words,
and the tests read every item it can make for words that name the answer.

File format (one template per file in ``engine/practice/templates/``)::

    id: danger-threat-to-others        # a slug, equal to the file name
    title: A threat in session         # shown above the item
    situation: threat_to_others        # the engine's situation
    objective: Tell a threat that ...  # what the family practises
    content_note: Discusses a threat of violence.   # where the facts call for one
    professions: [psychologist, counselor]
    fixed: {harm: serious_physical}    # facts every item of the family has
    vary:                              # the facts the generator fills, value by value
      imminence:
        imminent: {when: "..."}        # each value: named fragments of text
        remote: {when: "..."}
    exclude:                           # combinations that would read as nonsense
      - {intent: [denied], imminence: [imminent]}
    people: [{name: Dana, they: she, them: her, their: her}]
    pools:
      setting: ["a community clinic", ...]
      rival: [{name: Dale Price, role: the foreman who fired {them}}, ...]
    text: |                            # the vignette: {placeholders} from the above
      ...
    options:
      - label: Call the police with the threat   # the act in plain words
        action: {act: disclose, to: [law_enforcement], scope: minimum_necessary}
        when: {victim: [identified]}   # only where the words make sense

Placeholders are ``{name}``: a fragment of a varied value, a pool (``{setting}``, or
``{rival_name}`` for a pool of fragment sets), the client (``client``,
``they``, ``them``, ``their``, capitalised ``They``/``Their``), ``a_profession``,
``where`` (`` in Texas``, empty for the MODEL profile). Nothing else is interpreted: no
format specs, no attribute access, no code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from engine.actions import parse_action
from engine.errors import InvalidInput
from engine.facts import FACT_MODELS, parse_facts
from engine.scenarios.loader import read_source
from engine.scenarios.schema import ACT_STEPS, SLUG
from engine.vocabulary import Profession, Situation

FOLDER = Path(__file__).parent / "templates"
PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
PASSES = 4  # fragments may name pools or the client; deeper nesting is an authoring slip
PERSON_KEYS = ("client", "they", "them", "their", "They", "Them", "Their")
BUILT_IN = (*PERSON_KEYS, "a_profession", "where")
SHARED = ("situation", "jurisdiction", "profession")

FactValue = str | bool


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Person(_Model):
    """The client of an item, with the pronouns the words use.

    Narration uses the name and past or modal verbs ("{they} said", "{they} will"), so
    the text agrees whatever the pronouns.
    """

    name: Text
    they: Text
    them: Text
    their: Text


class OptionSpec(_Model):
    """One act a clinician might take, in plain words; the engine decides its worth."""

    label: Text
    action: dict[str, Any]
    # Fact values for which the words make sense ("call the person named" needs one).
    when: dict[str, list[FactValue]] = {}


class Template(_Model):
    id: Annotated[str, Field(pattern=SLUG, max_length=60)]
    title: Text
    situation: Situation
    objective: Text
    # Shown before the item, as before a vignette: required (by the same check, CL048)
    # where the facts involve suicide, abuse or violence.
    content_note: Text | None = None
    professions: Annotated[list[Profession], Field(min_length=1)]
    fixed: dict[str, FactValue] = {}
    vary: Annotated[dict[str, dict[FactValue, dict[str, str]]], Field(min_length=1)]
    exclude: list[dict[str, list[FactValue]]] = []
    people: Annotated[list[Person], Field(min_length=1)]
    # A pool entry is a text (``{setting}``) or a set of fragments that go together
    # (``{rival_name}``, ``{rival_role}``: one person, named and described alike).
    pools: dict[str, Annotated[list[Text | dict[str, Text]], Field(min_length=1)]] = {}
    text: Text
    options: Annotated[list[OptionSpec], Field(min_length=3)]

    def combinations(self) -> Iterator[dict[str, FactValue]]:
        """Every combination of the varied values, minus the excluded ones."""
        names = list(self.vary)
        combos: list[dict[str, FactValue]] = [{}]
        for name in names:
            combos = [{**c, name: value} for c in combos for value in self.vary[name]]
        for combo in combos:
            if not any(_matches(rule, combo) for rule in self.exclude):
                yield combo

    def facts(self, combo: Mapping[str, FactValue], jurisdiction: str, profession: str) -> dict:
        """The engine's facts for one combination (the template's fixed facts included)."""
        return {
            "situation": self.situation,
            "jurisdiction": jurisdiction,
            "profession": profession,
            **self.fixed,
            **combo,
        }

    def options_for(self, facts: Mapping[str, Any]) -> list[OptionSpec]:
        """The options whose words make sense for these facts."""
        return [o for o in self.options if _matches(o.when, facts)]


def _matches(rule: Mapping[str, list[FactValue]], facts: Mapping[str, Any]) -> bool:
    """Every field named in ``rule`` has one of its values (an empty rule matches)."""
    return all(facts.get(name) in values for name, values in rule.items())


class TemplateError(ValueError):
    """A template that cannot make items; the message names the file and the problem."""


def render(text: str, context: Mapping[str, str]) -> str:
    """Fill ``{name}`` placeholders from ``context``, a few levels deep.

    Raises TemplateError naming a placeholder nothing defines, so a typo fails the
    template's tests instead of reaching a learner as ``{victm}``.
    """
    for _ in range(PASSES):
        if not PLACEHOLDER.search(text):
            return text
        missing = [m for m in PLACEHOLDER.findall(text) if m not in context]
        if missing:
            raise TemplateError(f"unknown placeholder {{{missing[0]}}}")
        text = PLACEHOLDER.sub(lambda m: context[m.group(1)], text)
    if PLACEHOLDER.search(text):
        raise TemplateError(f"placeholders nested more than {PASSES} levels deep")
    return text


def person_context(person: Person) -> dict[str, str]:
    return {
        "client": person.name,
        "they": person.they,
        "them": person.them,
        "their": person.their,
        "They": person.they.capitalize(),
        "Them": person.them.capitalize(),
        "Their": person.their.capitalize(),
    }


@dataclass
class TemplateSet:
    """The templates that load, and one line per problem for the files that do not."""

    templates: dict[str, Template] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def load_templates(folder: str | Path = FOLDER) -> TemplateSet:
    """Every ``*.yaml`` template in ``folder``, checked; broken files are reported, not
    loaded, so one bad file never stops practice."""
    found = TemplateSet()
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            template = read_template(path)
        except TemplateError as exc:
            found.problems.append(f"{path.name}: {exc}")
            continue
        found.templates[template.id] = template
    return found


def read_template(path: Path) -> Template:
    """One template file, read with the scenario loader's safe YAML reader and checked."""
    source, problems = read_source(path)
    if source is None or problems:
        raise TemplateError("; ".join(d.message for d in problems) or "cannot be read")
    try:
        template = Template.model_validate(source.data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise TemplateError(f"{where}: {first['msg']}") from None
    if template.id != path.stem:
        raise TemplateError(f"id {template.id!r} differs from the file name {path.stem!r}")
    check_template(template)
    return template


def check_template(template: Template) -> None:
    """What pydantic cannot see: the facts, the acts and every placeholder."""
    model = FACT_MODELS[template.situation]
    for name in [*template.vary, *template.fixed]:
        if name in SHARED or name not in model.model_fields:
            raise TemplateError(f"{name!r} is not a fact of {template.situation}")
    for name, values in template.vary.items():
        fragments = {tuple(sorted(words)) for words in values.values()}
        if len(fragments) != 1:
            raise TemplateError(f"vary.{name}: every value must define the same fragments")
        for value in values:
            _check_facts(template, {name: value})
    for rule in [*template.exclude, *(o.when for o in template.options)]:
        for name in rule:
            if name not in template.vary and name not in template.fixed and name not in SHARED:
                raise TemplateError(f"{name!r} in a when/exclude is not a fact of the template")
    for index, option in enumerate(template.options):
        try:
            action = parse_action(option.action)
        except InvalidInput as exc:
            raise TemplateError(f"options[{index}]: {exc}") from None
        carried = [s for s in action.steps if s not in ACT_STEPS]
        if carried:
            raise TemplateError(
                f"options[{index}] carries process steps {carried}: the learner ticks them"
            )
    _check_placeholders(template)
    if not any(True for _ in template.combinations()):
        raise TemplateError("exclude leaves no combination")


def _check_facts(template: Template, combo: Mapping[str, FactValue]) -> None:
    """A value the engine refuses everywhere is an authoring error (a combination the
    engine refuses alongside other values is skipped by the generator instead)."""
    for other in template.combinations():
        try:
            parse_facts(template.facts({**other, **combo}, "MODEL", template.professions[0]))
            return
        except InvalidInput as exc:
            problem = str(exc)
    raise TemplateError(f"{dict(combo)}: the engine refuses it ({problem})")


def context_names(template: Template) -> set[str]:
    """Every placeholder a template's words may use."""
    fragments = {name for values in template.vary.values() for w in values.values() for name in w}
    return set(BUILT_IN) | set(pool_context(template, 0)) | fragments


def pool_context(template: Template, pick: int | list[int]) -> dict[str, str]:
    """The pools' words for one item: entry ``pick`` (or ``pick[i]`` for the i-th pool,
    in name order) of each pool, modulo its length."""
    context: dict[str, str] = {}
    for i, name in enumerate(sorted(template.pools)):
        pool = template.pools[name]
        entry = pool[(pick[i] if isinstance(pick, list) else pick) % len(pool)]
        if isinstance(entry, dict):
            context.update({f"{name}_{key}": words for key, words in entry.items()})
        else:
            context[name] = entry
    return context


def _check_placeholders(template: Template) -> None:
    known = context_names(template)
    texts = [("text", template.text)]
    texts += [(f"options[{i}].label", o.label) for i, o in enumerate(template.options)]
    texts += [
        (f"pools.{name}", words)
        for name, pool in template.pools.items()
        for entry in pool
        for words in (entry.values() if isinstance(entry, dict) else [entry])
    ]
    texts += [
        (f"vary.{name}.{value}.{fragment}", words)
        for name, values in template.vary.items()
        for value, fragments in values.items()
        for fragment, words in fragments.items()
    ]
    for name, pool in template.pools.items():
        shapes = {tuple(sorted(e)) if isinstance(e, dict) else () for e in pool}
        if len(shapes) != 1:
            raise TemplateError(f"pools.{name}: every entry must have the same fragments")
    for where, text in texts:
        unknown = [m for m in PLACEHOLDER.findall(text) if m not in known]
        if unknown:
            raise TemplateError(f"{where}: unknown placeholder {{{unknown[0]}}}")
