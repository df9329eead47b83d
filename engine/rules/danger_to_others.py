"""Danger to others: the duty to warn or protect (RULES.md 2, 11A).

Shape of the law, in order:
1. A state duty (``duty_to_protect = mandatory``) whose trigger elements are all met, for
   a profession the statute covers -> ``must_protect`` with the state's discharge options
   (those for an unreachable victim when the state names them: Minnesota, Ohio).
2. Otherwise a serious and imminent threat -> ``may_disclose`` under HIPAA 164.512(j), to
   the recipients the state's law allows (Texas: not the victim).
3. Otherwise confidentiality holds -> ``must_not_disclose``: assess, treat, document.
The trigger elements per state are data (``law/duty_elements.csv``); Part 2 and FERPA
records are handled by ``part2`` and ``ferpa`` on top of this ruling.
"""

from __future__ import annotations

from functools import cache

from engine.facts import ThreatToOthers
from engine.profiles import Profile
from engine.rules.base import Decision, Rule
from engine.rules.ethics import with_ethics
from engine.words import item_phrase, join_or, recipient_noun

CATEGORY = "imminent_danger"
# Who may be told of a danger to others: the target, police, emergency services, family
# or others likely to alert or protect the target (Tarasoff; HHS FAQ 520), and medical or
# mental-health personnel.
DANGER_RECIPIENTS = (
    "intended_victim",
    "law_enforcement",
    "emergency_services",
    "family",
    "treating_provider",
)
PROTECTIVE_STEPS = ["consider_hospitalization", "intensify_treatment", "safety_plan"]
_STEPS_IN_OPTIONS = ("consider_hospitalization", "intensify_treatment", "consult")

HIPAA_SERIOUS_THREAT = Rule(
    "hipaa.serious-imminent-threat",
    "45 CFR 164.512(j)(1)(i); 45 CFR 164.512(j)(4); HHS FAQ 520",
    "A provider may disclose what is needed to prevent or lessen a serious and imminent "
    "threat, to someone reasonably able to prevent it, including the target; good faith is "
    "presumed when it rests on the clinician's own knowledge or a credible report. This "
    "permits and never requires.",
)
REQUIRED_BY_LAW = Rule(
    "hipaa.required-by-law",
    "45 CFR 164.512(a)",
    "A disclosure a statute requires is permitted, limited to what that law requires.",
)
CONFIDENTIALITY_HOLDS = Rule(
    "confidentiality.no-serious-threat",
    "45 CFR 164.502(a); 45 CFR 164.512(j)(1)(i)",
    "Anger, fantasy or a threat without seriousness and imminence is not an exception: "
    "assess the risk, treat, and document instead of disclosing.",
)
JABLONSKI = Rule(
    "case.jablonski-assessment",
    "Jablonski by Pahls v. United States, 712 F.2d 391 (9th Cir. 1983)",
    "A careful risk assessment, including prior records of violence, is part of the duty.",
)
EWING = Rule(
    "us-ca.ewing-family-report",
    "Ewing v. Goldstein, 120 Cal.App.4th 807 (2004)",
    "A threat reported by the patient's family member for the patient's treatment counts "
    "as a patient communication under Cal. Civ. Code 43.92.",
)
EXPOSE = Rule(
    "case.expose-trainee",
    "Expose v. Thad Wilderson & Assocs. (Minn. 2016)",
    "The duty-to-warn statute's immunity did not cover an unlicensed intern-therapist: a "
    "trainee brings the supervisor in at once and follows the agency's protocol.",
)


def serious_and_imminent(facts: ThreatToOthers) -> bool:
    """HIPAA 164.512(j)'s standard: a serious threat that is imminent and credible."""
    credible = facts.intent == "stated" or (
        facts.intent == "ambiguous" and facts.plan and facts.means
    )
    return facts.harm == "serious_physical" and facts.imminence == "imminent" and credible


def risk_picture_incomplete(facts: ThreatToOthers) -> bool:
    """The facts call for a structured risk assessment before or alongside acting."""
    return facts.intent != "stated" or not (facts.plan and facts.means)


def _harm_counts(facts: ThreatToOthers, profile: Profile) -> bool:
    return facts.harm == "serious_physical" or (
        facts.harm == "property" and profile.property_threats
    )


