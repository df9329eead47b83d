"""The law explorer's questions, answered by the engine: one situation under every
jurisdiction, and the single facts that would change a jurisdiction's answer.

Why here and not in the app: "what would change the answer" is law (it is computed by
ruling the neighbouring facts, never written by hand), so the app, the CLI and the tests
must all get the same answer from one place. Both functions are pure and rely on
``engine.rule``'s cache, so asking twice costs almost nothing.
"""

from __future__ import annotations

from typing import Any, Literal, get_args, get_origin

from engine.core import rule
from engine.errors import InvalidInput
from engine.facts import FACT_MODELS, parse_facts
from engine.profiles import get_profile, load_profiles

# Fields every situation carries that are not facts of the situation: where it happens
# (the explorer varies that across the map) and which situation it is (changing it is a
# different case, not a neighbouring fact).
NOT_VARIED = ("jurisdiction", "situation")
# Fields every situation shares come after the situation's own, so the list reads like the
# case: the kind of records, then the clinician's profession ("if you were a counselor"),
# which changes an answer only where a statute covers some licensees.
LAST = ("records", "profession")


def field_values(annotation: Any) -> tuple[Any, ...]:
    """Every value a Literal or bool field can take (as tests/engine/fact_space.py does)."""
    if annotation is bool:
        return (False, True)
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    raise TypeError(f"no finite value set for {annotation!r}")


def situation_fields(situation: str) -> dict[str, tuple[Any, ...]]:
    """The facts a situation has and the values each can take, in a stable order: the
    situation's own fields as the model declares them, then records and profession.

    Derived from the pydantic models, so a field added to the engine appears in the
    explorer (and in its counterfactuals) without touching this module.
    """
    if situation not in FACT_MODELS:
        raise InvalidInput(
            f"facts.situation: {situation!r} is not allowed; allowed values: "
            + ", ".join(map(repr, FACT_MODELS)),
            field="situation",
        )
    model = FACT_MODELS[situation]
    names = [n for n in model.model_fields if n not in NOT_VARIED and n not in LAST]
    names += [n for n in LAST if n in model.model_fields]
    return {name: field_values(model.model_fields[name].annotation) for name in names}


def compare(facts: dict[str, Any] | Any) -> list[dict[str, Any]]:
    """One row per jurisdiction profile (``load_profiles()`` order: MODEL, then the states
    and DC) with the ruling's obligation and who may or must be told.

    The facts' own ``jurisdiction`` is ignored: the point is the same facts everywhere.
    ``verified`` travels with every row because a map that hid which answers rest on
    secondary sources would overstate them. Raises ``InvalidInput`` for bad facts.
    """
    parsed = parse_facts(facts)
    rows = []
    for code, profile in load_profiles().items():
        ruling = rule(parsed, code)
        rows.append(
            {
                "code": code,
                "name": profile.name,
                "verified": ruling.verified,
                "obligation": ruling.obligation,
                "recipients": list(ruling.recipients),
                "discharge_options": ruling.discharge_options,
                "scope": ruling.scope,
                "law_reviewed": ruling.law_reviewed,
            }
        )
    return rows


def counterfactuals(
    facts: dict[str, Any] | Any, jurisdiction: str | None = None
) -> list[dict[str, Any]]:
    """The single-fact changes that change the obligation in ``jurisdiction`` (default:
    the facts' own).

    Every other value of every field of the situation is tried, one field at a time
    (the smallest change a learner can make); combinations the models refuse (a field
    that applies only alongside another value) are not facts and are skipped. Only the
    changes whose obligation differs are kept, in field order, then value order, so the
    list is stable and reads like the form. Each item is ``{field, from, to,
    obligation_before, obligation_after}``. Raises ``InvalidInput`` for bad facts or an
    unknown jurisdiction.
    """
    parsed = parse_facts(facts)
    code = jurisdiction or parsed.jurisdiction
    get_profile(code)  # an unknown code lists the known ones
    base = parsed.model_dump()
    before = rule(parsed, code).obligation
    out: list[dict[str, Any]] = []
    for name, values in situation_fields(parsed.situation).items():
        current = base[name]
        for value in values:
            if value == current:
                continue
            try:
                changed = parse_facts({**base, name: value})
            except InvalidInput:
                continue
            after = rule(changed, code).obligation
            if after != before:
                out.append(
                    {
                        "field": name,
                        "from": current,
                        "to": value,
                        "obligation_before": before,
                        "obligation_after": after,
                    }
                )
    return out
