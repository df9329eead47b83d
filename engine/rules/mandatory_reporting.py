"""Mandatory reporting of abuse and neglect (RULES.md 4).

Child abuse: every state names mental-health professionals as mandated reporters, on a
reasonable suspicion, not proof. An adult's own past abuse is not reportable by itself
unless a child (or another protected person) is at risk now. Elder and dependent-adult
reporting depends on the state (``elder_abuse_reporting`` in jurisdictions.csv);
violence between competent adults is generally not a mandated report.
"""

from __future__ import annotations

import re

from engine.facts import Abuse
from engine.profiles import Profile
from engine.rules.base import Decision, Rule

CATEGORY = "mandatory_reporting"

CHILD_REPORT = Rule(
    "reporting.child-abuse",
    "CAPTA, 42 U.S.C. 5106a(b)(2)(B)(i); Child Welfare Information Gateway, Mandatory "
    "Reporting of Child Abuse and Neglect (2023); 45 CFR 164.512(b)(1)(ii)",
    "Mental-health professionals must report a reasonable suspicion of abuse or neglect of "
    "a child to the designated agency (CPS or police), immediately, limited to what the "
    "report needs.",
)
CA_CHILD_TIMING = Rule(
    "us-ca.child-abuse-report",
    "Cal. Penal Code 11166(a)",
    "California: report by phone immediately or as soon as practicably possible; written "
    "report within 36 hours; reasonable suspicion, not certainty.",
)
ADULT_SURVIVOR = Rule(
    "reporting.adult-survivor",
    "RULES.md 4.1 (edge cases) [VARIES]",
    "An adult's account of abuse suffered as a child is not reportable by itself; report if "
    "a child is at risk now from the same person.",
)
SPECULATIVE = Rule(
    "reporting.reasonable-suspicion",
    "Child Welfare Information Gateway, Mandatory Reporting of Child Abuse and Neglect "
    "(2023); for example Cal. Penal Code 11166(a)(1)",
    "The standard is an objectively reasonable suspicion; a speculative worry is not yet a "
    "report, but you may not investigate in place of the agency either.",
)
HIPAA_GOOD_FAITH_REPORT = Rule(
    "hipaa.abuse-report-permitted",
    "45 CFR 164.512(b)(1)(ii); 45 CFR 164.512(c)",
    "A report to the agency authorized to receive abuse reports is permitted; reporters "
    "acting in good faith have immunity.",
)
ELDER_MANDATE = Rule(
    "reporting.elder-dependent-adult",
    "45 CFR 164.512(a), 164.512(c); NCEA/NAPSA, Mandated Reporting of Abuse of Older Adults "
    "and Adults with Disabilities",
    "Where the state makes therapists mandated reporters of elder or dependent-adult abuse, "
    "a reasonable suspicion must be reported to adult protective services or police; the "
    "client is told unless that puts them at risk.",
)
ELDER_PERMISSIVE = Rule(
    "reporting.elder-permissive",
    "45 CFR 164.512(c)(1)",
    "Without a reporting mandate, a report about an adult victim is permitted only with "
    "the victim's agreement or under a statute that expressly authorizes it.",
)
ADULT_DV = Rule(
    "reporting.adult-domestic-violence",
    "45 CFR 164.512(c); RULES.md 4.3",
    "Violence between competent adults is generally not a mandated report for "
    "psychotherapists: safety-plan with the client and report only with their agreement.",
)
INFORM_ADULT_VICTIM = Rule(
    "hipaa.inform-adult-victim",
    "45 CFR 164.512(c)(2)",
    "Promptly tell an adult victim a report was or will be made, unless that would put "
    "them at risk of serious harm or the person to be told is the suspected abuser.",
)


def decide(facts: Abuse, profile: Profile, model: Profile) -> Decision:
    protected_victim = facts.victim_group != "adult" and not facts.victim_now_adult
    if facts.suspicion == "speculative" and (protected_victim or facts.others_at_risk):
        return _speculative(facts)
    if facts.victim_group in ("elder", "dependent_adult") and not facts.victim_now_adult:
        return _elder(facts, profile, model)
    if facts.others_at_risk:
        if facts.victim_now_adult:
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
            [ADULT_SURVIVOR] if facts.victim_now_adult else [],
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
    return decision


