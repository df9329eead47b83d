"""The two building blocks of the law as code: a cited ``Rule`` and a ``Decision``.

A ``Rule`` is one unit a reviewer checks against its source: an id, the citation, and
a one-line summary. A ``Decision`` is what an exception family concludes for a set of
facts; the overlays and the explanation builder turn it into a ``Ruling``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from engine.ruling import RuleRef


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str
    summary: str

    def limited_by_state(self, state: str, allowed: str) -> Rule:
        """This federal permission where a state's statute lists fewer people who may be
        told: the more protective state law controls (45 CFR 160.203(b)), so the card must
        not invite the learner to tell someone the ruling forbids."""
        return Rule(
            self.id,
            f"{self.citation}; 45 CFR 160.203(b)",
            f"{self.summary} {state}'s statute is stricter and controls here: only {allowed} "
            "may be told.",
        )

    @cached_property
    def _ref(self) -> RuleRef:
        return RuleRef(id=self.id, citation=self.citation, summary=self.summary)

    def ref(self) -> RuleRef:
        """The ruling's view of this rule (built once per rule: rules are constants)."""
        return self._ref


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
    # steps that are sound here but neither required nor recommended: ticking them or not
    # changes nothing (every other unlisted step is "not called for here")
    optional_steps: list[str] = field(default_factory=list)
    # the required report may follow protective action taken now ("as soon as
    # practicable", N.Y. Mental Hygiene Law 9.46)
    report_may_follow: bool = False
    # recipients to whom more than the minimum is lawful but not best (HIPAA's minimum-
    # necessary rule does not govern treatment disclosures, 45 CFR 164.502(b)(2)(i))
    scope_exempt: list[str] = field(default_factory=list)

    def add_steps(self, *steps: str, required: bool = False) -> None:
        for step in steps:
            if step not in self.steps:
                self.steps.append(step)
            if required and step not in self.required_steps:
                self.required_steps.append(step)
            if step in self.optional_steps:
                self.optional_steps.remove(step)

    def make_optional(self, *steps: str) -> None:
        """Steps the ruling listed that turn out to be fine either way."""
        for step in steps:
            if step in self.steps:
                self.steps.remove(step)
            if step in self.required_steps:
                self.required_steps.remove(step)
        self.add_optional(*steps)

    def add_optional(self, *steps: str) -> None:
        """Mark steps as fine either way (ignored if already required or recommended)."""
        for step in steps:
            if step not in self.steps and step not in self.optional_steps:
                self.optional_steps.append(step)
