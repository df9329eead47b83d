"""Danger to self: suicide and self-harm (RULES.md 3, 11A).

Disclosure to prevent a serious and imminent threat to the client's own life is
permitted everywhere we studied and rarely a duty; New York's MHL 9.46 report and New
Jersey's 2A:62A-16 are the duties on file (``self_harm_rule`` in
``law/duty_elements.csv``). The least restrictive effective step wins: a client who
engages in a safety plan or a voluntary admission keeps their confidence. A good-faith
emergency call for a high-risk client is never a breach (164.512(j)(4)), even where
keeping confidence with a safety plan was the better choice.
"""

from __future__ import annotations

from engine.facts import ThreatToSelf
from engine.profiles import Profile, is_step, parse_discharge_rule
from engine.rules.base import Decision, Rule
from engine.rules.danger_to_others import EXPOSE
from engine.rules.ethics import with_ethics
from engine.words import item_phrase, join_or, recipient_noun

CATEGORY = "imminent_danger"
SELF_RECIPIENTS = ("emergency_services", "family", "law_enforcement", "treating_provider")

HIPAA_SELF = Rule(
    "hipaa.serious-threat-to-self",
    "45 CFR 164.512(j)(1)(i); 45 CFR 164.510(b)(3); HHS FAQ 520",
    "A provider may tell emergency services, a crisis team, police for a welfare check, or "
    "family able to help, what is needed to prevent a serious and imminent threat to the "
    "client's own life.",
)
GOOD_FAITH = Rule(
    "hipaa.good-faith-presumption",
    "45 CFR 164.512(j)(4)",
    "A clinician who acts on actual knowledge, including knowledge of the client's "
    "history, or on a credible report, is presumed to act in good faith: an emergency call "
    "for a high-risk client is not a breach, even if a less restrictive step was better.",
)
NO_IMMINENT_RISK = Rule(
    "confidentiality.no-imminent-self-harm",
    "45 CFR 164.502(a); 45 CFR 164.512(j)(1)(i)",
    "Passive ideation or a risk that is not imminent calls for assessment and safety "
    "planning, not a breach of confidentiality.",
)
END_OF_LIFE = Rule(
    "ethics.aca.end-of-life",
    "ACA Code of Ethics (2014) B.2.b",
    "Counselors serving terminally ill clients who are considering hastening their own "
    "deaths may choose to keep confidentiality, depending on applicable law and the "
    "circumstances, after seeking consultation or supervision.",
)


# The advice for an imminent risk with no safety plan names whom to contact. Rules that
# change the answer afterwards (ACA B.2.b for a terminally ill client; Part 2's medical
# personnel only) take it out with ``drop_protection_advice`` and say their own.
PROTECTION_ADVICE = (
    "The client is not engaging in a safety plan, so protection is strongly indicated: contact "
)


def drop_protection_advice(decision: Decision) -> None:
    decision.reasons[:] = [r for r in decision.reasons if not r.startswith(PROTECTION_ADVICE)]


def imminent_risk(facts: ThreatToSelf) -> bool:
    return (
        facts.imminence == "imminent"
        and facts.intent != "denied"
        and (facts.intent == "stated" or facts.plan or facts.means)
    )


def high_risk(facts: ThreatToSelf) -> bool:
    """A plan and the means, with intent not denied: 164.512(j)(4)'s good-faith ground."""
    return facts.imminence != "remote" and facts.intent != "denied" and facts.plan and facts.means


def decide(facts: ThreatToSelf, profile: Profile, model: Profile) -> Decision:
    decision = _decide(facts, profile)
    if facts.end_of_life:
        _end_of_life(decision, facts)
    if facts.trainee:
        decision.rules.append(EXPOSE)
        decision.reasons.append(
            "As an unlicensed trainee, bring your supervisor in now and follow the agency's "
            "protocol; do not act alone."
        )
        decision.add_steps("consult", required=True)
    return decision


def _permitted(profile: Profile) -> list[str]:
    return [p for p in profile.permitted_recipients if p in SELF_RECIPIENTS]


