"""Mandatory reporting of abuse and neglect (RULES.md 4, 11A).

Child abuse: every state names mental-health professionals as mandated reporters, on a
reasonable suspicion, not proof. The duty comes from each state's statute (CAPTA only
conditions federal funding), and where the statute names the agency (New York's central
register, Florida's hotline, Massachusetts' DCF), a police report alone is not the
statutory report. An adult's own past abuse is not reportable by itself unless a child
(or another protected person) is at risk now. Elder and dependent-adult reporting depends
on the state (``elder_abuse_reporting``); violence between competent adults is generally
not a mandated report.
"""

from __future__ import annotations

import re

from engine.facts import Abuse
from engine.profiles import Profile
from engine.rules.base import Decision, Rule

CATEGORY = "mandatory_reporting"
CHILD_AGENCIES = ["child_protective_services", "law_enforcement"]

CAPTA_FRAMEWORK = (
    "42 U.S.C. 5106a(b)(2)(B)(i) (CAPTA makes a state mandated-reporting law a condition "
    "of federal funding; the duty itself is the state's)"
)
HIPAA_CHILD_REPORT = Rule(
    "hipaa.child-abuse-report",
    "45 CFR 164.512(b)(1)(ii); 45 CFR 164.512(a)",
    "A report of child abuse or neglect to the agency the law authorizes to receive it is "
    "permitted, and required where a statute requires it; reporters acting in good faith "
    "have immunity.",
)
ADULT_SURVIVOR = Rule(
    "reporting.adult-survivor",
    "State child-abuse reporting statutes protect children (for example Cal. Penal Code "
    "11166(a); Tex. Fam. Code 261.101) [VARIES]",
    "An adult's account of abuse suffered as a child is not reportable by itself; report if "
    "a child is at risk now from the same person.",
)
SPECULATIVE = Rule(
    "reporting.reasonable-suspicion",
    "Cal. Penal Code 11166(a)(1) (objectively reasonable suspicion; an example of the "
    "common standard) [VARIES]",
    "The standard is an objectively reasonable suspicion; a speculative worry is not yet a "
    "report, but you may not investigate in place of the agency either.",
)
PEER_ACTIVITY = Rule(
    "reporting.minors-peer-activity",
    "State child-abuse reporting and age-of-consent statutes [VARIES]",
    "Whether a minor's sexual activity with a peer must be reported turns on the state's "
    "age-of-consent and reporting definitions (ages, age gaps, who is a caretaker).",
)
HIPAA_GOOD_FAITH_REPORT = Rule(
    "hipaa.abuse-report-permitted",
    "45 CFR 164.512(b)(1)(ii); 45 CFR 164.512(c)",
    "A report to the agency authorized to receive abuse reports is permitted; reporters "
    "acting in good faith have immunity.",
)
ELDER_MANDATE = Rule(
    "reporting.elder-dependent-adult",
    "45 CFR 164.512(a); 45 CFR 164.512(c)(1)(i)",
    "Where the state makes therapists mandated reporters of elder or dependent-adult abuse, "
    "a reasonable suspicion must be reported to the agency the state names (adult "
    "protective services, and in some states the police); the client is told unless that "
    "puts them at risk.",
)
ELDER_PERMISSIVE = Rule(
    "reporting.elder-permissive",
    "45 CFR 164.512(c)(1)(ii)-(iii)",
    "Without a reporting mandate, a report about an adult victim is permitted with the "
    "victim's agreement, or where a statute expressly authorizes it and the report is "
    "needed to prevent serious harm (or the adult is incapacitated).",
)
NY_ADULT = Rule(
    "us-ny.adult-protective-report",
    "N.Y. Soc. Serv. Law 473-b; 45 CFR 164.512(c)(1)(iii)",
    "New York names no mandated reporters of elder abuse, but its statute expressly "
    "authorizes good-faith reports to adult protective services: HIPAA then permits a report "
    "needed to prevent serious harm, or for an incapacitated adult, without agreement.",
)
ADULT_DV = Rule(
    "reporting.adult-domestic-violence",
    "45 CFR 164.512(c)(1)",
    "Violence between competent adults is generally not a mandated report for "
    "psychotherapists: safety-plan with the client and report only with their agreement or "
    "where a statute requires it.",
)
INFORM_ADULT_VICTIM = Rule(
    "hipaa.inform-adult-victim",
    "45 CFR 164.512(c)(2)",
    "Promptly tell an adult victim a report was or will be made, unless that would put "
    "them at risk of serious harm or the person to be told is the suspected abuser.",
)


