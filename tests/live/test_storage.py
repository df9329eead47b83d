"""storage.live on SQLite and PostgreSQL: running a room, joining, voting, keeping.

Also the bound on database work per participant: a poll is one statement, and the read
after the facilitator acts is one more.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event, inspect

from storage import Store, new_learner_code
from storage.live import (
    CLOSED,
    ENDED,
    LOCKED,
    MOVED_ON,
    NOTHING_TO_KEEP,
    REVEALED,
    VOTING,
    LiveSessions,
    LiveState,
    normal_join_code,
)
from storage.repository import StorageError
from storage.schema import live_participants, live_rounds, live_sessions, live_votes


def start(live: LiveSessions, instructor: str) -> LiveState:
    return live.start_session(
        instructor, scenario_id="vignette", jurisdiction="US-CA", start_node="n1"
    )


def cast(live: LiveSessions, state: LiveState, learner: str, index: int, **extra: object) -> None:
    values = {
        "round_no": state.round_no,
        "choice_index": index,
        "choice_label": f"option {index}",
        "steps": ("document",),
        "jurisdiction": "US-CA",
        "verdict": "best" if index == 0 else "over_disclosure",
        "points": 100 if index == 0 else 0,
        "category": "imminent_danger",
    }
    values.update(extra)
    live.vote(state.session_id, learner, **values)  # type: ignore[arg-type]


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def hook(conn, cursor, sql, *_):  # noqa: ANN001, ANN202
        seen.append(sql)

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", hook)


def test_a_room_votes_reveals_moves_on_and_goes_back(live: LiveSessions) -> None:
    teacher, ann, bob = new_learner_code(), new_learner_code(), new_learner_code()
    state = start(live, teacher)
    assert len(state.join_code) == 6 and state.phase == VOTING and state.step == 0
    # the code as typed on a phone: lower case, spaced
    typed = f" {state.join_code[:3].lower()} {state.join_code[3:].lower()} "
    assert live.find(typed).session_id == state.session_id
    live.join(state.session_id, ann)
    live.join(state.session_id, ann)  # twice is harmless
    live.join(state.session_id, bob, jurisdiction="US-TX")
    cast(live, state, ann, 1)
    cast(live, state, ann, 0)  # changed her mind
    cast(live, state, bob, 2, jurisdiction="US-TX")
    counts = live.counts(state.session_id, state.round_no)
    assert (counts.joined, counts.voted, counts.votes) == (2, 2, {0: 1, 2: 1})
    view = live.participant_view(state.session_id, ann)
    assert view.joined and view.vote.choice_index == 0 and view.vote.steps == ("document",)
    assert live.participant_view(state.session_id, bob).jurisdiction == "US-TX"

    locked = live.set_phase(teacher, state.session_id, state.version, LOCKED)
    assert locked.version == state.version + 1
    with pytest.raises(StorageError, match=re.escape(CLOSED)):
        cast(live, locked, ann, 1)
    revealed = live.set_phase(teacher, state.session_id, locked.version, REVEALED)
    with pytest.raises(
        StorageError, match=re.escape(MOVED_ON)
    ):  # a double click: the stale version
        live.set_phase(teacher, state.session_id, locked.version, REVEALED)
    moved = live.advance(teacher, state.session_id, revealed.version, taken_index=0, next_node="n2")
    assert (moved.node_id, moved.step, moved.phase) == ("n2", 1, VOTING)
    with pytest.raises(StorageError, match=re.escape(CLOSED)):  # a vote for the node the room left
        cast(live, revealed, ann, 1)
    cast(live, moved, ann, 1)
    back = live.back(teacher, state.session_id, moved.version)
    assert (back.node_id, back.round_no, back.phase) == ("n1", 1, REVEALED)
    again = live.advance(teacher, state.session_id, back.version, taken_index=2, next_node="n3")
    rounds = live.rounds(teacher, state.session_id)
    assert [(r.round_no, r.node_id, r.on_path, r.taken_index) for r in rounds] == [
        (1, "n1", True, 2),
        (2, "n2", False, None),
        (3, "n3", True, None),
    ]
    assert again.round_no == 3
    tally = live.vote_tally(teacher, state.session_id)
    assert sorted(tally) == [
        (1, "US-CA", 0, "best", 1),
        (1, "US-TX", 2, "over_disclosure", 1),
        (2, "US-CA", 1, "over_disclosure", 1),
    ]


def test_only_its_instructor_runs_a_session(live: LiveSessions) -> None:
    teacher, other = new_learner_code(), new_learner_code()
    state = start(live, teacher)
    assert live.owned_session(other, state.session_id) is None
    assert live.instructor_sessions(other) == []
    assert [s.session_id for s in live.instructor_sessions(teacher)] == [state.session_id]
    with pytest.raises(StorageError):
        live.set_phase(other, state.session_id, state.version, REVEALED)
    with pytest.raises(StorageError):
        live.rounds(other, state.session_id)
    with pytest.raises(StorageError):
        live.end(other, state.session_id)
    assert live.poll(state.session_id) == state.version  # nothing moved


def test_an_ended_session_refuses_joins_and_votes(live: LiveSessions) -> None:
    teacher, ann, late = new_learner_code(), new_learner_code(), new_learner_code()
    state = start(live, teacher)
    live.join(state.session_id, ann)
    ended = live.end(teacher, state.session_id)
    assert ended.ended and ended.version == state.version + 1
    assert live.end(teacher, state.session_id).ended_at == ended.ended_at  # once
    with pytest.raises(StorageError, match=re.escape(ENDED)):
        live.join(state.session_id, late)
    with pytest.raises(StorageError, match=re.escape(ENDED)):
        cast(live, state, ann, 0)
    with pytest.raises(StorageError, match=re.escape(ENDED)):
        live.advance(teacher, state.session_id, ended.version, taken_index=0, next_node="n2")
    assert live.find(state.join_code).ended
    assert live.find("NOPE00") is None and live.find("not a code") is None


def test_kept_choices_become_a_finished_attempt_in_the_learners_history(
    live: LiveSessions, engine: Engine
) -> None:
    teacher, ann, bob = new_learner_code(), new_learner_code(), new_learner_code()
    state = start(live, teacher)
    for learner in (ann, bob):
        live.join(state.session_id, learner)
    cast(live, state, ann, 1)
    state = live.set_phase(teacher, state.session_id, state.version, REVEALED)
    state = live.advance(teacher, state.session_id, state.version, taken_index=0, next_node="n2")
    cast(live, state, ann, 0)
    path = live.path_votes(state.session_id, ann)
    assert [(p.node_id, p.next_node, p.vote.choice_index) for p in path] == [
        ("n1", "n2", 1),
        ("n2", None, 0),
    ]
    made = [
        {
            "node_id": p.node_id,
            "choice_index": p.vote.choice_index,
            "choice_label": p.label,
            "steps": p.vote.steps,
            "verdict": p.vote.verdict,
            "points": p.vote.points,
            "category": p.category,
            "jurisdiction": p.vote.jurisdiction,
            "next_node": p.next_node or "end",
        }
        for p in path
    ]
    keep = {
        "scenario_id": "vignette",
        "jurisdiction": "US-CA",
        "category": "imminent_danger",
        "start_node": "n1",
        "current_node": "n2",
    }
    attempt_id = live.keep_choices(state.session_id, ann, made=made, **keep)
    assert live.keep_choices(state.session_id, ann, made=made, **keep) == attempt_id  # once
    store = Store(engine)
    attempt = store.get_attempt(attempt_id, ann)
    assert attempt.finished and attempt.path == (("n1", 1), ("n2", 0))
    frame = store.choices_frame(ann)
    assert list(frame["verdict"]) == ["over_disclosure", "best"]
    assert list(frame["steps"]) == ["document", "document"]
    assert live.live_attempt_ids(ann) == {attempt_id}
    assert live.participant_view(state.session_id, ann).kept_attempt == attempt_id
    with pytest.raises(StorageError, match=re.escape(NOTHING_TO_KEEP)):
        live.keep_choices(state.session_id, bob, made=[], **keep)
    assert store.attempt_counts(bob) == (0, 0, 0)


def test_a_poll_is_one_statement_and_a_change_one_more(live: LiveSessions, engine: Engine) -> None:
    """The bound on a participant's load: while nothing changes, one primary-key read per
    poll; after the facilitator acts, the participant's view is one statement too."""
    teacher, ann = new_learner_code(), new_learner_code()
    state = start(live, teacher)
    live.join(state.session_id, ann)
    with statements(engine) as seen:
        assert live.poll(state.session_id) == state.version
    assert len(seen) == 1 and seen[0].lstrip().upper().startswith("SELECT")
    with statements(engine) as seen:
        view = live.participant_view(state.session_id, ann)
    assert len(seen) == 1 and view.state.version == state.version
    with statements(engine) as seen:
        live.counts(state.session_id, state.round_no)
    assert len(seen) <= 2  # the presenter's counts: one statement (two when no votes yet)


def test_join_codes() -> None:
    assert normal_join_code("k7q x2m") == "K7QX2M"
    assert normal_join_code("K7QX2") is None  # too short
    assert normal_join_code("K7QX2O") is None  # O is never in a code
    assert normal_join_code("=1+1") is None
    assert normal_join_code(None) is None


def test_the_migration_makes_the_tables_the_code_reads(engine: Engine) -> None:
    inspector = inspect(engine)
    for table in (live_sessions, live_rounds, live_participants, live_votes):
        assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.c.keys())
        primary = inspector.get_pk_constraint(table.name)["constrained_columns"]
        assert set(primary) == {column.name for column in table.primary_key}
    assert "ix_live_participants_attempt" in {
        index["name"] for index in inspector.get_indexes("live_participants")
    }
