"""Confidentiality Lab's rules engine: facts in, a cited ruling and a score out.

Pure Python: no Streamlit here, so the CLI, the tests and the app share one engine.
"""

from engine.actions import Action, Score
from engine.checklist import checklist_for
from engine.core import rule, score
from engine.errors import InvalidInput
from engine.profiles import get_profile, law_reviewed, load_profiles
from engine.ruling import RuleRef, Ruling

__all__ = [
    "Action",
    "InvalidInput",
    "RuleRef",
    "Ruling",
    "Score",
    "checklist_for",
    "get_profile",
    "law_reviewed",
    "load_profiles",
    "rule",
    "score",
]
