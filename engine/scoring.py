"""Scoring a learner's action against a ruling (ENGINE_CONTRACT.md, "Action and score").

Points per verdict, and why:

=================  ======  ==========================================================
verdict            points  when
=================  ======  ==========================================================
best                 100   right act, recipients within the law, scope within the
                           ruling's, every required and recommended step, no step
                           that is not called for
acceptable            70   lawful and defensible: the less-preferred permitted act, a
                           recommended step left out, a step ticked that is not called
                           for here, or more than the minimum to a recipient the
                           minimum-necessary rule does not govern (treatment)
process_error         55   the act is right but a required step is missing
under_disclosure   30/10   a required report/protection left incomplete (30 if part of
                           it was done: warned the victim but not police; 10 if nothing)
over_disclosure    25/0    a breach: 25 if the disclosure itself was lawful but went to a
                           recipient or a scope the law does not allow; 0 if no
                           disclosure was allowed at all
=================  ======  ==========================================================

Steps are judged in three groups: those the ruling lists (``steps``: required or
recommended), those it accepts either way (``optional_steps``: ticking them changes
nothing), and every other step, which is "not called for here". A step not called for
costs what a missing recommended step costs, so ticking every box in the checklist is
never the best answer: the learner has to know which steps the law and the codes ask for.

When faults combine, the worst verdict wins (over > under > process > acceptable), and
``errors`` lists every fault as a short code-like string (the contract's form), while
``messages`` says the same in plain sentences for learners.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.actions import Action, Score, StepReview
from engine.ruling import Ruling
from engine.words import SCOPE_LABELS, item_phrase, join_or, recipient_noun, step_phrase

POINTS = {"best": 100, "acceptable": 70, "process_error": 55}
PARTIAL_UNDER, NO_UNDER = 30, 10
PARTIAL_OVER, FORBIDDEN_OVER = 25, 0
SEVERITY = ("over_disclosure", "under_disclosure", "process_error", "acceptable", "best")
PROTECTIVE_RECIPIENTS = {
    "intended_victim",
    "law_enforcement",
    "emergency_services",
    "family",
    "treating_provider",
}

VERDICT_WORDS = {
    "best": "Best choice: this is what the law and the ethics codes call for here.",
    "acceptable": "Acceptable: lawful and defensible, but not the best response.",
    "process_error": "Right act, but a required step is missing.",
    "under_disclosure": "Under-disclosure: the law required protection or a report that was not completed.",
    "over_disclosure": "Over-disclosure: this is a breach of confidentiality.",
}
_NOTHING_YET = (
    "Nothing could be released yet: the request must be answered, but the records stay "
    "closed until the client authorizes release or a court orders it."
)
_NOTHING = "Nothing could be disclosed here: no exception to confidentiality covers it."


@dataclass
class _Faults:
    """Faults by verdict, each as (contract-style error, plain sentence)."""

    by_verdict: dict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: {verdict: [] for verdict in SEVERITY}
    )
    notes: list[str] = field(default_factory=list)

    def add(self, verdict: str, error: str, message: str) -> None:
        self.by_verdict[verdict].append((error, message))

    def worst(self) -> str:
        return next((v for v in SEVERITY if self.by_verdict[v]), "best")


def within_scope(action_scope: str, ruling_scope: str) -> bool:
    """Minimum necessary is always within; otherwise the scope must be the ruling's own."""
    return action_scope in ("minimum_necessary", ruling_scope) and action_scope != "full_record"


def _best_option(options: list[list[str]], done: set[str]) -> list[str]:
    """The alternative the learner came closest to completing (ties: the first listed)."""
    return max(options, key=lambda option: sum(item in done for item in option))


