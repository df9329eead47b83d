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
class ChildReport:
    """A state's child-abuse reporting statute as far as it was confirmed: the duty comes
    from state law (CAPTA only conditions federal funding, RULES.md 11A)."""

    statute: str
    agencies: tuple[str, ...]  # child_protective_services and/or law_enforcement
    how: str  # to whom and how fast, in words
    adult_survivor_statute: str  # a statute on adults' disclosures of childhood abuse


@dataclass(frozen=True)
class Privilege:
    """A state's psychotherapist-patient privilege as far as it was confirmed: state courts
    apply state privilege law (Jaffee v. Redmond governs federal courts only)."""

    statute: str
    patient_litigant_statute: str
    subpoena_rule: str  # a learner-facing sentence where the state adds to the usual rule


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
    property_threats: bool  # a threat to (real) property triggers the duty (New Hampshire)
    groups_count: str  # yes | no | unclear: a victim identifiable only by group or place
    caveat: str  # a learner-facing sentence with its citation, shown with the duty
    reviewed: str
    basis: str
    # parsed
    discharge_options: tuple[tuple[str, ...], ...]
    discharge_open_ended: bool
    # what discharges the duty when the victim cannot be reached (empty: no change)
    unreachable_options: tuple[tuple[str, ...], ...]
    # child-abuse reporting (law/child_abuse_reporting.csv); empty where not confirmed
    child_report: ChildReport | None = None
    adult_report: ChildReport | None = None  # law/adult_abuse_reporting.csv (same shape)
    privilege: Privilege | None = None  # law/privilege.csv; None where not confirmed

    @property
    def verified(self) -> bool:
        """Only statute text read by the researchers counts (MODEL rests on HIPAA itself)."""
        return self.code == MODEL or self.verification == "statute_text"

    @property
    def citation(self) -> str:
        return "; ".join(part for part in (self.statute_citation, self.case_law) if part)

    def covers(self, profession: str) -> bool:
        return profession in self.professions


def parse_discharge_rule(
    rule: str, tokens: dict[str, tuple[str, ...]] | None = None
) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """Parse a discharge rule into its alternatives (disjunctive normal form).

    ``+`` is "all of", ``|`` is "any one of", parentheses group (RULES.md 12), so New
    Jersey's ``notify_police+(hospitalize|notify_police|warn_victim)`` becomes three
    alternatives that each include the police. ``tokens`` overrides what a CSV token
    means for one state (Ohio's treatment plan needs a second opinion). Returns the
    alternatives in the contract's vocabulary and whether the statute also accepts
    open-ended "other reasonable precautions".
    """
    mapping = {token: ((item,) if item else ()) for token, item in DISCHARGE_TOKENS.items()}
    mapping.update(tokens or {})
    parser = _RuleParser(rule, mapping)
    alternatives = parser.parse()
    out: list[tuple[str, ...]] = []
    for alternative in alternatives:
        items = tuple(dict.fromkeys(alternative))
        if items and items not in out:
            out.append(items)
    return tuple(out), parser.open_ended


class _RuleParser:
    """A tiny recursive-descent parser: expr := term ('|' term)*; term := atom ('+' atom)*."""

    def __init__(self, text: str, mapping: dict[str, tuple[str, ...]]) -> None:
        self.text = text
        self.tokens = re.findall(r"[A-Za-z_]+|[+|()]", text)
        self.at = 0
        self.mapping = mapping
        self.open_ended = False

    def parse(self) -> list[tuple[str, ...]]:
        result = self._expr()
        if self.at != len(self.tokens):
            raise ValueError(f"unexpected {self.tokens[self.at]!r} in discharge rule {self.text!r}")
        return result

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _expr(self) -> list[tuple[str, ...]]:
        alternatives = self._term()
        while self._peek() == "|":
            self.at += 1
            alternatives = alternatives + self._term()
        return alternatives

    def _term(self) -> list[tuple[str, ...]]:
        alternatives: list[tuple[str, ...]] = [()]
        while True:
            atom = self._atom()
            alternatives = [left + right for left in alternatives for right in atom]
            if self._peek() != "+":
                return alternatives
            self.at += 1

    def _atom(self) -> list[tuple[str, ...]]:
        token = self._peek()
        if token == "(":
            self.at += 1
            inner = self._expr()
            if self._peek() != ")":
                raise ValueError(f"unclosed '(' in discharge rule {self.text!r}")
            self.at += 1
            return inner
        if token is None or token not in self.mapping:
            raise ValueError(f"unknown discharge token {token!r} in rule {self.text!r}")
        self.at += 1
        if token == "other_reasonable_precautions":
            self.open_ended = True
        return [self.mapping[token]]


