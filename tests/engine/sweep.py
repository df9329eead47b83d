"""The property sweep: every invariant checked on every valid facts object under every
jurisdiction profile (the benchmark's enumeration, for psychologists).

Why a sweep and not samples: a rule that misbehaves for one state and one rare
combination (a group victim, a Part 2 record, an unreachable victim) is exactly what a
random sample misses. The sweep rules each facts object under each of the 52 profiles,
scores the ruling's own best action and a disclosure to every recipient it does not
allow, and records each violation (the first few per invariant, with the facts).

It runs in worker processes (one per core, at most two) because the space is large; the
result is computed once per test session and shared by the tests in
``test_properties.py``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from multiprocessing import get_context
from typing import Any

import engine
from engine.actions import Action
from engine.checklist import ACT_ONLY
from engine.facts import parse_facts
from engine.profiles import load_profiles
from engine.scoring import score_action
from engine.vocabulary import RECIPIENTS
from tests.engine.fact_space import valid_facts

KEEP = 5  # violations kept per invariant: enough to debug, small enough to print
PERMISSIVENESS = {
    "must_not_disclose": 0,
    "respond_without_disclosing": 1,
    "may_disclose": 2,
    "must_protect": 3,
    "must_disclose": 3,
}
# Learner-facing text cites the law, never our research notes (RULES.md 11A).
RESEARCH_WORDS = ("rules.md", "jurisdictions.csv", "research brief", "ecfr", "our sources")


@dataclass
class Outcome:
    """For each invariant: how many rulings it was checked on, and the first violations."""

    checked: dict[str, int] = field(default_factory=dict)
    violations: dict[str, list[str]] = field(default_factory=dict)
    facts_objects: int = 0
    rulings: int = 0

    def record(self, name: str, problem: str | None) -> None:
        self.checked[name] = self.checked.get(name, 0) + 1
        if problem is not None:
            kept = self.violations.setdefault(name, [])
            if len(kept) < KEEP:
                kept.append(problem)

    def merge(self, other: Outcome) -> None:
        self.facts_objects = max(self.facts_objects, other.facts_objects)
        self.rulings += other.rulings
        for name, count in other.checked.items():
            self.checked[name] = self.checked.get(name, 0) + count
        for name, problems in other.violations.items():
            kept = self.violations.setdefault(name, [])
            kept.extend(problems[: KEEP - len(kept)])


def best_action(ruling: engine.Ruling) -> Action:
    """The action the ruling itself describes as best."""
    steps = list(ruling.steps)
    if ruling.obligation == "must_protect":
        option = ruling.discharge_options[0]
        to = [p for p in option if p in RECIPIENTS]
        steps += [p for p in option if p not in RECIPIENTS and p not in steps]
        if ruling.preferred_act == "disclose":  # a protective step beyond a bare report
            steps += [s for s in ruling.protective_steps if s not in steps]
    elif ruling.obligation == "must_disclose":
        to = list((ruling.report_options or [ruling.recipients])[0])
    elif ruling.obligation == "may_disclose" and ruling.preferred_act == "disclose":
        to = [ruling.recipients[0]]
    else:
        to = []
    if to:
        return Action(act="disclose", to=tuple(to), scope=ruling.scope, steps=tuple(steps))
    return Action(act="keep_confidential", steps=tuple(steps))


def _cited(facts: Any, ruling: engine.Ruling) -> str | None:
    if not ruling.rules:
        return "a ruling without a cited rule"
    if not all(r.citation.strip() and r.id and r.summary for r in ruling.rules):
        return "a rule without citation, id or summary"
    if not ruling.explanation.strip():
        return "no explanation"
    return None


def _shape(facts: Any, ruling: engine.Ruling) -> str | None:
    if not set(ruling.required_steps) <= set(ruling.steps):
        return f"required steps {ruling.required_steps} not all in steps {ruling.steps}"
    if set(ruling.optional_steps) & set(ruling.steps):
        return f"a step is both listed and optional: {ruling.optional_steps}"
    protect = ruling.obligation == "must_protect"
    if protect and not ruling.discharge_options:
        return "must_protect without discharge options"
    if protect and ruling.discharge != ("all" if len(ruling.discharge_options) == 1 else "any"):
        return "discharge does not match the number of options"
    if not protect and (ruling.discharge is not None or ruling.discharge_options is not None):
        return "discharge options outside must_protect"
    closed = ruling.obligation in ("must_not_disclose", "respond_without_disclosing")
    if closed and (ruling.recipients or ruling.scope != "none"):
        return "recipients or a scope where nothing may be disclosed"
    allowed = set(ruling.recipients) | set(ruling.also_permitted)
    if not set(ruling.scope_exempt) <= allowed:
        return f"scope_exempt {ruling.scope_exempt} outside the allowed recipients"
    return None


def _no_research_notes(facts: Any, ruling: engine.Ruling) -> str | None:
    texts = (ruling.explanation, ruling.verification_note or "") + tuple(
        text for r in ruling.rules for text in (r.citation, r.summary)
    )
    if texts in _CLEAN_TEXTS:  # the same sentences recur across facts and states
        return None
    problem = _research_words(texts)
    if problem is None:
        _CLEAN_TEXTS.add(texts)
    return problem


_CLEAN_TEXTS: set[tuple[str, ...]] = set()


def _research_words(texts: tuple[str, ...]) -> str | None:
    for text in texts:
        lowered = text.lower()
        for word in RESEARCH_WORDS:
            if word in lowered:
                return f"cites {word!r}: {text[:120]}"
    return None


def _best(facts: Any, ruling: engine.Ruling) -> str | None:
    result = score_action(best_action(ruling), ruling)
    if (result.verdict, result.points) != ("best", 100):
        return f"best action scored {result.verdict}: {result.errors}"
    return None


def _disallowed(facts: Any, ruling: engine.Ruling) -> str | None:
    """Telling every recipient the law does not allow is a breach that names each one."""
    allowed = set(ruling.recipients) | set(ruling.also_permitted)
    others = [r for r in RECIPIENTS if r not in allowed]
    if not others:
        return None
    result = score_action(
        Action(act="disclose", to=tuple(others), steps=tuple(ruling.steps)), ruling
    )
    if result.verdict != "over_disclosure" or result.points >= 50:
        return f"disclosing to {others} scored {result.verdict} ({result.points})"
    if ruling.obligation in ("must_not_disclose", "respond_without_disclosing"):
        return None  # one fault says nothing could be disclosed at all
    named = [r for r in others if f"recipient not permitted: {r}" not in result.errors]
    return f"not named as breaches: {named}" if named else None


def _extra_step(facts: Any, ruling: engine.Ruling) -> str | None:
    """A step that is not called for turns the best action into an acceptable one."""
    action = best_action(ruling)
    listed = set(ruling.steps) | set(ruling.optional_steps) | set(ruling.protective_steps)
    listed |= {item for option in ruling.discharge_options or [] for item in option}
    spare = [s for s in engine.checklist_for(facts.situation) if s not in listed]
    if not spare:
        return None
    extra = action.model_copy(update={"steps": (*action.steps, spare[0])})
    result = score_action(extra, ruling)
    if (result.verdict, result.points) != ("acceptable", 70):
        return f"an extra {spare[0]} scored {result.verdict} ({result.points})"
    return None


def _checklist_covers(facts: Any, ruling: engine.Ruling) -> str | None:
    """Every step a ruling asks for can be ticked (or is an act) at such a decision."""
    offered = set(engine.checklist_for(facts.situation)) | ACT_ONLY
    missing = [s for s in ruling.steps if s not in offered]
    return f"steps {missing} are not in the {facts.situation} checklist" if missing else None


def _unidentifiable(facts: Any, ruling: engine.Ruling) -> str | None:
    if facts.situation != "threat_to_others" or facts.victim != "unidentifiable":
        return None
    profile = load_profiles()[facts.jurisdiction]
    if profile.victim_required != "none" and ruling.obligation == "must_protect":
        return "must_protect for an unidentifiable victim where the statute requires one"
    return None


def _court_order(facts: Any, ruling: engine.Ruling) -> str | None:
    if facts.situation != "legal_process":
        return None
    if facts.instrument == "court_order" and facts.records == "general":
        if ruling.obligation == "respond_without_disclosing":
            return "a court order for general records answered without disclosing"
    return None


def _authorization(facts: Any, ruling: engine.Ruling) -> str | None:
    """A valid authorization never makes a request less permitted."""
    if facts.situation not in ("legal_process", "disclosure_request"):
        return None
    if facts.authorization == "valid":
        return None
    with_valid = engine.rule(facts.model_copy(update={"authorization": "valid"}))
    if PERMISSIVENESS[with_valid.obligation] < PERMISSIVENESS[ruling.obligation]:
        return f"valid authorization gives {with_valid.obligation}, {facts.authorization} gives {ruling.obligation}"
    return None


Check = Callable[[Any, engine.Ruling], "str | None"]
# Checks on what the ruling says and the facts behind it: run on every ruling.
PER_RULING: dict[str, Check] = {
    "cited": _cited,
    "no_research_notes": _no_research_notes,
    "unidentifiable_victim": _unidentifiable,
    "court_order": _court_order,
    "authorization": _authorization,
}
# Checks on the ruling's structure and how it scores: these depend only on the fields in
# ``structure_key``, so each distinct structure is checked once and the answer reused
# (thousands of distinct structures among millions of rulings).
PER_STRUCTURE: dict[str, Check] = {
    "shape": _shape,
    "best_action": _best,
    "disallowed_recipients": _disallowed,
    "extra_step": _extra_step,
    "checklist_covers": _checklist_covers,
}
INVARIANTS = {**PER_RULING, **PER_STRUCTURE}


def structure_key(facts: Any, ruling: engine.Ruling) -> tuple[Any, ...]:
    """Everything the structural checks read: the situation and the ruling's fields."""
    options = ruling.discharge_options
    return (
        facts.situation,
        ruling.obligation,
        ruling.discharge,
        tuple(map(tuple, options)) if options else None,
        tuple(ruling.recipients),
        ruling.scope,
        tuple(ruling.steps),
        tuple(ruling.required_steps),
        tuple(ruling.optional_steps),
        tuple(ruling.also_permitted),
        tuple(map(tuple, ruling.report_options)) if ruling.report_options else None,
        ruling.preferred_act,
        tuple(ruling.protective_steps),
        ruling.report_may_follow,
        tuple(ruling.scope_exempt),
    )