def decide(facts: Abuse, profile: Profile, model: Profile) -> Decision:
    decision = _decide(facts, profile, model)
    decision.add_optional("consult", "notify_client", "safety_plan")
    return decision


def _decide(facts: Abuse, profile: Profile, model: Profile) -> Decision:
    protected_victim = facts.victim_group != "adult" and not facts.victim_now_adult
    if facts.suspicion == "speculative" and (protected_victim or facts.others_at_risk):
        return _speculative(facts, profile)
    if facts.abuse_type == "peer_sexual_activity":
        return _peer_activity(profile)
    if facts.victim_group in ("elder", "dependent_adult") and not facts.victim_now_adult:
        return _elder(facts, profile, model)
    if facts.others_at_risk:
        rules: list[Rule] = []
        report = profile.child_report
        if facts.victim_now_adult:
            rules.append(ADULT_SURVIVOR)
            if report and report.adult_survivor_statute:
                caveat = (
                    f" {profile.name} says so expressly ({report.adult_survivor_statute}): an "
                    "adult's disclosure must be reported when the abuser may endanger a child "
                    "now."
                )
                rules.append(
                    Rule(
                        f"{profile.code.lower()}.adult-survivor-report",
                        report.adult_survivor_statute,
                        "An adult's disclosure of childhood abuse must be reported when the "
                        "abuser may endanger a child now.",
                    )
                )
            else:
                caveat = (
                    " Most states read their statutes this way when the abuser has access to "
                    "children now, but this varies [VARIES]: check yours."
                )
        elif facts.victim_group == "adult":
            caveat = (
                " Whether a child's exposure to violence between adults is itself reportable "
                "neglect varies by state [VARIES]: check yours."
            )
        else:
            caveat = ""
        return _child_report(
            facts,
            profile,
            rules,
            "A child is at risk now from the same person, so a report is required to "
            "protect them." + caveat,
        )
    if facts.victim_now_adult:
        decision = Decision(
            category=CATEGORY,
            obligation="must_not_disclose",
            rules=[ADULT_SURVIVOR],
            reasons=[
                "The person abused is now an adult and no child is at risk from the abuser, "
                "so in most states nothing is reportable without the client's consent. Offer "
                "support and document. A few states may read their statutes to cover past "
                "abuse regardless of age [VARIES]: check yours."
            ],
        )
        decision.add_steps("document")
        return decision
    if facts.victim_group == "child":
        return _child_report(facts, profile, [], "")
    decision = Decision(
        category=CATEGORY,
        obligation="must_not_disclose",
        rules=[ADULT_DV],
        reasons=[
            "The victim is a competent adult and no child, elder or dependent adult is at "
            "risk, so no report is mandated: support the client's own choices, build a "
            "safety plan, offer resources, and report only with their agreement."
        ],
    )
    decision.add_steps("safety_plan", "document")
    decision.add_optional("seek_authorization")
    return decision


def _speculative(facts: Abuse, profile: Profile) -> Decision:
    child = facts.victim_group == "child" or facts.others_at_risk
    report = profile.child_report if child else profile.adult_report
    default = CHILD_AGENCIES if child else ["adult_protective_services", "law_enforcement"]
    if child:
        # the standard as the state's own statute words it, where the profile names one
        standard = (
            Rule(SPECULATIVE.id, f"{report.statute} [VARIES]", SPECULATIVE.summary)
            if report
            else SPECULATIVE
        )
        rules = [standard, HIPAA_GOOD_FAITH_REPORT]
        permission = "A good-faith report is still permitted, but it"
    else:
        # An adult victim: the standard is the state's elder or dependent-adult statute,
        # and HIPAA permits a report the law does not (yet) require only on 164.512(c)'s
        # narrower grounds.
        statute = report.statute if report else elder_citation(profile)
        rules = [
            Rule(SPECULATIVE.id, f"{statute} [VARIES]", SPECULATIVE.summary),
            ELDER_PERMISSIVE,
        ]
        permission = (
            "Until then, HIPAA permits a report about an adult only with their agreement, or "
            "where a statute expressly authorizes it and you judge it needed to prevent "
            "serious harm (45 CFR 164.512(c)(1)(ii)-(iii)) [VARIES]; it"
        )
    decision = Decision(
        category=CATEGORY,
        obligation="may_disclose",
        rules=rules,
        reasons=[
            "What you have is a speculative worry, not yet the reasonable suspicion that "
            "makes a report mandatory. Consult, document, and stay alert; do not "
            f"investigate the family yourself. {permission} is not the better choice "
            "until the facts support a suspicion."
        ],
        # a good-faith report goes where the statute says reports go (the police are not
        # the agency in New York, Florida or Massachusetts)
        recipients=list(report.agencies) if report else list(default),
        scope="minimum_necessary",
        preferred_act="keep_confidential",
        protective_steps=["consult"],
    )
    decision.add_steps("consult", "document")
    return decision


