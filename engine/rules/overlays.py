"""Overlays that apply to every disclosure (RULES.md 0.3 step 7, 7.2, 11A).

Minimum necessary, the psychotherapy-notes rule, informing the client when safe, and
documenting. They add rules, steps and sentences; they never change the obligation.
HIPAA's minimum-necessary rule does not govern a disclosure to a provider for treatment
(45 CFR 164.502(b)(2)(i)), a report the law requires (its own law sets the scope,
164.512(a)(1); 164.502(b)(2)(v)) or a student's FERPA records; the ethics codes' "least
necessary" still does, so those rulings cite the code or the law instead.
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
MINIMUM_NECESSARY_BEYOND_REPORT = Rule(
    MINIMUM_NECESSARY.id,
    MINIMUM_NECESSARY.citation,
    "Anyone beyond the agency the report must go to is told only because the law permits "
    "it, so that disclosure is limited to the minimum necessary for its purpose.",
)
TREATMENT_NOT_MINIMUM = Rule(
    "hipaa.treatment-not-minimum-necessary",
    "45 CFR 164.502(b)(2)(i)",
    "HIPAA's minimum-necessary rule does not apply to disclosures to a provider for "
    "treatment; the limit there is ethical (share what is germane).",
)
REQUIRED_BY_LAW_SCOPE = Rule(
    "hipaa.required-by-law-scope",
    "45 CFR 164.512(a)(1); 45 CFR 164.502(b)(2)(v)",
    "A disclosure the law requires is limited to what that law requires; HIPAA's "
    "minimum-necessary standard does not apply to it. Give the agency the facts the report "
    "calls for, not the chart.",
)
PSYCHOTHERAPY_NOTES = Rule(
    "hipaa.psychotherapy-notes",
    "45 CFR 164.508(a)(2); 45 CFR 164.524(a)(1)(i)",
    "Psychotherapy notes kept apart from the record need a notes-specific authorization for "
    "almost any disclosure (exceptions include a serious and imminent threat and uses "
    "required by law).",
)
DOCUMENT_SUMMARY = "Document what you learned, what you considered, what you did and why."
OHIO_DOCUMENT = Rule(
    "us-oh.document-reasons",
    "Ohio Rev. Code 2305.51",
    "Ohio's duty statute requires documenting why each protective option was chosen or rejected.",
)


def inform_client_rule(profession: str) -> Rule | None:
    """The learner's own code on telling the client, in its own words (the APA and AAMFT
    codes ask for the limits to be discussed again; NASW and ACA say to tell the client
    before a disclosure); none on file for psychiatrists."""
    code = ethics_rule("inform", profession)
    return None if code is None else Rule("ethics.inform-client", code.citation, code.summary)


def document_rule(profession: str, jurisdiction: str) -> Rule | None:
    """The learner's own code on records; Ohio's statute where it applies; else none
    (the ruling's steps still ask for documentation, and the codes on file are cited)."""
    if jurisdiction == "US-OH":
        return OHIO_DOCUMENT
    code = ethics_rule("records", profession)
    return None if code is None else Rule("practice.document", code.citation, DOCUMENT_SUMMARY)


DISCLOSING = ("must_disclose", "must_protect", "may_disclose")
HIPAA_RECORDS = ("general", "psychotherapy_notes", "substance_use_program")


def apply(decision: Decision, facts: Any) -> Decision:
    """Add the overlays' rules and sentences to ``decision`` (in place) and return it."""
    if decision.obligation in DISCLOSING:
        _minimum_necessary(decision, facts)
        inform = inform_client_rule(facts.profession)
        if inform is not None:
            decision.rules.append(inform)
        decision.reasons.append(
            "Whatever you disclose, keep it to what the purpose needs, tell the client when "
            "it is safe and clinically sound, and document what you did and why."
        )
    if facts.records == "psychotherapy_notes" and not any(
        r.id.startswith("hipaa.psychotherapy-notes") for r in decision.rules
    ):
        decision.rules.append(PSYCHOTHERAPY_NOTES)
    if "document" in decision.steps:
        documented = document_rule(facts.profession, facts.jurisdiction)
        if documented is not None:
            decision.rules.append(documented)
    else:
        decision.add_optional("document")
    # Consulting, telling the client what you are doing, and going over the limits of
    # confidentiality again are never wrong in themselves (ACA B.2.a: consult when unsure;
    # NASW 1.07(d), ACA B.2.e: inform the client; APA 4.02(b), ACA A.2.a: consent is
    # revisited as circumstances change).
    decision.add_optional("consult", "notify_client", "explain_limits")
    if facts.profession == "psychiatrist":
        decision.reasons.append(
            "The psychiatric ethics code is not covered by this model; the rules above rest "
            "on federal and state law."
        )
    return decision


def _minimum_necessary(decision: Decision, facts: Any) -> None:
    """Which minimum-necessary rule applies: HIPAA's, or (for treatment) the code's alone."""
    if decision.scope != "minimum_necessary":
        return
    hipaa = facts.records in HIPAA_RECORDS
    allowed = set(decision.recipients) | set(decision.also_permitted)
    if hipaa and facts.records == "general" and "treating_provider" in allowed:
        if "treating_provider" not in decision.scope_exempt:
            decision.scope_exempt.append("treating_provider")
    exempt = set(decision.scope_exempt)
    if hipaa and decision.obligation == "must_disclose":
        # A required report: the law that requires it sets its scope (164.512(a)(1)), and
        # HIPAA's minimum-necessary standard does not apply (164.502(b)(2)(v)); it still
        # governs anyone the ruling only permits you to tell.
        decision.rules.append(REQUIRED_BY_LAW_SCOPE)
        if set(decision.also_permitted) - exempt:
            decision.rules.append(MINIMUM_NECESSARY_BEYOND_REPORT)
    elif hipaa and not (allowed and allowed <= exempt):
        decision.rules.append(MINIMUM_NECESSARY)
    if hipaa and "treating_provider" in decision.scope_exempt:
        decision.rules.append(TREATMENT_NOT_MINIMUM)
    code_rule = ethics_rule("minimum", facts.profession)
    if code_rule and code_rule not in decision.rules:
        decision.rules.append(code_rule)
