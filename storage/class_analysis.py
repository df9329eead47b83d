"""The class dashboard's tables, from a cohort's aggregates (``storage.class_report``).

Pure pandas over small frames, so each number is unit-tested on a hand-made class.
The engine is consulted for what each option *is* (its act's verdict under the row's
jurisdiction) and which steps each decision asks for; the learners' recorded verdicts
say what they *did*.

Item analysis, per decision (an "item"):

* **difficulty** ``p``: the share of answers whose act was the best one (the act alone:
  the checklist half is analysed apart, in ``step_analysis``);
* **discrimination** ``D``: the upper-lower index (Kelley 1939): learners are ranked by
  their mean points over all their shared choices; ``D`` is the mean ``p`` of the top
  27% minus that of the bottom 27%, each learner's ``p`` being their own share of best
  acts at that item. ``D`` is left blank when either group has fewer than
  ``MIN_GROUP`` learners who answered the item: with three people it means nothing;
* **flags** for the author, only once ``MIN_FLAG_LEARNERS`` learners answered: best act
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
from storage.cohorts import Cohort

HARD_BELOW = 0.20
EASY_ABOVE = 0.95
NEAR_ZERO_D = 0.10
GROUP_SHARE = 0.27
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


# -- completion and progress -----------------------------------------------------------


def completion(data: ClassData, cohort: Cohort) -> pd.DataFrame:
    """One row per current member: assigned vignettes finished and passed, and whether
    the class is complete for them (every assigned vignette at or above the pass mark)."""
    current = data.members[data.members["left_at"].isna()]
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
        done = int(finished.get(pseudonym, 0))
        ok = int(passed.get(pseudonym, 0))
        rows.append(
            {
                "pseudonym": pseudonym,
                "learner": names[pseudonym],
                "finished": done,
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
    current = set(data.members.loc[data.members["left_at"].isna(), "pseudonym"])
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


def class_tally(data: ClassData) -> pd.DataFrame:
    """The class's choices in the learner Progress tally's shape (category,
    jurisdiction, verdict, choices, points), so the same charts draw both."""
    columns = ["category", "jurisdiction", "verdict", "choices", "points"]
    if data.items.empty:
        return pd.DataFrame(columns=columns)
    grouped = data.items.groupby(["category", "jurisdiction", "verdict"], as_index=False)
    return grouped[["choices", "points"]].sum()[columns]


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
    current = set(data.members.loc[data.members["left_at"].isna(), "pseudonym"])
    reasons: dict[str, list[str]] = {p: [] for p in current}
    lowest: dict[str, float] = {}
    if not data.items.empty:
        per = data.items.groupby(["pseudonym", "category"])[["choices", "points"]].sum()
        per = per[per["choices"] >= MIN_CATEGORY_CHOICES]
        per["mean"] = per["points"] / per["choices"]
        for (pseudonym, category), row in per.iterrows():
            if pseudonym not in reasons:
                continue
            lowest[pseudonym] = min(lowest.get(pseudonym, 100.0), float(row["mean"]))
            if row["mean"] < HELP_BELOW:
                label = str(category).replace("_", " ")
                reasons[pseudonym].append(f"{label}: {row['mean']:.0f} points on average")
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


def _act_verdicts(
    scenarios: Mapping[str, Scenario], keys: pd.DataFrame
) -> dict[tuple[str, str, int, str], str]:
    """(scenario, node, option, jurisdiction) -> the engine's verdict for that act. A
    vignette or node that no longer exists (edited since) maps to nothing."""
    verdicts: dict[tuple[str, str, int, str], str] = {}
    for row in keys.itertuples(index=False):
        scenario = scenarios.get(row.scenario_id)
        if scenario is None or row.node_id not in scenario.nodes:
            continue
        node = scenario.nodes[row.node_id]
        if not 0 <= row.choice_index < len(node.choices):
            continue
        try:
            score = scenario.score_choice(row.node_id, int(row.choice_index), row.jurisdiction)
        except InvalidInput:
            continue
        verdicts[(row.scenario_id, row.node_id, int(row.choice_index), row.jurisdiction)] = (
            score.verdict
        )
    return verdicts


def learner_scores(data: ClassData) -> pd.Series:
    """Each learner's mean points over all their shared choices: the ranking for D."""
    sums = data.items.groupby("pseudonym")[["points", "choices"]].sum()
    return (sums["points"] / sums["choices"]).sort_values()


