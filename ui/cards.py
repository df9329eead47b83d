"""A vignette as a card with a Start button (Home and Library)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import playthrough
from ui.learner import learner_params
from ui.resources import jurisdiction_label
from ui.text import as_text


def vignette_card(
    row: dict[str, Any], key_prefix: str, objectives: bool = False, finished: bool = False
) -> None:
    """One vignette: title, what it covers, whether the learner finished it, and Start."""
    with st.container(border=True):
        st.markdown(f"**{as_text(row['title'])}**" + (" · ✓ finished" if finished else ""))
        st.caption(
            f"{row['category_label']} · {jurisdiction_label(row['jurisdiction'])} · "
            f"{row['difficulty_label']} · about {row['minutes']} min"
        )
        st.markdown(as_text(row["summary"]))
        if objectives:
            st.markdown(
                "**Objectives:**\n" + "\n".join(f"- {as_text(text)}" for text in row["objectives"])
            )
        # The title is in the label: a screen reader's list of buttons must tell them apart.
        if st.button(
            f"Start: {as_text(row['title'])}",
            key=f"{key_prefix}_start_{row['id']}",
            icon=":material/play_arrow:",
        ):
            playthrough.go_play(learner_params(), scenario_id=row["id"])