def _speculative(facts: Abuse) -> Decision:
    child = facts.victim_group == "child" or facts.others_at_risk
    decision = Decision(
        category=CATEGORY,
        obligation="may_disclose",
        rules=[SPECULATIVE, HIPAA_GOOD_FAITH_REPORT],
        reasons=[
            "What you have is a speculative worry, not yet the reasonable suspicion that "
            "makes a report mandatory. Consult, document, and stay alert; do not "
            "investigate the family yourself. A good-faith report is still permitted, "
            "but it is not the better choice until the facts support a suspicion."
        ],
        recipients=["child_protective_services", "law_enforcement"]
        if child
        else ["adult_protective_services", "law_enforcement"],
        scope="minimum_necessary",
        preferred_act="keep_confidential",
        protective_steps=["consult"],
    )
    decision.add_steps("consult", "document")
    return decision


_STATUTE_BEFORE_VERB = re.compile(
    r"^(?P<cite>.*?)\s+(?:names|requires|makes|lists|listed|mandatory reporters|-)\s"
)


def elder_citation(profile: Profile) -> str:
    """The elder-abuse statute named in the row's ``source_note`` ("Elder: <statute> requires...")."""
    note = profile.source_note
    start = max(note.rfind("Elder:"), note.rfind("elder:"))
    match = (
        _STATUTE_BEFORE_VERB.match(note[start + len("Elder:") :].strip()) if start >= 0 else None
    )
    if match and any(ch.isdigit() for ch in match["cite"]) and len(match["cite"]) < 90:
        return match["cite"]
    return f"{profile.name} elder-abuse reporting statute (jurisdictions.csv source note)"


def _child_report(facts: Abuse, profile: Profile, rules: list[Rule], lead: str) -> Decision:
    rules = rules + [CHILD_REPORT] + ([CA_CHILD_TIMING] if profile.code == "US-CA" else [])
    reasons = [lead] if lead else []
    if profile.code == "US-CA":
        reasons.append(
            "California (Penal Code 11166): phone the report immediately or as soon as "
            "practicably possible, and send the written report within 36 hours."
        )
    reasons.append(
        "A reasonable suspicion that a child is being or has been abused is enough: you must "
        "report to child protective services or the police now, not investigate first, not "
        "call the parents, and not wait for proof. Report only what the agency needs, and "
        "document the report. Which agency takes the report (child protective services, the "
        "police or a state hotline) is set by your state [VARIES]."
    )
    decision = Decision(
        category=CATEGORY,
        obligation="must_disclose",
        rules=rules,
        reasons=reasons,
        recipients=["child_protective_services", "law_enforcement"],
        report_options=[["child_protective_services"], ["law_enforcement"]],
        scope="minimum_necessary",
    )
    decision.add_steps("document", required=True)
    return decision


def _elder(facts: Abuse, profile: Profile, model: Profile) -> Decision:
    group = "an elder" if facts.victim_group == "elder" else "a dependent adult"
    reporting = profile.elder_abuse_reporting
    rules: list[Rule] = []
    reasons: list[str] = []
    fallback = False
    if reporting == "unclear":
        fallback = True
        reasons.append(
            f"Our sources could not confirm whether {profile.name} makes therapists mandated "
            "reporters of elder or dependent-adult abuse, so this ruling falls back to the "
            "MODEL rule. Most states do mandate some reporters: check yours before you rely "
            "on this."
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
                f"Our sources describe {profile.name}'s mandate as conditional (for example, "
                "only when the adult cannot seek help alone): check whether it applies to "
                "this client [VARIES]."
            )
        reasons.append(
            f"{profile.name} makes you a mandated reporter: a reasonable suspicion that "
            f"{group} is being abused must be reported to adult protective services or the "
            "police promptly. Tell the client when it is safe to do so, and document."
        )
        decision = Decision(
            category=CATEGORY,
            obligation="must_disclose",
            rules=rules,
            reasons=reasons,
            recipients=["adult_protective_services", "law_enforcement"],
            report_options=[["adult_protective_services"], ["law_enforcement"]],
            scope="minimum_necessary",
            fallback_to_model=fallback,
        )
        decision.add_steps("document", required=True)
        decision.add_steps("notify_client")
        return decision
    reasons.append(
        f"{'This profile' if fallback or profile.code == 'MODEL' else profile.name} has no "
        f"reporting mandate for therapists, so a report about {group} is permitted only with "
        "the person's agreement or under a statute that expressly authorizes it. Seek their "
        "agreement and safety-plan with them; reporting without it is lawful only within "
        "HIPAA 164.512(c)."
    )
    decision = Decision(
        category=CATEGORY,
        obligation="may_disclose",
        rules=[ELDER_PERMISSIVE, INFORM_ADULT_VICTIM],
        reasons=reasons,
        recipients=["adult_protective_services", "law_enforcement"],
        scope="minimum_necessary",
        preferred_act="keep_confidential",
        protective_steps=["safety_plan", "seek_authorization"],
        fallback_to_model=fallback,
    )
    decision.add_steps("seek_authorization", "safety_plan", "document")
    return decision
