"""Library: every vignette with its category, jurisdiction, difficulty, minutes and
objectives; filters and search; and the files that failed validation, with the
validator's messages (shown as text, so a broken file can neither hide nor break the app).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import streamlit as st

from storage.store import StorageError
from ui.cards import vignette_card
from ui.charts import CATEGORY_LABELS
from ui.computed import library_rows
from ui.learner import current_learner
from ui.resources import StoreUnavailable, bank, jurisdiction_label, scenarios_folder, store
from ui.words import DIFFICULTY_LABELS


def show_library_page() -> None:
    learner = current_learner()
    st.title("Library")
    rows = library_rows(scenarios_folder())
    st.markdown("Filter the vignettes, or search their titles, summaries and objectives.")

    search = st.text_input(
        "Search", placeholder="e.g. subpoena, Tarasoff, minor", key="library_search"
    )
    left, middle, right = st.columns(3)
    categories = left.multiselect(
        "Category",
        list(CATEGORY_LABELS),
        format_func=CATEGORY_LABELS.get,
        key="library_category",
        placeholder="All categories",
    )
    jurisdictions = middle.multiselect(
        "Jurisdiction",
        sorted({row["jurisdiction"] for row in rows}),
        format_func=jurisdiction_label,
        key="library_jurisdiction",
        placeholder="All jurisdictions",
    )
    difficulties = right.multiselect(
        "Difficulty",
        list(DIFFICULTY_LABELS),
        format_func=DIFFICULTY_LABELS.get,
        key="library_difficulty",
        placeholder="All levels",
    )
    words = search.casefold().split()
    shown = [
        row
        for row in rows
        if (not categories or row["category"] in categories)
        and (not jurisdictions or row["jurisdiction"] in jurisdictions)
        and (not difficulties or row["difficulty"] in difficulties)
        and all(word in row["search"] for word in words)
    ]
    finished = finished_ids(learner)
    st.markdown(
        f"**Showing {len(shown):,} of {len(rows):,} vignettes**"
        + (f" · you have finished {len(finished & {r['id'] for r in rows}):,}" if finished else "")
    )
    if not shown:
        st.info("No vignette matches these filters. Clear a filter or try another word.")
    for row in shown:
        vignette_card(row, key_prefix="library", objectives=True, finished=row["id"] in finished)
    show_broken_files()


def finished_ids(learner: str) -> set[str]:
    """The vignettes this learner has finished; none if the database cannot be read (the
    library still works without the marks)."""
    try:
        return store().finished_scenarios(learner)
    except (StoreUnavailable, StorageError):
        return set()


def show_broken_files() -> None:
    broken = bank().broken_files
    if not broken:
        return
    st.header("Scenario files that failed validation")
    st.warning(
        f"{len(broken)} file(s) are not playable until their authors fix the problems "
        "below (the same messages as `python -m engine validate`)."
    )
    for file, diagnostics in sorted(broken.items()):
        with st.expander(Path(file).name):
            text = "\n".join(replace(d, file=Path(d.file).name).format() for d in diagnostics)
            st.code(text, language=None, wrap_lines=True)
