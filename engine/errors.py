"""One error type for bad input, and a one-line rendering of pydantic's errors.

The CLI prints these on one line and exits 2; the scenario validator puts them in its
diagnostics. A learner-facing author needs the field and the allowed values, not a
pydantic traceback.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, ValidationError


class InvalidInput(ValueError):
    """Facts, an action or a jurisdiction that the contract does not allow."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _allowed_fields(model: type[BaseModel] | None) -> str:
    if model is None:
        return ""
    names = [name for name in model.model_fields if name != "situation"]
    return "; allowed fields: " + ", ".join(names) if names else "; no other fields allowed"


def _allowed_values(model: type[BaseModel] | None, field: str) -> str:
    if model is None or field not in model.model_fields:
        return ""
    values = get_args(model.model_fields[field].annotation)
    return "; allowed values: " + ", ".join(map(repr, values)) if values else ""


def describe_error(err: dict[str, Any], models: dict[str, type[BaseModel]]) -> tuple[str, str]:
    """Return (dotted field path, what is wrong) for one pydantic error dict.

    ``models`` maps a discriminator tag (the situation) to its model, so an unknown
    field can be answered with the fields that situation does allow.
    """
    loc = [str(part) for part in err.get("loc", ())]
    union = len(models) > 1
    model = None if union else next(iter(models.values()), None)
    if union and loc and loc[0] in models:  # discriminated union: the first step is the tag
        model = models[loc[0]]
        loc = loc[1:]
    field = ".".join(loc) or ("situation" if union else "")
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "extra_forbidden":
        what = f"unknown field{_allowed_fields(model)}"
    elif kind == "literal_error":
        what = f"{value!r} is not allowed; allowed values: {ctx.get('expected')}"
    elif kind == "union_tag_invalid":
        field = ctx.get("discriminator", "'situation'").strip("'")
        what = f"{ctx.get('tag')!r} is not allowed; allowed values: {ctx.get('expected_tags')}"
    elif kind == "union_tag_not_found":
        field = ctx.get("discriminator", "'situation'").strip("'")
        what = "required field missing; allowed values: " + ", ".join(sorted(models))
    elif kind == "missing":
        what = "required field missing" + _allowed_values(model, field)
    elif kind == "value_error":
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        named, _, rest = message.partition(": ")
        field, what = (named, rest) if rest and " " not in named else (field, message)
    else:
        what = err.get("msg", "invalid value")
    return field, what


def describe_validation_error(
    exc: ValidationError, prefix: str, models: dict[str, type[BaseModel]] | None = None
) -> str:
    """All of a ValidationError's problems on one line, each naming its field."""
    if models is None:
        from engine.facts import FACT_MODELS

        models = dict(FACT_MODELS)
    parts = []
    for err in exc.errors():
        field, what = describe_error(dict(err), models)
        parts.append(f"{prefix}.{field}: {what}" if field else f"{prefix}: {what}")
    return "; ".join(parts)
