"""The whole fact space, derived from the models themselves (so a new field is covered).

Every combination of every situation's fields; combinations the models refuse (a field
that applies only alongside another value, such as ``parent_role`` without a parent
asking) are not facts and are left out by ``valid_facts``. Used by the property sweep
and by bench/engine_bench.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any, Literal, get_args, get_origin

from engine.errors import InvalidInput
from engine.facts import FACT_MODELS, parse_facts

SHARED = ("jurisdiction", "profession", "situation")


def field_values(annotation: Any) -> tuple[Any, ...]:
    """Every value a Literal or bool field can take."""
    if annotation is bool:
        return (False, True)
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    raise TypeError(f"no finite value set for {annotation!r}")


def situation_fields(situation: str) -> dict[str, tuple[Any, ...]]:
    model = FACT_MODELS[situation]
    return {
        name: field_values(info.annotation)
        for name, info in model.model_fields.items()
        if name not in SHARED
    }


def all_facts(professions: tuple[str, ...] = ("psychologist",)) -> Iterator[dict[str, Any]]:
    """Every facts object (one jurisdiction-free dict per combination)."""
    for situation in FACT_MODELS:
        fields = situation_fields(situation)
        names = list(fields)
        for profession in professions:
            for combo in itertools.product(*(fields[n] for n in names)):
                yield {
                    "situation": situation,
                    "profession": profession,
                    **dict(zip(names, combo, strict=False)),
                }


def valid_facts(professions: tuple[str, ...] = ("psychologist",)) -> list[dict[str, Any]]:
    """Every facts object the engine accepts (``all_facts`` minus refused combinations)."""
    out = []
    for facts in all_facts(professions):
        try:
            parse_facts(facts)
        except InvalidInput:
            continue
        out.append(facts)
    return out
