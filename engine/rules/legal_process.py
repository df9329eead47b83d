"""Legal process: subpoena versus court order (RULES.md 6, 11A).

A court order (or a search warrant) must be obeyed, but only to the extent of what it
orders. A subpoena must be answered, but by itself it does not overcome the client's
privilege: respond, tell the client, seek authorization or assert privilege, consult.
State courts apply state privilege law (``law/privilege.csv``); Jaffee v. Redmond sets
the privilege for federal courts. A client who sues the clinician opens what the defence
needs. Psychotherapy notes need an authorization specific to them; Part 2 records are
decided earlier, by ``part2``.
"""

from __future__ import annotations

from engine.facts import LegalProcess
from engine.profiles import Profile
from engine.rules import authorization
from engine.rules.authorization import VERBAL_NOT_ENOUGH
from engine.rules.base import Decision, Rule
from engine.rules.ethics import with_ethics
from engine.rules.orders import order_sentence, ordered_options, ordered_recipients

CATEGORY = "legal_process"

COURT_ORDER = Rule(
    "hipaa.court-order",
    "45 CFR 164.512(e)(1)(i)",
    "A judge's order must be obeyed, but disclose only the information it expressly "
    "authorizes; ask for the narrowest scope or a protective order if it could harm the client.",
)
SEARCH_WARRANT = Rule(
    "hipaa.search-warrant",
    "45 CFR 164.512(f)(1)(ii)(A)",
    "A court-issued warrant compels production of what it describes; verify it, consult "
    "counsel, and give only what it covers.",
)
SUBPOENA = Rule(
    "legal.subpoena-not-order",
    "45 CFR 164.512(e)(1)(ii); 45 CFR 160.203(b) (more protective state law prevails)",
    "A subpoena without a judge's order must be answered but does not by itself overcome "
    "privilege: do not ignore it, do not release records yet.",
)
PRIVILEGE_SUMMARY = (
    "The client holds the psychotherapist-patient privilege; the therapist asserts it on "
    "the client's behalf until the client waives it or a court rules."
)
FEDERAL_PRIVILEGE = Rule(
    "legal.privilege-belongs-to-client",
    "Jaffee v. Redmond, 518 U.S. 1 (1996) (federal courts); state privilege statutes "
    "(for example Cal. Evid. Code 1014; 740 ILCS 110/10) [VARIES]",
    PRIVILEGE_SUMMARY,
)
DEFENCE = Rule(
    "hipaa.defending-a-claim",
    "45 CFR 164.506(c)(1); 45 CFR 164.501 (health care operations include legal services); "
    "45 CFR 164.508(a)(2)(i)(C); 45 CFR 164.512(d) (a licensing board's oversight); for "
    "example Tex. Health & Safety Code 611.006(a)(1)",
    "A clinician sued (or complained against) by a client may use and disclose what the "
    "defence needs, to their own counsel and the tribunal, and no more; psychotherapy notes "
    "only as the defence requires.",
)
NOTES_UNDER_ORDER = Rule(
    "hipaa.psychotherapy-notes-court-order",
    "45 CFR 164.508(a)(2)(ii); 45 CFR 164.512(a); 45 CFR 164.103 (required by law)",
    "A court order that names psychotherapy notes is a disclosure required by law, so the "
    "notes go without an authorization, but only as far as the order reaches.",
)
SATISFACTORY_ASSURANCE = Rule(
    "hipaa.satisfactory-assurance",
    "45 CFR 164.512(e)(1)(ii)-(v); 45 CFR 160.203(b)",
    "HIPAA lets a provider answer a subpoena with records once the requester documents "
    "notice to the client or a qualified protective order, but a more protective state "
    "privilege law still wins [VARIES].",
)
PATIENT_LITIGANT_SUMMARY = (
    "A client who puts their own mental condition at issue may waive privilege for the "
    "relevant records; a court usually decides the scope."
)
NOTES_NEED_SPECIFIC_AUTH = Rule(
    "hipaa.psychotherapy-notes-authorization",
    "45 CFR 164.508(a)(2); 45 CFR 164.501",
    "Psychotherapy notes need an authorization specific to the notes; a general release "
    "does not cover them.",
)
VALID_AUTHORIZATION = Rule(
    "hipaa.valid-authorization",
    "45 CFR 164.508(c); 45 CFR 164.508(b)(2)",
    "A written authorization with every core element permits disclosure within its scope.",
)


