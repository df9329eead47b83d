"""The shape of a scenario file (scenarios/README.md), as pydantic models.

Why pydantic with ``extra="forbid"`` and ``strict=True``: a misspelt key (``debreif``)
or a quoted value (``ending: "no"``, which lax parsing would read as ``False``) must be
a validation error, never a silently different vignette. The models check only the
file's own structure; ``facts`` and ``action`` stay plain mappings here because the
engine (``engine.facts.parse_facts``, ``engine.actions.parse_action``) owns their
vocabulary, and the validator reports the engine's errors with file and line.

A ``Scenario`` also answers the questions the app, the path tests and the branch map
ask (merged facts, the checklist at a decision, a choice's score), and caches scores so
a load scores each choice once.

A decision is two parts (ENGINE_CONTRACT.md, extended): the learner picks one option,
which is the *act* (whom to tell, if anyone, and how much), and ticks the *steps* that go
with it from the situation's checklist. An option may carry only the few steps that are
acts in themselves (``ACT_STEPS``: explaining the limits at intake, a safety plan, an
admission, more sessions); process steps (document, consult, verify, ...) are never
baked into an option.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr

from engine.actions import Score
from engine.checklist import checklist_for
from engine.core import rule as engine_rule
from engine.core import score as engine_score
from engine.vocabulary import STEPS, Category, Profession, Verdict

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
NODE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
# Steps that are acts in themselves, so an option may carry them (every other step is
# ticked from the checklist): what you tell a new client, and protective acts.
ACT_STEPS = frozenset(
    {"explain_limits", "safety_plan", "consider_hospitalization", "intensify_treatment"}
)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
NodeId = Annotated[str, Field(pattern=NODE_ID, max_length=80)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Choice(_Model):
    """One option at a decision node; the engine, not the author, decides its worth."""

    label: Text
    action: dict[str, Any]
    next: NodeId
    expect: Verdict | None = None
    feedback: Text | None = None


class Node(_Model):
    """A decision point (``facts`` + at least two ``choices``) or an ending (``debrief``)."""

    text: Text
    facts: dict[str, Any] | None = None
    choices: list[Choice] = []
    ending: bool = False
    debrief: Text | None = None


class Scenario(_Model):
    """One vignette: metadata shown in the library, and the graph of nodes."""

    id: Annotated[str, Field(pattern=SLUG, max_length=80)]
    title: Text
    summary: Text
    category: Category
    jurisdiction: str = "MODEL"
    profession: Profession | None = None
    difficulty: Annotated[int, Field(ge=1, le=3)]
    minutes: Annotated[int, Field(ge=1, le=60)]
    learning_objectives: Annotated[list[Text], Field(min_length=1)]
    content_note: Text | None = None
    tags: list[Text] = []
    start: NodeId
    nodes: dict[NodeId, Node]

    # (node_id, choice_index, jurisdiction override, ticked steps or None) -> Score
    _scores: dict[tuple[str, int, str | None, tuple[str, ...] | None], Score] = PrivateAttr(
        default_factory=dict
    )

    def override_for(self, jurisdiction: str | None) -> str | None:
        """The ``jurisdiction`` argument that plays this vignette under ``jurisdiction``:
        None for the vignette's own law, so nodes that set their own jurisdiction keep it.
        Everything that scores a saved choice (the app, the class reports, the exports)
        goes through here, so they all judge it as the learner's feedback did."""
        return None if jurisdiction in (None, self.jurisdiction) else jurisdiction

    def node_facts(self, node_id: str) -> dict[str, Any]:
        """The node's facts with the scenario's jurisdiction/profession as defaults.

        Returns ``{}`` for a node without facts (an ending).
        """
        facts = self.nodes[node_id].facts
        if facts is None:
            return {}
        return {**default_facts(self.jurisdiction, self.profession), **facts}

    def checklist(self, node_id: str) -> tuple[str, ...]:
        """The steps a learner may tick at this decision, in the vocabulary's order."""
        facts = self.nodes[node_id].facts or {}
        return checklist_for(str(facts.get("situation", "intake")))

    def ideal_steps(self, node_id: str, jurisdiction: str | None = None) -> tuple[str, ...]:
        """The steps the ruling asks for that the checklist offers: what a learner who
        knows the law ticks, whichever option they choose."""
        offered = set(self.checklist(node_id))
        listed = engine_rule(self.node_facts(node_id), jurisdiction).steps
        return tuple(step for step in listed if step in offered)

    def score_choice(
        self,
        node_id: str,
        choice_index: int,
        jurisdiction: str | None = None,
        steps: tuple[str, ...] | None = None,
    ) -> Score:
        """The engine's score for one option; ``jurisdiction`` overrides the facts' own.

        ``steps``: the steps the learner ticked. Without them, the option is scored with
        the ideal steps (``ideal_steps``): the worth of the act itself, which is what
        ``expect``, the paths, the branch map and the cue audit judge.

        Cached per scenario: the validator, the path tests and the app share one score.
        Raises ``engine.errors.InvalidInput`` (e.g. an unknown jurisdiction override).
        """
        key = (node_id, choice_index, jurisdiction, steps)
        if key not in self._scores:
            choice = self.nodes[node_id].choices[choice_index]
            ticked = self.ideal_steps(node_id, jurisdiction) if steps is None else steps
            carried = choice.action.get("steps", [])
            if not isinstance(carried, list) or not all(isinstance(c, str) for c in carried):
                # a malformed action: the engine's parser says why
                action = choice.action
            else:
                merged = set(carried) | set(ticked)
                action = {**choice.action, "steps": [s for s in STEPS if s in merged]}
            self._scores[key] = engine_score(action, self.node_facts(node_id), jurisdiction)
        return self._scores[key]

    def is_ending(self, node_id: str) -> bool:
        return self.nodes[node_id].ending

    def decision_nodes(self) -> list[str]:
        """Ids of the nodes that offer choices, in file order."""
        return [node_id for node_id, node in self.nodes.items() if node.choices]


def default_facts(jurisdiction: Any, profession: Any) -> dict[str, Any]:
    """What every node's facts inherit from the scenario (node values win)."""
    defaults: dict[str, Any] = {"jurisdiction": jurisdiction}
    if profession is not None:
        defaults["profession"] = profession
    return defaults
