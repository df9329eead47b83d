"""42 CFR Part 2: records of federally assisted substance use disorder programs
(RULES.md 5, 11A).

First in precedence: Part 2 can turn a HIPAA "may" into a "must not", and no state law
may authorize or compel a disclosure Part 2 forbids. Its own openings are narrow:

* a Part 2 consent (2.31) or a Subpart E court order (2.61-2.67; a subpoena alone never);
* a bona fide medical emergency: medical personnel only, never the police (2.51);
* the initial report of suspected child abuse the state requires (2.12(c)(6));
* a crime on the program's premises or against its staff, to the police (2.12(c)(5)).

``decide`` gets the ruling the facts would have for ordinary records (``base``) and
narrows it; legal process and requests are decided here outright.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.profiles import Profile
from engine.rules.base import Decision, Rule
from engine.rules.danger_to_self import drop_protection_advice
from engine.rules.orders import order_sentence, ordered_options, ordered_recipients

MEDICAL_PERSONNEL = ("emergency_services", "treating_provider")

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
PART2_ORDER_MET = Rule(
    "part2.subpart-e-order",
    "42 CFR 2.61; 42 CFR 2.63; 42 CFR 2.64",
    "A court order that meets Subpart E (good cause found, notice to the patient and the "
    "program, only the necessary parts) authorizes the disclosure it names; with it a "
    "subpoena or the order compels production, limited to what is ordered. What the "
    "patient said in treatment goes only where 2.63 allows.",
)
PART2_ACKNOWLEDGE = Rule(
    "part2.acknowledging-patients",
    "42 CFR 2.13",
    "A program may not even confirm that someone is a patient without consent or a court "
    "order [UNCERTAIN: the section number follows the text before the 2024 rule].",
)
PART2_EMERGENCY = Rule(
    "part2.medical-emergency",
    "42 CFR 2.51",
    "In a bona fide medical emergency, when the patient's consent cannot be obtained first, "
    "patient-identifying information may go to medical personnel to the extent needed; the "
    "program documents the disclosure. The police are not medical personnel.",
)
PART2_THREAT = Rule(
    "part2.no-threat-exception",
    "42 CFR 2.12(c)(5); 42 CFR 2.20; 42 CFR 2.63",
    "Part 2 has no general serious-threat exception: warn without revealing that the person "
    "is a patient of a substance-use program, tell the police only of a crime on the "
    "program's premises or against its staff, or seek a court order; consult counsel.",
)
PART2_CHILD_ABUSE = Rule(
    "part2.child-abuse-report",
    "42 CFR 2.12(c)(6)",
    "Part 2 does not stop the initial report of suspected child abuse or neglect that state "
    "law requires; the records themselves still need consent or a Subpart E order for any "
    "later proceedings.",
)
PART2_ADULT_ABUSE = Rule(
    "part2.adult-abuse-report",
    "42 CFR 2.12(c)(6); 42 CFR 2.20",
    "Part 2's reporting exception covers child abuse only: a report about an adult must not "
    "identify the person as a patient of the program [UNCERTAIN: consult counsel].",
)
PART2_PREMISES = Rule(
    "part2.crime-on-premises",
    "42 CFR 2.12(c)(5)",
    "A program may tell the police about a crime on its premises or against its staff, "
    "limited to the circumstances of the incident and the suspect's status, name, address "
    "and last known whereabouts.",
)
PART2_NOTICE = Rule(
    "part2.patient-notice",
    "42 CFR 2.22",
    "A Part 2 program tells each patient, at admission, of the federal confidentiality "
    "protections of their records and their limits.",
)

Base = Callable[[Any, Profile, Profile], Decision]


def decide(facts: Any, profile: Profile, model: Profile, base: Base) -> Decision:
    situation = facts.situation
    if situation in ("legal_process", "disclosure_request"):
        return _request(facts)
    decision = base(facts, profile, model)
    if situation == "threat_to_self":
        return _medical_emergency(decision, facts)
    if situation == "threat_to_others":
        return _threat(decision)
    if situation == "abuse":
        return _abuse(decision, facts)
    decision.rules.append(PART2_NOTICE)  # intake
    decision.reasons.append(
        "This is a Part 2 program: at admission, give the patient the written notice of "
        "federal confidentiality protections (42 CFR 2.22) along with the limits."
    )
    return decision


def _medical_emergency(decision: Decision, facts: Any) -> Decision:
    """Danger to self: only medical personnel, and only in a bona fide emergency (2.51)."""
    decision.rules.append(PART2_EMERGENCY)
    if decision.obligation not in ("may_disclose", "must_protect"):
        return decision
    dropped = [
        p for p in decision.recipients + decision.also_permitted if p not in MEDICAL_PERSONNEL
    ]
    if decision.obligation == "must_protect":
        decision.reasons.append(
            "The state duty's report cannot be made from Part 2 records without a court "
            "order (42 CFR 2.20) [UNCERTAIN: consult counsel]."
        )
        decision.preferred_act = decision.preferred_act or (
            "keep_confidential" if facts.accepts_safety_plan else "disclose"
        )
        decision.obligation = "may_disclose"
        decision.report_may_follow = False
        decision.discharge_options = None
        decision.also_permitted = []
        decision.add_steps("consult_attorney")
    decision.recipients = [p for p in MEDICAL_PERSONNEL]
    decision.also_permitted = []
    drop_protection_advice(decision)  # it named family and police; 2.51 does not
    urgent = decision.preferred_act == "disclose"
    decision.reasons.append(
        "These are Part 2 substance-use records: "
        + ("protection is strongly indicated, and " if urgent else "")
        + "in this medical emergency you may tell "
        "medical personnel (emergency services, a crisis team, a hospital) what they need, "
        "and document it (42 CFR 2.51)"
        + ("; family or police may not be told without the patient's consent." if dropped else ".")
    )
    decision.add_steps("document", required=True)
    return decision


def _threat(decision: Decision) -> Decision:
    decision.rules.append(PART2_THREAT)
    if decision.obligation in ("may_disclose", "must_protect"):
        decision.reasons.append(
            "These are Part 2 substance-use records, and Part 2 has no serious-threat "
            "exception: any warning must not reveal that the person is a patient of a "
            "substance-use program, and the police hear identifying details only of a crime "
            "on the program's premises or against its staff (42 CFR 2.12(c)(5)). Consult "
            "counsel as you act."
        )
        decision.add_steps("consult_attorney", required=True)
    return decision


def _abuse(decision: Decision, facts: Any) -> Decision:
    child = facts.victim_group == "child" or facts.others_at_risk
    if child and decision.obligation == "must_disclose":
        decision.rules.append(PART2_CHILD_ABUSE)
        decision.reasons.append(
            "Part 2 does not stop this initial report (42 CFR 2.12(c)(6)); the program's "
            "records themselves still need consent or a Subpart E court order for any later "
            "proceedings."
        )
        return decision
    if decision.obligation in ("must_disclose", "may_disclose"):
        decision.rules.append(PART2_ADULT_ABUSE)
        decision.reasons.append(
            "Part 2's reporting exception covers child abuse only: a report about an adult "
            "must not identify the person as a patient of the program [UNCERTAIN]. Consult "
            "counsel before you report."
        )
        decision.add_steps("consult_attorney", required=True)
    return decision


def _request(facts: Any) -> Decision:
    is_legal = facts.situation == "legal_process"
    instrument = facts.instrument if is_legal else "informal_request"
    category = (
        "legal_process" if is_legal and instrument != "informal_request" else "client_consent"
    )
    recipient = _recipient(facts)
    if is_legal and instrument == "court_order" and facts.part2_order:
        decision = Decision(
            category=category,
            obligation="must_disclose",
            rules=[PART2_ORDER_MET],
            reasons=[
                "These are Part 2 substance-use records, and the court's order meets Subpart "
                "E (its findings, notice to the patient and the program, and limits). Comply, "
                "but only with what it names: verify it, produce nothing beyond it, and keep "
                "what the patient said in treatment out unless the order reaches it under "
                "42 CFR 2.63." + order_sentence(facts)
            ],
            recipients=ordered_recipients(facts),
            report_options=ordered_options(facts),
            scope="as_ordered",
        )
        decision.add_steps("verify_authority", required=True)
        decision.add_steps("document")
        decision.add_optional("notify_client", "consult", "consult_attorney")
        return decision
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
        decision.add_optional("notify_client", "consult", "consult_attorney", "verify_authority")
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
        decision.add_optional("consult", "assert_privilege", "seek_authorization")
        return decision
    if not is_legal and facts.on_program_premises:
        decision = Decision(
            category=category,
            obligation="may_disclose",
            rules=[PART2_PREMISES],
            reasons=[
                "The police are asking about a crime on the program's premises (or against "
                "its staff). Part 2 lets the program report it, limited to the circumstances "
                "of the incident and the suspect's status, name, address and last known "
                "whereabouts (42 CFR 2.12(c)(5)); nothing about treatment."
            ],
            recipients=["law_enforcement"],
            scope="minimum_necessary",
        )
        decision.add_steps("document")
        decision.add_optional("verify_authority", "consult", "consult_attorney")
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
    decision.add_optional("consult", "consult_attorney", "notify_client", "verify_authority")
    return decision


def _recipient(facts: Any) -> str:
    requester = facts.requester if facts.situation == "disclosure_request" else ""
    if requester == "parent":
        return "family"
    return (
        requester
        if requester in ("law_enforcement", "family", "treating_provider")
        else "requester"
    )
