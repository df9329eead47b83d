"""Ethics-code standards by profession and topic (RULES.md 1, 2.5, 3, 6.2, 7.1).

The code cited follows the learner's profession: APA for psychologists, ACA for
counselors, NASW for social workers, AAMFT for MFTs. RULES.md does not cover the
psychiatric code (the AMA Principles with psychiatric annotations), so psychiatrists get
the HIPAA rule alone and the explanation says so rather than citing a code we have not
checked.
"""

from __future__ import annotations

from functools import cache

from engine.rules.base import Rule

CODE_NAMES = {
    "psychologist": "APA Ethics Code",
    "counselor": "ACA Code of Ethics (2014)",
    "social_worker": "NASW Code of Ethics",
    "mft": "AAMFT Code of Ethics (2015)",
}

# topic -> profession -> (standard, one-line gist)
STANDARDS: dict[str, dict[str, tuple[str, str]]] = {
    "limits": {
        "psychologist": (
            "4.02; 10.01",
            "Discuss the limits of confidentiality at the outset and as circumstances change.",
        ),
        "counselor": (
            "A.2; B.1.d",
            "Explain the limits of confidentiality at initiation and throughout; informed consent is ongoing and documented.",
        ),
        "social_worker": (
            "1.03; 1.07(e)",
            "Discuss the nature and limits of confidentiality as early as possible and as needed.",
        ),
        "mft": (
            "2.1",
            "Disclose the limits of confidentiality at the outset and repeat as needed.",
        ),
    },
    "danger": {
        "psychologist": (
            "4.05(b)",
            "Disclose without consent only where law mandates it or permits it to protect the client or others from harm.",
        ),
        "counselor": (
            "B.2.a",
            "Confidentiality yields when disclosure is needed to protect clients or identified others from serious and foreseeable harm; consult when unsure.",
        ),
        "social_worker": (
            "1.07(c)",
            "Confidentiality yields when disclosure is necessary to prevent serious, foreseeable and imminent harm; disclose the least amount necessary.",
        ),
        "mft": (
            "2.2",
            "No disclosure without written authorization except where mandated or permitted by law.",
        ),
    },
    "minimum": {
        "psychologist": ("4.04", "Share only information germane to the purpose."),
        "counselor": (
            "B.2.e",
            "Reveal only essential information; inform the client beforehand when feasible.",
        ),
        "social_worker": (
            "1.07(c)",
            "Disclose the least amount of confidential information necessary.",
        ),
        "mft": ("2.2", "Disclose only as authorized, mandated or permitted by law."),
    },
    "authorization": {
        "psychologist": (
            "4.05(a)",
            "Disclose with the appropriate consent of the client unless law prohibits it.",
        ),
        "counselor": (
            "B.6.g",
            "Obtain written permission before disclosing or transferring records.",
        ),
        "social_worker": (
            "1.07(b); 1.07(h)",
            "Disclose with valid consent from the client or a person legally authorized to consent.",
        ),
        "mft": (
            "2.2",
            "Written authorization is required; verbal authorization is not enough except in emergencies.",
        ),
    },
    "subpoena": {
        "psychologist": (
            "4.05(b); APA Committee on Legal Issues (2016)",
            "Disclose compelled information only as the law requires, and seek to limit it to what is needed.",
        ),
        "counselor": (
            "B.2.d",
            "When ordered by a court to release confidential information without permission, seek to limit disclosure.",
        ),
        "social_worker": (
            "1.07(j)",
            "Protect confidentiality when a court orders disclosure; request a narrow order or sealed records.",
        ),
        "mft": (
            "2.2",
            "No disclosure without written authorization except where mandated or permitted by law.",
        ),
    },
    # Telling the client about a disclosure (NASW and ACA say so outright; the APA and
    # AAMFT codes ask for the limits to be discussed again as circumstances change).
    "inform": {
        "psychologist": (
            "4.02(b)",
            "Discuss the limits of confidentiality again as new circumstances warrant.",
        ),
        "counselor": (
            "B.2.e",
            "Inform clients before confidential information is disclosed, when feasible, and involve them in the decision.",
        ),
        "social_worker": (
            "1.07(d)",
            "Inform clients, to the extent possible, about a disclosure and its potential consequences before it is made.",
        ),
        "mft": (
            "2.1",
            "Review the limits of confidentiality with clients again as circumstances require (repeated disclosures).",
        ),
    },
    # Documenting what was done and why.
    "records": {
        "psychologist": (
            "6.01",
            "Document professional work to allow for later services and to meet the law's requirements.",
        ),
        "counselor": (
            "A.1.b",
            "Keep records that document services, including the reasons for significant decisions.",
        ),
        "social_worker": (
            "3.04(a)",
            "Keep records that are accurate and reflect the services provided.",
        ),
    },
    "group": {
        "psychologist": (
            "10.03",
            "In group therapy, describe at the outset the roles and responsibilities of all parties and the limits of confidentiality.",
        ),
        "counselor": (
            "B.4",
            "In group and couple work, clarify the confidentiality agreements and their limits.",
        ),
        "social_worker": (
            "1.07(f)",
            "Seek agreement among group, couple or family members on each person's right to confidentiality.",
        ),
        "mft": (
            "2.2",
            "One member's confidences are not shared with others in the unit without written permission.",
        ),
    },
}


@cache
def ethics_rule(topic: str, profession: str) -> Rule | None:
    """The standard of the learner's own code for ``topic``, or None (psychiatrists)."""
    entry = STANDARDS[topic].get(profession)
    if entry is None:
        return None
    standard, gist = entry
    code = CODE_NAMES[profession]
    slug = code.split()[0].lower()
    return Rule(id=f"ethics.{slug}.{topic}", citation=f"{code} {standard}", summary=gist)


def with_ethics(rules: list[Rule], topic: str, profession: str) -> list[Rule]:
    """``rules`` plus the profession's standard for ``topic`` where one is on file."""
    extra = ethics_rule(topic, profession)
    return rules + [extra] if extra else rules
