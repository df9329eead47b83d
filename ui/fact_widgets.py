"""Widgets for a situation's facts, built from the engine's models, in plain words.

Which fields a situation has and which values each can take come from the engine
(``engine.explore.situation_fields``, derived from the pydantic models), so a field the
engine gains appears here without code; only the words are written by hand, in the
dicts below. The same words turn facts into a link (``params_from_facts``) and a link
back into facts (``facts_from_params``), so an instructor can put a case on the screen:
a value the vocabulary does not know is ignored with a notice, and nothing from the URL
is ever shown, only the words for values the engine knows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import streamlit as st

from engine.errors import InvalidInput
from engine.explore import situation_fields
from engine.facts import FACT_MODELS, parse_facts

SITUATION_KEY = "explore_situation"
PROFESSION_KEY = "explore_profession"
# Not widgets, so they outlive the page: the facts last set for each situation, and the
# situation last shown.
_REMEMBERED = "explore_remembered"
_LAST_SITUATION = "explore_last_situation"
SITUATION_PARAM = "situation"
DEFAULT_SITUATION = "threat_to_others"
STARTING_CASE: dict[str, Any] = {
    "situation": "threat_to_others",
    "victim": "identified",
    "imminence": "imminent",
    "intent": "stated",
    "plan": True,
    "means": True,
}
"""What the explorer shows before anyone sets a fact: the Tarasoff case, whose map is
split between states that require protection and states that only permit it. (The
engine's defaults, a remote threat to no one in particular, give 52 identical tiles.)"""

SITUATION_LABELS: dict[str, str] = {
    "threat_to_others": "A client threatens someone else",
    "threat_to_self": "A client may harm themselves",
    "abuse": "Abuse or neglect comes to light",
    "legal_process": "A subpoena, court order or warrant arrives",
    "disclosure_request": "Someone asks for information about a client",
    "intake": "The first session (intake)",
}

FIELD_LABELS: dict[str, str] = {
    "profession": "Your profession",
    "records": "Which records",
    # threat_to_others
    "communicated_by": "Who told you of the threat",
    "harm": "What harm is threatened",
    "victim": "Who is threatened",
    "imminence": "How soon",
    "intent": "The client's intent",
    "plan": "The client has a plan",
    "means": "The client has the means (a weapon, access)",
    "history_of_violence": "The client has a history of violence",
    "victim_reachable": "The person threatened can be reached",
    "trainee": "You are an unlicensed trainee or intern",
    # threat_to_self
    "accepts_safety_plan": "The client engages in voluntary steps (safety plan, admission)",
    "end_of_life": "A terminally ill client is considering hastening death",
    # abuse
    "victim_group": "Who is harmed",
    "timing": "When",
    "victim_now_adult": "The victim of past abuse is now an adult",
    "others_at_risk": "Someone in a protected group is at risk now from the same person",
    "basis": "How you know",
    "suspicion": "How strong the suspicion is",
    "abuse_type": "Kind of abuse",
    # legal_process and disclosure_request
    "instrument": "What arrived",
    "authorization": "The client's authorization",
    "satisfactory_assurance": "The requester documented notice to the client or a protective order",
    "patient_litigant": "The client put their own mental state at issue in the case",
    "part2_order": "The order meets 42 CFR Part 2's rules for court orders",
    "client_sued_therapist": "The client has sued you or complained about you",
    "order_names": "Where the order sends the records",
    "requester": "Who is asking",
    "purpose": "What it is for",
    "parent_role": "The parent's standing",
    "client_status": "Whether the client can be asked",
    "on_program_premises": "About a crime at the program or against its staff",
}

_AUTHORIZATION = {
    "none": "None",
    "valid": "Valid and written",
    "invalid": "Invalid (missing parts, expired, or not for these records)",
    "verbal": "Agreed aloud only",
    "revoked": "Revoked",
    "refused": "Refused",
}
VALUE_LABELS: dict[str, dict[Any, str]] = {
    "profession": {
        "psychologist": "Psychologist",
        "counselor": "Counselor",
        "social_worker": "Social worker",
        "mft": "Marriage and family therapist",
        "psychiatrist": "Psychiatrist",
    },
    "records": {
        "general": "Ordinary health records",
        "psychotherapy_notes": "Psychotherapy notes",
        "substance_use_program": "A substance-use program's records (42 CFR Part 2)",
        "education_record": "Student records kept by a school (FERPA)",
    },
    "communicated_by": {
        "client": "The client",
        "family_member": "A family member of the client",
        "other": "Someone else",
    },
    "harm": {
        "serious_physical": "Serious physical violence",
        "minor_physical": "Minor physical harm",
        "property": "Damage to property",
        "none": "No harm (anger or fantasy)",
    },
    "victim": {
        "identified": "A named or identified person",
        "reasonably_identifiable": "A person who can reasonably be identified",
        "group": "A group or place (a school, a workplace)",
        "unidentifiable": "No one who can be identified",
    },
    "imminence": {"imminent": "Imminent", "foreseeable": "Foreseeable", "remote": "Remote"},
    "intent": {"stated": "Stated", "ambiguous": "Ambiguous", "denied": "Denied"},
    "victim_group": {
        "child": "A child",
        "elder": "An elder",
        "dependent_adult": "A dependent adult",
        "adult": "An adult (not in a protected group)",
    },
    "timing": {"current": "Now or recently", "past": "In the past"},
    "basis": {
        "disclosure": "The client told you",
        "observation": "You saw signs yourself",
        "third_party_report": "Someone else told you",
    },
    "suspicion": {"reasonable": "Reasonable suspicion", "speculative": "Only a hunch"},
    "abuse_type": {
        "physical": "Physical",
        "sexual": "Sexual",
        "neglect": "Neglect",
        "emotional": "Emotional",
        "financial": "Financial exploitation",
        "domestic_violence": "Domestic violence",
        "peer_sexual_activity": "A minor's consensual-seeming sexual activity with a peer",
    },
    "instrument": {
        "subpoena": "A subpoena (no judge's signature)",
        "court_order": "A court order (signed by a judge)",
        "search_warrant": "A search warrant",
        "informal_request": "An informal request (a letter or a call)",
    },
    "authorization": _AUTHORIZATION,
    "requester": {
        "law_enforcement": "The police",
        "family": "Family",
        "employer": "An employer",
        "attorney": "An attorney",
        "insurer": "An insurer",
        "treating_provider": "Another treating clinician",
        "school": "A school",
        "media": "The media",
        "parent": "A parent or guardian of a minor client",
    },
    "purpose": {"treatment": "Treatment", "payment": "Payment", "other": "Something else"},
    "parent_role": {
        "personal_representative": "Acts for the minor (personal representative)",
        "minor_consented": "The minor consented to their own care",
        "agreed_confidentiality": "Agreed that the care stays confidential",
        "court_directed": "A court directed the care",
        "endangerment": "Telling the parent could endanger the minor",
    },
    "order_names": {
        "either": "The court or the party who asked (it does not say)",
        "court": "The court alone (chambers)",
        "requester": "The party who asked for it",
    },
    "client_status": {
        "present": "Present and able to agree or object",
        "absent": "Absent",
        "incapacitated": "Incapacitated, or an emergency",
    },
}
BOOL_WORDS = {True: "yes", False: "no"}
_BOOL_PARAMS = {"true": True, "false": False}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def value_label(name: str, value: Any) -> str:
    """A field's value in words: the dict above, yes/no for booleans, else the token."""
    if isinstance(value, bool):
        return BOOL_WORDS[value]
    return VALUE_LABELS.get(name, {}).get(value, str(value).replace("_", " "))


def situation_label(situation: str) -> str:
    return SITUATION_LABELS.get(situation, situation.replace("_", " ").capitalize())


def default_facts(situation: str) -> dict[str, Any]:
    """The engine's defaults; a field the engine requires starts at its first value
    (a form must show something, and the first value is as neutral as any)."""
    model = FACT_MODELS[situation]
    facts: dict[str, Any] = {"situation": situation}
    for name, values in situation_fields(situation).items():
        info = model.model_fields[name]
        facts[name] = values[0] if info.is_required() else info.default
    return facts


@cache
def fact_param_names() -> frozenset[str]:
    """Every query parameter a facts link may use (bounded: the models' own fields)."""
    names = {SITUATION_PARAM}
    for situation in FACT_MODELS:
        names.update(situation_fields(situation))
    return frozenset(names)


def params_from_facts(facts: Mapping[str, Any]) -> dict[str, str]:
    """The link's parameters: the situation, then only the facts that differ from the
    defaults, so a link stays short enough to read aloud in class."""
    situation = facts["situation"]
    defaults = default_facts(situation)
    params = {SITUATION_PARAM: situation}
    for name in situation_fields(situation):
        value = facts.get(name, defaults[name])
        if value != defaults[name]:
            params[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return params


def facts_from_params(params: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Facts from a link, and a notice for each part of it that was not used.

    Only values the engine's vocabulary knows are taken; anything else is ignored and
    named by its field's label (never by the text in the link). A combination the models
    refuse is repaired by resetting the field the engine names, with a notice.
    """
    notices: list[str] = []
    if not fact_param_names() & set(params):
        return {**default_facts(STARTING_CASE["situation"]), **STARTING_CASE}, notices
    situation = params.get(SITUATION_PARAM, DEFAULT_SITUATION)
    if situation not in FACT_MODELS:
        notices.append(
            "The link's situation is not one the explorer knows, so it starts with "
            f"“{situation_label(DEFAULT_SITUATION)}”."
        )
        situation = DEFAULT_SITUATION
    fields = situation_fields(situation)
    facts = default_facts(situation)
    for name, values in fields.items():
        if name not in params:
            continue
        raw = params[name]
        value = _BOOL_PARAMS.get(raw) if values == (False, True) else raw
        if value in values:
            facts[name] = value
        else:
            notices.append(
                f"The link's value for “{field_label(name)}” is not one the explorer "
                "knows, so it was ignored."
            )
    others = sorted(fact_param_names() - set(fields) - {SITUATION_PARAM})
    for name in others:
        if name in params:
            notices.append(
                f"The link gave “{field_label(name)}”, which is not part of this situation, "
                "so it was ignored."
            )
    return _repair(facts, notices), notices


def _repair(facts: dict[str, Any], notices: list[str]) -> dict[str, Any]:
    """Reset each field the engine says does not fit the others (at most one per field)."""
    defaults = default_facts(facts["situation"])
    for _ in defaults:
        problem = invalid_field(facts)
        if problem is None or facts.get(problem) == defaults.get(problem):
            return facts
        facts[problem] = defaults[problem]
        notices.append(
            f"The link's “{field_label(problem)}” does not fit its other facts, so it "
            "was reset to its usual value."
        )
    return facts


def invalid_field(facts: Mapping[str, Any]) -> str | None:
    """The field the engine names when it refuses these facts, or None if it accepts."""
    try:
        parse_facts(dict(facts))
    except InvalidInput as exc:
        found = re.match(r"facts\.(\w+)", str(exc))
        return found.group(1) if found else "situation"
    return None


def explain_invalid(message: str) -> str:
    """The engine's one-line refusal with field names in words (for a warning)."""
    return re.sub(r"facts\.(\w+)", lambda m: f"“{field_label(m.group(1))}”", message)


# --- the widgets ---------------------------------------------------------------------


def _key(situation: str, name: str) -> str:
    return PROFESSION_KEY if name == "profession" else f"explore_{situation}__{name}"


def seed(facts: Mapping[str, Any]) -> None:
    """Put ``facts`` into the widgets (before they are drawn), e.g. from a link."""
    situation = facts["situation"]
    st.session_state[SITUATION_KEY] = st.session_state[_LAST_SITUATION] = situation
    for name in situation_fields(situation):
        st.session_state[_key(situation, name)] = facts[name]
    remembered = st.session_state.setdefault(_REMEMBERED, {})
    remembered[situation] = dict(facts)


def show_fact_inputs() -> dict[str, Any]:
    """Draw the situation's widgets and return its facts (every field, defaults filled).

    Each situation keeps its own widgets, and the facts last set for each situation are
    remembered in the session, so switching situation and back (or leaving the page and
    coming back) keeps what the learner set.
    """
    remembered: dict[str, dict[str, Any]] = st.session_state.setdefault(_REMEMBERED, {})
    if SITUATION_KEY not in st.session_state:
        st.session_state[SITUATION_KEY] = st.session_state.get(_LAST_SITUATION, DEFAULT_SITUATION)
    left, right = st.columns(2)
    situation = left.selectbox(
        "Situation", list(FACT_MODELS), format_func=situation_label, key=SITUATION_KEY
    )
    st.session_state[_LAST_SITUATION] = situation
    fields = situation_fields(situation)
    start = {**default_facts(situation), **remembered.get(situation, {})}
    if PROFESSION_KEY not in st.session_state:
        st.session_state[PROFESSION_KEY] = start["profession"]
    right.selectbox(
        field_label("profession"),
        fields["profession"],
        format_func=lambda v: value_label("profession", v),
        key=PROFESSION_KEY,
    )
    choices = [n for n, values in fields.items() if values != (False, True) and n != "profession"]
    flags = [n for n, values in fields.items() if values == (False, True)]
    columns = st.columns(2)
    for index, name in enumerate(choices):
        key = _key(situation, name)
        if key not in st.session_state:
            st.session_state[key] = start[name]
        columns[index % 2].selectbox(
            field_label(name),
            fields[name],
            format_func=lambda v, name=name: value_label(name, v),
            key=key,
        )
    columns = st.columns(2)
    for index, name in enumerate(flags):
        key = _key(situation, name)
        if key not in st.session_state:
            st.session_state[key] = start[name]
        columns[index % 2].checkbox(field_label(name), key=key)
    facts = {"situation": situation}
    facts.update({name: st.session_state[_key(situation, name)] for name in fields})
    remembered[situation] = dict(facts)
    return facts
