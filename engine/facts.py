"""Facts: what a scenario author (or the CLI user) says happened, as typed models.

One model per ``situation``; a field that the situation does not list is an error, so a
typo in a scenario file can never silently change a ruling. Defaults follow
ENGINE_CONTRACT.md (booleans false, the starred values otherwise).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from engine.errors import InvalidInput, describe_validation_error
from engine.vocabulary import (
    AbuseType,
    Authorization,
    Basis,
    ClientStatus,
    CommunicatedBy,
    Harm,
    Imminence,
    Instrument,
    Intent,
    OrderNames,
    ParentRole,
    Profession,
    Purpose,
    Records,
    Requester,
    Suspicion,
    Timing,
    Victim,
    VictimGroup,
)


class _FactsBase(BaseModel):
    """Fields every situation shares. Frozen so a facts object can key a cache.

    ``records`` is valid everywhere (42 CFR Part 2 and FERPA records change the answer in
    every situation), defaulting to ordinary health records.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    jurisdiction: str = "MODEL"
    profession: Profession = "psychologist"
    records: Records = "general"


def _only_when(condition: bool, field: str, message: str) -> None:
    """A field that means something only alongside another value is an error elsewhere,
    so a scenario can never carry a fact the engine silently ignores."""
    if not condition:
        raise ValueError(f"{field}: {message}")


class ThreatToOthers(_FactsBase):
    situation: Literal["threat_to_others"]
    communicated_by: CommunicatedBy = "client"
    harm: Harm = "serious_physical"
    victim: Victim = "unidentifiable"
    imminence: Imminence = "remote"
    intent: Intent = "ambiguous"
    plan: bool = False
    means: bool = False
    history_of_violence: bool = False
    # False: reasonable efforts to reach the person threatened have failed (Minnesota
    # then sends the warning to the police, Minn. Stat. 148.975).
    victim_reachable: bool = True
    # An unlicensed trainee or intern (Expose v. Thad Wilderson & Assocs., Minn. 2016).
    trainee: bool = False

    @model_validator(mode="after")
    def _reachable_needs_a_victim(self) -> ThreatToOthers:
        _only_when(
            self.victim_reachable or self.victim != "unidentifiable",
            "victim_reachable",
            "false applies only to a victim who can be identified; "
            "with victim 'unidentifiable' leave it out",
        )
        return self


class ThreatToSelf(_FactsBase):
    situation: Literal["threat_to_self"]
    imminence: Imminence = "remote"
    intent: Intent = "ambiguous"
    plan: bool = False
    means: bool = False
    accepts_safety_plan: bool = False
    trainee: bool = False
    # A terminally ill client considering hastening their death (ACA Code of Ethics B.2.b).
    end_of_life: bool = False


class Abuse(_FactsBase):
    situation: Literal["abuse"]
    victim_group: VictimGroup
    timing: Timing = "current"
    victim_now_adult: bool = False
    others_at_risk: bool = False
    basis: Basis = "disclosure"
    suspicion: Suspicion = "reasonable"
    abuse_type: AbuseType = "physical"

    @model_validator(mode="after")
    def _peer_activity_is_about_minors(self) -> Abuse:
        _only_when(
            self.abuse_type != "peer_sexual_activity" or self.victim_group == "child",
            "abuse_type",
            "'peer_sexual_activity' applies only with victim_group 'child'",
        )
        # "Now an adult" is the adult survivor of childhood abuse: abuse in the past, of
        # someone then a child (the group says who they are now: child or adult). Of an
        # elder or a dependent adult it is literally true and meant nothing, yet it sent
        # current elder abuse down the adult-survivor path (found by the explorer).
        _only_when(
            not self.victim_now_adult
            or (self.timing == "past" and self.victim_group in ("child", "adult")),
            "victim_now_adult",
            "true applies only to past abuse with victim_group 'child' or 'adult'",
        )
        return self


class LegalProcess(_FactsBase):
    situation: Literal["legal_process"]
    instrument: Instrument
    authorization: Authorization = "none"
    satisfactory_assurance: bool = False
    patient_litigant: bool = False
    # The order meets 42 CFR Part 2 Subpart E (2.61-2.67): findings, notice, limits.
    part2_order: bool = False
    # The client has sued the clinician or filed a complaint against them.
    client_sued_therapist: bool = False
    # Whom the court order directs the records to (default: either, as most orders allow).
    order_names: OrderNames = "either"

    @model_validator(mode="after")
    def _part2_order_is_a_court_order_for_part2_records(self) -> LegalProcess:
        _only_when(
            not self.part2_order
            or (self.instrument == "court_order" and self.records == "substance_use_program"),
            "part2_order",
            "true applies only to a court_order for substance_use_program records",
        )
        _only_when(
            self.order_names == "either" or self.instrument == "court_order",
            "order_names",
            "applies only when instrument is 'court_order'",
        )
        return self


class DisclosureRequest(_FactsBase):
    situation: Literal["disclosure_request"]
    requester: Requester
    authorization: Authorization = "none"
    purpose: Purpose = "other"
    parent_role: ParentRole = "personal_representative"
    client_status: ClientStatus = "present"
    # Police ask about a crime on a Part 2 program's premises or against its staff.
    on_program_premises: bool = False

    @model_validator(mode="after")
    def _conditional_fields(self) -> DisclosureRequest:
        _only_when(
            self.parent_role == "personal_representative" or self.requester == "parent",
            "parent_role",
            "applies only when requester is 'parent'",
        )
        _only_when(
            self.client_status == "present" or self.requester == "family",
            "client_status",
            "applies only when requester is 'family'",
        )
        _only_when(
            not self.on_program_premises
            or (self.requester == "law_enforcement" and self.records == "substance_use_program"),
            "on_program_premises",
            "true applies only to a law_enforcement request about substance_use_program records",
        )
        return self


class Intake(_FactsBase):
    situation: Literal["intake"]


Facts = Annotated[
    ThreatToOthers | ThreatToSelf | Abuse | LegalProcess | DisclosureRequest | Intake,
    Field(discriminator="situation"),
]
FACT_MODELS: dict[str, type[_FactsBase]] = {
    "threat_to_others": ThreatToOthers,
    "threat_to_self": ThreatToSelf,
    "abuse": Abuse,
    "legal_process": LegalProcess,
    "disclosure_request": DisclosureRequest,
    "intake": Intake,
}
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Facts)


def parse_facts(raw: Any) -> _FactsBase:
    """Validate a facts mapping; raise InvalidInput naming the field and allowed values."""
    if isinstance(raw, _FactsBase):
        return raw
    if not isinstance(raw, dict):
        raise InvalidInput(
            f"facts: expected a mapping with a 'situation', got {type(raw).__name__}"
        )
    try:
        return _ADAPTER.validate_python(raw)
    except ValidationError as exc:
        raise InvalidInput(describe_validation_error(exc, prefix="facts")) from None
