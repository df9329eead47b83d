"""A learner's action and the score it earns, as typed models (ENGINE_CONTRACT.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from engine.errors import InvalidInput, describe_validation_error
from engine.ruling import Ruling
from engine.vocabulary import Act, ActionScope, Recipient, Step, Verdict


class Action(BaseModel):
    """What the learner chose: disclose (to whom, how much) or keep confidential, plus steps."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    act: Act
    to: tuple[Recipient, ...] = ()
    scope: ActionScope | None = None
    steps: tuple[Step, ...] = ()

    @model_validator(mode="after")
    def _recipients_match_act(self) -> Action:
        if self.act == "disclose" and not self.to:
            raise ValueError("to: a disclosure needs at least one recipient")
        if self.act == "keep_confidential" and self.to:
            raise ValueError("to: keep_confidential discloses to no one; remove 'to'")
        return self

    @property
    def effective_scope(self) -> str:
        """An unstated scope on a disclosure means 'only what is needed'."""
        if self.act == "keep_confidential":
            return "none"
        return self.scope if self.scope not in (None, "none") else "minimum_necessary"


class StepReview(BaseModel):
    """One step as the ruling sees it, and whether the learner took it.

    ``status``: ``required`` or ``recommended`` (the ruling lists it), ``protective`` (part
    of a discharge option or a protective alternative), ``optional`` (fine either way) or
    ``not_called_for`` (ticked, but nothing here asks for it).
    """

    model_config = ConfigDict(frozen=True)

    step: Step
    status: Literal["required", "recommended", "protective", "optional", "not_called_for"]
    ticked: bool


class Score(BaseModel):
    model_config = ConfigDict(frozen=True)

    points: int
    verdict: Verdict
    feedback: str
    errors: list[str]
    messages: list[str] = []
    step_review: list[StepReview] = []
    ruling: Ruling | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(exclude={"ruling"})


def parse_action(raw: Any) -> Action:
    """Validate an action mapping; raise InvalidInput naming the field and allowed values."""
    if isinstance(raw, Action):
        return raw
    if not isinstance(raw, dict):
        raise InvalidInput(f"action: expected a mapping with 'act', got {type(raw).__name__}")
    try:
        return Action.model_validate(raw)
    except ValidationError as exc:
        message = describe_validation_error(exc, prefix="action", models={"action": Action})
        raise InvalidInput(message) from None
