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
  law when its profile rests on secondary sources;
* ``optional_steps``: steps that are sound here but neither required nor recommended
  (every other step is "not called for here" and costs a little);
* ``report_may_follow``: the required report is due "as soon as practicable", so it may
  follow protective action taken now (N.Y. Mental Hygiene Law 9.46);
* ``scope_exempt``: recipients to whom more than the minimum is lawful but not best
  (HIPAA's minimum-necessary rule does not govern treatment disclosures).
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
    optional_steps: list[Step] = []
    report_may_follow: bool = False
    scope_exempt: list[Recipient] = []

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the contract; optional fields only where they apply."""
        data = self.model_dump(exclude_none=True)
        for empty in ("also_permitted", "protective_steps", "scope_exempt", "report_may_follow"):
            if not data.get(empty):
                data.pop(empty, None)
        return data
