"""Client consent: requests outside legal process (RULES.md 7, 6.4, 8, 11A).

Outside the exceptions, disclosure to anyone needs the client's informed, written
authorization. The few openings without one are narrow: treatment and payment under
HIPAA 164.506(c) (not for psychotherapy notes; counselors' code still asks for
authorization before telling a payer), a family member's involvement in care with the
client's agreement, which HIPAA 164.510(b) lets be oral (the AAMFT code does not), what is
directly relevant for an absent or incapacitated client's family (164.510(b)(3)), and a
minor's parent who is the minor's personal representative (164.502(g)).
"""

from __future__ import annotations

from engine.rules.base import Decision, Rule
from engine.rules.ethics import with_ethics

CATEGORY = "client_consent"

NEEDS_AUTHORIZATION = Rule(
    "hipaa.authorization-required",
    "45 CFR 164.508(a)(1); 45 CFR 164.508(c)",
    "Outside the listed exceptions, disclosure needs the client's written authorization "
    "with every core element: what, from whom, to whom, why, until when, signed and dated.",
)
VALID_AUTHORIZATION = Rule(
    "hipaa.valid-authorization",
    "45 CFR 164.508(c); 45 CFR 164.508(b)(2)",
    "A written authorization with every core element permits disclosure within its scope.",
)
DEFECTIVE_AUTHORIZATION = Rule(
    "hipaa.defective-authorization",
    "45 CFR 164.508(b)(2)",
    "An authorization that is expired, incomplete, revoked or known to be false is "
    "defective and permits nothing.",
)
REVOKED = Rule(
    "hipaa.revocation",
    "45 CFR 164.508(b)(5)",
    "A client may revoke an authorization in writing; after revocation nothing more may be "
    "disclosed under it.",
)
VERBAL_NOT_ENOUGH = Rule(
    "consent.verbal-not-enough",
    "45 CFR 164.508(a)(1); 45 CFR 164.508(c)(1)(vi) (signature and date)",
    "A client's spoken okay is not a written authorization; get it in writing first.",
)
FAMILY_INVOLVEMENT = Rule(
    "hipaa.family-involvement",
    "45 CFR 164.510(b)",
    "With the client present and agreeing (orally is enough), a provider may share what is "
    "relevant to a family member's involvement in the client's care.",
)
TREATMENT_PAYMENT = Rule(
    "hipaa.treatment-payment",
    "45 CFR 164.506(c)",
    "A provider may disclose for its own or another provider's treatment, and for payment, "
    "without authorization (psychotherapy notes excepted).",
)
# Codes that ask for the client's authorization before a payer is told, although HIPAA
# 164.506(c) permits payment disclosures without one.
PAYER_AUTHORIZATION = {
    "counselor": Rule(
        "ethics.aca.third-party-payers",
        "ACA Code of Ethics (2014) B.3.d",
        "Counselors disclose to third-party payers only when clients have authorized it.",
    ),
    "social_worker": Rule(
        "ethics.nasw.third-party-payers",
        "NASW Code of Ethics 1.07(h)",
        "Social workers do not disclose to third-party payers unless clients have authorized it.",
    ),
}
NOTES_NEED_SPECIFIC_AUTH = Rule(
    "hipaa.psychotherapy-notes-authorization",
    "45 CFR 164.508(a)(2); 45 CFR 164.501",
    "Psychotherapy notes need an authorization specific to the notes, even for another "
    "treating provider; a general release does not cover them.",
)
POLICE_REQUEST = Rule(
    "hipaa.police-request-not-process",
    "45 CFR 164.512(f)(1)(ii)",
    "A police request is not legal process: only a court order, a court-ordered warrant, a "
    "judicially issued subpoena or summons, or an administrative request meeting the "
    "three-part test is. Neither confirm nor deny that the person is a client; ask for the "
    "request and its legal basis in writing, and consult.",
)
FAMILY_ABSENT = Rule(
    "hipaa.family-client-absent",
    "45 CFR 164.510(b)(3)",
    "When the client is absent or incapacitated, a provider may tell a family member what "
    "is directly relevant to their involvement, if in professional judgment it is in the "
    "client's best interest; a capable client's objection controls.",
)
PERSONAL_REPRESENTATIVE = Rule(
    "hipaa.parent-personal-representative",
    "45 CFR 164.502(g)(1), (g)(3); 45 CFR 164.524(a)(1)",
    "A parent is usually a minor's personal representative and stands in the minor's "
    "shoes: the parent may be told about the minor's care and may ask for access to the "
    "record (psychotherapy notes excepted).",
)
NOT_REPRESENTATIVE = Rule(
    "hipaa.parent-not-representative",
    "45 CFR 164.502(g)(3)(i)-(ii)",
    "A parent is not the personal representative for care the minor lawfully consented to, "
    "care a court directed, or care the parent agreed to keep confidential: then the "
    "minor's own authorization is needed, unless state law permits or requires telling the "
    "parent [VARIES].",
)
ENDANGERMENT = Rule(
    "hipaa.parent-endangerment",
    "45 CFR 164.502(g)(5)",
    "A provider may decline to treat a parent as the personal representative when it "
    "reasonably believes the minor has been or may be abused or endangered by that parent.",
)

