"""Informed consent at intake: explain the limits of confidentiality (RULES.md 1)."""

from __future__ import annotations

from engine.facts import Intake
from engine.profiles import Profile
from engine.rules.base import Decision, Rule
from engine.rules.ethics import ethics_rule, with_ethics

NOTICE_OF_PRIVACY_PRACTICES = Rule(
    "hipaa.notice-of-privacy-practices",
    "45 CFR 164.520",
    "A covered provider gives a notice describing the disclosures it may and must make.",
)
LIMITS_SUMMARY = (
    "Before services start, explain in plain language what stays confidential and when it "
    "will not (danger, abuse reports, court orders, payment, supervision, parents of "
    "minors); check understanding, repeat when things change, and document."
)


def decide(facts: Intake, profile: Profile, model: Profile) -> Decision:
    decision = Decision(
        category="informed_consent",
        obligation="must_not_disclose",
        rules=_limits_rules(facts.profession)
        + [NOTICE_OF_PRIVACY_PRACTICES]
        + with_ethics([], "group", facts.profession),
        reasons=[
            "At the first session nothing is disclosed; what the law requires is that you "
            "explain, in plain language, the limits of confidentiality: danger to self or "
            "others, abuse reports, court orders, insurance, supervision and, for a minor, "
            "what parents may learn. Never promise that everything is confidential. In group, "
            "couple or family work, agree explicitly on what members may share. Check that "
            "the client understood, and document the discussion."
        ],
    )
    decision.add_steps("explain_limits", required=True)
    decision.add_steps("document")
    decision.add_optional("consult", "notify_client")
    return decision


def _limits_rules(profession: str) -> list[Rule]:
    """The learner's own code on discussing limits (none on file for psychiatrists)."""
    code = ethics_rule("limits", profession)
    if code is None:
        return []
    return [Rule(code.id, code.citation, LIMITS_SUMMARY)]
