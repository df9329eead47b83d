"""Explorer: set the facts of a case and see every jurisdiction's answer at once.

The page is a thin view over the engine: ``engine.explore.compare`` colours the map,
``engine.rule`` gives the chosen jurisdiction's ruling, ``engine.explore.counterfactuals``
says which single facts would change it. Nothing here decides law.

The case lives in the URL (the facts that differ from the defaults, ``j`` for the
jurisdiction and ``compare`` for the second one), so an instructor can put a case on the
screen with a link. ``j`` is the app's one jurisdiction parameter (``ui.learner``):
choosing a state here is choosing it app-wide, so a learner who explores Texas and then
plays a vignette plays it under Texas. A link is read once, when the session starts;
after that the widgets are the truth and the URL follows them.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from engine import InvalidInput, Ruling, law_reviewed, rule
from engine.explore import compare, counterfactuals
from engine.words import item_phrase
from ui import explorer_map, fact_widgets
from ui.learner import JURISDICTION_PARAM, preferred_jurisdiction, set_preferred_jurisdiction
from ui.resources import jurisdiction_codes, jurisdiction_label
from ui.text import as_text
from ui.words import OBLIGATION_LABELS, join_words, scope_phrase

J_KEY = "explorer_jurisdiction"
COMPARE_KEY = "explorer_compare"
MAP_KEY = "explorer_map"
COMPARE_PARAM = "compare"
EXPLORER_PATH = "explorer"
_SEEDED = "explorer_seeded"  # the link has been read (once a session)
_NOTICES = "explorer_notices"
_COMPARE_KEPT = "explorer_compare_kept"  # outlives the widget (e.g. while facts are invalid)
# The toolbar is off (as on Progress): zoom and pan mean nothing on a tile map.
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
MAP_ALT = (
    "Tile map of the 50 states, DC and the Model profile, each coloured by its obligation "
    "under these facts; hatched tiles are unverified. The same answers are in the table "
    "under the map."
)
INTRO = (
    "Set the facts of a case and see what every jurisdiction's law makes of them. Click a "
    "tile on the map (or choose a jurisdiction) for its ruling, the single facts that "
    "would change it, and a comparison with any other jurisdiction."
)

FactsKey = tuple[tuple[str, Any], ...]


def facts_key(facts: dict[str, Any]) -> FactsKey:
    """A hashable, order-free key for the caches below."""
    return tuple(sorted(facts.items()))


@st.cache_data(show_spinner=False, max_entries=512)
def compare_rows(key: FactsKey) -> list[dict[str, Any]]:
    """The map's 52 rulings, once per set of facts (each rerun of the page reuses them)."""
    return compare(dict(key))


@st.cache_data(show_spinner=False, max_entries=2048)
def counterfactual_rows(key: FactsKey, code: str) -> list[dict[str, Any]]:
    """One state's "what would change the answer", once per facts and state: a class
    clicking back and forth between states asks for the same ones again and again."""
    return counterfactuals(dict(key), code)


def show_explorer_page() -> None:
    st.title("Law explorer")
    st.markdown(INTRO)
    st.caption(
        f"Education, not legal advice. Law last reviewed {readable_date(law_reviewed())}. "
        "Hatched tiles and jurisdictions marked “unverified” rest on secondary sources."
    )
    read_link_once()
    for notice in st.session_state.pop(_NOTICES, []):
        st.info(notice, icon=":material/link_off:")

    st.header("The facts")
    facts = fact_widgets.show_fact_inputs()
    key = facts_key(facts)
    try:
        rows = compare_rows(key)
    except InvalidInput as exc:
        sync_link(facts)
        st.warning(
            "These facts do not fit together: "
            + as_text(fact_widgets.explain_invalid(str(exc)))
            + ". Change one of them to see the rulings.",
            icon=":material/rule:",
        )
        return
    chosen = show_jurisdiction_choice()
    if COMPARE_KEY in st.session_state:  # the widget's value as this run starts
        st.session_state[_COMPARE_KEPT] = st.session_state[COMPARE_KEY]
    sync_link(facts)
    show_map(rows, chosen)
    ruling = rule(facts, chosen)
    show_ruling(ruling)
    show_counterfactuals(key, ruling)
    show_side_by_side(facts, ruling)
    show_share_link(facts, chosen)


