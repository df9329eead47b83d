"""What a practice item trains: a *skill* is a ruling's category and its side.

The issue asks for practice "where the learner is weakest (category, and the direction
of error: over- or under-disclosure)". The direction a learner can err in depends on
what the law asks at that decision, so the engine's ruling sorts every item to a side:

* ``act``: the law requires a report or protection (``must_disclose``,
  ``must_protect``), or permits a disclosure and prefers it. The trap here is
  *under*-disclosure: keeping the confidence when someone had to be told.
* ``hold``: the confidence holds (``must_not_disclose``), the request is answered
  without disclosing (``respond_without_disclosing``), or a disclosure is permitted but
  keeping the confidence is as good or better. The trap here is *over*-disclosure.

A skill is computed from the ruling, never written in a template: the template fills
the facts, the engine rules on them, and this module only reads the ruling.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

from engine.ruling import Ruling
from engine.vocabulary import CATEGORIES

Side = Literal["act", "hold"]
SIDES: tuple[str, ...] = get_args(Side)

# The error each side guards against: what a miss on that side usually is.
TRAP: dict[str, str] = {"act": "under_disclosure", "hold": "over_disclosure"}

# Plain words, for the Progress and Practice pages (no law: only what the side means).
SIDE_LABELS: dict[str, str] = {
    "act": "when someone has to be told",
    "hold": "when the confidence holds",
}


class Skill(NamedTuple):
    """A ruling category and a side (``act`` or ``hold``)."""

    category: str
    side: str

    @property
    def key(self) -> str:
        """``legal_process:hold``: stable text for logs, seeds and tests."""
        return f"{self.category}:{self.side}"


def side_of(ruling: Ruling) -> str:
    """``act`` where the law requires or prefers a disclosure or protection, else ``hold``."""
    if ruling.obligation in ("must_disclose", "must_protect"):
        return "act"
    if ruling.obligation == "may_disclose" and ruling.preferred_act == "disclose":
        return "act"
    return "hold"


def skill_of(ruling: Ruling) -> Skill:
    return Skill(ruling.category, side_of(ruling))


# Every skill, in teaching order (the categories' order, ``act`` before ``hold``).
ALL_SKILLS: tuple[Skill, ...] = tuple(Skill(c, s) for c in CATEGORIES for s in SIDES)