def score_action(action: Action, ruling: Ruling) -> Score:
    faults = _Faults()
    disclosed = set(action.to) if action.act == "disclose" else set()
    done = disclosed | set(action.steps)
    forbidden = _judge_disclosure(action, ruling, faults)
    partial = _judge_required(action, ruling, done, disclosed, faults)
    _judge_preference(action, ruling, disclosed, faults)
    review = _judge_steps(action, ruling, faults)

    verdict = faults.worst()
    if verdict == "over_disclosure":
        points = FORBIDDEN_OVER if forbidden else PARTIAL_OVER
    elif verdict == "under_disclosure":
        points = PARTIAL_UNDER if partial else NO_UNDER
    else:
        points = POINTS[verdict]
    pairs = [pair for v in SEVERITY[:-1] for pair in faults.by_verdict[v]]
    errors = [error for error, _ in pairs]
    messages = [message for _, message in pairs] + faults.notes
    feedback = VERDICT_WORDS[verdict] + (" " + " ".join(messages) if messages else "")
    return Score(
        points=points,
        verdict=verdict,
        feedback=feedback,
        errors=errors,
        messages=messages,
        step_review=review,
        ruling=ruling,
    )


# Who was wrongly told, named without the praise "able to help" that the allowed list
# uses (the relative told may be the suspected abuser).
_FORBIDDEN_NOUNS = {"family": "a family member"}


def _judge_disclosure(action: Action, ruling: Ruling, faults: _Faults) -> bool:
    """Recipients and scope. Returns True when no disclosure at all was allowed."""
    if action.act != "disclose":
        return False
    if ruling.obligation in ("must_not_disclose", "respond_without_disclosing"):
        faults.add(
            "over_disclosure",
            f"disclosure not permitted: the law requires {ruling.obligation.replace('_', ' ')}",
            _NOTHING_YET if ruling.obligation == "respond_without_disclosing" else _NOTHING,
        )
        return True
    allowed = set(ruling.recipients) | set(ruling.also_permitted)
    for recipient in action.to:
        if recipient not in allowed:
            faults.add(
                "over_disclosure",
                f"recipient not permitted: {recipient}",
                f"{_FORBIDDEN_NOUNS.get(recipient, recipient_noun(recipient)).capitalize()} "
                "could not be told here: the law allows only "
                f"{join_or([recipient_noun(p) for p in sorted(allowed)])}.",
            )
    scope = action.effective_scope
    if ruling.scope == "as_ordered" and scope == "minimum_necessary":
        # an order compels what it names: a summary in place of it is not compliance
        faults.add(
            "under_disclosure",
            "less than ordered: minimum_necessary (ordered: as_ordered)",
            "You produced less than the order requires; comply with what it names, and ask "
            "the court to narrow it if it reaches too far.",
        )
    elif not within_scope(scope, ruling.scope):
        exempt = set(action.to) <= set(ruling.scope_exempt)
        if exempt:
            faults.add(
                "acceptable",
                f"scope beyond what is germane: {scope}",
                "Sending "
                + SCOPE_LABELS.get(scope, scope)
                + " there is lawful, but your code asks you to share only what is germane "
                "to the purpose.",
            )
        else:
            required_report = ruling.obligation == "must_disclose" and set(action.to) <= set(
                ruling.recipients
            )
            limit = (
                "a required report carries only what the law requiring it asks for "
                "(45 CFR 164.512(a)(1))"
                if required_report and ruling.scope == "minimum_necessary"
                else "the law allows " + SCOPE_LABELS.get(ruling.scope, ruling.scope)
            )
            faults.add(
                "over_disclosure",
                f"scope beyond what is allowed: {scope} (allowed: {ruling.scope})",
                "You disclosed " + SCOPE_LABELS.get(scope, scope) + "; " + limit + ".",
            )
    return False