def readable_date(text: str) -> str:
    """``28 November 2026`` (as Home says it); a date the data got wrong is shown as is."""
    try:
        return date.fromisoformat(text).strftime("%-d %B %Y")
    except ValueError:
        return text


# --- the link --------------------------------------------------------------------------


def read_link_once() -> None:
    """Seed the widgets from the URL when the session starts; notices for what was not
    used. A link's values are compared with the vocabulary, never shown."""
    if st.session_state.get(_SEEDED):
        return
    st.session_state[_SEEDED] = True
    params = st.query_params.to_dict()
    facts, notices = fact_widgets.facts_from_params(params)
    fact_widgets.seed(facts)
    codes = jurisdiction_codes()
    raw_j = params.get(JURISDICTION_PARAM)
    if raw_j is not None and raw_j not in codes:
        notices.append("The link's jurisdiction is not one the explorer knows, so it was ignored.")
    raw_compare = params.get(COMPARE_PARAM)
    if raw_compare in codes:
        st.session_state[_COMPARE_KEPT] = raw_compare
    elif raw_compare is not None:
        notices.append(
            "The link's jurisdiction to compare with is not one the explorer knows, "
            "so it was ignored."
        )
    st.session_state[_NOTICES] = notices


def link_params(facts: dict[str, Any]) -> dict[str, str]:
    """The page's own parameters (``j`` is kept by ``ui.learner``)."""
    params = fact_widgets.params_from_facts(facts)
    other = st.session_state.get(_COMPARE_KEPT)
    if other:
        params[COMPARE_PARAM] = other
    return params


def sync_link(facts: dict[str, Any]) -> None:
    """Make the URL say what the page shows: set this page's parameters, drop stale ones
    (a field of the situation left behind), leave everyone else's alone."""
    wanted = link_params(facts)
    for name in sorted(fact_widgets.fact_param_names() | {COMPARE_PARAM}):
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]


def show_share_link(facts: dict[str, Any], chosen: str) -> None:
    st.header("Share this case")
    params = {**link_params(facts), JURISDICTION_PARAM: chosen}
    base = (st.context.url or "").split("?")[0] or EXPLORER_PATH
    st.code(f"{base}?{urlencode(params)}", language=None, wrap_lines=True)
    st.caption(
        "Copy this link to put the case on another screen. It holds the facts and the "
        "jurisdictions only, not your learner code."
    )


# --- choosing a jurisdiction -------------------------------------------------------------


def _chosen_changed() -> None:
    set_preferred_jurisdiction(st.session_state[J_KEY])


def _map_clicked() -> None:
    state = st.session_state.get(MAP_KEY)
    code = explorer_map.code_from_selection(state.selection if state else None)
    if code is not None:  # a second click on the same tile clears the selection: keep it
        st.session_state[J_KEY] = code
        set_preferred_jurisdiction(code)


def show_jurisdiction_choice() -> str:
    codes = jurisdiction_codes()
    if J_KEY not in st.session_state:
        st.session_state[J_KEY] = preferred_jurisdiction()
    st.header("Every jurisdiction")
    return st.selectbox(
        "Jurisdiction (or click its tile on the map)",
        codes,
        format_func=jurisdiction_label,
        key=J_KEY,
        on_change=_chosen_changed,
    )


def show_map(rows: list[dict[str, Any]], chosen: str) -> None:
    st.plotly_chart(
        explorer_map.map_figure(rows, chosen),
        key=MAP_KEY,
        on_select=_map_clicked,
        selection_mode="points",
        config=PLOTLY_CONFIG,
        alt=MAP_ALT,
    )
    with st.expander("The map as a table"):
        st.dataframe(map_table(rows), hide_index=True, width="stretch")


def map_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The map's answers as text: for screen readers, and to read without colour."""
    return pd.DataFrame(
        {
            "Jurisdiction": [f"{row['name']} ({row['code']})" for row in rows],
            "Obligation": [explorer_map.obligation_short(row["obligation"]) for row in rows],
            "Recipients": [join_words(row["recipients"]) or "no one" for row in rows],
            "Verified": ["yes" if row["verified"] else "no" for row in rows],
        }
    )


# --- one jurisdiction's ruling, and what would change it ----------------------------------


