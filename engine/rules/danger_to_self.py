"""Danger to self: suicide and self-harm (RULES.md 3).

Disclosure to prevent a serious and imminent threat to the client's own life is
permitted everywhere we studied and rarely a duty; New York's MHL 9.46 report is the
duty on file (``self_harm_rule`` in ``law/duty_elements.csv``). The least restrictive
effective step wins: a client who engages in a safety plan or a voluntary admission
keeps their confidence.
"""

from __future__ import annotations

from engine.facts import ThreatToSelf
from engine.profiles import Profile, is_step, parse_discharge_rule
from engine.rules.base import Decision, Rule
from engine.rules.ethics import with_ethics

CATEGORY = "imminent_danger"
SELF_RECIPIENTS = ("emergency_services", "family", "law_enforcement", "treating_provider")

_DUTY_WORDS = {
    "mental_health_authority": "report to the county director of community services",
    "law_enforcement": "notify law enforcement",
    "consider_hospitalization": "arrange or initiate hospitalization",
}

HIPAA_SELF = Rule(
    "hipaa.serious-threat-to-self",
    "45 CFR 164.512(j)(1)(i); 45 CFR 164.510(b)(3); HHS FAQ 520",
    "A provider may tell emergency services, a crisis team, police for a welfare check, or "
    "family able to help, what is needed to prevent a serious and imminent threat to the "
    "client's own life.",
)
LEAST_RESTRICTIVE = Rule(
    "practice.least-restrictive-self-harm",
    "RULES.md 3 (process); ACA Code of Ethics B.2.a; NASW Code of Ethics 1.02",
    "Assess ideation, plan, intent and means; safety-plan with the client and prefer the "
    "least restrictive effective step; involve the client in any disclosure.",
)
NO_IMMINENT_RISK = Rule(
    "confidentiality.no-imminent-self-harm",
    "45 CFR 164.512(j); RULES.md 3 (misconceptions)",
    "Passive ideation or a risk that is not imminent calls for assessment and safety "
    "planning, not a breach of confidentiality.",
)


def decide(facts: ThreatToSelf, profile: Profile, model: Profile) -> Decision:
    permitted = [p for p in profile.permitted_recipients if p in SELF_RECIPIENTS]
    imminent = (
        facts.imminence == "imminent"
        and facts.intent != "denied"
        and (facts.intent == "stated" or facts.plan or facts.means)
    )
    if not imminent:
        decision = Decision(
            category=CATEGORY,
            obligation="must_not_disclose",
            rules=[NO_IMMINENT_RISK, LEAST_RESTRICTIVE],
            reasons=[
                "The risk is not serious and imminent, so no exception applies: assess "
                "ideation, plan, intent and means, build a safety plan with the client, and "
                "document. Telling family or police now would be a breach."
            ],
        )
        decision.add_steps("assess_risk", required=True)
        if facts.intent == "stated" or facts.plan or facts.means:
            decision.add_steps("safety_plan", required=True)
            decision.add_steps("intensify_treatment")
        decision.add_steps("document")
        return decision

    reasons = [
        "The client faces a serious and imminent risk to their own life, so the law permits "
        "disclosing what is needed to protect them."
    ]
    rules = with_ethics([HIPAA_SELF, LEAST_RESTRICTIVE], "danger", facts.profession)
    if profile.permitted_recipients != model.permitted_recipients:
        rules.append(
            Rule(
                f"{profile.code.lower()}.permitted-recipients",
                profile.statute_citation,
                f"{profile.name} lists who may be told of a danger: "
                + ", ".join(p.replace("_", " ") for p in permitted)
                + ".",
            )
        )
        reasons.append(
            f"{profile.name}'s statute limits who may be told to "
            + ", ".join(p.replace("_", " ") for p in permitted)
            + "; relatives are not on that list."
        )
    duty_applies = bool(profile.self_harm_rule) and profile.covers(facts.profession)
    if duty_applies:
        options, _ = parse_discharge_rule(profile.self_harm_rule)
        required = [p for option in options for p in option if not is_step(p)]
        reasons.append(
            f"{profile.name} also imposes a duty here ({profile.statute_citation}): "
            + " or ".join(
                " and ".join(_DUTY_WORDS.get(p, p.replace("_", " ")) for p in o) for o in options
            )
            + ", in addition to protecting the client."
        )
        decision = Decision(
            category=CATEGORY,
            obligation="must_protect",
            rules=rules
            + [
                Rule(
                    f"{profile.code.lower()}.self-harm-duty",
                    profile.statute_citation,
                    f"{profile.name}: {profile.trigger_summary}.",
                )
            ],
            reasons=reasons,
            recipients=list(dict.fromkeys(required)),
            scope="minimum_necessary",
            discharge_options=[list(o) for o in options],
            also_permitted=[p for p in permitted if p not in required],
        )
        if facts.accepts_safety_plan:
            decision.reasons.append(
                "The client engages in a safety plan, so beyond the report keep their other "
                "confidences and follow the plan closely."
            )
            decision.add_steps("safety_plan", required=True)
        elif not any(is_step(p) for option in options for p in option):
            decision.reasons.append(
                "The report protects no one tonight and the client refuses a safety plan: "
                "also contact emergency services or family able to help, or arrange "
                "hospitalization."
            )
            decision.preferred_act = "disclose"
            decision.protective_steps = ["consider_hospitalization"]
            decision.add_steps("consider_hospitalization")
        decision.add_steps("document", required=True)
        return decision

    if facts.accepts_safety_plan:
        reasons.append(
            "Because the client engages in voluntary steps (a safety plan or voluntary "
            "admission), the least restrictive path is to keep their confidence and follow "
            "the plan closely; calling family or emergency services would be lawful but not "
            "the best choice."
        )
        decision = Decision(
            category=CATEGORY,
            obligation="may_disclose",
            rules=rules,
            reasons=reasons,
            recipients=permitted,
            scope="minimum_necessary",
            preferred_act="keep_confidential",
            protective_steps=["safety_plan", "consider_hospitalization"],
        )
        decision.add_steps("safety_plan", required=True)
        decision.add_steps("document")
        return decision

    reasons.append(
        "The client will not engage in a safety plan, so protection is strongly indicated: "
        "contact "
        + " or ".join(p.replace("_", " ") for p in permitted)
        + ", consider hospitalization under your state's criteria, disclose the minimum "
        "and document. Doing nothing to protect confidentiality would be a failure to protect."
    )
    decision = Decision(
        category=CATEGORY,
        obligation="may_disclose",
        rules=rules,
        reasons=reasons,
        recipients=permitted,
        scope="minimum_necessary",
        preferred_act="disclose",
        protective_steps=["consider_hospitalization"],
    )
    decision.add_steps("consider_hospitalization")
    decision.add_steps("document", required=True)
    return decision