def missing_trigger_elements(facts: ThreatToOthers, profile: Profile) -> list[str]:
    """The state's trigger elements these facts do not meet, in plain words (empty = met)."""
    missing: list[str] = []
    if not _harm_counts(facts, profile):
        missing.append(
            "a threat of serious physical violence"
            + (" or of substantial damage to real property" if profile.property_threats else "")
        )
    if facts.intent == "denied":
        missing.append("a threat the client stands behind (intent was denied)")
    if facts.imminence == "remote":
        missing.append("a danger that is more than remote")
    elif profile.imminence_required == "imminent" and facts.imminence != "imminent":
        missing.append("an imminent danger")
    missing.extend(_victim_missing(facts, profile))
    kind = profile.trigger_kind
    means_or_plan = facts.means or facts.plan
    reporter_ok = (
        facts.communicated_by == "client"
        or (
            facts.communicated_by == "family_member"
            and profile.third_party_reports in ("family", "any")
        )
        or (facts.communicated_by == "other" and profile.third_party_reports == "any")
    )
    if kind == "communicated_threat":
        if not reporter_ok:
            missing.append("a threat communicated by the client (or a reporter the law counts)")
        if facts.intent != "stated":
            missing.append("an explicit threat")
        if profile.intent_and_ability and not means_or_plan:
            missing.append("apparent ability to carry it out (a plan or the means)")
    elif kind == "propensity_and_intent":
        if not facts.history_of_violence:
            missing.append("a known propensity for violence")
        if facts.intent != "stated":
            missing.append("an intent the patient indicated by speech, conduct or writing")
    elif kind == "foreseeable_danger":
        if facts.intent != "stated" and not facts.history_of_violence:
            missing.append("a threat or history that makes violence foreseeable")
    elif kind == "threat_or_circumstances":
        shown = facts.intent != "denied" and (
            facts.history_of_violence or (facts.plan and facts.means)
        )
        if facts.intent != "stated" and not shown:
            missing.append(
                "a stated threat, or circumstances that show the intent (a plan and the "
                "means, or a history of violence)"
            )
    elif kind == "threat_or_history":
        threat = facts.intent == "stated" and means_or_plan and reporter_ok
        history = facts.history_of_violence and facts.imminence == "imminent"
        if not (threat or history):
            missing.append(
                "an explicit threat with apparent intent and ability, or a history of "
                "violence with a clear and present danger"
            )
    elif kind == "clinician_judgment":
        if not (
            facts.intent == "stated" or facts.history_of_violence or (facts.plan and facts.means)
        ):
            missing.append("a clinical judgment that serious harm is likely")
    return missing


def _victim_missing(facts: ThreatToOthers, profile: Profile) -> list[str]:
    required = profile.victim_required
    if required == "none" or facts.victim == "identified":
        return []
    if required == "identified":
        return ["a clearly identified victim"]
    if facts.victim == "unidentifiable":
        return ["a reasonably identifiable victim"]
    if facts.victim == "group" and profile.groups_count != "yes":
        return ["a victim identifiable as a person, not only by a group or place"]
    return []


def group_uncertain(facts: ThreatToOthers, profile: Profile) -> bool:
    """A group or place victim where the state's text does not say whether groups count."""
    return (
        facts.victim == "group"
        and profile.groups_count == "unclear"
        and profile.victim_required == "reasonably_identifiable"
    )


@cache
def state_duty_rule(profile: Profile) -> Rule:
    how = join_or(
        [" and ".join(item_phrase(p) for p in option) for option in profile.discharge_options]
    )
    return Rule(
        f"{profile.code.lower()}.duty-to-protect",
        profile.citation,
        f"{profile.name}: a duty arises on {profile.trigger_summary}; victim: "
        f"{profile.victim_requirement}" + (f"; it is discharged if you {how}." if how else "."),
    )


@cache
def state_permission_rule(profile: Profile) -> Rule:
    return Rule(
        f"{profile.code.lower()}.permissive-disclosure",
        profile.citation,
        f"{profile.name} permits, and does not require, disclosure on {profile.trigger_summary}.",
    )


def decide(facts: ThreatToOthers, profile: Profile, model: Profile) -> Decision:
    decision = _decide(facts, profile, model)
    if decision.fallback_to_model:  # a duty the sources could not settle: consult counsel
        decision.add_steps("consult_attorney")
    if facts.trainee:
        decision.rules.append(EXPOSE)
        decision.reasons.append(
            "As an unlicensed trainee, bring your supervisor in now and follow the agency's "
            "protocol: the statute's protection may reach only licensees (Expose, Minn. 2016)."
        )
        decision.add_steps("consult", required=True)
    return decision


