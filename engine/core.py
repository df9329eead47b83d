"""``rule`` and ``score``: the two functions the app, the CLI and the tests call."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from engine.actions import Action, Score, parse_action
from engine.facts import parse_facts
from engine.profiles import MODEL, Profile, get_profile
from engine.rules import decide, overlays
from engine.ruling import Ruling
from engine.scoring import score_action

VERIFICATION_WORDS = {
    "statute_text_partial": "a partial reading of the statute",
    "ncsl_table": "a legislative survey table",
    "secondary_case": "descriptions of the statute in appellate cases",
    "secondary": "a third-party compilation",
}


def rule(facts: dict[str, Any] | Any, jurisdiction: str | None = None) -> Ruling:
    """The ruling for ``facts``; ``jurisdiction`` overrides the facts' own.

    Raises ``InvalidInput`` naming the field and the allowed values.
    """
    parsed = parse_facts(facts)
    code = jurisdiction or parsed.jurisdiction
    get_profile(code)  # fail early, listing the known codes
    return _rule(parsed.model_copy(update={"jurisdiction": code}))


@lru_cache(maxsize=65536)
def _rule(facts: Any) -> Ruling:
    """Rulings are pure functions of (frozen) facts, so the app can call this per click."""
    profile = get_profile(facts.jurisdiction)
    decision = overlays.apply(decide(facts, profile, get_profile(MODEL)), facts)
    note = verification_note(profile, decision.fallback_to_model)
    explanation = " ".join(decision.reasons + ([note] if note else []))
    must_protect = decision.obligation == "must_protect"
    return Ruling(
        jurisdiction=profile.code,
        verified=profile.verified,
        category=decision.category,
        obligation=decision.obligation,
        discharge=("all" if len(decision.discharge_options or []) == 1 else "any")
        if must_protect
        else None,
        discharge_options=decision.discharge_options if must_protect else None,
        recipients=decision.recipients,
        scope=decision.scope,
        steps=decision.steps,
        rules=[r.ref() for r in dict.fromkeys(decision.rules)],
        explanation=explanation,
        required_steps=decision.required_steps,
        also_permitted=decision.also_permitted,
        report_options=decision.report_options,
        preferred_act=decision.preferred_act,
        protective_steps=decision.protective_steps,
        verification_note=note,
        law_reviewed=profile.reviewed,
        optional_steps=decision.optional_steps,
        report_may_follow=decision.report_may_follow,
        scope_exempt=decision.scope_exempt,
    )


def verification_note(profile: Profile, fallback: bool) -> str | None:
    """The sentence that tells a learner when not to lean on a state-specific answer."""
    if profile.verified:
        return None
    source = VERIFICATION_WORDS.get(profile.verification, "secondary sources")
    return (
        f"Unverified: our {profile.name} profile rests on {source}, not on a full reading "
        f"of the statute{' (and part of it falls back to the MODEL rule)' if fallback else ''}; check "
        f"{profile.name}'s current law before relying on this ruling."
    )


def score(
    action: dict[str, Any] | Action, facts: dict[str, Any] | Any, jurisdiction: str | None = None
) -> Score:
    """Score a learner's action against the ruling for ``facts``."""
    parsed_action = parse_action(action)
    ruling = rule(facts, jurisdiction)
    return score_action(parsed_action, ruling)
