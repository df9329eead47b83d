"""Whom a court order sends the records to.

An order compels only what it expressly authorizes (45 CFR 164.512(e)(1)(i); for a
student's records 34 CFR 99.31(a)(9); for Part 2 records 42 CFR 2.64(e)), and that
includes its recipient: records an order directs to chambers do not go to the lawyer who
asked for it, and records it directs to a party do not go to the court unasked.
"""

from __future__ import annotations

from typing import Any

_NAMED = {"court": ["court"], "requester": ["requester"]}
_SENTENCES = {
    "court": "The order directs the records to the court alone: produce them to chambers "
    "and to no one else.",
    "requester": "The order directs the records to the party it names: produce them there "
    "and to no one else.",
}


def ordered_recipients(facts: Any) -> list[str]:
    """The recipients the order names (``order_names``; either when it does not say)."""
    return list(_NAMED.get(facts.order_names, ["court", "requester"]))


def ordered_options(facts: Any) -> list[list[str]]:
    """Producing to any one named recipient complies."""
    return [[recipient] for recipient in ordered_recipients(facts)]


def order_sentence(facts: Any) -> str:
    """One sentence on the order's recipient, or "" when it names either."""
    sentence = _SENTENCES.get(facts.order_names)
    return f" {sentence}" if sentence else ""
