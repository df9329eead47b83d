"""My classes: join a class with its code (agreeing first to what is shared), see the
assigned vignettes and where you stand, leave, and download a CE certificate.

Consent is explicit and specific: before joining, the learner reads exactly what the
class's instructor will see and ticks a box; nothing played before that moment, nothing
outside the assigned vignettes, and nothing after leaving is ever shared.
"""

from __future__ import annotations

import streamlit as st

from storage.certificate import certificate_pdf, hours_text
from storage.class_analysis import standing
from storage.cohorts import JOIN_LENGTH, Cohort, Membership, normal_join_code
from storage.repository import StorageError
from ui.learner import current_learner, learner_params
from ui.playthrough import go_play
from ui.resources import StoreUnavailable, bank, cohorts, jurisdiction_label
from ui.text import as_text

JOIN_PARAM = "join"
SHARED = (
    "**What your instructor will see** if you join:\n\n"
    "- the choices you make in this class's assigned vignettes **from now on**: the "
    "option you chose, the steps you ticked, the verdict and points, and when;\n"
    "- how far you are through the assigned vignettes;\n"
    "- the display name below, if you give one (otherwise a random learner number).\n\n"
    "**Never shared:** your learner code, anything you played before joining, other "
    "vignettes, and anything after you leave the class."
)


def show_class_page() -> None:
    learner = current_learner()
    st.title("My classes")
    try:
        repo = cohorts()
        mine = repo.learner_memberships(learner)
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        st.button("Try again", key="class_retry", icon=":material/refresh:")
        return
    show_join(learner, {m.cohort.cohort_id for m in mine})
    if not mine:
        st.info(
            "You are not in a class. If your instructor gave you a join code, enter it "
            "above. Your practice outside a class stays private to you.",
            icon=":material/groups:",
        )
        return
    for membership in mine:
        show_membership(learner, membership)


def show_join(learner: str, joined: set[str]) -> None:
    st.subheader("Join a class")
    typed = st.text_input(
        "Join code from your instructor",
        value=st.query_params.get(JOIN_PARAM, ""),
        max_chars=20,
        placeholder="e.g. K7M2QXD",
        key="class_join_code",
    )
    if not typed.strip():
        return
    code = normal_join_code(typed)
    if code is None:
        st.error(f"A join code is {JOIN_LENGTH} letters and digits, like K7M2QXD.")
        return
    try:
        cohort = cohorts().cohort_by_join_code(code)
    except (StoreUnavailable, StorageError) as exc:
        st.error(str(exc))
        return
    if cohort is None:
        st.error("No class has that join code. Check it with your instructor.")
        return
    if cohort.cohort_id in joined:
        st.success(f"You are already in {as_text(cohort.name)}; it is listed below.")
        return
    with st.container(border=True):
        st.markdown(f"#### {as_text(cohort.name)}")
        describe_class(cohort)
        st.markdown(SHARED)
        with st.form("join_class"):
            name = st.text_input(
                "Display name for your instructor (optional)",
                max_chars=60,
                help="Only this class's instructor sees it.",
            )
            agreed = st.checkbox(
                f"I agree to share this with the instructor of {as_text(cohort.name)}"
            )
            submitted = st.form_submit_button("Join the class")
        if submitted:
            if not agreed:
                st.error("Tick the box to agree first: nothing is shared without it.")
                return
            try:
                cohorts().join(learner, code, consented=True, display_name=name)
            except StorageError as exc:
                st.error(str(exc))
                return
            st.query_params.pop(JOIN_PARAM, None)
            st.session_state.pop("class_join_code", None)
            st.rerun()


def describe_class(cohort: Cohort) -> None:
    titles = bank().scenarios
    due = f" · due {cohort.due_at:%d %b %Y}" if cohort.due_at else ""
    st.markdown(
        f"Pass mark {cohort.pass_mark}%{due} · {len(cohort.assigned)} assigned "
        + ("vignette" if len(cohort.assigned) == 1 else "vignettes")
        + " · each played under the law of the state it is written for (model-law ones "
        + f"under {as_text(jurisdiction_label(cohort.jurisdiction))})"
    )
    names = [titles[s].title if s in titles else s for s in cohort.assigned]
    st.markdown("\n".join(f"- {as_text(n)}" for n in names))