def _decide(facts: ThreatToOthers, profile: Profile, model: Profile) -> Decision:
    rules: list[Rule] = []
    reasons: list[str] = []
    governing = profile
    fallback = False
    if profile.duty_to_protect == "unclear":
        governing, fallback = model, True
        reasons.append(
            f"Whether {profile.name} imposes a duty to protect is unsettled (no statute, and "
            "its case law does not decide an outpatient warning) [UNCERTAIN], so this ruling "
            "applies the federal floor: HIPAA and the ethics codes. With no statute to shield "
            "a warning, consult an attorney or your risk line before you act if time allows."
        )
    has_duty = governing.duty_to_protect == "mandatory" and governing.trigger_kind != "none"
    if has_duty and not governing.covers(facts.profession):
        reasons.append(
            f"No {governing.name} duty statute we could confirm covers a "
            f"{facts.profession.replace('_', ' ')} (the statute covers: "
            f"{governing.professions_covered}), so no statutory duty is applied here "
            "[UNCERTAIN]. Case law, another licensing statute or your board may still expect "
            "protective action: consult before relying on this."
        )
        rules.append(state_duty_rule(governing))
        has_duty = False
    permitted = _permitted_recipients(facts, governing)
    if facts.communicated_by == "family_member" and governing.code == "US-CA":
        rules.append(EWING)

    uncertain_group = False
    if has_duty:
        missing = missing_trigger_elements(facts, governing)
        if not missing:
            return _must_protect(facts, governing, rules, reasons, permitted, fallback)
        rules.append(state_duty_rule(governing))
        uncertain_group = group_uncertain(facts, governing)
        reasons.append(
            f"{governing.name}'s {duty_name(governing)} is not triggered here: it needs "
            + "; ".join(missing)
            + "."
            + (
                f" Whether {governing.name}'s statute counts people identifiable only by a "
                "group or a place is not settled in the text we have [UNCERTAIN]: consult "
                "before relying on this."
                if uncertain_group
                else ""
            )
        )
    elif governing.duty_to_protect == "permissive" and governing.code != "MODEL":
        rules.append(state_permission_rule(governing))
        reasons.append(
            f"{governing.name} has no duty to warn or protect: its law permits a disclosure "
            "but never requires one."
        )

    if serious_and_imminent(facts):
        hipaa = HIPAA_SERIOUS_THREAT
        if "intended_victim" not in permitted and facts.victim != "unidentifiable":
            hipaa = hipaa.limited_by_state(
                governing.name, join_or([recipient_noun(p) for p in permitted])
            )
        decision = Decision(
            category=CATEGORY,
            obligation="may_disclose",
            rules=with_ethics(rules + [hipaa], "danger", facts.profession),
            reasons=reasons
            + [
                "The threat is serious and imminent, so the law permits a minimum-necessary "
                "disclosure to someone able to prevent the harm, and protecting the target is "
                "the better choice: "
                + join_or([recipient_noun(p) for p in permitted])
                + " may be told."
            ],
            recipients=permitted,
            scope="minimum_necessary",
            preferred_act="disclose",
            protective_steps=list(PROTECTIVE_STEPS),
            fallback_to_model=fallback,
        )
        if "intended_victim" not in permitted and facts.victim != "unidentifiable":
            decision.reasons.append(
                f"{governing.name} does not list the intended victim among those who may be "
                "told: warning the victim directly would be a breach there."
            )
        decision.add_steps("document", required=True)
        decision.add_optional("consider_hospitalization", "intensify_treatment", "safety_plan")
        if risk_picture_incomplete(facts):
            decision.add_steps("assess_risk", required=True)
            decision.rules.append(JABLONSKI)
        else:
            decision.add_optional("assess_risk")
        if uncertain_group:
            decision.add_steps("consult_attorney")
        return decision

    if facts.harm == "property" and facts.intent == "stated":
        reasons.append(
            "A threat to property is not a threat to anyone's health or safety, so HIPAA's "
            "serious-threat permission (45 CFR 164.512(j)) does not reach it."
        )
    decision = Decision(
        category=CATEGORY,
        obligation="must_not_disclose",
        rules=with_ethics(rules + [CONFIDENTIALITY_HOLDS], "danger", facts.profession),
        reasons=reasons
        + [
            "Without a serious and imminent threat no exception to confidentiality applies: "
            "explore what the client meant, assess the risk, and document your reasoning."
        ],
        scope="none",
        fallback_to_model=fallback,
    )
    risk_signals = (
        facts.intent != "denied" or facts.plan or facts.means or facts.history_of_violence
    )
    serious = facts.harm == "serious_physical"
    if serious and risk_signals:
        decision.add_steps("assess_risk", required=True)
    else:
        decision.add_steps("assess_risk")
    if serious and facts.intent == "stated":
        decision.add_steps("intensify_treatment", "consult")
        decision.add_optional("safety_plan")
    elif serious and risk_signals:
        decision.add_optional("intensify_treatment", "safety_plan")
    if facts.imminence == "imminent" and serious and risk_signals:
        decision.add_optional("consider_hospitalization", "safety_plan")
    decision.add_steps("document")
    if uncertain_group:
        decision.add_steps("consult_attorney")
    return decision