def _decide(facts: ThreatToSelf, profile: Profile) -> Decision:
    permitted = _permitted(profile)
    if not imminent_risk(facts):
        if high_risk(facts):
            return _good_faith(facts, profile, permitted)
        decision = Decision(
            category=CATEGORY,
            obligation="must_not_disclose",
            rules=with_ethics([NO_IMMINENT_RISK], "danger", facts.profession),
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
        else:
            decision.add_optional("safety_plan", "intensify_treatment")
        decision.add_steps("document")
        return decision

    reasons = [
        "The client faces a serious and imminent risk to their own life, so the law permits "
        "disclosing what is needed to protect them."
    ]
    rules = with_ethics([HIPAA_SELF], "danger", facts.profession)
    if set(permitted) != set(SELF_RECIPIENTS) and profile.code != "MODEL":
        words = join_or([recipient_noun(p) for p in permitted])
        rules[rules.index(HIPAA_SELF)] = HIPAA_SELF.limited_by_state(profile.name, words)
        rules.append(
            Rule(
                f"{profile.code.lower()}.permitted-recipients",
                profile.statute_citation,
                f"{profile.name} lists who may be told of a danger: {words}.",
            )
        )
        reasons.append(
            f"{profile.name}'s statute limits who may be told to {words}; relatives are not "
            "on that list."
        )
    if profile.self_harm_rule and profile.covers(facts.profession):
        return _state_duty(facts, profile, rules, reasons, permitted)

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
        decision.add_optional("consider_hospitalization", "intensify_treatment", "assess_risk")
        return decision

    reasons.append(
        PROTECTION_ADVICE
        + join_or([recipient_noun(p) for p in permitted])
        + ", consider hospitalization under your state's criteria, disclose the minimum "
        "and document. Keeping the confidence and doing nothing would be a failure to protect."
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
    # Arranging an admission is one way to protect, not a step every protective act
    # needs: listed as recommended, it credited "let her go" with an admission nobody
    # arranged (an option is scored with the steps the ruling lists).
    decision.add_steps("document", required=True)
    decision.add_optional("consider_hospitalization", "safety_plan", "assess_risk")
    decision.add_optional("intensify_treatment")
    return decision


def _good_faith(facts: ThreatToSelf, profile: Profile, permitted: list[str]) -> Decision:
    """Plan and means but no imminent danger yet: treat first; a call is never a breach."""
    decision = Decision(
        category=CATEGORY,
        obligation="may_disclose",
        rules=with_ethics([GOOD_FAITH, HIPAA_SELF], "danger", facts.profession),
        reasons=[
            "The client has a plan and the means, though the danger is not yet imminent. The "
            "better course is to assess closely, build a safety plan (including removing the "
            "means), and see the client more often. An emergency call made in good faith on "
            "what you know of this client, including their history, would not be a breach "
            "(45 CFR 164.512(j)(4)), but it is the more restrictive step."
        ],
        recipients=permitted,
        scope="minimum_necessary",
        preferred_act="keep_confidential",
        protective_steps=["safety_plan", "consider_hospitalization"],
    )
    decision.add_steps("assess_risk", "safety_plan", required=True)
    decision.add_steps("intensify_treatment", "document")
    decision.add_optional("consider_hospitalization")
    return decision


def _state_duty(
    facts: ThreatToSelf,
    profile: Profile,
    rules: list[Rule],
    reasons: list[str],
    permitted: list[str],
) -> Decision:
    options, _ = parse_discharge_rule(profile.self_harm_rule)
    required = [p for option in options for p in option if not is_step(p)]
    reasons.append(
        f"{profile.name} also imposes a duty here ({profile.statute_citation}): "
        + join_or([" and ".join(item_phrase(p) for p in o) for o in options])
        + ", in addition to protecting the client."
    )
    if profile.caveat:
        reasons.append(profile.caveat)
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
    protective = any(
        is_step(p) or p in ("emergency_services", "family", "treating_provider")
        for option in options
        for p in option
    )
    if facts.accepts_safety_plan:
        decision.reasons.append(
            "The client engages in a safety plan, so beyond what the duty requires keep "
            "their other confidences and follow the plan closely."
        )
        decision.add_steps("safety_plan", required=True)
    elif not protective:
        decision.reasons.append(
            "That report protects no one tonight and the client refuses a safety plan: "
            "also contact emergency services or family able to help, or arrange "
            "hospitalization. The report is due as soon as practicable, so it may follow "
            "the crisis care."
        )
        decision.preferred_act = "disclose"
        decision.protective_steps = ["consider_hospitalization"]
        decision.report_may_follow = True
    decision.add_steps("document", required=True)
    decision.add_optional("consider_hospitalization", "safety_plan", "assess_risk")
    decision.add_optional("intensify_treatment")
    return decision


def _end_of_life(decision: Decision, facts: ThreatToSelf) -> None:
    """ACA B.2.b: a terminally ill client's decision may stay confidential after consultation."""
    if facts.profession == "counselor":
        decision.rules.append(END_OF_LIFE)
        decision.reasons.append(
            "This client is terminally ill and considering hastening their death. The ACA "
            "code (B.2.b) lets a counselor keep confidentiality here, depending on the law "
            "and the circumstances, but only after consultation or supervision."
        )
        decision.add_steps("consult", required=True)
    else:
        decision.reasons.append(
            "This client is terminally ill and considering hastening their death. Your "
            "code has no standard written for this (the counselors' code does: ACA B.2.b), "
            "and state law on end-of-life decisions differs [VARIES]: consult before you "
            "decide."
        )
        decision.add_steps("consult")
    if decision.obligation == "may_disclose" and decision.preferred_act == "disclose":
        drop_protection_advice(decision)
        decision.preferred_act = "keep_confidential"
        decision.protective_steps = ["consult", "safety_plan"]
        decision.make_optional("consider_hospitalization")
        decision.reasons.append(
            "Keeping the confidence after consultation is defensible here; a disclosure "
            "would be lawful but not the better choice."
        )
