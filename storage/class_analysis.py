"""The class dashboard's tables, from a cohort's statistics (``storage.class_report``).

Pure pandas over small frames, so each number is unit-tested on a hand-made class.
The engine is consulted for what each option *is* (its act's verdict under the
answer's jurisdiction) and which steps each decision asks for; the learners' recorded
verdicts and points say what they *did*.

Item analysis, per decision (an "item"):

* **difficulty** ``p``: the share of answers whose act was the best one (the act alone;
  the checklist half is analysed apart, in ``step_analysis``);
* **full credit**: the share of answers with the verdict "best" (act and steps);
* **discrimination** ``D``: the upper-lower index (Kelley 1939) on the decision's score
  (points / 100, act and steps together): learners are ranked by their mean points over
  all their shared choices; ``D`` is the mean score at this decision of the top 27%
  minus that of the bottom 27%, each learner's score being their mean over their
  answers there. ``D`` is left blank when either group has fewer than ``MIN_GROUP``
  learners who answered: with three people it means nothing;
* **flags** for the author, once ``MIN_FLAG_LEARNERS`` learners answered: best act
  chosen by under 20% or over 95%; negative or near-zero (< 0.10) discrimination; a
  wrong option nobody picked (it does no work as a distractor).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pandas as pd

from engine import InvalidInput, rule
from engine.scenarios.schema import Scenario
from storage.class_report import ClassData
from storage.cohorts import Cohort, play_jurisdiction

HARD_BELOW = 0.20
EASY_ABOVE = 0.95
NEAR_ZERO_D = 0.10
MIN_GROUP = 3
MIN_FLAG_LEARNERS = 10
HELP_BELOW = 60.0
"""A category mean under this (points out of 100) marks a learner who may need help."""
MIN_CATEGORY_CHOICES = 3
STALLED_AFTER = timedelta(days=7)

FLAG_HARD = "best act chosen by under 20%"
FLAG_EASY = "best act chosen by over 95%"
FLAG_NEGATIVE = "negative discrimination"
FLAG_NEAR_ZERO = "near-zero discrimination"
FLAG_UNUSED = "a wrong option nobody picks"


def _display(members: pd.DataFrame) -> dict[str, str]:
    """Pseudonym -> what the instructor sees: the display name, else ``Learner <id>``."""
    names: dict[str, str] = {}
    for row in members.itertuples(index=False):
        name = row.display_name if isinstance(row.display_name, str) else ""
        names[row.pseudonym] = name.strip() or f"Learner {row.pseudonym[:6]}"
    return names


def _current(data: ClassData) -> set[str]:
    return set(data.members.loc[~data.members["left"], "pseudonym"])


# -- completion and progress -----------------------------------------------------------


def completion(data: ClassData, cohort: Cohort) -> pd.DataFrame:
    """One row per current member: assigned vignettes finished and passed, and whether
    the class is complete for them (every assigned vignette at or above the pass mark)."""
    current = data.members[~data.members["left"]]
    names = _display(data.members)
    progress = data.progress[data.progress["scenario_id"].isin(cohort.assigned)]
    finished = progress[progress["finished"] > 0].groupby("pseudonym")["scenario_id"].nunique()
    passed = (
        progress[progress["best_percent"] >= cohort.pass_mark]
        .groupby("pseudonym")["scenario_id"]
        .nunique()
    )
    assigned = len(cohort.assigned)
    rows = []
    for pseudonym in current["pseudonym"]:
        ok = int(passed.get(pseudonym, 0))
        rows.append(
            {
                "pseudonym": pseudonym,
                "learner": names[pseudonym],
                "finished": int(finished.get(pseudonym, 0)),
                "passed": ok,
                "assigned": assigned,
                "complete": ok == assigned,
            }
        )
    return pd.DataFrame(
        rows, columns=["pseudonym", "learner", "finished", "passed", "assigned", "complete"]
    )


def vignette_completion(data: ClassData, cohort: Cohort, titles: Mapping[str, str]) -> pd.DataFrame:
    """Per assigned vignette: how many current members finished it, and passed it."""
    current = _current(data)
    progress = data.progress[data.progress["pseudonym"].isin(current)]
    rows = []
    for scenario_id in cohort.assigned:
        mine = progress[progress["scenario_id"] == scenario_id]
        rows.append(
            {
                "scenario_id": scenario_id,
                "vignette": titles.get(scenario_id, scenario_id),
                "finished": int((mine["finished"] > 0).sum()),
                "passed": int((mine["best_percent"] >= cohort.pass_mark).sum()),
                "members": len(current),
            }
        )
    return pd.DataFrame(rows, columns=["scenario_id", "vignette", "finished", "passed", "members"])


def weekly_trend(data: ClassData) -> pd.DataFrame:
    """Choices and mean points per week (weeks start on Monday)."""
    columns = ["week", "choices", "mean_points"]
    if data.days.empty:
        return pd.DataFrame(columns=columns)
    days = data.days.copy()
    days["week"] = days["day"] - pd.to_timedelta(days["day"].dt.day_of_week, unit="D")
    weeks = days.groupby("week", as_index=False)[["choices", "points"]].sum()
    weeks["mean_points"] = weeks["points"] / weeks["choices"]
    return weeks.sort_values("week")[columns].reset_index(drop=True)


def needs_help(data: ClassData, cohort: Cohort, now: datetime | None = None) -> pd.DataFrame:
    """Learners who may need help: a category averaging under ``HELP_BELOW`` (over at
    least ``MIN_CATEGORY_CHOICES`` choices), or a vignette left unfinished for
    ``STALLED_AFTER``, or the due date passed without completing. Weakest first."""
    now = now or datetime.now(UTC)
    names = _display(data.members)
    current = _current(data)
    reasons: dict[str, list[str]] = {p: [] for p in current}
    lowest: dict[str, float] = {}
    if not data.learner_categories.empty:
        per = data.learner_categories.set_index(["pseudonym", "category"])[["answers", "points"]]
        per = per[per["answers"] >= MIN_CATEGORY_CHOICES]
        per["mean"] = per["points"] / per["answers"]
        for (pseudonym, category), mean in per["mean"].items():
            if pseudonym not in reasons:
                continue
            lowest[pseudonym] = min(lowest.get(pseudonym, 100.0), float(mean))
            if mean < HELP_BELOW:
                label = str(category).replace("_", " ")
                reasons[pseudonym].append(f"{label}: {mean:.0f} points on average")
    stalled = data.progress[
        (data.progress["unfinished"] > 0)
        & data.progress["last_unfinished_at"].notna()
        & (data.progress["finished"] == 0)
    ]
    for row in stalled.itertuples(index=False):
        if row.pseudonym in reasons and now - row.last_unfinished_at >= STALLED_AFTER:
            days = (now - row.last_unfinished_at).days
            reasons[row.pseudonym].append(f"{row.scenario_id}: stalled for {days} days")
    if cohort.due_at is not None and now > cohort.due_at:
        done = completion(data, cohort).set_index("pseudonym")["complete"]
        for pseudonym in current:
            if not bool(done.get(pseudonym, False)):
                reasons[pseudonym].append("not complete by the due date")
    rows = [
        {
            "pseudonym": p,
            "learner": names[p],
            "lowest_category_mean": lowest.get(p, math.nan),
            "why": "; ".join(why),
        }
        for p, why in reasons.items()
        if why
    ]
    frame = pd.DataFrame(rows, columns=["pseudonym", "learner", "lowest_category_mean", "why"])
    return frame.sort_values("lowest_category_mean", na_position="last").reset_index(drop=True)


# -- item analysis ---------------------------------------------------------------------


@dataclass(frozen=True)
class OptionStat:
    index: int
    label: str
    verdict: str  # the engine's verdict for the act (with the steps the law asks for)
    chosen: int
    share: float


def _act_verdicts(scenarios: Mapping[str, Scenario], keys: pd.DataFrame) -> list[str | None]:
    """The engine's verdict for each (scenario, node, option, jurisdiction) row's act;
    None for a vignette, node or option that no longer exists (edited since)."""
    verdicts: list[str | None] = []
    for row in keys.itertuples(index=False):
        scenario = scenarios.get(row.scenario_id)
        verdict = None
        if scenario is not None and row.node_id in scenario.nodes:
            if 0 <= row.choice_index < len(scenario.nodes[row.node_id].choices):
                try:
                    verdict = scenario.score_choice(
                        row.node_id, int(row.choice_index), scenario.override_for(row.jurisdiction)
                    ).verdict
                except InvalidInput:
                    verdict = None
        verdicts.append(verdict)
    return verdicts


ITEM_TABLE_COLUMNS = [
    "scenario_id",
    "title",
    "node_id",
    "decision",
    "responses",
    "learners",
    "difficulty",
    "full_credit",
    "discrimination",
    "flags",
]


def item_analysis(
    data: ClassData, scenarios: Mapping[str, Scenario], jurisdiction: str
) -> tuple[pd.DataFrame, dict[tuple[str, str], list[OptionStat]]]:
    """Per decision: responses, learners, difficulty, full credit, discrimination and
    flags (most missed first); and per decision its options with the engine's verdict
    (under the law the class plays it under: ``play_jurisdiction`` of the class's
    ``jurisdiction``) and how often each was chosen."""
    empty = pd.DataFrame(columns=ITEM_TABLE_COLUMNS), {}
    if data.items.empty or data.options.empty:
        return empty
    options = data.options.copy()
    options["verdict"] = _act_verdicts(scenarios, options)
    options = options[options["verdict"].notna()]  # edited-away options drop out
    if options.empty:
        return empty
    options["best_answers"] = options["answers"].where(options["verdict"] == "best", 0)
    per_item = options.groupby(["scenario_id", "node_id"])[["answers", "best_answers"]].sum()
    items = data.items.set_index(["scenario_id", "node_id"])
    grouped = data.item_groups.set_index(["scenario_id", "node_id", "group"])
    ranked = int(data.learner_categories["pseudonym"].nunique())

    rows = []
    stats: dict[tuple[str, str], list[OptionStat]] = {}
    for (scenario_id, node_id), counts in per_item.iterrows():
        scenario = scenarios[scenario_id]
        responses = int(counts["answers"])
        difficulty = counts["best_answers"] / responses if responses else math.nan
        key = (scenario_id, node_id)
        who = int(items.loc[key, "learners"]) if key in items.index else 0
        if key in items.index and items.loc[key, "answers"]:
            full_credit = float(items.loc[key, "best"] / items.loc[key, "answers"])
        else:
            full_credit = math.nan
        discrimination = _discrimination(grouped, scenario_id, node_id, ranked)
        mine = options[(options["scenario_id"] == scenario_id) & (options["node_id"] == node_id)]
        law = play_jurisdiction(jurisdiction, scenario.jurisdiction)
        stats[key] = _option_stats(scenario, node_id, mine, law, responses)
        flags: list[str] = []
        if who >= MIN_FLAG_LEARNERS:
            if difficulty < HARD_BELOW:
                flags.append(FLAG_HARD)
            if difficulty > EASY_ABOVE:
                flags.append(FLAG_EASY)
            if not math.isnan(discrimination):
                if discrimination < 0:
                    flags.append(FLAG_NEGATIVE)
                elif discrimination < NEAR_ZERO_D:
                    flags.append(FLAG_NEAR_ZERO)
            if any(s.chosen == 0 and s.verdict != "best" for s in stats[key]):
                flags.append(FLAG_UNUSED)
        decisions = scenario.decision_nodes()
        rows.append(
            {
                "scenario_id": scenario_id,
                "title": scenario.title,
                "node_id": node_id,
                "decision": decisions.index(node_id) + 1 if node_id in decisions else 0,
                "responses": responses,
                "learners": who,
                "difficulty": float(difficulty),
                "full_credit": full_credit,
                "discrimination": discrimination,
                "flags": "; ".join(flags),
            }
        )
    frame = pd.DataFrame(rows, columns=ITEM_TABLE_COLUMNS)
    frame = frame.sort_values(["difficulty", "scenario_id", "decision"]).reset_index(drop=True)
    return frame, stats


def _discrimination(grouped: pd.DataFrame, scenario_id: str, node_id: str, ranked: int) -> float:
    """Upper mean score minus lower mean score at one item, or NaN if too few."""
    try:
        upper = grouped.loc[(scenario_id, node_id, "upper")]
        lower = grouped.loc[(scenario_id, node_id, "lower")]
    except KeyError:
        return math.nan
    if ranked < 2 * MIN_GROUP or upper["learners"] < MIN_GROUP or lower["learners"] < MIN_GROUP:
        return math.nan
    return float(upper["score"] - lower["score"])


def _option_stats(
    scenario: Scenario,
    node_id: str,
    chosen_rows: pd.DataFrame,
    jurisdiction: str,
    responses: int,
) -> list[OptionStat]:
    chosen = chosen_rows.groupby("choice_index")["answers"].sum()
    stats = []
    for index, choice in enumerate(scenario.nodes[node_id].choices):
        try:
            verdict = scenario.score_choice(
                node_id, index, scenario.override_for(jurisdiction)
            ).verdict
        except InvalidInput:
            verdict = "unknown"
        count = int(chosen.get(index, 0))
        stats.append(
            OptionStat(index, choice.label, verdict, count, count / responses if responses else 0)
        )
    return stats


def step_analysis(
    data: ClassData, scenario: Scenario, node_id: str, jurisdiction: str
) -> pd.DataFrame:
    """The checklist half of one decision: for each step offered, whether the engine asks
    for it (required or recommended), accepts it either way, or it is not called for
    here, and the share of answers that ticked it."""
    columns = ["step", "asked", "ticked", "answers"]
    rows = data.steps[
        (data.steps["scenario_id"] == scenario.id) & (data.steps["node_id"] == node_id)
    ]
    try:
        ruling = rule(scenario.node_facts(node_id), scenario.override_for(jurisdiction))
    except InvalidInput:
        return pd.DataFrame(columns=columns)
    asked = set(ruling.steps)
    optional = set(ruling.optional_steps)
    total = int(rows["answers"].sum())
    ticked_sets = [
        (set(str(steps).split()), int(n))
        for steps, n in zip(rows["steps"], rows["answers"], strict=True)
    ]
    out = []
    for step in scenario.checklist(node_id):
        ticked = sum(n for chosen, n in ticked_sets if step in chosen)
        if step in asked:
            kind = "asked for"
        elif step in optional:
            kind = "either way"
        else:
            kind = "not called for"
        out.append(
            {
                "step": step,
                "asked": kind,
                "ticked": ticked / total if total else math.nan,
                "answers": total,
            }
        )
    return pd.DataFrame(out, columns=columns)


# -- one learner's standing in a class ---------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """A member's progress on a class's assigned vignettes, for the Class page and the
    certificate: per vignette the best finished score; complete when every one reaches
    the pass mark; ``percent`` the mean of those best scores."""

    best: dict[str, float | None]
    complete: bool
    percent: int


def standing(shared: pd.DataFrame, cohort: Cohort) -> Standing:
    """From the member's own shared choices (``Cohorts.learner_shared``)."""
    best: dict[str, float | None] = dict.fromkeys(cohort.assigned)
    if not shared.empty:
        finished = shared[shared["finished_at"].notna()]
        per_attempt = finished.groupby(["scenario_id", "attempt_id"])["points"].mean()
        for scenario_id, value in per_attempt.groupby(level=0).max().items():
            if scenario_id in best:
                best[str(scenario_id)] = float(value)
    scores = [v for v in best.values() if v is not None]
    complete = len(scores) == len(best) and all(v >= cohort.pass_mark for v in scores)
    percent = round(sum(scores) / len(best)) if best and scores else 0
    return Standing(best=best, complete=complete, percent=int(percent))
