"""Feedback on one decision, in both its parts: the act chosen and the steps ticked.

The verdict in words and colour with the points, the faults as plain sentences, a review
of the steps (which the law required or recommended, which were fine either way, which
were not called for), the author's note, and what the law required with its citations.
Everything shown comes from the engine's score and ruling or the scenario file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from engine.actions import Score, StepReview
from engine.ruling import Ruling
from engine.scenarios import Choice
from engine.scoring import VERDICT_WORDS
from ui.calibration import CONFIDENCE_LEVELS
from ui.text import as_text
from ui.words import OBLIGATION_LABELS, STEP_LABELS, humanize, join_words, scope_phrase

# verdict -> (title, Streamlit alert, icon). Colour is never the only signal: every
# alert leads with the verdict's name, and the icon differs too.
VERDICT_STYLE: dict[str, tuple[str, str, str]] = {
    "best": ("Best choice", "success", ":material/check_circle:"),
    "acceptable": ("Acceptable", "info", ":material/thumb_up:"),
    "process_error": ("Right act, missing step", "warning", ":material/rule:"),
    "under_disclosure": ("Under-disclosure", "error", ":material/visibility_off:"),
    "over_disclosure": ("Over-disclosure: a breach", "error", ":material/report:"),
}

# A step's status in the review: what the law says of it, and whether it was ticked.
_REVIEW_WORDS: dict[tuple[str, bool], str] = {
    ("required", True): "required, and you took it",
    ("required", False): "required, and missing",
    ("recommended", True): "recommended, and you took it",
    ("recommended", False): "recommended, and left out",
    ("protective", True): "part of protecting here",
    ("optional", True): "fine here either way",
    ("not_called_for", True): "not called for here",
}
_REVIEW_MARK = {True: "✓", False: "✗"}


def verdict_title(verdict: str) -> str:
    return VERDICT_STYLE.get(verdict, (verdict.replace("_", " ").capitalize(), "", ""))[0]


def show_verdict(result: Score) -> None:
    """The verdict as a coloured alert whose text names the verdict, points and faults."""
    _, kind, icon = VERDICT_STYLE[result.verdict]
    text = f"**{VERDICT_WORDS[result.verdict]}** ({result.points} points)"
    faults = result.messages or [humanize(error) for error in result.errors]
    if faults:
        text += "\n" + "\n".join(f"- {as_text(fault)}" for fault in faults)
    getattr(st, kind)(text, icon=icon)


def ticked_line(steps: tuple[str, ...] | None) -> str:
    """The steps the learner ticked, in words ("none" when they ticked nothing)."""
    if steps is None:
        return ""
    words = [STEP_LABELS[s][0].lower() + STEP_LABELS[s][1:] for s in steps if s in STEP_LABELS]
    return "; ".join(words) if words else "none"


def submit_buttons(key: str, on_submit: Callable[..., None], args: tuple[Any, ...]) -> None:
    """The form's submit: plainly, or saying how sure you are, in one press.

    Play and Practice ask the same question, so the calibration chart reads both alike.
    Saying how sure is optional: "Submit my decision" comes first and saves no
    confidence; each of the others submits with its level (``on_submit`` gets it as its
    last argument). Buttons rather than a radio before Submit: the keyboard path from
    the last step to Submit stays one Tab, and stating confidence costs no extra press.
    """
    st.form_submit_button(
        "Submit my decision", key=key, type="primary", on_click=on_submit, args=(*args, None)
    )
    st.caption(
        "Or submit and say how sure you are (optional). Your answers build the "
        "calibration chart on the Progress page: how often you are right when you feel sure."
    )
    for column, level in zip(st.columns(len(CONFIDENCE_LEVELS)), CONFIDENCE_LEVELS, strict=True):
        column.form_submit_button(
            confidence_button(level),
            key=f"{key}_{level}",
            on_click=on_submit,
            args=(*args, level),
        )


def confidence_button(level: int) -> str:
    return f"Submit, {level}% sure"


def show_feedback(
    choice: Choice,
    result: Score,
    steps: tuple[str, ...] | None,
    heading: bool = True,
    confidence: int | None = None,
) -> None:
    intro = "### Feedback on your decision\n\n" if heading else ""
    lines = [f"{intro}**You chose:** {as_text(choice.label)}"]
    if steps is not None:
        lines.append(f"**Steps you ticked:** {ticked_line(steps)}")
    if confidence is not None:
        lines.append(f"**How sure you were:** {int(confidence)}%")
    st.markdown("  \n".join(lines))
    show_verdict(result)
    if result.step_review:
        st.markdown(step_review(result.step_review))
    if choice.feedback:
        st.markdown(f"**From the vignette's author:** {as_text(choice.feedback)}")
    if result.ruling is not None:
        show_law(result.ruling)


def step_review(review: list[StepReview]) -> str:
    """Each step the law asked for, or the learner ticked, with what the law says of it."""
    lines = ["**The steps**"]
    for item in review:
        words = _REVIEW_WORDS.get((item.status, item.ticked))
        if words is None:
            continue
        label = STEP_LABELS.get(item.step, item.step.replace("_", " "))
        lines.append(f"- {_REVIEW_MARK[item.ticked]} {label}: {words}")
    return "\n".join(lines)


def show_law(ruling: Ruling) -> None:
    """What the law required here, the engine's explanation, and each rule's citation."""
    with st.container(border=True):
        parts = [
            "**What the law required here**",
            requirement(ruling),
            as_text(ruling.explanation),
        ]
        if ruling.rules:
            parts.append(
                "**Rules applied**\n"
                + "\n".join(
                    f"- **{as_text(rule.citation)}** — {as_text(rule.summary)}"
                    for rule in ruling.rules
                )
            )
        st.markdown("\n\n".join(parts))
        if not ruling.verified and ruling.verification_note:
            st.warning(as_text(ruling.verification_note), icon=":material/fact_check:")


def requirement(ruling: Ruling) -> str:
    """The ruling's obligation, recipients, scope and steps, in one short paragraph."""
    parts = [OBLIGATION_LABELS.get(ruling.obligation, ruling.obligation) + "."]
    if ruling.obligation == "must_protect" and ruling.discharge_options:
        options = [join_words(option) for option in ruling.discharge_options]
        if len(options) == 1:
            parts.append(f"To discharge the duty: {options[0]}.")
        else:
            parts.append("Any one of these discharges the duty: " + "; or ".join(options) + ".")
    elif ruling.obligation == "must_disclose" and ruling.report_options:
        options = [join_words(option) for option in ruling.report_options]
        parts.append("Report to " + " or ".join(options) + ".")
    elif ruling.recipients:
        verb = "Permitted recipients" if ruling.obligation == "may_disclose" else "Recipients"
        parts.append(
            f"{verb}: {join_words(ruling.recipients, 'or' if verb.startswith('P') else 'and')}."
        )
    if ruling.scope != "none":
        scope = scope_phrase(
            ruling.scope, ruling.obligation, ruling.recipients, ruling.scope_exempt
        )
        parts.append(f"Disclose {scope}.")
    if ruling.steps:
        required = [s for s in ruling.steps if s in ruling.required_steps]
        recommended = [s for s in ruling.steps if s not in ruling.required_steps]
        if required:
            parts.append(f"Required steps: {join_words(required)}.")
        if recommended:
            parts.append(f"Recommended: {join_words(recommended)}.")
    return " ".join(parts)
