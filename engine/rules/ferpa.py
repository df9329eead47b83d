"""Student records: FERPA, not HIPAA (RULES.md 11A).

Records a school or a university counselling centre keeps about a student are education
records or treatment records under FERPA (34 CFR 99.3), not HIPAA protected health
information (45 CFR 160.103). State privilege and licensing law, and the ethics codes,
still apply. This module assumes an eligible student (18 or in postsecondary education,
the counselling-centre case); a K-12 student's parents hold the FERPA rights themselves
[VARIES], and the rulings say so.

Two parts: requests outside legal process are decided here (FERPA has no treatment-and-
payment, family-involvement or personal-representative openings like HIPAA's); for every
other situation the ruling keeps its obligation and ``apply`` swaps HIPAA's citations for
FERPA's (the health-or-safety emergency of 99.36 mirrors HIPAA 164.512(j)).
"""

from __future__ import annotations

import re
from typing import Any

from engine.rules.base import Decision, Rule
from engine.rules.orders import order_sentence, ordered_options, ordered_recipients

STUDENT_RECORDS = Rule(
    "ferpa.student-records",
    "34 CFR 99.3; 45 CFR 160.103",
    "A student's counselling records kept by a school or university are FERPA education or "
    "treatment records, not HIPAA health information; state privilege and licensing law "
    "still apply [VARIES].",
)
EMERGENCY = Rule(
    "ferpa.health-safety-emergency",
    "34 CFR 99.31(a)(10); 34 CFR 99.36",
    "In a health or safety emergency a school may disclose what is needed to appropriate "
    "parties, including parents and the person threatened, whose knowledge is necessary to "
    "protect the student or others, and records the threat and who was told.",
)
CONSENT = Rule(
    "ferpa.written-consent",
    "34 CFR 99.30",
    "Otherwise disclosure needs the student's signed and dated written consent naming the "
    "records, the purpose and who may receive them; a spoken okay is not consent.",
)
TREATMENT = Rule(
    "ferpa.treatment-records",
    "34 CFR 99.3 (treatment records)",
    "A counselling centre's treatment records may go to the professionals treating the "
    "student; shared with anyone else they become education records.",
)
SUBPOENA = Rule(
    "ferpa.subpoena-or-order",
    "34 CFR 99.31(a)(9)(i)-(ii)",
    "A school may comply with a court order or a lawfully issued subpoena after a reasonable "
    "effort to tell the student first; a counsellor's state-law privilege still has to be "
    "asserted or waived [VARIES].",
)
ANNUAL_NOTICE = Rule(
    "ferpa.annual-notice",
    "34 CFR 99.7",
    "The school notifies students of their FERPA rights each year; the counsellor still "
    "explains the limits of confidentiality at the start.",
)

# HIPAA rules and their FERPA counterpart (None: no counterpart, the rule is dropped)
_COUNTERPART: dict[str, Rule | None] = {
    "hipaa.serious-imminent-threat": EMERGENCY,
    "hipaa.serious-threat-to-self": EMERGENCY,
    "hipaa.good-faith-presumption": EMERGENCY,
    "hipaa.court-order": SUBPOENA,
    "hipaa.search-warrant": SUBPOENA,
    "hipaa.satisfactory-assurance": SUBPOENA,
    "legal.subpoena-not-order": SUBPOENA,
    "hipaa.notice-of-privacy-practices": ANNUAL_NOTICE,
    "hipaa.minimum-necessary": None,
    "hipaa.inform-adult-victim": None,
    "hipaa.required-by-law": None,
}
_HIPAA_CITE = re.compile(r"^\s*(45 CFR 16\d|HHS )")
_REQUESTERS_OUT = {
    "employer": "an employer",
    "attorney": "an attorney",
    "insurer": "an insurer",
    "school": "a school official",
    "media": "the media",
    "law_enforcement": "the police",
    "family": "a family member",
    "parent": "a parent",
}


