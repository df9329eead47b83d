"""Try one decision as a learner sees it, from the item page, with nothing saved.

An instructor looking at a flagged item needs to answer it the way the class did: the
same form (``ui.decision_form``), scored by the engine under the class's law, with the
feedback a learner reads. Nothing is written to the database, so the preview never
counts as anyone's attempt or toward a certificate.
"""

from __future__ import annotations

import streamlit as st

from engine.scenarios import Scenario
from ui.decision_form import act_and_steps
from ui.feedback import show_feedback
from ui.playthrough import option_order, score

PREVIEW_ORDER_SEED = "instructor-preview"


def preview_keys(scenario: Scenario, node_id: str) -> tuple[str, str]:
    """Widget keys of this decision's preview (its own, so ticks never carry over)."""
    base = f"preview_{scenario.id}_{node_id}"
    return f"{base}_choice", f"{base}_step_"


def show_item_preview(scenario: Scenario, node_id: str, law: str) -> None:
    choice_key, step_prefix = preview_keys(scenario, node_id)
    with st.expander("Try this decision as a learner sees it (nothing is saved)"):
        with st.form(f"{choice_key}_form"):
            act_and_steps(
                scenario,
                node_id,
                option_order(scenario, PREVIEW_ORDER_SEED, node_id),
                choice_key,
                lambda step: step_prefix + step,
            )
            submitted = st.form_submit_button("Submit (preview)")
        index = st.session_state.get(choice_key)
        if not submitted:
            return
        if index is None:
            st.warning("Choose one of the options above, then submit.")
            return
        steps = tuple(
            step for step in scenario.checklist(node_id) if st.session_state.get(step_prefix + step)
        )
        show_feedback(
            scenario.nodes[node_id].choices[index],
            score(scenario, law, node_id, index, steps),
            steps,
            heading=False,
        )
