"""The facilitator's and the participants' pages in AppTest, on one SQLite database.

Each participant is its own AppTest (its own browser session); a new AppTest with the
same learner code is a reload. Fragments are not timed in AppTest, so ``run()`` stands
for the next poll.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from engine.scenarios import load_bank
from engine.words import STEP_LABELS
from storage import Store, new_learner_code
from storage.live import LiveSessions
from tests.app.conftest import APP, PAGES, TIMEOUT, texts
from tests.live.conftest import FACILITATE, HOSTILE, check
from ui.live import export
from ui.progress_view import LIVE_MARK

TWO_STEP = "fixture-two-step"


@pytest.fixture
def fixtures_bank(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFLAB_SCENARIOS", str(HOSTILE))


def press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    return check(at)


def start_session(fac: AppTest, scenario_id: str, live: LiveSessions, instructor: str) -> str:
    fac.selectbox(key="live_vignette").set_value(scenario_id).run()
    press(fac, "live_start")
    assert fac.query_params.get("session")
    code = live.instructor_sessions(instructor)[0].join_code
    assert f"Join with code **{code}**" in texts(fac)
    return code


def vote(at: AppTest, index: int, steps: tuple[str, ...] = ()) -> AppTest:
    """Choose an option and tick steps, each saved as it changes (no submit)."""
    at.radio[0].set_value(index).run()
    check(at)
    for step in steps:
        next(box for box in at.checkbox if box.label == STEP_LABELS[step]).check().run()
        check(at)
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_facilitator_page_is_behind_the_passcode(db_url: str) -> None:
    at = AppTest.from_file(str(FACILITATE), default_timeout=60).run()
    check(at)
    assert "instructor passcode" in texts(at)
    assert not [b for b in at.button if b.key == "live_start"]
    at.text_input[0].input("not the passcode")
    at.button[0].click().run()
    assert "That passcode is not right." in texts(at)
    assert not [b for b in at.button if b.key == "live_start"]


def test_a_room_runs_a_vignette_from_start_to_kept_choices(
    fixtures_bank: None,
    open_facilitator: Callable[..., AppTest],
    open_participant: Callable[..., AppTest],
    app_live: LiveSessions,
    app_store: Store,
    instructor: str,
) -> None:
    scenario = load_bank(HOSTILE).scenarios[TWO_STEP]
    fac = open_facilitator()
    code = start_session(fac, TWO_STEP, app_live, instructor)
    assert metrics(fac) == {"Joined": "0", "Voted": "0"}
    labels = [c.label for c in scenario.nodes["intake"].choices]
    for letter, label in zip("ABC", labels, strict=True):
        assert f"#### {letter} · {label}" in texts(fac)

    ann, bob = new_learner_code(), new_learner_code()
    phone_a = open_participant(ann, code=code.lower())  # typed in lower case
    phone_b = open_participant(bob, code=code)
    for phone in (phone_a, phone_b):
        assert [h.value for h in phone.header] == ["Decision 1"]
        # the vignette's order, lettered: everyone sees the same "option B"
        assert phone.radio[0].options == [f"{x} · {y}" for x, y in zip("ABC", labels, strict=True)]
    vote(phone_a, 0, ("document",))
    vote(phone_b, 2)
    vote(phone_b, 1)  # changed before the lock
    assert "Your vote: B" in texts(phone_b)
    fac.run()
    assert metrics(fac) == {"Joined": "2", "Voted": "2"}

    press(fac, "live_lock")
    phone_b.run()
    assert "Voting is locked" in texts(phone_b) and not phone_b.radio
    press(fac, "live_reveal")
    assert len(fac.get("plotly_chart")) == 1
    shown = texts(fac)
    assert "A · Best choice" in shown and "B · Right act, missing step" in shown
    assert "Rules applied" in shown  # the engine's citations
    phone_a.run()
    assert "Your vote: A" in texts(phone_a)
    assert any("Best choice" in s.value for s in phone_a.success)
    phone_b.run()
    assert "Right act, but a required step is missing" in texts(phone_b)

    late = open_participant(new_learner_code(), code=code)  # lands on the current node
    assert "You did not vote on this decision" in texts(late)
    reloaded = open_participant(ann, code=code)  # a reload: same learner, same place
    assert "Your vote: A" in texts(reloaded)

    # one vote each: a tie, broken by the vignette's order, so the majority is the best
    assert "the majority and the best option, A" in fac.button(key="live_next_best").label
    press(fac, "live_next_best")
    phone_a.run()
    assert [h.value for h in phone_a.header] == ["Decision 2"]
    assert phone_a.radio[0].value is None  # a fresh ballot
    press(fac, "live_back")
    phone_a.run()
    assert [h.value for h in phone_a.header] == ["Decision 1"]
    assert "Your vote: A" in texts(phone_a)
    press(fac, "live_next_best")
    phone_a.run()
    vote(phone_a, 0, ("seek_authorization", "document"))
    press(fac, "live_reveal")
    press(fac, "live_next_best")
    assert "The end of the vignette" in texts(fac)
    phone_a.run()
    assert "The end of the vignette" in texts(phone_a)

    press(fac, "live_end")
    assert "End the session for everyone?" in texts(fac)
    press(fac, "live_end_confirmed")
    assert "This session has ended" in texts(fac)
    phone_a.run()
    assert "has ended" in texts(phone_a)
    press(phone_a, f"live_keep_{fac.query_params['session']}")
    assert "saved in your progress" in texts(phone_a)
    kept = app_store.choices_frame(ann)
    assert list(kept["node_id"]) == ["intake", "family-call"]
    assert list(kept["verdict"]) == ["best", "best"]
    attempts = app_store.attempts_frame(ann)
    assert attempts["finished_at"].notna().all()
    assert set(attempts["attempt_id"]) == app_live.live_attempt_ids(ann)
    # on the learner's own Progress page, the kept attempt says it came from a live session
    progress = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    progress.query_params["learner"] = ann
    progress.run()
    check(progress.switch_page(PAGES["progress"]).run())
    [table] = [d.value for d in progress.dataframe if "Vignette" in d.value.columns]
    assert list(table["Vignette"]) == [f"{scenario.title}{LIVE_MARK}"]
    # an ended code: a clear message, and the way to keep choices for those who took part
    after = open_participant(bob, code=code)
    assert "This live session has ended." in texts(after)
    assert any(b.key.startswith("live_keep_") for b in after.button)

    # the results: per node, how the votes fell and the share that chose best
    session_id = fac.query_params["session"]
    frame = export.results_frame(
        scenario,
        "MODEL",
        app_live.rounds(instructor, session_id),
        app_live.vote_tally(instructor, session_id),
    )
    first = frame[(frame["round"] == 1) & (frame["scored_under"] == "all")].iloc[0]
    assert (first["voters"], first["votes_A"], first["votes_B"], first["votes_C"]) == (2, 1, 1, 0)
    assert (first["best_options"], first["share_best_act"]) == ("A", 0.5)
    assert first["on_final_path"] == "yes" and first["room_took"] == "A"
    abandoned = frame[frame["on_final_path"] == "no"]
    assert list(abandoned["node_id"].unique()) == ["family-call"]
    csv = pd.read_csv(StringIO(export.results_csv(frame).decode("utf-8")))
    assert list(csv.columns[:8]) == export.BASE_COLUMNS


def test_codes_that_lead_nowhere_say_so(
    fixtures_bank: None,
    open_facilitator: Callable[..., AppTest],
    open_participant: Callable[..., AppTest],
    app_live: LiveSessions,
    instructor: str,
) -> None:
    unknown = open_participant(new_learner_code(), code="ZZZZZZ")
    assert "No live session has the code ZZZZZZ" in texts(unknown)
    assert unknown.text_input  # the form to type another
    malformed = open_participant(new_learner_code(), code="<b>x</b>")
    assert "That is not a session code" in texts(malformed)
    assert "<b>" not in texts(malformed)

    fac = open_facilitator()
    code = start_session(fac, TWO_STEP, app_live, instructor)
    typed = open_participant(new_learner_code())
    typed.text_input[0].input(f"{code[:3]} {code[3:]}".lower())
    typed.button[0].click().run()
    check(typed)
    assert [h.value for h in typed.header] == ["Decision 1"]
    assert typed.query_params["code"] == code  # a reload rejoins

    press(fac, "live_end")
    press(fac, "live_end_confirmed")
    ended = open_participant(new_learner_code(), code=code)
    assert "This live session has ended." in texts(ended)
    assert not [b for b in ended.button if (b.key or "").startswith("live_keep_")]


def test_vignette_text_reaches_the_room_as_text(
    fixtures_bank: None,
    open_facilitator: Callable[..., AppTest],
    open_participant: Callable[..., AppTest],
    app_live: LiveSessions,
    instructor: str,
) -> None:
    fac = open_facilitator()
    code = start_session(fac, "fixture-hostile-intake", app_live, instructor)
    phone = open_participant(new_learner_code(), code=code)
    for at in (fac, phone):
        shown = texts(at)
        assert "&lt;script>window.__pwned = 3" in shown
        assert "<script>" not in shown and "![" not in shown
    assert "&lt;i>plainly" in phone.radio[0].options[0]
    # the room's majority (B) is not the best (A): "next" can follow either; here B's way
    vote(phone, 1)
    vote(open_participant(new_learner_code(), code=code), 1)
    vote(open_participant(new_learner_code(), code=code), 0)
    press(fac, "live_reveal")
    assert fac.button(key="live_next_best").label.endswith("the best option, A")
    press(fac, "live_next_majority")
    phone.run()
    assert "unqualified promise of privacy" in texts(phone)  # the reassured ending
    press(fac, "live_leave")  # the list of sessions names it by its (hostile) title
    resume = next(b for b in fac.button if b.label.startswith("Resume"))
    assert "&lt;script>" in resume.label and "<script>" not in resume.label
