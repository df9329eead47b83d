"""Scenario files: schema, safe loading, validation, path testing and the branch map.

The app needs only ``load_bank``: it returns every valid vignette and, for the broken
files, the same diagnostics ``python -m engine validate`` prints.
"""

from engine.scenarios.diagnostics import Diagnostic
from engine.scenarios.loader import Bank, load_bank
from engine.scenarios.schema import Choice, Node, Scenario

__all__ = ["Bank", "Choice", "Diagnostic", "Node", "Scenario", "load_bank"]
