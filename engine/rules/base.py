"""The two building blocks of the law as code: a cited ``Rule`` and a ``Decision``.

A ``Rule`` is one unit a reviewer checks against its source: an id, the citation, and
a one-line summary. A ``Decision`` is what an exception family concludes for a set of
facts; the overlays and the explanation builder turn it into a ``Ruling``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.ruling import RuleRef


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str
    summary: str

    def ref(self) -> RuleRef:
        return RuleRef(id=self.id, citation=self.citation, summary=self.summary)


@dataclass
class Decision:
    """An exception family's conclusion, before the overlays.

    ``reasons`` are plain-language sentences for the learner, in the order the law
    reasons: what applies, what it requires, and where this jurisdiction differs.
    """

    category: str
    obligation: str
    rules: list[Rule]
    reasons: list[str]
    recipients: list[str] = field(default_factory=list)
    scope: str = "none"
    steps: list[str] = field(default_factory=list)
    required_steps: list[str] = field(default_factory=list)
    discharge_options: list[list[str]] | None = None
    report_options: list[list[str]] | None = None
    also_permitted: list[str] = field(default_factory=list)
    preferred_act: str | None = None
    protective_steps: list[str] = field(default_factory=list)
    fallback_to_model: bool = False

    def add_steps(self, *steps: str, required: bool = False) -> None:
        for step in steps:
            if step not in self.steps:
                self.steps.append(step)
            if required and step not in self.required_steps:
                self.required_steps.append(step)