def _peer_activity(profile: Profile) -> Decision:
    """A minor's sexual activity with a peer: reportable or not by state definitions."""
    report = profile.child_report
    where = (
        f"{profile.name}'s definitions ({report.statute} and its age-of-consent law)"
        if report
        else "your state's reporting and age-of-consent definitions"
    )
    decision = Decision(
        category=CATEGORY,
        obligation="may_disclose",
        rules=[PEER_ACTIVITY, HIPAA_CHILD_REPORT],
        reasons=[
            "A minor describes sexual activity with a peer as consensual. Whether that is "
            f"reportable abuse turns on {where}: the ages, the age gap, and whether the other "
            "person is a caretaker [VARIES]. Check the definitions and consult before you "
            "decide; if they make it abuse, the report is mandatory, and if not, it stays "
            "confidential. Telling the parents is not a report."
        ],
        recipients=list(report.agencies) if report else list(CHILD_AGENCIES),
        scope="minimum_necessary",
    )
    decision.add_steps("consult", required=True)
    decision.add_steps("document")
    return decision


def _child_rule(profile: Profile) -> Rule:
    report = profile.child_report
    if report is not None:
        return Rule(
            f"{profile.code.lower()}.child-abuse-report",
            report.statute,
            f"{profile.name}: mental-health professionals must report a reasonable suspicion "
            f"of child abuse or neglect {report.how}.",
        )
    where = "" if profile.code == "MODEL" else f"{profile.name}'s reporting statute; "
    return Rule(
        "reporting.child-abuse",
        f"{where}{CAPTA_FRAMEWORK} [VARIES]",
        "Every state names mental-health professionals as mandated reporters: a reasonable "
        "suspicion of abuse or neglect of a child goes to the agency the state designates "
        "(child protective services or the police), immediately, limited to what the report "
        "needs.",
    )


def _child_report(facts: Abuse, profile: Profile, rules: list[Rule], lead: str) -> Decision:
    report = profile.child_report
    agencies = list(report.agencies) if report else list(CHILD_AGENCIES)
    reasons = [lead] if lead else []
    if report is not None:
        reasons.append(
            f"{profile.name} ({report.statute}): report {report.how}."
            + (
                " A report to the police alone is not the report the statute requires."
                if "law_enforcement" not in agencies
                else ""
            )
        )
    else:
        reasons.append(
            "Which agency takes the report (child protective services, the police or a state "
            "hotline) and how fast is set by your state's statute [VARIES]."
        )
    reasons.append(
        "A reasonable suspicion that a child is being or has been abused is enough: you must "
        "report now, not investigate first, not call the parents, and not wait for proof. "
        "Report only what the agency needs, and document the report."
    )
    decision = Decision(
        category=CATEGORY,
        obligation="must_disclose",
        rules=rules + [_child_rule(profile), HIPAA_CHILD_REPORT],
        reasons=reasons,
        recipients=agencies,
        report_options=[[agency] for agency in agencies],
        also_permitted=[a for a in CHILD_AGENCIES if a not in agencies],
        scope="minimum_necessary",
    )
    decision.add_steps("document", required=True)
    return decision


_STATUTE_BEFORE_VERB = re.compile(
    r"^(?P<cite>.*?)\s+(?:names|requires|makes|lists|listed|mandatory reporters|-)\s"
)


def elder_citation(profile: Profile) -> str:
    """The elder-abuse statute named in the row's source note ("Elder: <statute> requires...")."""
    note = profile.source_note
    start = max(note.rfind("Elder:"), note.rfind("elder:"))
    match = (
        _STATUTE_BEFORE_VERB.match(note[start + len("Elder:") :].strip()) if start >= 0 else None
    )
    if match and any(ch.isdigit() for ch in match["cite"]) and len(match["cite"]) < 90:
        return match["cite"]
    return f"{profile.name}'s adult-protective reporting statute [section not confirmed]"


