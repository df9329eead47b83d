"""42 CFR Part 2: records of federally assisted substance use disorder programs (RULES.md 5).

First in precedence: Part 2 can turn a HIPAA "may" into a "must not". Only a Part 2
consent (2.31) or a Part 2 court order under Subpart E (2.61-2.67) opens these records;
a subpoena, HIPAA's satisfactory assurance, or a police request never does.
"""

from __future__ import annotations

from engine.facts import DisclosureRequest, LegalProcess
from engine.profiles import Profile
from engine.rules.base import Decision, Rule

PART2_CONSENT = Rule(
    "part2.consent",
    "42 CFR 2.31; 42 CFR 2.32",
    "Written consent meeting 2.31 is the default basis for disclosing Part 2 records; each "
    "disclosure carries the 2.32 notice against redisclosure.",
)
PART2_COURT_ORDER = Rule(
    "part2.court-order",
    "42 CFR 2.61; 42 CFR 2.64; 42 CFR 2.65",
    "A subpoena alone never opens Part 2 records: a Subpart E court order, made with the "
    "required findings and notice, must authorize the disclosure, and a subpoena compels it.",
)
PART2_ACKNOWLEDGE = Rule(
    "part2.acknowledging-patients",
    "42 CFR 2.13 [section number per older text; verify against the current eCFR]",
    "A program may not even confirm that someone is a patient without consent or a court order.",
)


def decide(facts: LegalProcess | DisclosureRequest, profile: Profile, model: Profile) -> Decision:
    is_legal = facts.situation == "legal_process"
    instrument = getattr(facts, "instrument", "informal_request")
    category = (
        "legal_process" if is_legal and instrument != "informal_request" else "client_consent"
    )
    recipient = _recipient(facts)
    if facts.authorization == "valid":
        decision = Decision(
            category=category,
            obligation="may_disclose",
            rules=[PART2_CONSENT],
            reasons=[
                "These are Part 2 substance-use records, and the client signed a consent that "
                "meets 42 CFR 2.31: you may disclose what it covers, with the 2.32 notice "
                "against redisclosure."
            ],
            recipients=[recipient],
            scope="as_authorized",
            preferred_act="disclose",
        )
        decision.add_steps("document", required=True)
        return decision
    if is_legal and instrument in ("court_order", "subpoena", "search_warrant"):
        decision = Decision(
            category=category,
            obligation="respond_without_disclosing",
            rules=[PART2_COURT_ORDER, PART2_ACKNOWLEDGE],
            reasons=[
                "These are Part 2 substance-use records. A "
                + instrument.replace("_", " ")
                + " cannot open them by itself, and HIPAA's satisfactory assurance is not "
                "enough: only a Part 2 court order under Subpart E, with its findings and "
                "notice to the client, can authorize disclosure (and then only what it names). "
                "Respond without disclosing, verify what you received, consult counsel, and "
                "tell the client."
            ],
        )
        decision.add_steps("verify_authority", "consult_attorney", required=True)
        decision.add_steps("notify_client", "document")
        return decision
    decision = Decision(
        category=category,
        obligation="must_not_disclose",
        rules=[PART2_CONSENT, PART2_ACKNOWLEDGE],
        reasons=[
            "These are Part 2 substance-use records: without a Part 2 consent you may not "
            "disclose them, or even confirm the person is a patient."
        ],
    )
    decision.add_steps("seek_authorization", "document")
    return decision


def _recipient(facts: LegalProcess | DisclosureRequest) -> str:
    requester = getattr(facts, "requester", "")
    return (
        requester
        if requester in ("law_enforcement", "family", "treating_provider")
        else "requester"
    )