def _discharge_from_row(
    row: dict[str, str], tokens: dict[str, tuple[str, ...]]
) -> tuple[tuple[tuple[str, ...], ...], bool]:
    """Use ``discharge_rule`` where known, else ``discharge_options`` + ``discharge_logic``."""
    if row["discharge_rule"].strip():
        return parse_discharge_rule(row["discharge_rule"], tokens)
    names = [t for t in re.split(r"[;\s]+", row["discharge_options"]) if t]
    if not names:
        return (), False
    joiner = "+" if row["discharge_logic"] == "all" else "|"
    return parse_discharge_rule(joiner.join(names), tokens)


def _token_overrides(value: str) -> dict[str, tuple[str, ...]]:
    """``treatment_plan=intensify_treatment+consult`` -> {token: (item, ...)}."""
    out: dict[str, tuple[str, ...]] = {}
    for part in filter(None, (p.strip() for p in value.split(";"))):
        token, _, items = part.partition("=")
        if token.strip() not in DISCHARGE_TOKENS or not items:
            raise ValueError(f"duty_elements.csv: bad token override {part!r}")
        out[token.strip()] = tuple(i.strip() for i in items.split("+") if i.strip())
    return out


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
    child = {
        row["code"]: ChildReport(
            statute=row["statute"],
            agencies=tuple(a for a in row["agencies"].split(";") if a),
            how=row["how"],
            adult_survivor_statute=row["adult_survivor_statute"],
        )
        for row in _read_csv("child_abuse_reporting.csv")
    }
    adult = {
        row["code"]: ChildReport(
            statute=row["statute"],
            agencies=tuple(a for a in row["agencies"].split(";") if a),
            how=row["how"],
            adult_survivor_statute="",
        )
        for row in _read_csv("adult_abuse_reporting.csv")
    }
    privilege = {
        row["code"]: Privilege(
            statute=row["privilege_statute"],
            patient_litigant_statute=row["patient_litigant_statute"],
            subpoena_rule=row["subpoena_rule"],
        )
        for row in _read_csv("privilege.csv")
    }
    rows = _read_csv("model_profile.csv") + [
        row for row in _read_csv("jurisdictions.csv") if row["code"].startswith("US-")
    ]
    profiles: dict[str, Profile] = {}
    for row in rows:
        code = row["code"]
        if code not in elements:
            raise ValueError(f"duty_elements.csv has no row for {code}")
        extra = elements[code]
        tokens = _token_overrides(extra["token_overrides"])
        options, open_ended = _discharge_from_row(row, tokens)
        unreachable = extra["unreachable_rule"].strip()
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
            property_threats=extra["property_threats"] == "yes",
            groups_count=extra["groups_count"],
            caveat=extra["caveat"].strip(),
            reviewed=extra["reviewed"],
            basis=extra["basis"],
            discharge_options=options,
            discharge_open_ended=open_ended,
            unreachable_options=parse_discharge_rule(unreachable, tokens)[0] if unreachable else (),
            child_report=child.get(code),
            adult_report=adult.get(code),
            privilege=privilege.get(code),
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
