"""The ruling: what the law and the ethics codes require in one clinical moment.

Fields follow ENGINE_CONTRACT.md. The extra optional fields say what scoring needs and
the contract leaves implicit:

* ``required_steps``: the subset of ``steps`` whose absence is a process error (the
  rest are recommended: leaving one out costs "best" but is still acceptable);
* ``also_permitted``: recipients the law allows but neither requires nor lists as a
  discharge option (Florida lets a clinician warn the victim; only police are required);
* ``report_options``: for ``must_disclose``, the alternative recipients any one of
  which completes the report (a child-abuse report goes to CPS *or* the police);
* ``preferred_act`` and ``protective_steps``: for ``may_disclose``, which act is best
  and which steps make keeping confidence a defensible choice;
* ``verification_note``: the sentence telling the learner to check a state's current
  law when its profile rests on secondary sources.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.vocabulary import Act, Category, Discharge, Obligation, Recipient, Scope, Step


class RuleRef(BaseModel):
    """A rule that decided the ruling, with the source a reviewer can check it against."""

    model_config = ConfigDict(frozen=True)

    id: str
    citation: str
    summary: str


class Ruling(BaseModel):
    model_config = ConfigDict(frozen=True)

    jurisdiction: str
    verified: bool
    category: Category
    obligation: Obligation
    discharge: Discharge | None = None
    discharge_options: list[list[str]] | None = None
    recipients: list[Recipient]
    scope: Scope
    steps: list[Step]
    rules: list[RuleRef]
    explanation: str
    required_steps: list[Step] = []
    also_permitted: list[Recipient] = []
    report_options: list[list[Recipient]] | None = None
    preferred_act: Act | None = None
    protective_steps: list[Step] = []
    verification_note: str | None = None
    law_reviewed: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the contract; optional fields only where they apply."""
        data = self.model_dump(exclude_none=True)
        for empty_list in ("also_permitted", "protective_steps"):
            if not data.get(empty_list):
                data.pop(empty_list, None)
        return data