_RECIPIENT_FOR = {
    "law_enforcement": "law_enforcement",
    "family": "family",
    "parent": "family",
    "treating_provider": "treating_provider",
}


def decide_request(
    requester: str | None,
    authorization: str,
    purpose: str,
    records: str,
    profession: str,
    *,
    parent_role: str = "personal_representative",
    client_status: str = "present",
) -> Decision:
    """Rule on a request for information outside legal process."""
    decision = _decide_request(
        requester, authorization, purpose, records, profession, parent_role, client_status
    )
    decision.add_optional("consult", "consult_attorney", "notify_client")
    return decision


def _decide_request(
    requester: str | None,
    authorization: str,
    purpose: str,
    records: str,
    profession: str,
    parent_role: str,
    client_status: str,
) -> Decision:
    recipient = _RECIPIENT_FOR.get(requester or "", "requester")
    who = (requester or "requester").replace("_", " ")
    notes = records == "psychotherapy_notes"
    if authorization == "revoked":
        return _refuse(
            [REVOKED], f"The client revoked the authorization; nothing more may go to the {who}."
        )
    if authorization == "valid":
        decision = Decision(
            category=CATEGORY,
            obligation="may_disclose",
            rules=with_ethics(
                [VALID_AUTHORIZATION] + ([NOTES_NEED_SPECIFIC_AUTH] if notes else []),
                "authorization",
                profession,
            ),
            reasons=[
                f"The client signed a valid written authorization for the {who}: you may "
                "disclose exactly what it covers, no more."
            ],
            recipients=[recipient],
            scope="as_authorized",
            preferred_act="disclose",
        )
        decision.add_steps("document", required=True)
        return decision
    if notes:
        return _refuse(
            [NOTES_NEED_SPECIFIC_AUTH],
            "These are psychotherapy notes: without an authorization specific to the notes "
            f"they cannot go to the {who}"
            + (
                ", even though they are treating the client."
                if requester == "treating_provider"
                else "."
            ),
            seek=True,
        )
    if requester == "parent":
        return _parent(parent_role, profession)
    if requester == "treating_provider" and purpose == "treatment":
        decision = _permitted(
            TREATMENT_PAYMENT,
            recipient,
            "Another provider treating the client may receive what they need for treatment "
            "without an authorization (HIPAA's treatment permission). HIPAA's minimum-"
            "necessary rule does not apply to a treatment disclosure (45 CFR "
            "164.502(b)(2)(i)); your code still asks you to share what is germane, not the "
            "whole chart by reflex. Document it.",
            profession,
        )
        decision.scope_exempt = [recipient]
        return decision
    if requester == "insurer" and purpose == "payment":
        if profession in PAYER_AUTHORIZATION:
            code = PAYER_AUTHORIZATION[profession]
            return _refuse(
                [TREATMENT_PAYMENT, code],
                "HIPAA would permit a payment disclosure, but your code of ethics ("
                + code.citation
                + ") asks you to disclose to payers only with the client's authorization: "
                "get it first.",
                seek=True,
                required=True,
            )
        return _permitted(
            TREATMENT_PAYMENT,
            recipient,
            "Billing the insurer is a payment disclosure HIPAA permits without an "
            "authorization, limited to the minimum the claim needs (never psychotherapy notes).",
            profession,
        )
    if requester == "family" and client_status != "present" and authorization != "refused":
        decision = _permitted(
            FAMILY_ABSENT,
            "family",
            "The client is "
            + ("absent" if client_status == "absent" else "incapacitated")
            + " and cannot be asked. You may tell this family member what is directly "
            "relevant to their involvement in the client's care, if in your professional "
            "judgment that is in the client's best interest (45 CFR 164.510(b)(3)); nothing "
            "beyond that. Keeping the confidence is also defensible.",
            profession,
        )
        decision.preferred_act = None
        return decision
    if requester == "family" and authorization == "verbal":
        if profession == "mft":
            return _refuse(
                with_ethics([FAMILY_INVOLVEMENT, VERBAL_NOT_ENOUGH], "authorization", profession),
                "HIPAA would allow sharing with family on the client's oral agreement, but "
                "the AAMFT code requires written authorization outside emergencies: get it "
                "in writing first.",
                seek=True,
                required=True,
            )
        return _permitted(
            FAMILY_INVOLVEMENT,
            "family",
            "The client agreed aloud to sharing with this family member. HIPAA lets you share "
            "what is relevant to their involvement in the client's care on that oral "
            "agreement: keep to that, and document the agreement. Some state mental-health "
            "laws are stricter than HIPAA here [VARIES].",
            profession,
        )
    if requester == "law_enforcement":
        decision = _refuse(
            [POLICE_REQUEST],
            "A police request is not legal process and there is no emergency: neither confirm "
            "nor deny that the person is your client, ask for any legal basis in writing, "
            "offer to pass on a message, and document.",
        )
        decision.add_steps("verify_authority")
        if authorization == "verbal":  # a signed authorization is the lawful route
            decision.add_steps("seek_authorization")
        else:
            decision.add_optional("seek_authorization")
        return decision
    if authorization == "verbal":
        return _refuse(
            with_ethics([VERBAL_NOT_ENOUGH, NEEDS_AUTHORIZATION], "authorization", profession),
            f"The client's spoken okay is not a written authorization: before anything goes "
            f"to the {who}, get a specific written authorization and stay within it.",
            seek=True,
            required=True,
        )
    if authorization == "invalid":
        return _refuse(
            [DEFECTIVE_AUTHORIZATION],
            "The authorization you have is defective (missing elements, expired, or not "
            "covering these records), so it permits nothing: ask the client for a valid one.",
            seek=True,
            required=True,
        )
    if authorization == "refused":
        return _refuse(
            [NEEDS_AUTHORIZATION],
            f"The client refused to authorize disclosure to the {who}: respect it.",
        )
    return _refuse(
        [NEEDS_AUTHORIZATION],
        f"No exception covers a request from the {who}: without the client's written "
        "authorization nothing can be disclosed, not even whether they are your client.",
        seek=requester != "media",
    )