def decide(facts: Any, profile: Any, model: Any, base: Any) -> Decision:
    """Requests and legal process are FERPA's own; elsewhere the ordinary ruling, re-cited."""
    if facts.situation == "disclosure_request":
        decision = decide_request(facts.requester, facts.authorization, facts.purpose)
    elif facts.situation == "legal_process":
        decision = decide_legal(facts)
    else:
        decision = apply(base(facts, profile, model))
    decision.add_optional("consult", "consult_attorney", "notify_client")
    return decision


def apply(decision: Decision) -> Decision:
    """Swap HIPAA's citations for FERPA's; the obligation stays the state's and the codes'."""
    rules: list[Rule] = [STUDENT_RECORDS]
    for rule in decision.rules:
        if rule.id in _COUNTERPART:
            counterpart = _COUNTERPART[rule.id]
            if counterpart is not None and counterpart not in rules:
                rules.append(counterpart)
            continue
        citation = "; ".join(
            part for part in rule.citation.split(";") if not _HIPAA_CITE.match(part)
        ).strip()
        if not citation:
            continue
        if citation != rule.citation:
            rule = Rule(rule.id, citation, rule.summary)
        if rule not in rules:
            rules.append(rule)
    decision.rules = rules
    decision.reasons.insert(
        0,
        "These are a student's counselling records: FERPA (34 CFR 99.3), not HIPAA, governs "
        "them, and state privilege and licensing law still apply.",
    )
    decision.reasons = [_without_hipaa(reason) for reason in decision.reasons]
    return decision


_SENTENCE_SWAPS = (
    (re.compile(r"\(45 CFR 164\.512\(j\)(?:\(\d\))?\)"), "(34 CFR 99.36)"),
    (
        re.compile(r"HIPAA(?:'s)? (?:serious-threat permission|164\.512\(j\))"),
        "FERPA's emergency rule",
    ),
    (re.compile(r"HIPAA and the ethics codes"), "FERPA and the ethics codes"),
    (re.compile(r"\s?\(45 CFR 164\.[0-9()a-z.\-]+\)"), ""),
    (re.compile(r"\s?\(HIPAA 164\.[0-9()a-z.\-]+\)"), ""),
)


def _without_hipaa(sentence: str) -> str:
    """Sentences that name a HIPAA section name its FERPA counterpart, or none."""
    for pattern, replacement in _SENTENCE_SWAPS:
        sentence = pattern.sub(replacement, sentence)
    return sentence


def decide_legal(facts: Any) -> Decision:
    """A subpoena, order or warrant for a student's counselling records (34 CFR 99.31(a)(9))."""
    base_rules = [STUDENT_RECORDS, SUBPOENA]
    if facts.instrument == "informal_request":
        return decide_request(None, facts.authorization, "other")
    if facts.instrument in ("court_order", "search_warrant"):
        decision = Decision(
            category="legal_process",
            obligation="must_disclose",
            rules=base_rules,
            reasons=[
                "These are a student's counselling records (FERPA, 34 CFR 99.3, not HIPAA). "
                "A judge signed this, so comply, but only with what it names: verify it, make "
                "a reasonable effort to tell the student before you comply (unless it forbids "
                "that), and produce nothing beyond its scope (34 CFR 99.31(a)(9))."
                + order_sentence(facts)
            ],
            recipients=ordered_recipients(facts)
            if facts.instrument == "court_order"
            else ["law_enforcement"],
            report_options=ordered_options(facts) if facts.instrument == "court_order" else None,
            scope="as_ordered",
        )
        decision.add_steps("verify_authority", "notify_client", required=True)
        decision.add_steps("document")
        decision.add_optional("consult_attorney", "assert_privilege")
        return decision
    if facts.client_sued_therapist:
        decision = Decision(
            category="legal_process",
            obligation="may_disclose",
            rules=[
                STUDENT_RECORDS,
                Rule(
                    "ferpa.legal-action-by-student",
                    "34 CFR 99.31(a)(9)(iii)",
                    "When a student takes legal action against the institution, it may disclose "
                    "to the court the records relevant to its defence.",
                ),
            ],
            reasons=[
                "The student has taken legal action against you and the centre, so the "
                "records relevant to the defence may go to the court (34 CFR 99.31(a)(9)(iii)), "
                "and no more."
            ],
            recipients=["court", "requester"],
            scope="minimum_necessary",
            preferred_act="disclose",
        )
        decision.add_steps("consult_attorney")
        decision.add_steps("document", required=True)
        return decision
    if facts.authorization == "valid":
        return decide_request("attorney", "valid", "other")
    decision = Decision(
        category="legal_process",
        obligation="respond_without_disclosing",
        rules=base_rules,
        reasons=[
            "These are a student's counselling records (FERPA, 34 CFR 99.3, not HIPAA). FERPA "
            "would let the school answer a lawfully issued subpoena after trying to tell the "
            "student, but a counsellor's records carry the student's state-law privilege "
            "[VARIES]: answer by the deadline, tell the student, and assert the privilege or "
            "get the student's written consent; release nothing yet."
        ],
    )
    decision.add_steps("notify_client", required=True)
    decision.add_steps("assert_privilege", required=facts.authorization in ("refused", "revoked"))
    decision.add_steps("consult_attorney", "document")
    decision.add_optional("verify_authority", "seek_authorization")
    return decision


