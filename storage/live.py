"""Live sessions: a facilitator runs one vignette for a room; the room votes from phones.

All shared state is in the database, never in a server's memory, so any number of app
servers on one PostgreSQL serve the same room: the facilitator may be on one server and
every participant on another.

The load a participant puts on the database is bounded by design. A participant's page
polls :meth:`LiveSessions.poll`: one primary-key lookup of the session row returning
its ``version``, which moves on only when the facilitator acts (lock, reveal, next,
back, end). While it is unchanged the page reads nothing else. When it moves, the page
reads :meth:`LiveSessions.participant_view` once (one statement: the session row, the
participant row and their vote, all by primary key). Votes never move the version, so a
room voting does not make every phone re-read.

Privacy: participants are known by the SHA-256 of their learner code only; the
facilitator's reads return counts, never who voted what. Facilitator writes check the
instructor's key and the version the facilitator saw, so a double click or a second
window cannot move the room twice.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, insert, select, update

from storage.learner_code import learner_key
from storage.repository import Repository, StorageError
from storage.schema import (
    attempts,
    choices,
    instructors,
    learners,
    live_participants,
    live_rounds,
    live_sessions,
    live_votes,
    utcnow,
)
from storage.short_codes import new_code, normal_code

CODE_LENGTH = 6  # 31^6, about 900 million: unguessable for a session's lifetime
VOTING, LOCKED, REVEALED, ENDING = "voting", "locked", "revealed", "ending"
PHASES = (VOTING, LOCKED, REVEALED, ENDING)

LOAD_FAILED = "Could not read the live session right now; nothing was lost — try again."
SAVE_FAILED = "Could not save that right now; nothing was lost — try again."
VOTE_FAILED = "Your vote could not be saved right now — choose again in a moment."
BAD_INSTRUCTOR = "That instructor code is not valid."
NOT_YOURS = "That live session was not found among yours."
MOVED_ON = (
    "The session changed in another window (or a second click arrived); it is shown as it is now."
)
ENDED = "This live session has ended."
CLOSED = "Voting on this decision has closed; your vote was not changed."
NOT_JOINED = "Join the session first."
NOTHING_TO_KEEP = "You did not vote in this session, so there is nothing to keep."
NO_PARENT = "This is the first decision: there is nothing to go back to."


@dataclass(frozen=True)
class LiveState:
    """Where a room is: what a participant's page and the presenter view draw."""

    session_id: str
    join_code: str
    scenario_id: str
    jurisdiction: str
    round_no: int
    step: int
    """Decisions the room has made before this node (0 at the start)."""
    node_id: str
    phase: str
    version: int
    created_at: datetime
    ended_at: datetime | None

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    @property
    def voting_open(self) -> bool:
        return self.phase == VOTING and not self.ended


@dataclass(frozen=True)
class Vote:
    choice_index: int
    steps: tuple[str, ...]
    jurisdiction: str
    verdict: str
    points: int


@dataclass(frozen=True)
class ParticipantView:
    """The room as one participant sees it: the state, their law, their vote here."""

    state: LiveState
    joined: bool
    jurisdiction: str | None
    vote: Vote | None
    kept_attempt: str | None


@dataclass(frozen=True)
class Counts:
    """The presenter's live figures for the current round."""

    joined: int
    votes: dict[int, int]
    """choice_index -> votes."""

    @property
    def voted(self) -> int:
        return sum(self.votes.values())


@dataclass(frozen=True)
class RoundRow:
    """One node the room was taken to, for the results export."""

    round_no: int
    parent_round: int | None
    step: int
    node_id: str
    phase: str
    taken_index: int | None
    on_path: bool
    """On the room's way from the start to where it is now (not left by "back")."""


@dataclass(frozen=True)
class PathVote:
    """A round on the room's path, with this participant's vote there (if any)."""

    round_no: int
    node_id: str
    next_node: str | None
    """Where the room went from here; None if it has not moved on."""
    vote: Vote | None
    label: str | None
    category: str | None


