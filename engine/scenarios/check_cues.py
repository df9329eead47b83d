"""The cue audit: can a decision be answered from its wording instead of the law?

A test-wise learner picks the longest option, or the one that names a process step
("document", "consult"), or ticks every box. None of that may pay. Two levels:

* per decision (CL054-CL057, reported against the file): enough options; labels that name
  no process step and carry none; labels alike in length;
* over the bank (CL060-CL065, reported against the folder, with the figures printed by
  ``python -m engine validate``): how often the best option is the longest, process words
  in best labels against the others, what a longest-label guesser and a tick-everything
  guesser score against chance, options per decision, and how often "send the whole
  chart" is offered.

An option's worth here is its *act*: the option scored with the steps the law asks for
(``Scenario.score_choice`` without ticked steps). Chance is a random option with each
checklist box ticked or not at random, averaged exactly over every combination.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.scenarios.diagnostics import Report
from engine.scenarios.schema import ACT_STEPS, Scenario

# Words that name a process step. An option names the act (whom to tell, and how much);
# the steps are ticked in the checklist.
PROCESS_WORDS = re.compile(
    r"\b(document\w*|consult\w*|supervis\w*|legal advice|risk line|assess\w*|verif\w*|"
    r"authori[sz]ation\w*|authori[sz]e\w*|privilege\w*|write (?:it|this|that) up|chart note|"
    r"take notes?|notes? (?:it|that|the call)|"
    r"(?:call|ask|phone|get|see|check with) (?:an?|your|my|our) (?:attorney|lawyer|counsel)|"
    r"(?:own|agency's|clinic's) (?:attorney|lawyer|counsel)|"
    # telling the client you are obliged to report is the notify-the-client step, not the
    # act ("tell him you will report him" to an abuser is an act, and is not matched)
    r"tell \w+(?: gently)? (?:that )?(?:you|we) (?:must|have to|need to) (?:report|call)|"
    r"(?:until|after|once) (?:you've|you have) (?:talked|spoken) (?:with|to))\b",
    re.IGNORECASE,
)
"""Words that name a process step. An option names the act (whom to tell, and how much);
the steps are ticked in the checklist. An attorney as a *recipient* ("send the attorney
the records") is an act, so only asking one for advice counts."""

# Learner-facing text cites the law, never our research notes (RULES.md 11A).
RESEARCH_NOTES = re.compile(
    r"RULES\.md|research brief|jurisdictions\.csv|\beCFR\b|our research|secondary compilation",
    re.IGNORECASE,
)
# An ethics code named with a standard ("ACA B.2.b", "NASW Code of Ethics 1.07") or as a code.
CODE_CITED = re.compile(r"\b(APA|ACA|NASW|AAMFT)\b(?=[^.\n]{0,24}?(?:\d|\b[A-C]\.\d|Code))")
CODE_OF = {"psychologist": "APA", "counselor": "ACA", "social_worker": "NASW", "mft": "AAMFT"}
MIN_OPTIONS = {1: 3, 2: 4, 3: 4}  # by the vignette's difficulty
LENGTH_RATIO = 1.5  # the longest label at most 1.5 times the shortest...
LENGTH_SLACK = 20  # ...or at most 20 characters longer

LIMITS = {
    "longest_best_share": 0.40,
    "process_best_share": 0.10,
    "process_ratio": 1.5,
    "guesser_margin": 15.0,
    "choices_per_node": 3.3,
    "whole_chart_share": 0.15,
}


def learner_texts(scenario: Scenario) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text a learner reads, with where it is in the file."""
    out: list[tuple[tuple[str | int, ...], str]] = [
        (("title",), scenario.title),
        (("summary",), scenario.summary),
    ]
    out += [
        (("learning_objectives", i), text) for i, text in enumerate(scenario.learning_objectives)
    ]
    if scenario.content_note:
        out.append((("content_note",), scenario.content_note))
    for node_id, node in scenario.nodes.items():
        out.append((("nodes", node_id, "text"), node.text))
        if node.debrief:
            out.append((("nodes", node_id, "debrief"), node.debrief))
        for index, choice in enumerate(node.choices):
            out.append((("nodes", node_id, "choices", index, "label"), choice.label))
            if choice.feedback:
                out.append((("nodes", node_id, "choices", index, "feedback"), choice.feedback))
    return out


def check_citations(scenario: Scenario, report: Report) -> None:
    """CL058: no research notes; CL059: the ethics code cited is the profession's own."""
    own = CODE_OF.get(scenario.profession or "psychologist")
    for where, text in learner_texts(scenario):
        match = RESEARCH_NOTES.search(text)
        if match:
            report.add(
                "CL058",
                where,
                f"the text names our research notes ({match.group(0)!r}); cite the statute, "
                "rule, code or case itself",
            )
        for code in CODE_CITED.finditer(text):
            if code.group(1) != own:
                report.add(
                    "CL059",
                    where,
                    f"cites the {code.group(1)} code, but this vignette's clinician is a "
                    f"{(scenario.profession or 'psychologist').replace('_', ' ')}; "
                    + (f"cite the {own} code" if own else "no code is on file: cite the law"),
                )
                break


def check_node_cues(scenario: Scenario, report: Report) -> None:
    """CL054-CL057 on every decision of one vignette, and CL058-CL059 on its texts."""
    check_citations(scenario, report)
    needed = MIN_OPTIONS.get(scenario.difficulty, 3)
    for node_id in scenario.decision_nodes():
        node = scenario.nodes[node_id]
        where = ("nodes", node_id, "choices")
        if len(node.choices) < needed:
            level = "introductory" if needed == 3 else "intermediate and advanced"
            report.add(
                "CL054",
                where,
                f"{len(node.choices)} options; {level} vignettes offer at least {needed} at "
                "every decision, each an error real clinicians make; add options",
            )
        for index, choice in enumerate(node.choices):
            match = PROCESS_WORDS.search(choice.label)
            if match:
                report.add(
                    "CL055",
                    (*where, index, "label"),
                    f"the label names a process step ({match.group(0)!r}); an option names the "
                    "act (whom to tell, and how much) and the learner ticks steps in the "
                    "checklist: reword it",
                )
            steps = choice.action.get("steps")
            carried = (
                [s for s in steps if isinstance(s, str) and s not in ACT_STEPS]
                if isinstance(steps, list)
                else []
            )
            if carried:
                report.add(
                    "CL056",
                    (*where, index, "action", "steps"),
                    f"the option carries process steps {carried}; only acts ("
                    + ", ".join(sorted(ACT_STEPS))
                    + ") may be part of an option: remove them, the learner ticks them",
                )
        lengths = [len(choice.label) for choice in node.choices]
        shortest, longest = min(lengths), max(lengths)
        if longest > shortest * LENGTH_RATIO and longest - shortest > LENGTH_SLACK:
            report.add(
                "CL057",
                where,
                f"labels run from {shortest} to {longest} characters; options at a decision "
                f"are alike in length (the longest at most {LENGTH_RATIO:g} times the "
                f"shortest, or {LENGTH_SLACK} characters more): even them out",
            )


@dataclass
class Audit:
    """The bank's figures, as ``python -m engine validate`` prints them."""

    nodes: int = 0
    options: int = 0
    longest_best: float = 0.0  # nodes (fractions for ties) where a longest label is best
    best_labels: int = 0
    best_process: int = 0
    other_labels: int = 0
    other_process: int = 0
    longest_points: list[float] = field(default_factory=list)
    random_points: list[float] = field(default_factory=list)
    whole_chart_nodes: int = 0
    # the checklist, with the best act: chance, tick everything, tick nothing
    best_act_random_ticks: list[float] = field(default_factory=list)
    best_act_all_ticks: list[float] = field(default_factory=list)
    best_act_no_ticks: list[float] = field(default_factory=list)
    # a whole decision: chance (random option, random ticks) and the test-wise guesser
    # (longest option, every box ticked)
    chance: list[float] = field(default_factory=list)
    test_wise: list[float] = field(default_factory=list)

    @property
    def longest_best_share(self) -> float:
        return self.longest_best / self.nodes if self.nodes else 0.0

    @property
    def process_best_share(self) -> float:
        return self.best_process / self.best_labels if self.best_labels else 0.0

    @property
    def process_other_share(self) -> float:
        return self.other_process / self.other_labels if self.other_labels else 0.0

    @property
    def choices_per_node(self) -> float:
        return self.options / self.nodes if self.nodes else 0.0

    @property
    def whole_chart_share(self) -> float:
        return self.whole_chart_nodes / self.nodes if self.nodes else 0.0

    def lines(self) -> list[str]:
        mean = _mean
        return [
            f"cue audit: {self.nodes} decisions, {self.choices_per_node:.2f} options each "
            f"(at least {LIMITS['choices_per_node']})",
            f"cue audit: best option is the longest at {self.longest_best_share:.0%} of "
            f"decisions (at most {LIMITS['longest_best_share']:.0%})",
            f"cue audit: process words in {self.process_best_share:.0%} of best labels and "
            f"{self.process_other_share:.0%} of the others",
            f"cue audit: longest-label guesser {mean(self.longest_points):.1f} points a "
            f"decision, random {mean(self.random_points):.1f} (act only; margin at most "
            f"{LIMITS['guesser_margin']:g})",
            f"cue audit: checklist with the best act: random ticks "
            f"{mean(self.best_act_random_ticks):.1f}, every box {mean(self.best_act_all_ticks):.1f}, "
            f"no box {mean(self.best_act_no_ticks):.1f}, the steps the law asks for 100.0",
            f"cue audit: whole decision: chance {mean(self.chance):.1f}, longest option with "
            f"every box ticked {mean(self.test_wise):.1f}",
            f"cue audit: 'send the whole chart' offered at {self.whole_chart_share:.0%} of "
            f"decisions (at most {LIMITS['whole_chart_share']:.0%})",
        ]

    def problems(self) -> list[tuple[str, str]]:
        """(code, message) for every figure over its limit."""
        out: list[tuple[str, str]] = []
        if self.longest_best_share > LIMITS["longest_best_share"]:
            out.append(
                (
                    "CL060",
                    f"the best option is the longest label at {self.longest_best_share:.0%} of "
                    f"decisions (limit {LIMITS['longest_best_share']:.0%}); shorten best labels "
                    "or lengthen the others",
                )
            )
        best, other = self.process_best_share, self.process_other_share
        if best > LIMITS["process_best_share"] or (
            best > 0 and best > LIMITS["process_ratio"] * other
        ):
            out.append(
                (
                    "CL061",
                    f"process words appear in {best:.0%} of best labels and {other:.0%} of the "
                    f"others (limits: {LIMITS['process_best_share']:.0%}, and at most "
                    f"{LIMITS['process_ratio']:g} times the others); move steps to the checklist",
                )
            )
        margin = _mean(self.longest_points) - _mean(self.random_points)
        whole = _mean(self.test_wise) - _mean(self.chance)
        if margin > LIMITS["guesser_margin"] or whole > LIMITS["guesser_margin"]:
            out.append(
                (
                    "CL062",
                    f"a test-wise guesser beats chance: longest label {margin:+.1f} points over "
                    f"random, longest label with every box ticked {whole:+.1f} over a random "
                    f"decision (limit {LIMITS['guesser_margin']:g}); make the wrong options "
                    "as long and as plausible as the right one",
                )
            )
        if self.nodes and self.choices_per_node < LIMITS["choices_per_node"]:
            out.append(
                (
                    "CL063",
                    f"{self.choices_per_node:.2f} options per decision (at least "
                    f"{LIMITS['choices_per_node']}); add real clinicians' errors as options",
                )
            )
        if self.whole_chart_share > LIMITS["whole_chart_share"]:
            out.append(
                (
                    "CL064",
                    f"'send the whole chart' is offered at {self.whole_chart_share:.0%} of "
                    f"decisions (limit {LIMITS['whole_chart_share']:.0%}); use the errors "
                    "clinicians actually make at each decision",
                )
            )
        ticks = _mean(self.best_act_all_ticks) - _mean(self.best_act_random_ticks)
        if ticks > LIMITS["guesser_margin"]:
            out.append(
                (
                    "CL065",
                    f"ticking every box scores {ticks:+.1f} points over random ticking with the "
                    "best act; the checklist must not reward ticking everything",
                )
            )
        return out


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.fmean(values) if values else 0.0


def audit_bank(scenarios: Iterable[Scenario]) -> Audit:
    """Score every decision's options and guessing strategies under each vignette's law."""
    audit = Audit()
    for scenario in scenarios:
        for node_id in scenario.decision_nodes():
            _audit_node(scenario, node_id, audit)
    return audit


def _audit_node(scenario: Scenario, node_id: str, audit: Audit) -> None:
    node = scenario.nodes[node_id]
    acts = [scenario.score_choice(node_id, i) for i in range(len(node.choices))]
    points = [score.points for score in acts]
    best = [score.verdict == "best" for score in acts]
    lengths = [len(choice.label) for choice in node.choices]
    longest = [i for i, length in enumerate(lengths) if length == max(lengths)]
    audit.nodes += 1
    audit.options += len(node.choices)
    audit.longest_best += sum(best[i] for i in longest) / len(longest)
    for choice, is_best in zip(node.choices, best, strict=True):
        named = bool(PROCESS_WORDS.search(choice.label))
        if is_best:
            audit.best_labels += 1
            audit.best_process += named
        else:
            audit.other_labels += 1
            audit.other_process += named
    audit.longest_points.append(_mean(points[i] for i in longest))
    audit.random_points.append(_mean(points))
    if any(choice.action.get("scope") == "full_record" for choice in node.choices):
        audit.whole_chart_nodes += 1

    checklist = scenario.checklist(node_id)
    every = tuple(checklist)
    subsets = [
        tuple(step for step, on in zip(checklist, pattern, strict=True) if on)
        for pattern in itertools.product((False, True), repeat=len(checklist))
    ]

    def ticked(index: int, steps: tuple[str, ...]) -> int:
        return scenario.score_choice(node_id, index, None, steps).points

    by_option = [_mean(ticked(i, subset) for subset in subsets) for i in range(len(acts))]
    audit.chance.append(_mean(by_option))
    audit.test_wise.append(_mean(ticked(i, every) for i in longest))
    best_indexes = [i for i, is_best in enumerate(best) if is_best]
    if best_indexes:
        audit.best_act_random_ticks.append(_mean(by_option[i] for i in best_indexes))
        audit.best_act_all_ticks.append(_mean(ticked(i, every) for i in best_indexes))
        audit.best_act_no_ticks.append(_mean(ticked(i, ()) for i in best_indexes))
