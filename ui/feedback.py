"""Feedback on one choice: the verdict in words and colour, the points, the engine's
explanation, the rules with their citations, the author's note, and what the law
required. Everything shown comes from the engine's ruling or the scenario file.
"""

from __future__ import annotations

import streamlit as st

from engine.actions import Score
from engine.ruling import Ruling
from engine.scenarios import Choice
from engine.scoring import VERDICT_WORDS
from ui.text import as_text
from ui.words import OBLIGATION_LABELS, SCOPE_LABELS, humanize, join_words

# verdict -> (title, Streamlit alert, icon). Colour is never the only signal: every
# alert leads with the verdict's name, and the icon differs too.
VERDICT_STYLE: dict[str, tuple[str, str, str]] = {
    "best": ("Best choice", "success", ":material/check_circle:"),
    "acceptable": ("Acceptable", "info", ":material/thumb_up:"),
    "process_error": ("Right act, missing step", "warning", ":material/rule:"),
    "under_disclosure": ("Under-disclosure", "error", ":material/visibility_off:"),
    "over_disclosure": ("Over-disclosure: a breach", "error", ":material/report:"),
}


def verdict_title(verdict: str) -> str:
    return VERDICT_STYLE.get(verdict, (verdict.replace("_", " ").capitalize(), "", ""))[0]


def show_verdict(result: Score) -> None:
    """The verdict as a coloured alert whose text names the verdict, points and faults."""
    _, kind, icon = VERDICT_STYLE[result.verdict]
    text = f"**{VERDICT_WORDS[result.verdict]}** ({result.points} points)"
    if result.errors:
        text += "\n" + "\n".join(f"- {as_text(humanize(error))}" for error in result.errors)
    getattr(st, kind)(text, icon=icon)


def show_feedback(choice: Choice, result: Score, heading: bool = True) -> None:
    intro = "#### Feedback on your choice\n\n" if heading else ""
    st.markdown(f"{intro}**You chose:** {as_text(choice.label)}")
    show_verdict(result)
    if choice.feedback:
        st.markdown(f"**From the vignette's author:** {as_text(choice.feedback)}")
    if result.ruling is not None:
        show_law(result.ruling)


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
        parts.append(f"Disclose {SCOPE_LABELS.get(ruling.scope, ruling.scope)}.")
    if ruling.steps:
        parts.append(f"Steps: {join_words(ruling.steps)}.")
    return " ".join(parts)