def _run(check: Check, facts: Any, ruling: engine.Ruling) -> str | None:
    try:
        return check(facts, ruling)
    except Exception as exc:  # an engine crash is a violation, not a test error
        return f"raised {type(exc).__name__}: {exc}"


def sweep_profiles(codes: list[str]) -> Outcome:
    """Every valid facts object under each of ``codes``.

    The cyclic garbage collector is paused while it runs: the rulings hold no cycles, and
    with the engine's ruling cache full, each collection would walk tens of thousands of
    live objects (it tripled the sweep's time).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _sweep(codes)
    finally:
        if enabled:
            gc.enable()


def _sweep(codes: list[str]) -> Outcome:
    space = [parse_facts(f) for f in valid_facts()]
    outcome = Outcome(facts_objects=len(space))
    structures: dict[tuple[Any, ...], dict[str, str | None]] = {}
    for code in codes:
        for base in space:
            facts = base.model_copy(update={"jurisdiction": code})
            ruling = engine.rule(facts)
            outcome.rulings += 1
            found = {name: _run(check, facts, ruling) for name, check in PER_RULING.items()}
            key = structure_key(facts, ruling)
            if key not in structures:
                structures[key] = {n: _run(c, facts, ruling) for n, c in PER_STRUCTURE.items()}
            found.update(structures[key])
            for name, problem in found.items():
                if problem is not None:
                    problem = f"{code} {facts.model_dump(exclude_defaults=True)}: {problem}"
                outcome.record(name, problem)
    return outcome


@cache
def run_sweep() -> Outcome:
    """The whole sweep, split across up to two worker processes."""
    codes = list(load_profiles())
    workers = max(1, min(2, os.cpu_count() or 1))
    chunks = [codes[i::workers] for i in range(workers)]
    outcome = Outcome()
    if workers == 1:
        outcome.merge(sweep_profiles(codes))
        return outcome
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        for part in pool.map(sweep_profiles, chunks):
            outcome.merge(part)
    return outcome
