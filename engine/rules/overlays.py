"""Overlays that apply to every disclosure (RULES.md 0.3 step 7).

Minimum necessary, the psychotherapy-notes rule, informing the client when safe, and
documenting. They add rules, steps and sentences; they never change the obligation.
"""

from __future__ import annotations

from typing import Any

from engine.rules.base import Decision, Rule
from engine.rules.ethics import ethics_rule

MINIMUM_NECESSARY = Rule(
    "hipaa.minimum-necessary",
    "45 CFR 164.502(b); 45 CFR 164.514(d)",
    "Limit a disclosure to the minimum necessary for its purpose: the nature of the danger "
    "or the report, the client's identity, what is needed to act; not the chart.",
)
PSYCHOTHERAPY_NOTES = Rule(
    "hipaa.psychotherapy-notes",
    "45 CFR 164.508(a)(2); 45 CFR 164.524(a)(1)(i)",
    "Psychotherapy notes kept apart from the record need a notes-specific authorization for "
    "almost any disclosure (exceptions include a serious and imminent threat and uses "
    "required by law).",
)
INFORM_CLIENT = Rule(
    "ethics.inform-client",
    "NASW Code of Ethics 1.07(d); ACA Code of Ethics (2014) B.2.e",
    "Tell the client about a disclosure and its consequences, before it is made when "
    "feasible, unless that would increase the danger.",
)
DOCUMENT = Rule(
    "practice.document",
    "RULES.md 2.6 and 6.2 (process steps; for example Ohio Rev. Code 2305.51 requires "
    "documenting why options were chosen or rejected)",
    "Document what you learned, what you considered, what you did and why.",
)

DISCLOSING = ("must_disclose", "must_protect", "may_disclose")


def apply(decision: Decision, facts: Any) -> Decision:
    """Add the overlays' rules and sentences to ``decision`` (in place) and return it."""
    if decision.obligation in DISCLOSING:
        if decision.scope == "minimum_necessary":
            decision.rules.append(MINIMUM_NECESSARY)
            code_rule = ethics_rule("minimum", facts.profession)
            if code_rule and code_rule not in decision.rules:
                decision.rules.append(code_rule)
        decision.rules.append(INFORM_CLIENT)
        decision.reasons.append(
            "Whatever you disclose, keep it to what the purpose needs, tell the client when "
            "it is safe and clinically sound, and document what you did and why."
        )
    if getattr(facts, "records", None) == "psychotherapy_notes" and not any(
        r.id.startswith("hipaa.psychotherapy-notes") for r in decision.rules
    ):
        decision.rules.append(PSYCHOTHERAPY_NOTES)
    if "document" in decision.steps:
        decision.rules.append(DOCUMENT)
    if facts.profession == "psychiatrist":
        decision.reasons.append(
            "The psychiatric ethics code is not covered by this model; the rules above rest "
            "on federal and state law."
        )
    return decision