def _parent(parent_role: str, profession: str) -> Decision:
    """A minor client's parent asks: personal representative or not (164.502(g))."""
    if parent_role == "personal_representative":
        decision = _permitted(
            PERSONAL_REPRESENTATIVE,
            "family",
            "The parent is the minor's personal representative here (they consented to the "
            "care, and no exception applies), so they stand in the minor's shoes: you may "
            "tell them about the minor's care, and they may ask for access to the record, "
            "psychotherapy notes excepted. Share what bears on their role, keep to what you "
            "agreed at intake, and document.",
            profession,
        )
        decision.scope_exempt = ["family"]
        return decision
    if parent_role == "endangerment":
        decision = _refuse(
            [ENDANGERMENT],
            "You reasonably believe this parent has abused or endangered the minor, so you "
            "may decline to treat them as the minor's personal representative (45 CFR "
            "164.502(g)(5)): tell them nothing about the minor's care, and make the abuse "
            "report the law requires.",
        )
        return decision
    why = {
        "minor_consented": "the minor lawfully consented to this care under state law",
        "agreed_confidentiality": "the parent agreed that this care would stay confidential",
        "court_directed": "a court directed this care",
    }[parent_role]
    return _refuse(
        [NOT_REPRESENTATIVE],
        f"The parent is not the minor's personal representative for this care, because "
        f"{why} (45 CFR 164.502(g)(3)). Without the minor's own authorization, nothing about "
        "the care goes to the parent, unless your state's law permits or requires it "
        "[VARIES]. Offer a family conversation the minor agrees to.",
        seek=True,
    )


def _refuse(rules: list[Rule], reason: str, seek: bool = False, required: bool = False) -> Decision:
    decision = Decision(
        category=CATEGORY, obligation="must_not_disclose", rules=rules, reasons=[reason]
    )
    if seek:
        decision.add_steps("seek_authorization", required=required)
    decision.add_steps("document")
    return decision


def _permitted(rule: Rule, recipient: str, reason: str, profession: str) -> Decision:
    decision = Decision(
        category=CATEGORY,
        obligation="may_disclose",
        rules=with_ethics([rule], "minimum", profession),
        reasons=[reason],
        recipients=[recipient],
        scope="minimum_necessary",
        preferred_act="disclose",
    )
    decision.add_steps("document")
    return decision