def discharge_words(ruling: Ruling) -> str:
    """``warn the intended victim and notify law enforcement; or ...`` (must protect only)."""
    options = ruling.discharge_options or []
    if not options:
        return "—"
    said = [" and ".join(item_phrase(item) for item in option) for option in options]
    if len(said) == 1:
        return f"every part is required: {said[0]}"
    return "any one of these: " + "; or ".join(said)


def recipient_words(ruling: Ruling) -> str:
    if ruling.report_options:
        return " or ".join(join_words(option) for option in ruling.report_options)
    joiner = "or" if ruling.obligation == "may_disclose" else "and"
    return join_words(ruling.recipients, joiner) or "no one"


def aspects(ruling: Ruling) -> dict[str, str]:
    """The parts of a ruling a learner compares, each as escaped Markdown."""
    return {
        "Obligation": OBLIGATION_LABELS.get(ruling.obligation, ruling.obligation),
        "Discharging the duty": discharge_words(ruling),
        "Recipients": recipient_words(ruling),
        "What to disclose": scope_phrase(
            ruling.scope, ruling.obligation, ruling.recipients, ruling.scope_exempt
        ),
        "Steps": join_words(ruling.steps) or "none",
        "Citations": "; ".join(as_text(r.citation) for r in ruling.rules) or "—",
        "Verified": "yes: read from the statute"
        if ruling.verified
        else "no: rests on secondary sources",
        "Law reviewed": readable_date(ruling.law_reviewed),
    }


def show_ruling(ruling: Ruling) -> None:
    st.subheader(as_text(jurisdiction_label(ruling.jurisdiction)))
    parts = aspects(ruling)
    st.markdown(
        "  \n".join(
            f"**{name}:** {value}"
            for name, value in parts.items()
            if name != "Citations" and value != "—"
        )
    )
    st.markdown(as_text(ruling.explanation))
    if ruling.verification_note:
        st.warning(as_text(ruling.verification_note), icon=":material/fact_check:")
    with st.expander("The rules and their citations"):
        st.markdown(
            "\n".join(f"- **{as_text(r.citation)}** — {as_text(r.summary)}" for r in ruling.rules)
        )


def show_counterfactuals(key: FactsKey, ruling: Ruling) -> None:
    st.subheader("What would change the answer")
    items = counterfactual_rows(key, ruling.jurisdiction)
    now = explorer_map.obligation_short(ruling.obligation).lower()
    if not items:
        st.markdown(
            f"Now: **{now}**. No change of a single fact changes that here; it takes "
            "several facts together, or another jurisdiction."
        )
        return
    lines = [
        f"- **{fact_widgets.field_label(item['field'])}:** "
        f"{fact_widgets.value_label(item['field'], item['to']).lower()} instead of "
        f"{fact_widgets.value_label(item['field'], item['from']).lower()} → "
        f"**{explorer_map.obligation_short(item['obligation_after']).lower()}**"
        for item in items
    ]
    st.markdown(
        f"Now: **{now}**. Each change below, made on its own, changes that; the engine found "
        "them by ruling every neighbouring case."
    )
    st.markdown(as_text("\n".join(lines)))


# --- side by side ---------------------------------------------------------------------


def show_side_by_side(facts: dict[str, Any], ruling: Ruling) -> None:
    st.subheader("Side by side")
    codes = jurisdiction_codes()
    if COMPARE_KEY not in st.session_state:
        st.session_state[COMPARE_KEY] = st.session_state.get(_COMPARE_KEPT)
    other_code = st.selectbox(
        "Compare with",
        codes,
        index=None,
        format_func=jurisdiction_label,
        placeholder="Choose a second jurisdiction",
        key=COMPARE_KEY,
    )
    if other_code is None:
        return
    ours, theirs = aspects(ruling), aspects(rule(facts, other_code))
    differ = [name for name in ours if ours[name] != theirs[name]]
    st.markdown(
        f"**{len(differ)} of {len(ours)}** parts differ under these facts."
        if differ
        else "The two rulings agree in every part shown here."
    )
    left_name, right_name = (
        as_text(jurisdiction_label(c)) for c in (ruling.jurisdiction, other_code)
    )
    for name in ours:
        mark = " :orange-badge[differs]" if name in differ else " :gray-badge[same]"
        st.markdown(f"**{name}**{mark}")
        left, right = st.columns(2)
        left.markdown(f":small[{left_name}]  \n{ours[name]}")
        right.markdown(f":small[{right_name}]  \n{theirs[name]}")