def decide_request(requester: str | None, authorization: str, purpose: str) -> Decision:
    """A request for a student's counselling records outside legal process."""
    if authorization == "valid":
        decision = Decision(
            category="client_consent",
            obligation="may_disclose",
            rules=[STUDENT_RECORDS, CONSENT],
            reasons=[
                "These are a student's counselling records (FERPA, 34 CFR 99.3, not HIPAA). "
                "The student signed a written consent that names these records, the purpose "
                "and this recipient: disclose what it covers, no more."
            ],
            recipients=["family" if requester in ("family", "parent") else _recipient(requester)],
            scope="as_authorized",
            preferred_act="disclose",
        )
        decision.add_steps("document", required=True)
        return decision
    if requester == "treating_provider" and purpose == "treatment":
        decision = Decision(
            category="client_consent",
            obligation="may_disclose",
            rules=[STUDENT_RECORDS, TREATMENT],
            reasons=[
                "These are a student's counselling records (FERPA, 34 CFR 99.3, not HIPAA). "
                "Treatment records may go to the professionals treating the student; share "
                "what the treatment needs, and document it."
            ],
            recipients=["treating_provider"],
            scope="minimum_necessary",
            preferred_act="disclose",
        )
        decision.add_steps("document")
        return decision
    who = _REQUESTERS_OUT.get(requester or "", "the requester")
    extra = ""
    if requester == "parent":
        extra = (
            " The student is an adult (or in postsecondary education), so the FERPA rights "
            "are the student's; a K-12 student's parents hold them instead [VARIES], and a "
            "dependent student's parents may see education records (34 CFR 99.31(a)(8)), "
            "but a counsellor's treatment records still follow state confidentiality law."
        )
    elif requester == "school":
        extra = (
            " Sharing counselling records with other school officials would make them "
            "education records, and state licensing law and your code forbid it without "
            "consent [VARIES]."
        )
    decision = Decision(
        category="client_consent",
        obligation="must_not_disclose",
        rules=[STUDENT_RECORDS, CONSENT],
        reasons=[
            "These are a student's counselling records (FERPA, 34 CFR 99.3, not HIPAA). "
            f"Without a health or safety emergency, nothing goes to {who} without the "
            "student's signed written consent"
            + (", and a spoken okay is not consent." if authorization == "verbal" else ".")
            + extra
        ],
    )
    decision.add_steps("seek_authorization", required=authorization in ("verbal", "invalid"))
    decision.add_steps("document")
    return decision


def _recipient(requester: str | None) -> str:
    return requester if requester in ("law_enforcement", "treating_provider") else "requester"
