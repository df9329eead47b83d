"""Plain words for the engine's vocabulary: what a learner reads instead of tokens.

The explanation and the faults a learner reads are built from the ruling's own values, so
they must say "warn the intended victim", never ``intended_victim``. One set of words for
the engine's sentences and the app's widgets (``ui.words`` re-exports them).
"""

from __future__ import annotations

from collections.abc import Sequence

# As an action: "You must act promptly: warn the intended victim and notify law enforcement."
_PHRASES = {
    "intended_victim": "warn the intended victim",
    "law_enforcement": "notify law enforcement",
    "emergency_services": "call emergency services",
    "family": "tell family members able to help",
    "treating_provider": "tell medical or mental-health personnel",
    "mental_health_authority": "report to the county director of community services",
    "child_protective_services": "report to child protective services",
    "adult_protective_services": "report to adult protective services",
    "court": "produce to the court",
    "requester": "disclose to the requester",
    "consider_hospitalization": "arrange or initiate hospitalization",
    "intensify_treatment": "put a documented treatment plan in place",
    "consult": "get a second opinion on the risk",
}
# As a noun: "... may be told: the intended victim, law enforcement or family able to help."
_NOUNS = {
    "intended_victim": "the intended victim",
    "law_enforcement": "law enforcement",
    "emergency_services": "emergency services",
    "family": "family able to help",
    "treating_provider": "medical or mental-health personnel",
    "mental_health_authority": "the county director of community services",
    "child_protective_services": "child protective services",
    "adult_protective_services": "adult protective services",
    "court": "the court",
    "requester": "the requester",
}


def item_phrase(item: str) -> str:
    """A recipient or discharge step as something to do."""
    return _PHRASES.get(item, item.replace("_", " "))


def recipient_noun(item: str) -> str:
    return _NOUNS.get(item, item.replace("_", " "))


def join_or(items: Sequence[str]) -> str:
    """``a, b or c``; ``no one`` for nothing."""
    items = list(items)
    if not items:
        return "no one"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


STEP_LABELS: dict[str, str] = {
    "assess_risk": "Assess the risk (intent, plan, means, history)",
    "safety_plan": "Make a safety plan with the client",
    "consider_hospitalization": "Arrange a hospital admission (voluntary or not)",
    "intensify_treatment": "Intensify treatment (see the client more often)",
    "consult": "Consult a supervisor or colleague",
    "document": "Document what you did and why",
    "notify_client": "Tell the client what you are doing and why",
    "seek_authorization": "Ask the client for a signed authorization",
    "assert_privilege": "Assert the client's privilege",
    "consult_attorney": "Consult an attorney or your risk line",
    "verify_authority": "Check the request's legal authority",
    "explain_limits": "Explain the limits of confidentiality",
}
"""Checklist labels: imperative, alike in length, none hinting whether it applies."""

RECIPIENT_LABELS: dict[str, str] = {
    "intended_victim": "the intended victim",
    "law_enforcement": "law enforcement",
    "emergency_services": "emergency services (911, crisis team)",
    "family": "family able to help",
    "child_protective_services": "child protective services",
    "adult_protective_services": "adult protective services",
    "mental_health_authority": "the public mental-health authority",
    "court": "the court",
    "requester": "the requester",
    "treating_provider": "the treating provider",
}

SCOPE_LABELS: dict[str, str] = {
    "minimum_necessary": "only the minimum necessary",
    "as_authorized": "only what the client authorized",
    "as_ordered": "only what the order covers",
    "none": "nothing",
    "full_record": "the whole record",
}


def scope_phrase(
    scope: str, obligation: str, recipients: list[str], scope_exempt: list[str]
) -> str:
    """How much a ruling lets you disclose, in words a learner reads after "Disclose".

    HIPAA's minimum-necessary standard does not govern a report the law requires (the
    law sets its scope, 45 CFR 164.512(a)(1)) or a disclosure for treatment (45 CFR
    164.502(b)(2)(i)), so those rulings are not worded as "the minimum necessary".
    """
    if scope == "minimum_necessary" and recipients:
        if set(recipients) <= set(scope_exempt):
            return (
                "what treatment needs (your code's limit; HIPAA's minimum necessary does not apply)"
            )
        if obligation == "must_disclose":
            return "only what the law requiring the report asks for"
    return SCOPE_LABELS.get(scope, scope)


def step_label(step: str) -> str:
    return STEP_LABELS.get(step, step.replace("_", " "))


def step_phrase(step: str) -> str:
    """A step inside a sentence: "assess the risk (intent, plan, means, history)"."""
    label = step_label(step)
    return label[0].lower() + label[1:]
