"""The end of a vignette: debrief, the learner's path on the branch map, the paths not
taken with their scores, the score by category, and a replay under another law.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from engine.scenarios import Scenario
from storage.store import OpenAttempt, StorageError, Store, split_steps
from ui import computed, focus, playthrough
from ui.charts import category_label
from ui.feedback import ticked_line, verdict_title
from ui.resources import jurisdiction_codes, jurisdiction_label, scenarios_folder
from ui.text import as_text

INLINE_PATHS = 3
MAP_LEGEND = (
    "Your path is drawn in bold. Each arrow is an option, labelled with the verdict and "
    "points its act earns with the steps the law asks for; colours repeat the verdict "
    "(green best, teal acceptable, orange a missing step, red a breach or a failure to "
    "protect). On a small screen, open the map full screen to read it."
)


def show_ending(store: Store, learner: str, scenario: Scenario, attempt: OpenAttempt) -> None:
    if not attempt.finished:
        playthrough.finish(store, learner, attempt.attempt_id)
    node = scenario.nodes[attempt.current_node]
    override = playthrough.scoring_jurisdiction(scenario, attempt.jurisdiction)
    folder = scenarios_folder()

    st.header("Debrief", anchor=False)
    focus.apply("debrief")
    st.markdown(as_text(node.text))
    with st.container(border=True):
        st.markdown(as_text(node.debrief))

    try:
        rows = store.choices_frame(learner, attempt.attempt_id)
    except StorageError as exc:  # the debrief still teaches without the saved rows
        st.warning(str(exc))
        rows = None
    if rows is not None:
        show_your_choices(rows)

    st.subheader("Your path on the branch map")
    st.caption(MAP_LEGEND)
    st.graphviz_chart(
        computed.branch_dot(folder, scenario.id, override, attempt.path), width="stretch"
    )
    show_map_as_list(folder, scenario, override, attempt.path)

    show_paths_not_taken(folder, scenario, override, attempt.path)
    show_replay(store, learner, scenario, attempt)

    st.divider()
    left, right = st.columns(2)
    left.page_link("ui/pages/home.py", label="Choose another vignette", icon=":material/home:")
    right.page_link("ui/pages/progress.py", label="See your progress", icon=":material/insights:")


def show_map_as_list(
    folder: str, scenario: Scenario, override: str | None, path: tuple[tuple[str, int], ...]
) -> None:
    """The same map in words, for a phone's small screen and for screen readers."""
    chosen = set(path)
    with st.expander("The map as a list"):
        lines = []
        for row in computed.map_as_list(folder, scenario.id, override):
            lines.append(f"**Decision {row['number']}: {row['about']}**")
            for option in row["options"]:
                mine = " — *your choice*" if (row["node_id"], option["index"]) in chosen else ""
                lines.append(
                    f"- {as_text(option['label'])}: {option['verdict']}, "
                    f"{option['points']} points{mine}"
                )
        st.markdown("\n".join(lines))


def show_your_choices(rows: pd.DataFrame) -> None:
    st.subheader("Your choices")
    if rows.empty:
        st.info("No choices were saved for this attempt.")
        return
    total = int(rows["points"].sum())
    st.markdown(
        "\n".join(
            f"{n}. {as_text(row.choice_label)}"
            + (f" (steps: {ticked_line(split_steps(row.steps))})" if row.steps is not None else "")
            + f" — **{verdict_title(row.verdict)}**, {row.points} points"
            for n, row in enumerate(rows.itertuples(), start=1)
        )
    )
    st.metric("Your score", f"{total} of {100 * len(rows)}", help="100 points per best choice")
    by_category = (
        rows.groupby("category", sort=False)["points"].agg(["count", "mean"]).reset_index()
    )
    st.markdown("**Score by category**")
    st.table(
        pd.DataFrame(
            {
                "Category": [category_label(c) for c in by_category["category"]],
                "Decisions": by_category["count"].astype(int),
                "Average points": by_category["mean"].round().astype(int),
            }
        ).set_index("Category")
    )


def show_paths_not_taken(
    folder: str, scenario: Scenario, override: str | None, path: tuple[tuple[str, int], ...]
) -> None:
    rows, count = computed.other_paths(folder, scenario.id, override, path)
    st.subheader("Paths not taken")
    if not count:
        st.info("You took the only path through this vignette.")
        return
    st.caption(
        f"{count} other way{'s' if count > 1 else ''} through this vignette, best first, "
        "with what each option's act would have scored with the steps the law asks for."
    )
    shown, rest = rows[:INLINE_PATHS], rows[INLINE_PATHS:]
    st.markdown("\n".join(describe_path(n, row) for n, row in enumerate(shown, start=1)))
    if rest:
        more = f"{len(rest)} more" + (
            f" (the best {len(rows)} of {count} are listed)" if count > len(rows) else ""
        )
        with st.expander(more):
            st.markdown(
                "\n".join(
                    describe_path(n, row) for n, row in enumerate(rest, start=INLINE_PATHS + 1)
                )
            )


def describe_path(n: int, row: dict) -> str:
    steps = " → ".join(
        f"{as_text(step['label'])} (*{verdict_title(step['verdict'])}, {step['points']}*)"
        for step in row["steps"]
    )
    return (
        f"{n}. **Average {row['average']} per decision** ({row['total']} points in "
        f"{len(row['steps'])}): {steps}"
    )


def show_replay(store: Store, learner: str, scenario: Scenario, attempt: OpenAttempt) -> None:
    """Re-score the learner's own path under another law, then offer to replay it."""
    st.subheader("Replay under another jurisdiction")
    folder = scenarios_folder()
    path = attempt.path
    steps = attempt.steps
    here = computed.rescored(
        folder,
        scenario.id,
        path,
        steps,
        playthrough.scoring_jurisdiction(scenario, attempt.jurisdiction),
    )
    codes = [code for code in jurisdiction_codes() if code != attempt.jurisdiction]
    differs = [
        code
        for code in codes
        if computed.rescored(
            folder, scenario.id, path, steps, playthrough.scoring_jurisdiction(scenario, code)
        )
        != here
    ]
    if differs:
        names = ", ".join(jurisdiction_label(code) for code in differs[:8])
        more = f" and {len(differs) - 8} more" if len(differs) > 8 else ""
        st.markdown(f"The same choices score differently under the law of: {names}{more}.")
    else:
        st.markdown("Your choices score the same under every other jurisdiction's law.")
    other = st.selectbox(
        "Jurisdiction to replay under",
        differs + [code for code in codes if code not in differs],
        format_func=jurisdiction_label,
        key=f"replay_{attempt.attempt_id}",
    )
    there = computed.rescored(
        folder, scenario.id, path, steps, playthrough.scoring_jurisdiction(scenario, other)
    )
    st.table(
        pd.DataFrame(
            {
                "Decision": list(range(1, len(path) + 1)),
                f"Under {attempt.jurisdiction}": [
                    f"{verdict_title(s['verdict'])}, {s['points']}" for s in here
                ],
                f"Under {other}": [f"{verdict_title(s['verdict'])}, {s['points']}" for s in there],
            }
        ).set_index("Decision")
    )
    if error := st.session_state.pop("start_error", None):  # the replay could not start
        st.error(error, icon=":material/cloud_off:")
    st.button(
        f"Replay under {jurisdiction_label(other)}",
        key="replay",
        type="primary",
        on_click=playthrough.replay,
        args=(store, learner, scenario, other),
        icon=":material/replay:",
    )