def show_membership(learner: str, membership: Membership) -> None:
    cohort = membership.cohort
    scenarios = bank().scenarios
    with st.container(border=True):
        st.subheader(as_text(cohort.name))
        try:
            shared = cohorts().learner_shared(learner, cohort.cohort_id)
        except (StoreUnavailable, StorageError) as exc:
            st.error(str(exc))
            return
        mine = standing(shared, cohort)
        due = f" · due {cohort.due_at:%d %b %Y}" if cohort.due_at else ""
        st.caption(
            f"Pass mark {cohort.pass_mark}%{due} · sharing since {membership.consented_at:%d %b %Y}"
        )
        for scenario_id, best in mine.best.items():
            scenario = scenarios.get(scenario_id)
            title = scenario.title if scenario else scenario_id
            if best is None:
                status = "not finished yet"
            elif best >= cohort.pass_mark:
                status = f"passed: best score {best:.0f}%"
            else:
                status = f"best score {best:.0f}%, below the pass mark"
            left, right = st.columns([3, 1], vertical_alignment="center")
            law = cohort.jurisdiction_for(scenario.jurisdiction) if scenario else "?"
            left.markdown(f"**{as_text(title)}** ({law}) · {status}")
            if scenario is not None and right.button(
                "Play",
                key=f"class_play_{cohort.cohort_id}_{scenario_id}",
                icon=":material/play_arrow:",
            ):
                # the start panel (with its content note) opens on the class's law for it
                law = cohort.jurisdiction_for(scenario.jurisdiction)
                st.session_state[f"start_jurisdiction_{scenario_id}"] = law
                go_play(learner_params(), scenario_id=scenario_id)
        show_certificate(learner, membership, mine.complete, mine.percent)
        with st.expander("Leave this class"):
            st.write(
                "Leaving stops sharing from now on. What you shared before stays with the "
                "class's instructor; your own history stays yours."
            )
            if st.button("Leave the class", key=f"class_leave_{cohort.cohort_id}"):
                try:
                    cohorts().leave(learner, cohort.cohort_id)
                except StorageError as exc:
                    st.error(str(exc))
                    return
                st.rerun()


def show_certificate(learner: str, membership: Membership, complete: bool, percent: int) -> None:
    cohort = membership.cohort
    if not complete:
        st.caption(
            "A certificate of completion is available once every assigned vignette is "
            f"finished at {cohort.pass_mark}% or more."
        )
        return
    scenarios = bank().scenarios
    assigned = [scenarios[s] for s in cohort.assigned if s in scenarios]
    minutes = sum(s.minutes for s in assigned)
    objectives = list(dict.fromkeys(o for s in assigned for o in s.learning_objectives))
    st.success(
        f"Complete: {percent}% overall. Your certificate counts {hours_text(minutes)}.",
        icon=":material/workspace_premium:",
    )
    key = f"certificate_{cohort.cohort_id}"
    with st.form(f"certificate_form_{cohort.cohort_id}"):
        name = st.text_input(
            "Your name as it should appear on the certificate",
            value=membership.display_name or "",
            max_chars=60,
        )
        made = st.form_submit_button("Make my certificate")
    if made:
        try:
            record = cohorts().record_certificate(
                learner,
                cohort.cohort_id,
                display_name=name,
                minutes=minutes,
                objectives=objectives,
            )
        except StorageError as exc:
            st.error(str(exc))
            return
        st.session_state[key] = record
    record = st.session_state.get(key)
    if record:
        st.download_button(
            "Download the certificate (PDF)",
            data=certificate_pdf(record),
            file_name=f"certificate-{record['certificate_id']}.pdf",
            mime="application/pdf",
            icon=":material/download:",
            key=f"certificate_download_{cohort.cohort_id}",
        )
        st.caption(f"Certificate id {record['certificate_id']}: your instructor can confirm it.")
