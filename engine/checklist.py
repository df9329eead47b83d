"""The steps a learner may tick at a decision, per situation (the act is chosen apart).

A learner first chooses what to do (whom to tell, if anyone, and how much), then ticks
the steps that go with it. The checklist is the same for every decision of a situation,
in the vocabulary's fixed order, so it gives nothing away: it holds every step a ruling
of that situation can ask for, and the plausible ones it may not (a property test checks
the first half over the whole fact space). A step that an option of the decision already
carries as its act (``explain_limits`` at intake, "arrange a voluntary admission") is
left out of that decision's checklist.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.vocabulary import STEPS

_BY_SITUATION: dict[str, frozenset[str]] = {
    "threat_to_others": frozenset(
        {
            "assess_risk",
            "safety_plan",
            "consider_hospitalization",
            "intensify_treatment",
            "consult",
            "document",
            "notify_client",
            "consult_attorney",
        }
    ),
    "threat_to_self": frozenset(
        {
            "assess_risk",
            "safety_plan",
            "consider_hospitalization",
            "intensify_treatment",
            "consult",
            "document",
            "notify_client",
            "consult_attorney",
        }
    ),
    "abuse": frozenset(
        {
            "safety_plan",
            "consult",
            "document",
            "notify_client",
            "seek_authorization",
            "consult_attorney",
        }
    ),
    "legal_process": frozenset(
        {
            "consult",
            "document",
            "notify_client",
            "seek_authorization",
            "assert_privilege",
            "consult_attorney",
            "verify_authority",
        }
    ),
    "disclosure_request": frozenset(
        {
            "consult",
            "document",
            "notify_client",
            "seek_authorization",
            "consult_attorney",
            "verify_authority",
        }
    ),
    "intake": frozenset({"explain_limits", "consult", "document", "seek_authorization"}),
}


def checklist_for(situation: str, carried: Iterable[str] = ()) -> tuple[str, ...]:
    """The steps offered at a decision of ``situation``, in the vocabulary's order.

    ``carried``: steps the decision's options already carry as part of their act.
    """
    offered = _BY_SITUATION[situation] - set(carried)
    return tuple(step for step in STEPS if step in offered)
