"""Plain words for the engine's vocabulary: what a learner reads instead of tokens.

Presentation only. Which act, recipient or step the law requires is the engine's
answer (``engine.rule``); this module only says it in English.
Category labels live with the charts (``ui.charts.CATEGORY_LABELS``), one set app-wide.
"""

from __future__ import annotations

import re

OBLIGATION_LABELS: dict[str, str] = {
    "must_disclose": "Must disclose: the law requires a report or disclosure",
    "must_protect": "Must protect: a duty to protect is triggered",
    "may_disclose": "May disclose: disclosure is permitted, not required",
    "must_not_disclose": "Must not disclose: confidentiality holds",
    "respond_without_disclosing": "Respond without disclosing: answer the request, disclose nothing yet",
}

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

STEP_LABELS: dict[str, str] = {
    "assess_risk": "assess the risk",
    "safety_plan": "make a safety plan",
    "consider_hospitalization": "consider hospitalization",
    "intensify_treatment": "intensify treatment",
    "consult": "consult a colleague or supervisor",
    "document": "document it",
    "notify_client": "tell the client",
    "seek_authorization": "seek the client's written authorization",
    "assert_privilege": "assert privilege",
    "consult_attorney": "consult an attorney",
    "verify_authority": "verify the requester's authority",
    "explain_limits": "explain the limits of confidentiality",
}

SCOPE_LABELS: dict[str, str] = {
    "minimum_necessary": "only the minimum necessary",
    "as_authorized": "only what the client authorized",
    "as_ordered": "only what the order covers",
    "none": "nothing",
    "full_record": "the whole record",
}

DIFFICULTY_LABELS: dict[int, str] = {1: "Introductory", 2: "Intermediate", 3: "Advanced"}

_TOKENS = {**RECIPIENT_LABELS, **STEP_LABELS}
_TOKEN_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _TOKENS), key=len, reverse=True)) + r")\b"
)


def item_label(item: str) -> str:
    """A recipient or a step in words (discharge options mix both)."""
    return _TOKENS.get(item, item.replace("_", " "))


def join_words(items: list[str] | tuple[str, ...], conjunction: str = "and") -> str:
    words = [item_label(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def humanize(message: str) -> str:
    """An engine fault message with its vocabulary tokens in words.

    ``"recipient not permitted: intended_victim"`` -> ``"... the intended victim"``.
    """
    message = _TOKEN_RE.sub(lambda match: _TOKENS[match.group(1)], message)
    return message.replace("_", " ")