def _elder(facts: Abuse, profile: Profile, model: Profile) -> Decision:
    group = "an elder" if facts.victim_group == "elder" else "a dependent adult"
    reporting = profile.elder_abuse_reporting
    rules: list[Rule] = []
    reasons: list[str] = []
    fallback = False
    if reporting == "unclear":
        fallback = True
        reasons.append(
            f"Whether {profile.name} makes therapists mandated reporters of elder or "
            "dependent-adult abuse could not be confirmed [UNCERTAIN], so this ruling applies "
            "the federal floor (HIPAA 164.512(c)). Most states do mandate some reporters: "
            "check yours before you rely on this."
        )
        reporting = model.elder_abuse_reporting
    if reporting == "mandatory":
        rules = [
            ELDER_MANDATE,
            Rule(
                f"{profile.code.lower()}.elder-abuse-report",
                elder_citation(profile),
                f"{profile.name} makes therapists mandated reporters of elder and "
                "dependent-adult abuse.",
            ),
            INFORM_ADULT_VICTIM,
        ]
        if "conditional" in profile.source_note.lower():
            reasons.append(
                f"{profile.name}'s mandate is conditional (for example, only when the adult "
                "cannot seek help alone): check whether it applies to this client [VARIES]."
            )
        report = profile.adult_report
        agencies = (
            list(report.agencies) if report else ["adult_protective_services", "law_enforcement"]
        )
        if report is not None:
            rules[1] = Rule(
                f"{profile.code.lower()}.elder-abuse-report",
                report.statute,
                f"{profile.name}: report suspected abuse of an elder or dependent adult "
                f"{report.how}.",
            )
            reasons.append(
                f"{profile.name} ({report.statute}): report {report.how}."
                + (
                    " A report to the police alone is not the report the statute requires."
                    if "law_enforcement" not in agencies
                    else ""
                )
            )
        reasons.append(
            f"{profile.name} makes you a mandated reporter: a reasonable suspicion that "
            f"{group} is being abused must be reported promptly. HIPAA then requires you to "
            "tell the client promptly that a report was or will be made, unless that would "
            "put them at risk of serious harm (45 CFR 164.512(c)(2)); document both."
        )
        decision = Decision(
            category=CATEGORY,
            obligation="must_disclose",
            rules=rules,
            reasons=reasons,
            recipients=agencies,
            report_options=[[agency] for agency in agencies],
            also_permitted=[
                a for a in ("adult_protective_services", "law_enforcement") if a not in agencies
            ],
            scope="minimum_necessary",
            fallback_to_model=fallback,
        )
        # 164.512(c)(2): "must promptly inform" the adult (its exceptions are not facts here)
        decision.add_steps("document", "notify_client", required=True)
        return decision
    who = "This profile" if fallback or profile.code == "MODEL" else profile.name
    permissive = [ELDER_PERMISSIVE, INFORM_ADULT_VICTIM]
    if profile.code == "US-NY":
        permissive.insert(1, NY_ADULT)
        reasons.append(
            f"New York has no reporting mandate for therapists. A report about {group} to "
            "adult protective services is permitted with the person's agreement, or without "
            "it where needed to prevent serious harm or when the person is incapacitated, "
            "because N.Y. Soc. Serv. Law 473-b expressly authorizes such reports (45 CFR "
            "164.512(c)(1)(iii)). Seek agreement first and safety-plan with them."
        )
    else:
        reasons.append(
            f"{who} has no reporting mandate for therapists, so a report about {group} is "
            "permitted with the person's agreement, or under a statute that expressly "
            "authorizes it when needed to prevent serious harm (45 CFR 164.512(c)). Seek "
            "their agreement and safety-plan with them."
        )
    decision = Decision(
        category=CATEGORY,
        obligation="may_disclose",
        rules=permissive,
        reasons=reasons,
        recipients=["adult_protective_services", "law_enforcement"],
        scope="minimum_necessary",
        preferred_act="keep_confidential",
        protective_steps=["safety_plan", "seek_authorization"],
        fallback_to_model=fallback,
    )
    decision.add_steps("seek_authorization", "safety_plan", "document")
    return decision
