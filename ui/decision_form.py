"""The fields of a decision as every learner sees them: the act, then the steps.

Shared by the Play page and the instructor's item preview, so an instructor trying a
decision sees exactly the form a learner answered (same option order rule, same
checklist, same words). The caller owns the form and its submit buttons.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from engine.scenarios import Scenario
from ui.text import as_text
from ui.words import STEP_LABELS


def act_and_steps(
    scenario: Scenario,
    node_id: str,
    order: list[int],
    choice_key: str,
    step_key: Callable[[str], str],
) -> None:
    """The act (a radio, nothing chosen) in ``order``, then the situation's checklist in
    its fixed order, none ticked; values land in session state under the given keys."""
    node = scenario.nodes[node_id]
    st.radio(
        "What do you do?",
        options=order,
        format_func=lambda index: as_text(node.choices[index].label),
        index=None,
        key=choice_key,
    )
    st.markdown("**Which steps go with it?**")
    st.caption("Tick each step you would take with that act, and only those.")
    for step in scenario.checklist(node_id):
        st.checkbox(STEP_LABELS[step], key=step_key(step))