def item_analysis(
    data: ClassData, scenarios: Mapping[str, Scenario], jurisdiction: str
) -> tuple[pd.DataFrame, dict[tuple[str, str], list[OptionStat]]]:
    """Per decision: responses, learners, difficulty, discrimination and flags (most
    missed first), and per decision its options with the engine's verdict and how
    often each was chosen. ``jurisdiction``: the one the options' verdicts are shown
    for (the class's default); difficulty uses each answer's own jurisdiction."""
    columns = [
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
    if data.items.empty:
        return pd.DataFrame(columns=columns), {}
    keys = data.items[["scenario_id", "node_id", "choice_index", "jurisdiction"]]
    keys = keys.drop_duplicates().reset_index(drop=True)
    verdicts = _act_verdicts(scenarios, keys)
    keys["best_act"] = [
        verdicts.get((r.scenario_id, r.node_id, int(r.choice_index), r.jurisdiction))
        for r in keys.itertuples(index=False)
    ]
    keys = keys[keys["best_act"].notna()]
    keys["best_act"] = keys["best_act"] == "best"
    # inner join: answers at vignettes or nodes that no longer exist drop out
    items = data.items.merge(keys, on=["scenario_id", "node_id", "choice_index", "jurisdiction"])
    if items.empty:
        return pd.DataFrame(columns=columns), {}
    items["best_answers"] = items["choices"].where(items["best_act"], 0)
    items["full_answers"] = items["choices"].where(items["verdict"] == "best", 0)

    ranking = learner_scores(data)
    group = max(1, math.ceil(len(ranking) * GROUP_SHARE))
    lower = set(ranking.index[:group])
    upper = set(ranking.index[-group:])
    per_learner = items.groupby(["scenario_id", "node_id", "pseudonym"])[
        ["choices", "best_answers"]
    ].sum()
    per_learner["p"] = per_learner["best_answers"] / per_learner["choices"]

    rows = []
    options: dict[tuple[str, str], list[OptionStat]] = {}
    for (scenario_id, node_id), block in items.groupby(["scenario_id", "node_id"]):
        scenario = scenarios[scenario_id]
        responses = int(block["choices"].sum())
        learners = block["pseudonym"].nunique()
        difficulty = block["best_answers"].sum() / responses
        full_credit = block["full_answers"].sum() / responses
        mine = per_learner.loc[(scenario_id, node_id)]["p"]
        top = mine[mine.index.isin(upper)]
        bottom = mine[mine.index.isin(lower)]
        if len(ranking) >= 2 * MIN_GROUP and len(top) >= MIN_GROUP and len(bottom) >= MIN_GROUP:
            discrimination = float(top.mean() - bottom.mean())
        else:
            discrimination = math.nan
        stats = _option_stats(scenario, node_id, block, jurisdiction, responses)
        options[(scenario_id, node_id)] = stats
        flags: list[str] = []
        if learners >= MIN_FLAG_LEARNERS:
            if difficulty < HARD_BELOW:
                flags.append(FLAG_HARD)
            if difficulty > EASY_ABOVE:
                flags.append(FLAG_EASY)
            if not math.isnan(discrimination):
                if discrimination < 0:
                    flags.append(FLAG_NEGATIVE)
                elif discrimination < NEAR_ZERO_D:
                    flags.append(FLAG_NEAR_ZERO)
            if any(s.chosen == 0 and s.verdict != "best" for s in stats):
                flags.append(FLAG_UNUSED)
        decisions = scenario.decision_nodes()
        rows.append(
            {
                "scenario_id": scenario_id,
                "title": scenario.title,
                "node_id": node_id,
                "decision": decisions.index(node_id) + 1 if node_id in decisions else 0,
                "responses": responses,
                "learners": int(learners),
                "difficulty": float(difficulty),
                "full_credit": float(full_credit),
                "discrimination": discrimination,
                "flags": "; ".join(flags),
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.sort_values(["difficulty", "scenario_id", "decision"]).reset_index(drop=True)
    return frame, options


def _option_stats(
    scenario: Scenario,
    node_id: str,
    block: pd.DataFrame,
    jurisdiction: str,
    responses: int,
) -> list[OptionStat]:
    chosen = block.groupby("choice_index")["choices"].sum()
    stats = []
    for index, choice in enumerate(scenario.nodes[node_id].choices):
        try:
            verdict = scenario.score_choice(node_id, index, jurisdiction).verdict
        except InvalidInput:
            verdict = "unknown"
        count = int(chosen.get(index, 0))
        stats.append(OptionStat(index, choice.label, verdict, count, count / responses))
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
        ruling = rule(scenario.node_facts(node_id), jurisdiction)
    except InvalidInput:
        return pd.DataFrame(columns=columns)
    asked = set(ruling.steps)
    optional = set(ruling.optional_steps)
    total = int(rows["choices"].sum())
    ticked_sets = [
        (set(str(steps).split()), int(n))
        for steps, n in zip(rows["steps"], rows["choices"], strict=True)
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
