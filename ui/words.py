"""Plain words for the engine's vocabulary: what a learner reads instead of tokens.

Presentation only. Which act, recipient or step the law requires is the engine's
answer (``engine.rule``); this module only says it in English, with the engine's own
words for recipients, steps and scopes (``engine.words``) so the two never drift.
Category labels live with the charts (``ui.charts.CATEGORY_LABELS``), one set app-wide.
"""

from __future__ import annotations

import re

from engine.words import RECIPIENT_LABELS, SCOPE_LABELS, STEP_LABELS, scope_phrase

__all__ = [
    "DIFFICULTY_LABELS",
    "OBLIGATION_LABELS",
    "RECIPIENT_LABELS",
    "SCOPE_LABELS",
    "STEP_LABELS",
    "scope_phrase",
    "humanize",
    "item_label",
    "join_words",
]

OBLIGATION_LABELS: dict[str, str] = {
    "must_disclose": "Must disclose: the law requires a report or disclosure",
    "must_protect": "Must protect: a duty to protect is triggered",
    "may_disclose": "May disclose: disclosure is permitted, not required",
    "must_not_disclose": "Must not disclose: confidentiality holds",
    "respond_without_disclosing": "Respond without disclosing: answer the request, disclose nothing yet",
}

DIFFICULTY_LABELS: dict[int, str] = {1: "Introductory", 2: "Intermediate", 3: "Advanced"}

_TOKENS = {**RECIPIENT_LABELS, **{k: v[0].lower() + v[1:] for k, v in STEP_LABELS.items()}}
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
