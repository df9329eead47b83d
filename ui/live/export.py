"""A live session's results as a table and a CSV: one row per node the room was taken
to, for the whole room and for each law the votes were scored under.

Counts only: no participant appears, not even by pseudonym. What makes an option best is
the engine's answer (``ui.live.room.option_score``); this module only counts.
Text cells a spreadsheet would run as a formula are neutralised by
``storage.exports.csv_bytes``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pandas as pd

from engine.scenarios import Scenario
from storage.exports import csv_bytes
from storage.live import RoundRow
from ui.live.room import first_line, letter, option_score

ALL = "all"
BASE_COLUMNS = [
    "round",
    "decision",
    "node_id",
    "scene",
    "on_final_path",
    "room_took",
    "scored_under",
    "voters",
]
TAIL_COLUMNS = ["best_options", "share_best_act", "share_best"]

Tally = Sequence[tuple[int, str, int, str, int]]
"""(round, jurisdiction, option, verdict, votes), as ``LiveSessions.vote_tally`` reads."""


def results_frame(
    scenario: Scenario, session_jurisdiction: str, rounds: Sequence[RoundRow], tally: Tally
) -> pd.DataFrame:
    """Per round, an ``all`` row and one row per jurisdiction voted under.

    ``votes_A``... count each option; ``best_options`` are the options the engine rates
    best under that row's law (the session's for ``all``); ``share_best_act`` is the share
    of voters who chose an option rated best under the law they were scored under, and
    ``share_best`` the share whose vote, with the steps they ticked, was best.
    """
    width = max((len(scenario.nodes[r.node_id].choices) for r in rounds if _known(scenario, r)),
                default=0)  # fmt: skip
    vote_columns = [f"votes_{letter(i)}" for i in range(width)]
    by_round: dict[int, list[tuple[str, int, str, int]]] = defaultdict(list)
    for round_no, jurisdiction, option, verdict, votes in tally:
        by_round[round_no].append((jurisdiction, option, verdict, votes))
    rows = []
    for r in rounds:
        known = _known(scenario, r)
        node = scenario.nodes[r.node_id] if known else None
        entries = by_round.get(r.round_no, [])
        groups = [ALL, *sorted({j for j, *_ in entries})]
        for group in groups:
            chosen = [e for e in entries if group == ALL or e[0] == group]
            row: dict[str, object] = {
                "round": r.round_no,
                "decision": r.step + 1,
                "node_id": r.node_id,
                "scene": first_line(node.text) if node else "",
                "on_final_path": "yes" if r.on_path else "no",
                "room_took": "" if r.taken_index is None else letter(r.taken_index),
                "scored_under": group,
                "voters": sum(e[3] for e in chosen),
            }
            options = len(node.choices) if node else 0
            for i, column in enumerate(vote_columns):
                row[column] = sum(e[3] for e in chosen if e[1] == i) if i < options else None
            row.update(_shares(scenario, r, session_jurisdiction, group, chosen, options))
            rows.append(row)
    frame = pd.DataFrame(rows, columns=[*BASE_COLUMNS, *vote_columns, *TAIL_COLUMNS])
    for column in vote_columns:
        frame[column] = frame[column].astype("Int64")
    return frame


def _known(scenario: Scenario, r: RoundRow) -> bool:
    return r.node_id in scenario.nodes


def _best(scenario: Scenario, node_id: str, jurisdiction: str, options: int) -> set[int]:
    return {
        i
        for i in range(options)
        if option_score(scenario, node_id, i, jurisdiction).verdict == "best"
    }


def _shares(
    scenario: Scenario,
    r: RoundRow,
    session_jurisdiction: str,
    group: str,
    chosen: list[tuple[str, int, str, int]],
    options: int,
) -> dict[str, object]:
    if not options:
        return {"best_options": "", "share_best_act": None, "share_best": None}
    law = session_jurisdiction if group == ALL else group
    best_here = _best(scenario, r.node_id, law, options)
    voters = sum(e[3] for e in chosen)
    if not voters:
        return {
            "best_options": " ".join(letter(i) for i in sorted(best_here)),
            "share_best_act": None,
            "share_best": None,
        }
    best_by_law = {j: _best(scenario, r.node_id, j, options) for j in {e[0] for e in chosen}}
    best_acts = sum(e[3] for e in chosen if e[1] in best_by_law[e[0]])
    best_votes = sum(e[3] for e in chosen if e[2] == "best")
    return {
        "best_options": " ".join(letter(i) for i in sorted(best_here)),
        "share_best_act": round(best_acts / voters, 3),
        "share_best": round(best_votes / voters, 3),
    }


def results_csv(frame: pd.DataFrame) -> bytes:
    """The results as UTF-8 CSV, every text cell safe to open in a spreadsheet."""
    return csv_bytes(frame)
