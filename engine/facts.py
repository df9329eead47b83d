"""Facts: what a scenario author (or the CLI user) says happened, as typed models.

One model per ``situation``; a field that the situation does not list is an error, so a
typo in a scenario file can never silently change a ruling. Defaults follow
ENGINE_CONTRACT.md (booleans false, the starred values otherwise).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from engine.errors import InvalidInput, describe_validation_error
from engine.vocabulary import (
    AbuseType,
    Authorization,
    Basis,
    CommunicatedBy,
    Harm,
    Imminence,
    Instrument,
    Intent,
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
    """Fields every situation shares. Frozen so a facts object can key a cache."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    jurisdiction: str = "MODEL"
    profession: Profession = "psychologist"


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


class ThreatToSelf(_FactsBase):
    situation: Literal["threat_to_self"]
    imminence: Imminence = "remote"
    intent: Intent = "ambiguous"
    plan: bool = False
    means: bool = False
    accepts_safety_plan: bool = False


class Abuse(_FactsBase):
    situation: Literal["abuse"]
    victim_group: VictimGroup
    timing: Timing = "current"
    victim_now_adult: bool = False
    others_at_risk: bool = False
    basis: Basis = "disclosure"
    suspicion: Suspicion = "reasonable"
    abuse_type: AbuseType = "physical"


class LegalProcess(_FactsBase):
    situation: Literal["legal_process"]
    instrument: Instrument
    authorization: Authorization = "none"
    records: Records = "general"
    satisfactory_assurance: bool = False
    patient_litigant: bool = False


class DisclosureRequest(_FactsBase):
    situation: Literal["disclosure_request"]
    requester: Requester
    authorization: Authorization = "none"
    purpose: Purpose = "other"
    records: Records = "general"


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