def decide(facts: LegalProcess, profile: Profile, model: Profile) -> Decision:
    if facts.client_sued_therapist and facts.instrument == "informal_request":
        return _defence(facts)  # your own counsel, or the board investigating the complaint
    if facts.instrument == "informal_request":  # not legal process: only consent opens it
        return authorization.decide_request(
            None, facts.authorization, "other", facts.records, facts.profession
        )
    notes = facts.records == "psychotherapy_notes"
    if facts.instrument == "court_order":
        decision = Decision(
            category=CATEGORY,
            obligation="must_disclose",
            rules=with_ethics(
                [COURT_ORDER] + ([NOTES_UNDER_ORDER] if notes else []),
                "subpoena",
                facts.profession,
            ),
            reasons=[
                "A judge signed this order, so you must comply, but only with what it "
                "expressly orders: verify it, tell the client, produce nothing beyond its "
                "scope, and ask for a protective order or sealing if the disclosure could "
                "harm the client."
                + (
                    " Psychotherapy notes go only if the order names them."
                    if notes
                    else " Sending the whole chart or the psychotherapy notes would be a breach."
                )
                + order_sentence(facts)
            ],
            recipients=ordered_recipients(facts),
            report_options=ordered_options(facts),
            scope="as_ordered",
        )
        decision.add_steps("verify_authority", required=True)
        decision.add_steps("notify_client", "document")
        decision.add_optional("consult_attorney", "assert_privilege")
        return decision
    if facts.instrument == "search_warrant":
        decision = Decision(
            category=CATEGORY,
            obligation="must_disclose",
            rules=[SEARCH_WARRANT],
            reasons=[
                "A search warrant is signed by a judge and compels what it describes: verify "
                "it, call counsel if you can, give only what it covers, and document."
            ],
            recipients=["law_enforcement"],
            scope="as_ordered",
        )
        decision.add_steps("verify_authority", required=True)
        decision.add_steps("consult_attorney", "document")
        decision.add_optional("notify_client")
        return decision
    if facts.client_sued_therapist:
        return _defence(facts)
    if facts.authorization == "valid":
        decision = Decision(
            category=CATEGORY,
            obligation="may_disclose",
            rules=[VALID_AUTHORIZATION] + ([NOTES_NEED_SPECIFIC_AUTH] if notes else []),
            reasons=[
                "The client signed a valid written authorization covering these records, so "
                "you may release what it covers, to the party it names, and nothing beyond "
                "it (45 CFR 164.508(c)(1))."
            ],
            # an authorization names its recipient: the party that served the subpoena
            recipients=["requester"],
            scope="as_authorized",
            preferred_act="disclose",
        )
        decision.add_steps("document", required=True)
        decision.add_optional("notify_client", "verify_authority")
        return decision
    rules = with_ethics([SUBPOENA, privilege_rule(profile)], "subpoena", facts.profession)
    reasons = [
        "A subpoena signed by an attorney or clerk is not a court order. You must answer it "
        "by its deadline, but it does not overcome the client's privilege: do not confirm "
        "the person is your client, contact the client, and either obtain a specific written "
        "authorization or assert the privilege (object, or ask the court to decide). Consult "
        "an attorney and document every step."
    ]
    if profile.privilege and profile.privilege.subpoena_rule:
        reasons.append(profile.privilege.subpoena_rule)
    if notes:
        rules.append(NOTES_NEED_SPECIFIC_AUTH)
        reasons.append(
            "These are psychotherapy notes: only an authorization specific to the notes, or a "
            "court order that names them, could release them."
        )
    elif facts.satisfactory_assurance:
        rules.append(SATISFACTORY_ASSURANCE)
        where = (
            "there is no state statute in this model, but the privilege is still the client's"
            if profile.code == "MODEL"
            else f"{profile.name}'s own privilege law is usually stricter, and the more "
            "protective law wins [VARIES]"
        )
        reasons.append(
            "The requester's satisfactory assurance means HIPAA alone would permit a "
            f"response, but {where}: a subpoena does not set privilege aside, so still "
            "respond without disclosing until the client authorizes or a court orders it."
        )
    if facts.patient_litigant and not notes:
        rules.append(patient_litigant_rule(profile))
        reasons.append(
            "The client has put their own mental condition at issue, which may waive "
            "privilege for relevant records; the court decides the scope, so still do not "
            "release until the client authorizes or the court rules."
        )
    decision = Decision(
        category=CATEGORY,
        obligation="respond_without_disclosing",
        rules=rules,
        reasons=reasons,
    )
    decision.add_steps("notify_client", required=True)
    if facts.authorization == "verbal":
        decision.rules.append(VERBAL_NOT_ENOUGH)
        decision.add_steps("seek_authorization", required=True)
    objected = facts.authorization in ("refused", "revoked")
    if objected:
        reasons.append(
            "The client has refused (or withdrawn) permission: assert the privilege on their "
            "behalf and let the court resolve the objection."
        )
    decision.add_steps("assert_privilege", required=objected)
    decision.add_steps("consult_attorney", "document")
    decision.add_optional("verify_authority", "seek_authorization")
    return decision


def privilege_rule(profile: Profile) -> Rule:
    """The privilege the court applies: the state's statute where confirmed."""
    privilege = profile.privilege
    if privilege is None:
        return FEDERAL_PRIVILEGE
    return Rule(
        f"{profile.code.lower()}.privilege",
        privilege.statute,
        PRIVILEGE_SUMMARY,
    )


def patient_litigant_rule(profile: Profile) -> Rule:
    privilege = profile.privilege
    if privilege is None or not privilege.patient_litigant_statute:
        return Rule(
            "legal.patient-litigant",
            "State privilege statutes' patient-litigant exceptions (for example Cal. Evid. "
            "Code 1016; C.R.S. 13-90-107(1)(g)) [VARIES]",
            PATIENT_LITIGANT_SUMMARY,
        )
    return Rule(
        f"{profile.code.lower()}.patient-litigant",
        privilege.patient_litigant_statute,
        PATIENT_LITIGANT_SUMMARY,
    )


def _defence(facts: LegalProcess) -> Decision:
    """The client sued (or complained against) the clinician: disclose what the defence needs."""
    notes = facts.records == "psychotherapy_notes"
    decision = Decision(
        category=CATEGORY,
        obligation="may_disclose",
        rules=[DEFENCE],
        reasons=[
            "The client has sued you (or complained against you), so you may use and "
            "disclose what your defence needs, to your own counsel and the court or board, "
            "and no more: not the whole chart, and nothing unrelated to the claim."
            + (" Psychotherapy notes go only as far as the defence requires." if notes else "")
        ],
        recipients=["court", "requester"],
        scope="minimum_necessary",
        preferred_act="disclose",
    )
    decision.add_steps("consult_attorney")
    decision.add_steps("document", required=True)
    decision.add_optional("notify_client", "verify_authority")
    return decision