def _discharge_options(facts: ThreatToOthers, profile: Profile) -> list[list[str]]:
    source = profile.discharge_options
    if not facts.victim_reachable and profile.unreachable_options:
        source = profile.unreachable_options
    options = [list(option) for option in source]
    if facts.victim == "unidentifiable":
        options = [[p for p in option if p != "intended_victim"] for option in options]
        options = [option for option in options if option]
    return options


def _must_protect(
    facts: ThreatToOthers,
    profile: Profile,
    rules: list[Rule],
    reasons: list[str],
    permitted: list[str],
    fallback: bool,
) -> Decision:
    options = _discharge_options(facts, profile)
    if not options:  # statute names no concrete action: any reasonable protective step
        options = [["intended_victim"], ["law_enforcement"], ["consider_hospitalization"]]
        reasons.append(
            f"{profile.name}'s statute, as we have it, lists no specific discharge actions; "
            "any reasonable protective action (warning, police, hospitalization) is treated "
            "as discharging it."
        )
    recipients = [p for option in options for p in option if p not in _STEPS_IN_OPTIONS]
    recipients = list(dict.fromkeys(recipients))
    logic = "all" if len(options) == 1 else "any"
    how = join_or([" and ".join(item_phrase(p) for p in option) for option in options])
    reasons.append(
        f"{profile.name}'s {duty_name(profile)} is triggered: the facts meet its conditions "
        f"({profile.trigger_summary}). You must act promptly: {how}."
        + (" Every part of that is required." if logic == "all" and len(options[0]) > 1 else "")
    )
    if profile.caveat:
        reasons.append(profile.caveat)
    if profile.discharge_open_ended:
        reasons.append(
            "The statute also calls for other reasonable precautions."
            if logic == "all"
            else "The statute also accepts other reasonable precautions."
        )
    if facts.harm == "property":
        rules = rules + [REQUIRED_BY_LAW]
    decision = Decision(
        category=CATEGORY,
        obligation="must_protect",
        rules=with_ethics(rules + [state_duty_rule(profile)], "danger", facts.profession),
        reasons=reasons,
        recipients=recipients,
        scope="minimum_necessary",
        discharge_options=options,
        also_permitted=[p for p in permitted if p not in recipients],
        fallback_to_model=fallback,
    )
    protective = set(DANGER_RECIPIENTS) | {"consider_hospitalization", "intensify_treatment"}
    if serious_and_imminent(facts) and not any(p in protective for o in options for p in o):
        # New York's report goes to a county official for firearm decisions: it protects
        # no one tonight, so an imminent danger calls for protection now; the report is
        # due "as soon as practicable" (MHL 9.46), so it may follow the crisis care.
        decision.preferred_act = "disclose"
        decision.protective_steps = ["consider_hospitalization"]
        decision.report_may_follow = True
        reasons.append(
            "That report does not protect anyone tonight: because the danger is imminent, "
            "protect first (police, emergency services, warning the person threatened, or "
            "hospitalization); the report is due as soon as practicable, so it may follow "
            "the crisis care."
        )
    if (
        profile.trigger_kind == "clinician_judgment"
        and "intended_victim" in decision.also_permitted
    ):
        reasons.append(
            "Warning the person threatened is a permitted disclosure under HIPAA "
            "164.512(j); whether this state's own confidentiality law (N.Y. Mental Hygiene "
            "Law 33.13) adds limits was not confirmed [UNCERTAIN]."
        )
    decision.add_steps("document", required=True)
    decision.add_steps("consult")
    decision.add_optional("consider_hospitalization", "intensify_treatment", "safety_plan")
    if risk_picture_incomplete(facts):
        decision.add_steps("assess_risk", required=True)
        decision.rules.append(JABLONSKI)
    else:
        decision.add_optional("assess_risk")
    return decision


def duty_name(profile: Profile) -> str:
    """What the state's duty is: New York's MHL 9.46 is a report on a clinician's
    judgment, not a duty to warn or protect anyone (RULES.md 2.3)."""
    if profile.trigger_kind == "clinician_judgment":
        return "reporting duty (a report, not a duty to warn)"
    return "duty to protect"


def _permitted_recipients(facts: ThreatToOthers, profile: Profile) -> list[str]:
    """Who the jurisdiction lets a clinician tell about a danger to others."""
    allowed = [p for p in profile.permitted_recipients if p in DANGER_RECIPIENTS]
    if facts.victim == "unidentifiable":
        allowed = [p for p in allowed if p != "intended_victim"]
    return allowed