def new_join_code() -> str:
    return new_code(CODE_LENGTH)


def normal_join_code(text: str | None) -> str | None:
    """A typed or scanned code in canonical form, or None (``storage.short_codes``)."""
    return normal_code(text, CODE_LENGTH)


def _participant(session_id: str, key: str) -> ColumnElement[bool]:
    """The one row that is this learner in this session (the table's primary key)."""
    return and_(
        live_participants.c.session_id == session_id, live_participants.c.learner_key == key
    )


def _state(row: Any) -> LiveState:
    return LiveState(
        session_id=row.session_id,
        join_code=row.join_code,
        scenario_id=row.scenario_id,
        jurisdiction=row.jurisdiction,
        round_no=int(row.round_no),
        step=int(row.step),
        node_id=row.node_id,
        phase=row.phase,
        version=int(row.version),
        created_at=row.created_at,
        ended_at=row.ended_at,
    )


def _vote(row: Any) -> Vote:
    return Vote(
        choice_index=int(row.choice_index),
        steps=tuple(row.steps.split()),
        jurisdiction=row.jurisdiction,
        verdict=row.verdict,
        points=int(row.points),
    )


_SESSION_COLUMNS = tuple(live_sessions.c[name] for name in (
    "session_id", "join_code", "scenario_id", "jurisdiction", "round_no", "step",
    "node_id", "phase", "version", "created_at", "ended_at",
))  # fmt: skip


