"""The engine's fixed vocabulary, exactly as ../shared/design/ENGINE_CONTRACT.md lists it.

Scenario files, the app, the tests and outside reviewers all speak these words, so they
live in one place. Each is a ``Literal`` so pydantic rejects anything else and names the
allowed values in its error.
"""

from __future__ import annotations

from typing import Literal, get_args

Situation = Literal[
    "threat_to_others",
    "threat_to_self",
    "abuse",
    "legal_process",
    "disclosure_request",
    "intake",
]
Profession = Literal["psychologist", "counselor", "social_worker", "mft", "psychiatrist"]

Harm = Literal["serious_physical", "minor_physical", "property", "none"]
# ``group``: people identifiable only by a place or group they belong to (a school, a
# workplace, a family); some statutes count them, others do not (``groups_count``).
Victim = Literal["identified", "reasonably_identifiable", "group", "unidentifiable"]
Imminence = Literal["imminent", "foreseeable", "remote"]
Intent = Literal["stated", "ambiguous", "denied"]
CommunicatedBy = Literal["client", "family_member", "other"]

VictimGroup = Literal["child", "elder", "dependent_adult", "adult"]
Timing = Literal["current", "past"]
Basis = Literal["disclosure", "observation", "third_party_report"]
Suspicion = Literal["reasonable", "speculative"]
AbuseType = Literal[
    "physical",
    "sexual",
    "neglect",
    "emotional",
    "financial",
    "domestic_violence",
    "peer_sexual_activity",  # a minor's sexual activity with a peer, described as consensual
]

Instrument = Literal["subpoena", "court_order", "search_warrant", "informal_request"]
Authorization = Literal["none", "valid", "invalid", "verbal", "revoked", "refused"]
# ``education_record``: a student's records kept by a school or a university counselling
# centre: FERPA education or treatment records, not HIPAA health information.
Records = Literal["general", "psychotherapy_notes", "substance_use_program", "education_record"]
Requester = Literal[
    "law_enforcement",
    "family",
    "employer",
    "attorney",
    "insurer",
    "treating_provider",
    "school",
    "media",
    "parent",  # a parent or guardian of a minor client
]
# A parent's standing under 45 CFR 164.502(g)(3) and (g)(5).
ParentRole = Literal[
    "personal_representative",
    "minor_consented",
    "agreed_confidentiality",
    "court_directed",
    "endangerment",
]
# Whether the client can be asked first (45 CFR 164.510(b)(2) versus (b)(3)).
ClientStatus = Literal["present", "absent", "incapacitated"]
# Whom a court order directs the records to: the court (chambers), the party that asked,
# or either (the order does not say, or says both). 45 CFR 164.512(e)(1)(i): only what
# the order expressly authorizes.
OrderNames = Literal["either", "court", "requester"]
Purpose = Literal["treatment", "payment", "other"]

Category = Literal[
    "imminent_danger",
    "mandatory_reporting",
    "legal_process",
    "client_consent",
    "informed_consent",
]
Obligation = Literal[
    "must_disclose",
    "must_protect",
    "may_disclose",
    "must_not_disclose",
    "respond_without_disclosing",
]
Discharge = Literal["all", "any"]
Recipient = Literal[
    "intended_victim",
    "law_enforcement",
    "emergency_services",
    "family",
    "child_protective_services",
    "adult_protective_services",
    "mental_health_authority",
    "court",
    "requester",
    "treating_provider",
]
# ``full_record`` is this engine's one addition to the contract's scopes: it lets a
# scenario offer the common mistake "send the whole chart", which is always a breach
# unless an order or authorization covers the whole record.
Scope = Literal["minimum_necessary", "as_authorized", "as_ordered", "none"]
ActionScope = Literal["minimum_necessary", "as_authorized", "as_ordered", "none", "full_record"]
Step = Literal[
    "assess_risk",
    "safety_plan",
    "consider_hospitalization",
    "intensify_treatment",
    "consult",
    "document",
    "notify_client",
    "seek_authorization",
    "assert_privilege",
    "consult_attorney",
    "verify_authority",
    "explain_limits",
]
Act = Literal["disclose", "keep_confidential"]
Verdict = Literal["best", "acceptable", "over_disclosure", "under_disclosure", "process_error"]

RECIPIENTS: tuple[str, ...] = get_args(Recipient)
STEPS: tuple[str, ...] = get_args(Step)
CATEGORIES: tuple[str, ...] = get_args(Category)
VERDICTS: tuple[str, ...] = get_args(Verdict)
PROFESSIONS: tuple[str, ...] = get_args(Profession)
