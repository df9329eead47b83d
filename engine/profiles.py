"""Jurisdiction profiles, built from data files only.

``law/jurisdictions.csv`` is the research team's table (a verbatim copy of
``shared/domain/jurisdictions.csv``); ``law/duty_elements.csv`` turns its free-text
trigger columns into values the rules compute with; ``law/model_profile.csv`` is the
jurisdiction-neutral MODEL row. Correcting a state means editing a row, never code
(the OpenFisca habit: parameters per jurisdiction, one formula for all).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from engine.errors import InvalidInput
from engine.vocabulary import PROFESSIONS, STEPS

LAW_DIR = Path(__file__).parent / "law"
MODEL = "MODEL"

# CSV discharge vocabulary (RULES.md 2.3) -> the contract's recipients and steps.
# Tokens mapped to None apply only in special cases the facts cannot express (a minor
# victim, "other reasonable precautions"); the ruling's explanation mentions them.
DISCHARGE_TOKENS: dict[str, str | None] = {
    "warn_victim": "intended_victim",
    "notify_police": "law_enforcement",
    "hospitalize": "consider_hospitalization",
    "crisis_hold": "consider_hospitalization",
    "treatment_plan": "intensify_treatment",
    "report_county_mh_director": "mental_health_authority",
    "notify_parent_of_minor_victim": None,
    "notify_parent_of_minor_patient": None,
    "other_reasonable_precautions": None,
}
# HIPAA 164.512(j): anyone reasonably able to prevent or lessen the threat (the target,
# police, emergency services, family able to help, a hospital or treating clinician).
HIPAA_DANGER_RECIPIENTS = (
    "intended_victim",
    "law_enforcement",
    "emergency_services",
    "family",
    "treating_provider",
)


@dataclass(frozen=True)
class Profile:
    """Everything the rules need to know about one jurisdiction."""

    code: str
    name: str
    duty_to_protect: str  # mandatory | permissive | none | unclear
    statute_citation: str
    case_law: str
    professions_covered: str
    trigger_summary: str
    victim_requirement: str
    discharge_rule_text: str
    elder_abuse_reporting: str  # mandatory | permissive | unclear
    verification: str
    source_note: str
    # structured duty elements (duty_elements.csv)
    trigger_kind: str
    third_party_reports: str
    victim_required: str
    imminence_required: str
    intent_and_ability: bool
    professions: frozenset[str]
    self_harm_rule: str
    permitted_recipients: tuple[str, ...]
    reviewed: str
    basis: str
    # parsed
    discharge_options: tuple[tuple[str, ...], ...]
    discharge_open_ended: bool

    @property
    def verified(self) -> bool:
        """Only statute text read by the researchers counts (MODEL rests on HIPAA itself)."""
        return self.code == MODEL or self.verification == "statute_text"

    @property
    def citation(self) -> str:
        return "; ".join(part for part in (self.statute_citation, self.case_law) if part)

    def covers(self, profession: str) -> bool:
        return profession in self.professions


def parse_discharge_rule(rule: str) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """Parse ``(warn_victim+notify_police)|hospitalize`` into alternatives.

    Returns the alternatives in the contract's vocabulary and whether the statute also
    accepts open-ended "other reasonable precautions".
    """
    alternatives: list[tuple[str, ...]] = []
    open_ended = False
    for alternative in _split_top_level(rule, "|"):
        parts: list[str] = []
        for token in alternative.strip().strip("()").split("+"):
            token = token.strip()
            if token not in DISCHARGE_TOKENS:
                raise ValueError(f"unknown discharge token {token!r} in rule {rule!r}")
            mapped = DISCHARGE_TOKENS[token]
            if token == "other_reasonable_precautions":
                open_ended = True
            if mapped and mapped not in parts:
                parts.append(mapped)
        if parts and tuple(parts) not in alternatives:
            alternatives.append(tuple(parts))
    return tuple(alternatives), open_ended


def _split_top_level(text: str, sep: str) -> list[str]:
    depth, current, out = 0, "", []
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == sep and depth == 0:
            out.append(current)
            current = ""
        else:
            current += char
    if current.strip():
        out.append(current)
    return out


def _discharge_from_row(row: dict[str, str]) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """Use ``discharge_rule`` where known, else ``discharge_options`` + ``discharge_logic``."""
    if row["discharge_rule"].strip():
        return parse_discharge_rule(row["discharge_rule"])
    tokens = [t for t in re.split(r"[;\s]+", row["discharge_options"]) if t]
    if not tokens:
        return (), False
    joiner = "+" if row["discharge_logic"] == "all" else "|"
    return parse_discharge_rule(joiner.join(tokens))


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(LAW_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _professions(value: str) -> frozenset[str]:
    if value.strip() in ("", "all"):
        return frozenset(PROFESSIONS)
    chosen = frozenset(p.strip() for p in value.split(";") if p.strip())
    unknown = chosen - set(PROFESSIONS)
    if unknown:
        raise ValueError(f"duty_elements.csv: unknown profession(s) {sorted(unknown)}")
    return chosen


def _permitted(value: str) -> tuple[str, ...]:
    if value.strip() in ("", "hipaa"):
        return HIPAA_DANGER_RECIPIENTS
    return tuple(p.strip() for p in value.split(";") if p.strip())


@cache
def load_profiles() -> dict[str, Profile]:
    """All profiles keyed by code: MODEL first, then the US states and DC.

    Rows whose code is not ``US-XX`` (Canada, England and Wales) are optional in the
    research table and are left out until the engine teaches non-US law.
    """
    elements = {row["code"]: row for row in _read_csv("duty_elements.csv")}
    rows = _read_csv("model_profile.csv") + [
        row for row in _read_csv("jurisdictions.csv") if row["code"].startswith("US-")
    ]
    profiles: dict[str, Profile] = {}
    for row in rows:
        code = row["code"]
        if code not in elements:
            raise ValueError(f"duty_elements.csv has no row for {code}")
        extra = elements[code]
        options, open_ended = _discharge_from_row(row)
        profiles[code] = Profile(
            code=code,
            name=row["name"],
            duty_to_protect=row["duty_to_protect"],
            statute_citation=row["statute_citation"],
            case_law=row["case_law"],
            professions_covered=row["professions_covered"],
            trigger_summary=row["trigger_summary"],
            victim_requirement=row["victim_requirement"],
            discharge_rule_text=row["discharge_rule"] or row["discharge_options"],
            elder_abuse_reporting=row["elder_abuse_reporting"],
            verification=row["verification"],
            source_note=row["source_note"],
            trigger_kind=extra["trigger_kind"],
            third_party_reports=extra["third_party_reports"],
            victim_required=extra["victim_required"],
            imminence_required=extra["imminence_required"],
            intent_and_ability=extra["intent_and_ability"] == "yes",
            professions=_professions(extra["professions"]),
            self_harm_rule=extra["self_harm_rule"].strip(),
            permitted_recipients=_permitted(extra["permitted_recipients"]),
            reviewed=extra["reviewed"],
            basis=extra["basis"],
            discharge_options=options,
            discharge_open_ended=open_ended,
        )
    return profiles


def get_profile(code: str) -> Profile:
    """The profile for ``code``; an unknown code lists the known ones."""
    profiles = load_profiles()
    if code not in profiles:
        known = ", ".join(profiles)
        raise InvalidInput(
            f"jurisdiction: unknown code {code!r}; known codes: {known}", field="jurisdiction"
        )
    return profiles[code]


def law_reviewed() -> str:
    """The most recent review date across profiles: what the product shows learners."""
    return max(p.reviewed for p in load_profiles().values())


def is_step(item: str) -> bool:
    return item in STEPS
