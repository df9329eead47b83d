"""How much a ruling lets you disclose, worded by the law that sets the limit.

HIPAA's minimum-necessary standard (45 CFR 164.502(b)) does not govern a report the law
requires (164.502(b)(2)(v); the law sets the scope, 164.512(a)(1)) or a disclosure for
treatment (164.502(b)(2)(i)); the sentence a learner reads must not say it does.
"""

from __future__ import annotations

import engine
from engine.words import scope_phrase


def phrase(facts: dict) -> str:
    ruling = engine.rule(facts)
    return scope_phrase(ruling.scope, ruling.obligation, ruling.recipients, ruling.scope_exempt)


def test_a_required_report_is_limited_by_its_law() -> None:
    said = phrase({"situation": "abuse", "jurisdiction": "US-TX", "victim_group": "child"})
    assert said == "only what the law requiring the report asks for"


def test_a_treatment_disclosure_is_limited_by_the_code() -> None:
    said = phrase(
        {
            "situation": "disclosure_request",
            "requester": "treating_provider",
            "purpose": "treatment",
        }
    )
    assert "HIPAA's minimum necessary does not apply" in said


def test_a_permitted_disclosure_keeps_minimum_necessary() -> None:
    facts = {
        "situation": "threat_to_self",
        "imminence": "imminent",
        "intent": "stated",
        "plan": True,
        "means": True,
    }
    assert phrase(facts) == "only the minimum necessary"


def test_other_scopes_keep_their_labels() -> None:
    assert (
        scope_phrase("as_ordered", "must_disclose", ["court"], []) == "only what the order covers"
    )
