"""The law as code: confidentiality by default, exceptions in order of precedence.

``decide`` walks the exception families in the order RULES.md 0.3 gives, and the first
that speaks decides; the overlays in ``overlays`` then apply to every disclosure.

    1. 42 CFR Part 2 records            -> part2
       student records (FERPA)          -> ferpa
    2. mandatory reporting              -> mandatory_reporting
    3. danger to others / to self       -> danger_to_others, danger_to_self
    4. legal process                    -> legal_process
    5. client authorization             -> authorization
    6. informed consent at intake       -> intake
    7. otherwise: confidentiality holds -> default_confidentiality
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.profiles import Profile
from engine.rules import (
    authorization,
    danger_to_others,
    danger_to_self,
    ferpa,
    intake,
    legal_process,
    mandatory_reporting,
    part2,
)
from engine.rules.base import Decision, Rule

CONFIDENTIALITY_DEFAULT = Rule(
    "confidentiality.default",
    "45 CFR 164.502(a); APA Ethics Code 4.01; ACA Code of Ethics B.1.c; NASW Code of Ethics 1.07",
    "What a client shares stays confidential unless an exception applies.",
)

Family = Callable[[Any, Profile, Profile], Decision | None]


def _part2(facts: Any, profile: Profile, model: Profile) -> Decision | None:
    if facts.records == "substance_use_program":
        return part2.decide(facts, profile, model, decide_ordinary)
    return None


def _ferpa(facts: Any, profile: Profile, model: Profile) -> Decision | None:
    if facts.records == "education_record":
        return ferpa.decide(facts, profile, model, decide_ordinary)
    return None


def _only(situation: str, decide: Callable[[Any, Profile, Profile], Decision]) -> Family:
    def family(facts: Any, profile: Profile, model: Profile) -> Decision | None:
        return decide(facts, profile, model) if facts.situation == situation else None

    family.__name__ = decide.__module__.rsplit(".", 1)[-1]
    return family


def _request(facts: Any, profile: Profile, model: Profile) -> Decision:
    return authorization.decide_request(
        facts.requester,
        facts.authorization,
        facts.purpose,
        facts.records,
        facts.profession,
        parent_role=facts.parent_role,
        client_status=facts.client_status,
    )


def _default(facts: Any, profile: Profile, model: Profile) -> Decision:
    decision = Decision(
        category="client_consent",
        obligation="must_not_disclose",
        rules=[CONFIDENTIALITY_DEFAULT],
        reasons=["No exception applies, so confidentiality holds."],
    )
    decision.add_steps("document")
    return decision


PRECEDENCE: tuple[Family, ...] = (
    _part2,
    _ferpa,
    _only("abuse", mandatory_reporting.decide),
    _only("threat_to_others", danger_to_others.decide),
    _only("threat_to_self", danger_to_self.decide),
    _only("legal_process", legal_process.decide),
    _only("disclosure_request", _request),
    _only("intake", intake.decide),
    _default,
)


def decide(facts: Any, profile: Profile, model: Profile) -> Decision:
    """The first exception family (in precedence order) that speaks to these facts."""
    for family in PRECEDENCE:
        decision = family(facts, profile, model)
        if decision is not None:
            return decision
    raise AssertionError("the default family always decides")  # pragma: no cover


def decide_ordinary(facts: Any, profile: Profile, model: Profile) -> Decision:
    """What the law says if these were ordinary health records: Part 2 or FERPA then
    narrows or re-cites it."""
    for family in PRECEDENCE[2:]:
        decision = family(facts, profile, model)
        if decision is not None:
            return decision
    raise AssertionError("the default family always decides")  # pragma: no cover