class LiveSessions(Repository):
    """Run a room (facilitator), join and vote (participants), and the results."""

    # -- facilitator ------------------------------------------------------------------

    @staticmethod
    def _instructor_key(code: str) -> str:
        key = learner_key(code)  # the same code format and hash as a learner's
        if key is None:
            raise StorageError(BAD_INSTRUCTOR)
        return key

    def start_session(
        self,
        instructor: str,
        *,
        scenario_id: str,
        jurisdiction: str,
        start_node: str,
        phase: str = VOTING,
    ) -> LiveState:
        """A new room at the vignette's first node, with a fresh join code."""
        key = self._instructor_key(instructor)
        session_id = uuid.uuid4().hex
        for _ in range(5):
            code = new_join_code()

            def work(conn: Connection, code: str = code) -> LiveState | None:
                clash = conn.execute(
                    select(live_sessions.c.session_id).where(live_sessions.c.join_code == code)
                ).first()
                if clash is not None:
                    return None
                known = conn.execute(
                    select(instructors.c.instructor_key).where(instructors.c.instructor_key == key)
                ).first()
                now = utcnow()
                if known is None:
                    conn.execute(insert(instructors).values(instructor_key=key, created_at=now))
                done = conn.execute(
                    select(live_sessions.c.session_id).where(
                        live_sessions.c.session_id == session_id
                    )
                ).first()
                if done is None:  # None unless a previous try committed but looked failed
                    conn.execute(
                        insert(live_sessions).values(
                            session_id=session_id,
                            join_code=code,
                            instructor_key=key,
                            scenario_id=scenario_id,
                            jurisdiction=jurisdiction,
                            round_no=1,
                            step=0,
                            node_id=start_node,
                            phase=phase,
                            version=1,
                            created_at=now,
                            ended_at=None,
                        )
                    )
                    conn.execute(
                        insert(live_rounds).values(
                            session_id=session_id,
                            round_no=1,
                            parent_round=None,
                            step=0,
                            node_id=start_node,
                            phase=phase,
                            taken_index=None,
                            opened_at=now,
                        )
                    )
                return self._read(conn, session_id)

            state = self._run("start_session", session_id, SAVE_FAILED, work)
            if state is not None:
                return state
        raise StorageError(SAVE_FAILED, retryable=True)

    @staticmethod
    def _read(conn: Connection, session_id: str) -> LiveState:
        row = conn.execute(
            select(*_SESSION_COLUMNS).where(live_sessions.c.session_id == session_id)
        ).one()
        return _state(row)

    def _owned(self, conn: Connection, key: str, session_id: str) -> LiveState:
        row = conn.execute(
            select(*_SESSION_COLUMNS, live_sessions.c.instructor_key).where(
                live_sessions.c.session_id == session_id
            )
        ).first()
        if row is None or not hmac.compare_digest(row.instructor_key, key):
            raise StorageError(NOT_YOURS)
        return _state(row)

    def owned_session(self, instructor: str, session_id: str) -> LiveState | None:
        """That session if it is this instructor's; None otherwise (ids cannot be probed)."""
        key = self._instructor_key(instructor)

        def work(conn: Connection) -> LiveState | None:
            try:
                return self._owned(conn, key, session_id)
            except StorageError:
                return None

        return self._run("owned_session", session_id, LOAD_FAILED, work)

    def instructor_sessions(self, instructor: str, limit: int = 20) -> list[LiveState]:
        """This instructor's sessions, newest first."""
        key = self._instructor_key(instructor)

        def work(conn: Connection) -> list[LiveState]:
            rows = conn.execute(
                select(*_SESSION_COLUMNS)
                .where(live_sessions.c.instructor_key == key)
                .order_by(live_sessions.c.created_at.desc(), live_sessions.c.session_id)
                .limit(limit)
            )
            return [_state(row) for row in rows]

        return self._run("instructor_sessions", None, LOAD_FAILED, work)

    def _move(
        self,
        op: str,
        instructor: str,
        session_id: str,
        seen_version: int,
        change: Any,
    ) -> LiveState:
        """Apply ``change(conn, state)`` if the session is the instructor's, still open
        and still at ``seen_version``; bump the version in the same transaction."""
        key = self._instructor_key(instructor)

        def work(conn: Connection) -> LiveState:
            state = self._owned(conn, key, session_id)
            if state.ended:
                raise StorageError(ENDED)
            if state.version != seen_version:
                raise StorageError(MOVED_ON)
            values = change(conn, state)
            result = conn.execute(
                update(live_sessions)
                .where(
                    and_(
                        live_sessions.c.session_id == session_id,
                        live_sessions.c.version == seen_version,
                    )
                )
                .values(version=seen_version + 1, **values)
            )
            if result.rowcount != 1:  # another server moved it between our read and write
                raise StorageError(MOVED_ON)
            return self._read(conn, session_id)

        return self._run(op, session_id, SAVE_FAILED, work)

    def set_phase(
        self, instructor: str, session_id: str, seen_version: int, phase: str
    ) -> LiveState:
        """Lock or reopen voting, or reveal (which also closes voting)."""
        if phase not in (VOTING, LOCKED, REVEALED):
            raise ValueError(f"not a phase the facilitator sets: {phase}")

        def change(conn: Connection, state: LiveState) -> dict[str, Any]:
            if state.phase == ENDING:
                raise StorageError("The room is at an ending: there is nothing to vote on.")
            conn.execute(
                update(live_rounds)
                .where(
                    and_(
                        live_rounds.c.session_id == session_id,
                        live_rounds.c.round_no == state.round_no,
                    )
                )
                .values(phase=phase)
            )
            return {"phase": phase}

        return self._move("set_phase", instructor, session_id, seen_version, change)

    def advance(
        self,
        instructor: str,
        session_id: str,
        seen_version: int,
        *,
        taken_index: int,
        next_node: str,
        next_phase: str = VOTING,
    ) -> LiveState:
        """Take the room along option ``taken_index`` to ``next_node`` (a new round)."""

        def change(conn: Connection, state: LiveState) -> dict[str, Any]:
            conn.execute(
                update(live_rounds)
                .where(
                    and_(
                        live_rounds.c.session_id == session_id,
                        live_rounds.c.round_no == state.round_no,
                    )
                )
                .values(taken_index=taken_index, phase=REVEALED)
            )
            last = conn.execute(
                select(func.max(live_rounds.c.round_no)).where(
                    live_rounds.c.session_id == session_id
                )
            ).scalar_one()
            new = int(last) + 1
            conn.execute(
                insert(live_rounds).values(
                    session_id=session_id,
                    round_no=new,
                    parent_round=state.round_no,
                    step=state.step + 1,
                    node_id=next_node,
                    phase=next_phase,
                    taken_index=None,
                    opened_at=utcnow(),
                )
            )
            return {
                "round_no": new,
                "step": state.step + 1,
                "node_id": next_node,
                "phase": next_phase,
            }

        return self._move("advance", instructor, session_id, seen_version, change)

    def back(self, instructor: str, session_id: str, seen_version: int) -> LiveState:
        """Return the room to the node before this one, as it was left (revealed)."""

        def change(conn: Connection, state: LiveState) -> dict[str, Any]:
            here = conn.execute(
                select(live_rounds.c.parent_round).where(
                    and_(
                        live_rounds.c.session_id == session_id,
                        live_rounds.c.round_no == state.round_no,
                    )
                )
            ).one()
            if here.parent_round is None:
                raise StorageError(NO_PARENT)
            parent = conn.execute(
                select(live_rounds).where(
                    and_(
                        live_rounds.c.session_id == session_id,
                        live_rounds.c.round_no == here.parent_round,
                    )
                )
            ).one()
            conn.execute(
                update(live_rounds)
                .where(
                    and_(
                        live_rounds.c.session_id == session_id,
                        live_rounds.c.round_no == parent.round_no,
                    )
                )
                .values(taken_index=None)
            )
            return {
                "round_no": parent.round_no,
                "step": parent.step,
                "node_id": parent.node_id,
                "phase": parent.phase,
            }

        return self._move("back", instructor, session_id, seen_version, change)

    def end(self, instructor: str, session_id: str) -> LiveState:
        """Close the room (once; ending again keeps the first time)."""
        key = self._instructor_key(instructor)

        def work(conn: Connection) -> LiveState:
            state = self._owned(conn, key, session_id)
            if not state.ended:
                conn.execute(
                    update(live_sessions)
                    .where(live_sessions.c.session_id == session_id)
                    .values(ended_at=utcnow(), version=live_sessions.c.version + 1)
                )
            return self._read(conn, session_id)

        return self._run("end", session_id, SAVE_FAILED, work)

    def counts(self, session_id: str, round_no: int) -> Counts:
        """Joined and votes per option for a round: one statement, both by primary key."""

        def work(conn: Connection) -> Counts:
            joined = (
                select(func.count())
                .select_from(live_participants)
                .where(live_participants.c.session_id == session_id)
                .scalar_subquery()
            )
            rows = conn.execute(
                select(joined, live_votes.c.choice_index, func.count(live_votes.c.learner_key))
                .select_from(live_votes)
                .where(
                    and_(live_votes.c.session_id == session_id, live_votes.c.round_no == round_no)
                )
                .group_by(live_votes.c.choice_index)
            ).all()
            if not rows:
                return Counts(joined=int(conn.execute(select(joined)).scalar_one()), votes={})
            return Counts(joined=int(rows[0][0]), votes={int(row[1]): int(row[2]) for row in rows})

        return self._run("counts", session_id, LOAD_FAILED, work)

    def rounds(self, instructor: str, session_id: str) -> list[RoundRow]:
        """Every node the room was taken to, in order, marking the way it finally took."""
        key = self._instructor_key(instructor)

        def work(conn: Connection) -> list[RoundRow]:
            state = self._owned(conn, key, session_id)
            rows = conn.execute(
                select(live_rounds)
                .where(live_rounds.c.session_id == session_id)
                .order_by(live_rounds.c.round_no)
            ).all()
            return _rounds(rows, state.round_no)

        return self._run("rounds", session_id, LOAD_FAILED, work)

    def vote_tally(self, instructor: str, session_id: str) -> list[tuple[int, str, int, str, int]]:
        """(round, participant's jurisdiction, option, verdict, votes) over the session:
        what the results export summarises. Counts only, never who voted."""
        key = self._instructor_key(instructor)

        def work(conn: Connection) -> list[tuple[int, str, int, str, int]]:
            self._owned(conn, key, session_id)
            rows = conn.execute(
                select(
                    live_votes.c.round_no,
                    live_votes.c.jurisdiction,
                    live_votes.c.choice_index,
                    live_votes.c.verdict,
                    func.count(),
                )
                .where(live_votes.c.session_id == session_id)
                .group_by(
                    live_votes.c.round_no,
                    live_votes.c.jurisdiction,
                    live_votes.c.choice_index,
                    live_votes.c.verdict,
                )
                .order_by(live_votes.c.round_no, live_votes.c.jurisdiction)
            ).all()
            return [(int(r[0]), r[1], int(r[2]), r[3], int(r[4])) for r in rows]

        return self._run("vote_tally", session_id, LOAD_FAILED, work)

    # -- participants -----------------------------------------------------------------

    def find(self, join_code: str) -> LiveState | None:
        """The session with this code (ended or not), or None."""
        code = normal_join_code(join_code)
        if code is None:
            return None

        def work(conn: Connection) -> LiveState | None:
            row = conn.execute(
                select(*_SESSION_COLUMNS).where(live_sessions.c.join_code == code)
            ).first()
            return None if row is None else _state(row)

        return self._run("find", None, LOAD_FAILED, work)

    def poll(self, session_id: str) -> int | None:
        """The session's version (None if it does not exist): the one read per poll."""

        def work(conn: Connection) -> int | None:
            value = conn.execute(
                select(live_sessions.c.version).where(live_sessions.c.session_id == session_id)
            ).scalar()
            return None if value is None else int(value)

        return self._run("poll", session_id, LOAD_FAILED, work)

    def participant_view(self, session_id: str, learner: str) -> ParticipantView | None:
        """The room, this participant's row and their vote in the current round, in one
        statement (each part by primary key). None if the session does not exist."""
        key = self._key(learner)

        def work(conn: Connection) -> ParticipantView | None:
            s, p, v = live_sessions, live_participants, live_votes
            query = (
                select(
                    *_SESSION_COLUMNS,
                    p.c.learner_key.label("p_key"),
                    p.c.jurisdiction.label("p_jurisdiction"),
                    p.c.attempt_id.label("p_attempt"),
                    v.c.choice_index,
                    v.c.steps,
                    v.c.jurisdiction.label("v_jurisdiction"),
                    v.c.verdict,
                    v.c.points,
                )
                .select_from(
                    s.outerjoin(
                        p, and_(p.c.session_id == s.c.session_id, p.c.learner_key == key)
                    ).outerjoin(
                        v,
                        and_(
                            v.c.session_id == s.c.session_id,
                            v.c.round_no == s.c.round_no,
                            v.c.learner_key == key,
                        ),
                    )
                )
                .where(s.c.session_id == session_id)
            )
            row = conn.execute(query).first()
            if row is None:
                return None
            vote = None
            if row.choice_index is not None:
                vote = Vote(
                    choice_index=int(row.choice_index),
                    steps=tuple(row.steps.split()),
                    jurisdiction=row.v_jurisdiction,
                    verdict=row.verdict,
                    points=int(row.points),
                )
            return ParticipantView(
                state=_state(row),
                joined=row.p_key is not None,
                jurisdiction=row.p_jurisdiction,
                vote=vote,
                kept_attempt=row.p_attempt,
            )

        return self._run("participant_view", session_id, LOAD_FAILED, work)

    def join(self, session_id: str, learner: str, jurisdiction: str | None = None) -> None:
        """Join (or rejoin) a session; ``jurisdiction`` sets the law to be scored under
        (the session's if never chosen). Joining twice is harmless."""
        key = self._key(learner)

        def work(conn: Connection) -> None:
            session = conn.execute(
                select(live_sessions.c.jurisdiction, live_sessions.c.ended_at).where(
                    live_sessions.c.session_id == session_id
                )
            ).first()
            if session is None or session.ended_at is not None:
                raise StorageError(ENDED)
            known = conn.execute(
                select(live_participants.c.jurisdiction).where(_participant(session_id, key))
            ).first()
            if known is None:
                conn.execute(
                    insert(live_participants).values(
                        session_id=session_id,
                        learner_key=key,
                        jurisdiction=jurisdiction or session.jurisdiction,
                        joined_at=utcnow(),
                        attempt_id=None,
                    )
                )
            elif jurisdiction is not None and jurisdiction != known.jurisdiction:
                conn.execute(
                    update(live_participants)
                    .where(_participant(session_id, key))
                    .values(jurisdiction=jurisdiction)
                )

        self._run("join", session_id, SAVE_FAILED, work)

    def vote(
        self,
        session_id: str,
        learner: str,
        *,
        round_no: int,
        choice_index: int,
        choice_label: str,
        steps: Sequence[str],
        jurisdiction: str,
        verdict: str,
        points: int,
        category: str,
    ) -> None:
        """Cast or change a vote in ``round_no``; refused once voting there has closed
        (locked, revealed, the room moved on, or the session ended)."""
        key = self._key(learner)
        values = {
            "choice_index": int(choice_index),
            "choice_label": choice_label,
            "steps": " ".join(steps),
            "jurisdiction": jurisdiction,
            "verdict": verdict,
            "points": int(points),
            "category": category,
        }

        def work(conn: Connection) -> None:
            session = conn.execute(
                select(
                    live_sessions.c.round_no, live_sessions.c.phase, live_sessions.c.ended_at
                ).where(live_sessions.c.session_id == session_id)
            ).first()
            if session is None or session.ended_at is not None:
                raise StorageError(ENDED)
            if session.round_no != round_no or session.phase != VOTING:
                raise StorageError(CLOSED)
            joined = conn.execute(
                select(live_participants.c.learner_key).where(_participant(session_id, key))
            ).first()
            if joined is None:
                raise StorageError(NOT_JOINED)
            where = and_(
                live_votes.c.session_id == session_id,
                live_votes.c.round_no == round_no,
                live_votes.c.learner_key == key,
            )
            now = utcnow()
            if conn.execute(select(live_votes.c.learner_key).where(where)).first() is None:
                conn.execute(
                    insert(live_votes).values(
                        session_id=session_id,
                        round_no=round_no,
                        learner_key=key,
                        voted_at=now,
                        **values,
                    )
                )
            else:
                conn.execute(update(live_votes).where(where).values(voted_at=now, **values))

        self._run("vote", session_id, VOTE_FAILED, work)

    def path_votes(self, session_id: str, learner: str) -> list[PathVote]:
        """The rounds on the room's way to where it is now, with this participant's
        vote in each: what keeping their choices records."""
        key = self._key(learner)

        def work(conn: Connection) -> list[PathVote]:
            state = self._read(conn, session_id)
            rows = conn.execute(
                select(live_rounds).where(live_rounds.c.session_id == session_id)
            ).all()
            votes = {
                row.round_no: row
                for row in conn.execute(
                    select(live_votes).where(
                        and_(live_votes.c.session_id == session_id, live_votes.c.learner_key == key)
                    )
                )
            }
            path = [r for r in _rounds(rows, state.round_no) if r.on_path]
            result = []
            for i, r in enumerate(path):
                row = votes.get(r.round_no)
                result.append(
                    PathVote(
                        round_no=r.round_no,
                        node_id=r.node_id,
                        next_node=path[i + 1].node_id if i + 1 < len(path) else None,
                        vote=None if row is None else _vote(row),
                        label=None if row is None else row.choice_label,
                        category=None if row is None else row.category,
                    )
                )
            return result

        return self._run("path_votes", session_id, LOAD_FAILED, work)

    def keep_choices(
        self,
        session_id: str,
        learner: str,
        *,
        scenario_id: str,
        jurisdiction: str,
        category: str,
        start_node: str,
        current_node: str,
        made: Sequence[dict[str, Any]],
    ) -> str:
        """Save this participant's votes as one finished attempt in their own history,
        marked as live by ``live_participants.attempt_id``; all in one transaction, and
        only once (keeping again returns the same attempt).

        ``made``: one dict per vote on the room's path, in order, with ``node_id``,
        ``choice_index``, ``choice_label``, ``steps``, ``verdict``, ``points``,
        ``category``, ``jurisdiction`` and ``next_node``.
        """
        key = self._key(learner)
        if not made:
            raise StorageError(NOTHING_TO_KEEP)
        attempt_id = uuid.uuid4().hex

        def work(conn: Connection) -> str:
            where = _participant(session_id, key)
            participant = conn.execute(select(live_participants).where(where)).first()
            if participant is None:
                raise StorageError(NOT_JOINED)
            if participant.attempt_id is not None:
                return str(participant.attempt_id)
            now = utcnow()
            if (
                conn.execute(
                    select(learners.c.learner_key).where(learners.c.learner_key == key)
                ).first()
                is None
            ):
                conn.execute(insert(learners).values(learner_key=key, created_at=now))
            conn.execute(
                insert(attempts).values(
                    attempt_id=attempt_id,
                    learner_key=key,
                    scenario_id=scenario_id,
                    jurisdiction=jurisdiction,
                    category=category,
                    start_node=start_node,
                    current_node=current_node,
                    step=len(made),
                    started_at=participant.joined_at,
                    finished_at=now,
                )
            )
            for step, choice in enumerate(made):
                conn.execute(
                    insert(choices).values(
                        attempt_id=attempt_id,
                        step=step,
                        learner_key=key,
                        scenario_id=scenario_id,
                        jurisdiction=choice["jurisdiction"],
                        node_id=choice["node_id"],
                        choice_index=int(choice["choice_index"]),
                        choice_label=choice["choice_label"],
                        steps=" ".join(choice["steps"]),
                        verdict=choice["verdict"],
                        points=int(choice["points"]),
                        category=choice["category"],
                        next_node=choice["next_node"],
                        made_at=now,
                    )
                )
            conn.execute(update(live_participants).where(where).values(attempt_id=attempt_id))
            return attempt_id

        return self._run("keep_choices", session_id, SAVE_FAILED, work)

    def live_attempt_ids(self, learner: str) -> set[str]:
        """The learner's attempts that were kept from live sessions (to mark them)."""
        key = self._key(learner)

        def work(conn: Connection) -> set[str]:
            rows = conn.execute(
                select(live_participants.c.attempt_id).where(
                    and_(
                        live_participants.c.learner_key == key,
                        live_participants.c.attempt_id.is_not(None),
                    )
                )
            )
            return {row[0] for row in rows}

        return self._run("live_attempt_ids", None, LOAD_FAILED, work)


def _rounds(rows: Sequence[Any], current: int) -> list[RoundRow]:
    """Rounds in order, each marked on or off the way from the start to ``current``."""
    parents = {row.round_no: row.parent_round for row in rows}
    on_path: set[int] = set()
    at: int | None = current
    while at is not None and at not in on_path:
        on_path.add(at)
        at = parents.get(at)
    return [
        RoundRow(
            round_no=int(row.round_no),
            parent_round=row.parent_round,
            step=int(row.step),
            node_id=row.node_id,
            phase=row.phase,
            taken_index=row.taken_index,
            on_path=row.round_no in on_path,
        )
        for row in sorted(rows, key=lambda r: r.round_no)
    ]
