"""The steps a learner may tick at a decision, per situation (the act is chosen apart).

A learner first chooses what to do (whom to tell, if anyone, and how much), then ticks
the steps that go with it. The checklist is the same for every decision of a situation,
in the vocabulary's fixed order, so it gives nothing away: it holds every step a ruling
of that situation can ask for, and the plausible ones it may not (a property test checks
the first half over the whole fact space). Explaining the limits of confidentiality is
never in a checklist: at intake it is what the learner *says*, so it is one of the
options (``ACT_ONLY``). Protective acts (a safety plan, an admission) may be both an
option's act and a checklist step.
"""

from __future__ import annotations

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
    # explaining the limits is the act at intake: the options carry it, never the list
    "intake": frozenset({"consult", "document", "seek_authorization"}),
}
# Steps an option carries as its act; a ruling may ask for them without the checklist.
ACT_ONLY = frozenset({"explain_limits"})


def checklist_for(situation: str) -> tuple[str, ...]:
    """The steps offered at a decision of ``situation``, in the vocabulary's order."""
    offered = _BY_SITUATION[situation]
    return tuple(step for step in STEPS if step in offered)