def _judge_required(
    action: Action, ruling: Ruling, done: set[str], disclosed: set[str], faults: _Faults
) -> bool:
    """A required report or protective duty. Returns True when part of it was done."""
    required_sets = (
        ruling.discharge_options
        or ruling.report_options
        or ([ruling.recipients] if ruling.obligation == "must_disclose" else None)
    )
    partial = False
    if ruling.obligation in ("must_protect", "must_disclose") and required_sets:
        if not any(all(item in done for item in option) for option in required_sets):
            protected_now = bool(disclosed & PROTECTIVE_RECIPIENTS) or (
                "consider_hospitalization" in action.steps
            )
            if ruling.report_may_follow and protected_now:
                faults.notes.append(
                    "The required report is still due as soon as practicable: "
                    + join_or([" and ".join(item_phrase(i) for i in o) for o in required_sets])
                    + " once the crisis care is under way."
                )
            else:
                closest = _best_option(required_sets, done)
                partial = any(item in done for item in closest)
                alternatives = len(required_sets) > 1
                for item in closest:
                    if item not in done:
                        kind = "recipient" if item in ruling.recipients else "protective step"
                        faults.add(
                            "under_disclosure",
                            f"missing required {kind}: {item}"
                            + (" (or another listed option)" if alternatives else ""),
                            "The duty was not fully met: you also had to "
                            + item_phrase(item)
                            + (
                                " (or take another of the listed options)." if alternatives else "."
                            ),
                        )
    if ruling.obligation == "must_protect" and ruling.preferred_act == "disclose":
        protected = bool(disclosed & set(ruling.also_permitted)) or any(
            step in action.steps for step in ruling.protective_steps
        )
        if not protected and not faults.by_verdict["under_disclosure"]:
            faults.add(
                "acceptable",
                "missing protective step: the required report alone protects no one now",
                "The required report alone protects no one tonight: also tell "
                + join_or([recipient_noun(p) for p in ruling.also_permitted])
                + ", or arrange hospitalization.",
            )
    return partial


def _judge_preference(action: Action, ruling: Ruling, disclosed: set[str], faults: _Faults) -> None:
    """Where the law permits either act, which one was the better choice."""
    if ruling.obligation != "may_disclose":
        return
    if ruling.preferred_act == "disclose" and action.act == "keep_confidential":
        if any(step in action.steps for step in ruling.protective_steps):
            faults.add(
                "acceptable",
                "kept confidence with protective steps; a disclosure to protect was better",
                "Keeping the confidence with protective steps was defensible, but a "
                "disclosure to protect was the better choice.",
            )
        elif ruling.protective_steps:
            faults.add(
                "under_disclosure",
                "missing protective step: disclose or take a protective step",
                "Nothing you did protects anyone: tell "
                + join_or([recipient_noun(p) for p in ruling.recipients])
                + ", or "
                + join_or([step_phrase(s) for s in ruling.protective_steps])
                + ".",
            )
        else:
            faults.add(
                "acceptable",
                "a permitted disclosure was the better choice",
                "A permitted disclosure was the better choice here.",
            )
    lawful = not faults.by_verdict["over_disclosure"]  # a wrong recipient or scope is a breach
    if ruling.preferred_act == "keep_confidential" and action.act == "disclose" and lawful:
        faults.add(
            "acceptable",
            "a permitted disclosure where keeping confidence was better",
            "The disclosure was lawful, but keeping the confidence was the better choice here.",
        )


def _judge_steps(action: Action, ruling: Ruling, faults: _Faults) -> list[StepReview]:
    """Required, recommended, optional and not-called-for steps, and how each was handled."""
    review: list[StepReview] = []
    ticked = set(action.steps)
    in_options = {item for option in ruling.discharge_options or [] for item in option}
    for step in ruling.steps:
        status = "required" if step in ruling.required_steps else "recommended"
        review.append(StepReview(step=step, status=status, ticked=step in ticked))
        if step in ticked:
            continue
        if status == "required":
            faults.add(
                "process_error",
                f"missing required step: {step}",
                f"A required step is missing: {step_phrase(step)}.",
            )
        else:
            faults.add(
                "acceptable",
                f"missing recommended step: {step}",
                f"A recommended step was left out: {step_phrase(step)}.",
            )
    for step in action.steps:
        if step in ruling.steps:
            continue
        if step in in_options or step in ruling.protective_steps:
            review.append(StepReview(step=step, status="protective", ticked=True))
            continue
        if step in ruling.optional_steps:
            review.append(StepReview(step=step, status="optional", ticked=True))
            continue
        review.append(StepReview(step=step, status="not_called_for", ticked=True))
        faults.add(
            "acceptable",
            f"step not called for: {step}",
            f"Not called for here: {step_phrase(step)}.",
        )
    return review
