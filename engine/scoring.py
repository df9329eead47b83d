"""Scoring a learner's action against a ruling (ENGINE_CONTRACT.md, "Action and score").

Points per verdict, and why:

=================  ======  ==========================================================
verdict            points  when
=================  ======  ==========================================================
best                 100   right act, recipients within the law, scope within the
                           ruling's, every key step
acceptable            70   lawful and defensible: the less-preferred permitted act, or a
                           recommended (not required) step left out
process_error         55   the act is right but a required step is missing
under_disclosure   30/10   a required report/protection left incomplete (30 if part of
                           it was done: warned the victim but not police; 10 if nothing)
over_disclosure    25/0    a breach: 25 if the disclosure itself was lawful but went to a
                           recipient or a scope the law does not allow; 0 if no
                           disclosure was allowed at all
=================  ======  ==========================================================

When faults combine, the worst verdict wins (over > under > process > acceptable), and
``errors`` lists every fault so the learner sees all of them.
"""

from __future__ import annotations

from engine.actions import Action, Score
from engine.ruling import Ruling

POINTS = {"best": 100, "acceptable": 70, "process_error": 55}
PARTIAL_UNDER, NO_UNDER = 30, 10
PARTIAL_OVER, FORBIDDEN_OVER = 25, 0
SEVERITY = ("over_disclosure", "under_disclosure", "process_error", "acceptable", "best")

VERDICT_WORDS = {
    "best": "Best choice: this is what the law and the ethics codes call for here.",
    "acceptable": "Acceptable: lawful and defensible, but not the best response.",
    "process_error": "Right act, but a required step is missing.",
    "under_disclosure": "Under-disclosure: the law required protection or a report that was not completed.",
    "over_disclosure": "Over-disclosure: this is a breach of confidentiality.",
}


def within_scope(action_scope: str, ruling_scope: str) -> bool:
    """Minimum necessary is always within; otherwise the scope must be the ruling's own."""
    return action_scope in ("minimum_necessary", ruling_scope) and action_scope != "full_record"


def _best_option(options: list[list[str]], done: set[str]) -> list[str]:
    """The alternative the learner came closest to completing (ties: the first listed)."""
    return max(options, key=lambda option: sum(item in done for item in option))


def score_action(action: Action, ruling: Ruling) -> Score:
    faults: dict[str, list[str]] = {verdict: [] for verdict in SEVERITY}
    disclosed = set(action.to) if action.act == "disclose" else set()
    done = disclosed | set(action.steps)
    partial = False
    forbidden = False

    if action.act == "disclose":
        if ruling.obligation in ("must_not_disclose", "respond_without_disclosing"):
            forbidden = True
            faults["over_disclosure"].append(
                f"disclosure not permitted: the law requires {ruling.obligation.replace('_', ' ')}"
            )
        else:
            allowed = set(ruling.recipients) | set(ruling.also_permitted)
            for recipient in action.to:
                if recipient not in allowed:
                    faults["over_disclosure"].append(f"recipient not permitted: {recipient}")
            if not within_scope(action.effective_scope, ruling.scope):
                faults["over_disclosure"].append(
                    f"scope beyond what is allowed: {action.effective_scope} "
                    f"(allowed: {ruling.scope})"
                )

    required_sets = (
        ruling.discharge_options
        or ruling.report_options
        or ([ruling.recipients] if ruling.obligation == "must_disclose" else None)
    )
    if ruling.obligation in ("must_protect", "must_disclose") and required_sets:
        if not any(all(item in done for item in option) for option in required_sets):
            closest = _best_option(required_sets, done)
            partial = any(item in done for item in closest)
            for item in closest:
                if item not in done:
                    kind = "recipient" if item in ruling.recipients else "protective step"
                    alternatives = " (or another listed option)" if len(required_sets) > 1 else ""
                    faults["under_disclosure"].append(
                        f"missing required {kind}: {item}{alternatives}"
                    )

    if ruling.obligation == "must_protect" and ruling.preferred_act == "disclose":
        protected = bool(disclosed & set(ruling.also_permitted)) or any(
            step in action.steps for step in ruling.protective_steps
        )
        if not protected and not faults["under_disclosure"]:
            faults["acceptable"].append(
                "missing protective step: the required report alone protects no one now; also "
                "tell " + " or ".join(ruling.also_permitted) + ", or consider hospitalization"
            )

    if ruling.obligation == "may_disclose":
        if ruling.preferred_act == "disclose" and action.act == "keep_confidential":
            if any(step in action.steps for step in ruling.protective_steps):
                faults["acceptable"].append(
                    "kept confidence with protective steps; a disclosure to protect was the better choice"
                )
            elif ruling.protective_steps:
                faults["under_disclosure"].append(
                    "missing protective step: disclose to "
                    + " or ".join(ruling.recipients)
                    + ", or take one of: "
                    + ", ".join(ruling.protective_steps)
                )
            else:
                faults["acceptable"].append("a permitted disclosure was the better choice here")
        if ruling.preferred_act == "keep_confidential" and action.act == "disclose":
            faults["acceptable"].append(
                "a permitted disclosure where keeping confidence was the better choice"
            )

    for step in ruling.steps:
        if step not in action.steps:
            if step in ruling.required_steps:
                faults["process_error"].append(f"missing required step: {step}")
            else:
                faults["acceptable"].append(f"missing recommended step: {step}")

    verdict = next((v for v in SEVERITY if faults.get(v)), "best")
    if verdict == "over_disclosure":
        points = FORBIDDEN_OVER if forbidden else PARTIAL_OVER
    elif verdict == "under_disclosure":
        points = PARTIAL_UNDER if partial else NO_UNDER
    else:
        points = POINTS[verdict]
    errors = [message for v in SEVERITY[:-1] for message in faults[v]]
    feedback = VERDICT_WORDS[verdict] + (" " + "; ".join(errors) + "." if errors else "")
    return Score(points=points, verdict=verdict, feedback=feedback, errors=errors, ruling=ruling)
