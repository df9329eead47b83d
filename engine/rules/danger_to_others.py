"""Danger to others: the duty to warn or protect (RULES.md 2).

Shape of the law, in order:
1. A state duty (``duty_to_protect = mandatory``) whose trigger elements are all met, for
   a profession the statute covers -> ``must_protect`` with the state's discharge options.
2. Otherwise a serious and imminent threat -> ``may_disclose`` under HIPAA 164.512(j), to
   the recipients the state's law allows (Texas: not the victim).
3. Otherwise confidentiality holds -> ``must_not_disclose``: assess, treat, document.
The trigger elements per state are data (``law/duty_elements.csv``).
"""

from __future__ import annotations

from engine.facts import ThreatToOthers
from engine.profiles import Profile
from engine.rules.base import Decision, Rule
from engine.rules.ethics import with_ethics

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

HIPAA_SERIOUS_THREAT = Rule(
    "hipaa.serious-imminent-threat",
    "45 CFR 164.512(j)(1)(i); HHS FAQ 520",
    "A provider may disclose what is needed to prevent or lessen a serious and imminent "
    "threat, to someone reasonably able to prevent it, including the target; this permits "
    "and never requires.",
)
CONFIDENTIALITY_HOLDS = Rule(
    "confidentiality.no-serious-threat",
    "45 CFR 164.502(a); 45 CFR 164.512(j); RULES.md 2.7 (over-disclosure misconceptions)",
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


def serious_and_imminent(facts: ThreatToOthers) -> bool:
    """HIPAA 164.512(j)'s standard: a serious threat that is imminent and credible."""
    credible = facts.intent == "stated" or (
        facts.intent == "ambiguous" and facts.plan and facts.means
    )
    return facts.harm == "serious_physical" and facts.imminence == "imminent" and credible


def risk_picture_incomplete(facts: ThreatToOthers) -> bool:
    """The facts call for a structured risk assessment before or alongside acting."""
    return facts.intent != "stated" or not (facts.plan and facts.means)


def missing_trigger_elements(facts: ThreatToOthers, profile: Profile) -> list[str]:
    """The state's trigger elements these facts do not meet, in plain words (empty = met)."""
    missing: list[str] = []
    if facts.harm != "serious_physical":
        missing.append("a threat of serious physical violence")
    if facts.intent == "denied":
        missing.append("a threat the client stands behind (intent was denied)")
    if facts.imminence == "remote":
        missing.append("a danger that is more than remote")
    elif profile.imminence_required == "imminent" and facts.imminence != "imminent":
        missing.append("an imminent danger")
    if profile.victim_required == "identified" and facts.victim != "identified":
        missing.append("a clearly identified victim")
    if profile.victim_required == "reasonably_identifiable" and facts.victim == "unidentifiable":
        missing.append("a reasonably identifiable victim")
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


def state_duty_rule(profile: Profile) -> Rule:
    return Rule(
        f"{profile.code.lower()}.duty-to-protect",
        profile.citation,
        f"{profile.name}: a duty arises on {profile.trigger_summary}; "
        f"victim: {profile.victim_requirement}; discharge: {profile.discharge_rule_text}.",
    )


def state_permission_rule(profile: Profile) -> Rule:
    return Rule(
        f"{profile.code.lower()}.permissive-disclosure",
        profile.citation,
        f"{profile.name} permits, and does not require, disclosure on {profile.trigger_summary}.",
    )


def decide(facts: ThreatToOthers, profile: Profile, model: Profile) -> Decision:
    decision = _decide(facts, profile, model)
    if decision.fallback_to_model:  # RULES.md 2.3: none/unclear -> flag "consult an attorney"
        decision.add_steps("consult_attorney")
    return decision


def _decide(facts: ThreatToOthers, profile: Profile, model: Profile) -> Decision:
    rules: list[Rule] = []
    reasons: list[str] = []
    governing = profile
    fallback = False
    if profile.duty_to_protect == "unclear":
        governing, fallback = model, True
        reasons.append(
            f"Our sources could not settle whether {profile.name} imposes a duty to protect, "
            "so this ruling falls back to the MODEL rule (HIPAA and the ethics codes). With "
            "no statute to shield a warning there, consult an attorney or your risk line "
            "before you act if time allows."
        )
    has_duty = governing.duty_to_protect == "mandatory" and governing.trigger_kind != "none"
    if has_duty and not governing.covers(facts.profession):
        reasons.append(
            f"Our sources found no {governing.name} duty statute covering a "
            f"{facts.profession.replace('_', ' ')} (the statute as we have it covers: "
            f"{governing.professions_covered}), so no statutory duty is applied here "
            "[UNCERTAIN]. Case law, another licensing statute or your board may still expect "
            "protective action: consult before relying on this."
        )
        rules.append(state_duty_rule(governing))
        has_duty = False
    permitted = _permitted_recipients(facts, governing)
    if facts.communicated_by == "family_member" and governing.code == "US-CA":
        rules.append(EWING)

    if has_duty:
        missing = missing_trigger_elements(facts, governing)
        if not missing:
            return _must_protect(facts, governing, rules, reasons, permitted, fallback)
        rules.append(state_duty_rule(governing))
        reasons.append(
            f"{governing.name}'s duty to protect is not triggered here: it needs "
            + "; ".join(missing)
            + "."
        )
    elif governing.duty_to_protect == "permissive" and governing.code != "MODEL":
        rules.append(state_permission_rule(governing))
        reasons.append(
            f"{governing.name} has no duty to warn or protect: its law permits a disclosure "
            "but never requires one."
        )

    if serious_and_imminent(facts):
        decision = Decision(
            category=CATEGORY,
            obligation="may_disclose",
            rules=with_ethics(rules + [HIPAA_SERIOUS_THREAT], "danger", facts.profession),
            reasons=reasons
            + [
                "The threat is serious and imminent, so the law permits a minimum-necessary "
                "disclosure to someone able to prevent the harm, and protecting the target is "
                "the better choice: " + _list(permitted) + " may be told."
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
        decision.add_steps("consider_hospitalization")
        decision.add_steps("document", required=True)
        if risk_picture_incomplete(facts):
            decision.add_steps("assess_risk", required=True)
            decision.rules.append(JABLONSKI)
        return decision

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
    decision.add_steps("assess_risk", required=facts.harm == "serious_physical" and risk_signals)
    if facts.harm == "serious_physical" and facts.intent == "stated":
        decision.add_steps("intensify_treatment", "consult")
    decision.add_steps("document")
    return decision


def _must_protect(
    facts: ThreatToOthers,
    profile: Profile,
    rules: list[Rule],
    reasons: list[str],
    permitted: list[str],
    fallback: bool,
) -> Decision:
    options = [list(option) for option in profile.discharge_options]
    if facts.victim == "unidentifiable":
        options = [[p for p in option if p != "intended_victim"] for option in options]
        options = [option for option in options if option]
    if not options:  # statute names no concrete action: any reasonable protective step
        options = [["intended_victim"], ["law_enforcement"], ["consider_hospitalization"]]
        reasons.append(
            f"{profile.name}'s statute does not list specific discharge actions in our "
            "sources; any reasonable protective action (warning, police, hospitalization) "
            "is treated as discharging it."
        )
    recipients = [p for option in options for p in option if p not in _STEPS_IN_OPTIONS]
    recipients = list(dict.fromkeys(recipients))
    logic = "all" if len(options) == 1 else "any"
    how = " or ".join(" and ".join(_word(p) for p in option) for option in options)
    duty = (
        "reporting duty (a report, not a duty to warn)"
        if profile.trigger_kind == "clinician_judgment"
        else "duty to protect"
    )
    reasons.append(
        f"{profile.name}'s {duty} is triggered: the facts meet its conditions "
        f"({profile.trigger_summary}). You must act promptly: {how}."
        + (" Every part of that is required." if logic == "all" and len(options[0]) > 1 else "")
    )
    if profile.discharge_open_ended:
        reasons.append(
            "The statute also calls for other reasonable precautions."
            if logic == "all"
            else "The statute also accepts other reasonable precautions."
        )
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
    protective = set(DANGER_RECIPIENTS) | set(_STEPS_IN_OPTIONS)
    if serious_and_imminent(facts) and not any(p in protective for o in options for p in o):
        # New York's report goes to a county official for firearm decisions: it protects
        # no one tonight, so an imminent danger still calls for a permitted protective step.
        decision.preferred_act = "disclose"
        decision.protective_steps = ["consider_hospitalization"]
        reasons.append(
            "That report does not protect anyone tonight: because the danger is imminent, "
            "also use the permitted protective steps (police, emergency services, warning "
            "the person threatened, or hospitalization)."
        )
    if (
        profile.trigger_kind == "clinician_judgment"
        and "intended_victim" in decision.also_permitted
    ):
        reasons.append(
            "Warning the person threatened is a permitted disclosure under HIPAA "
            "164.512(j); whether this state's own confidentiality law adds limits was not "
            "confirmed in our sources [UNCERTAIN]."
        )
    decision.add_steps("document", required=True)
    decision.add_steps("consult")
    if risk_picture_incomplete(facts):
        decision.add_steps("assess_risk", required=True)
        decision.rules.append(JABLONSKI)
    return decision


_STEPS_IN_OPTIONS = ("consider_hospitalization", "intensify_treatment")
_WORDS = {
    "intended_victim": "warn the intended victim",
    "law_enforcement": "notify law enforcement",
    "consider_hospitalization": "arrange or initiate hospitalization",
    "intensify_treatment": "put a documented treatment plan in place",
    "mental_health_authority": "report to the county director of community services",
    "emergency_services": "call emergency services",
    "treating_provider": "tell medical or mental-health personnel",
    "family": "tell family members able to help",
}


def _word(item: str) -> str:
    return _WORDS.get(item, item.replace("_", " "))


_NOUNS = {
    "intended_victim": "the intended victim",
    "treating_provider": "medical or mental-health personnel",
    "family": "family able to help",
}


def _list(items: list[str]) -> str:
    names = [_NOUNS.get(item, item.replace("_", " ")) for item in items]
    return (
        ", ".join(names[:-1]) + (" or " if len(names) > 1 else "") + names[-1]
        if names
        else "no one"
    )


def _permitted_recipients(facts: ThreatToOthers, profile: Profile) -> list[str]:
    """Who the jurisdiction lets a clinician tell about a danger to others."""
    allowed = [p for p in profile.permitted_recipients if p in DANGER_RECIPIENTS]
    if facts.victim == "unidentifiable":
        allowed = [p for p in allowed if p != "intended_victim"]
    return allowed
