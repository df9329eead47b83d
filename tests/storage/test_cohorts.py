"""Classes: who sees what. Consent before sharing, only the assigned vignettes, only
while a member, only the owning instructor; certificates only when earned."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from storage import Store, new_learner_code
from storage.cohorts import (
    NO_SUCH_CLASS,
    NOT_A_MEMBER,
    NOT_COMPLETE,
    NOT_CONSENTED,
    NOT_YOURS,
    Cohorts,
    normal_join_code,
)
from storage.repository import StorageError
from tests.storage.helpers import begin, choose

ASSIGNED = "tarasoff-1"


@pytest.fixture
def repo(engine: Engine) -> Cohorts:
    return Cohorts(engine)


@pytest.fixture
def instructor() -> str:
    return new_learner_code()


def play(store: Store, learner: str, scenario_id: str = ASSIGNED, points: int = 100) -> str:
    """A finished one-decision attempt at ``scenario_id``; returns its id."""
    attempt = begin(store, learner, scenario_id=scenario_id)
    choose(store, attempt, learner, 1, "n0", "end", scenario_id=scenario_id, points=points)
    store.finish_attempt(attempt, learner)
    return attempt


def test_join_code_tolerates_what_people_type() -> None:
    assert normal_join_code(" k7m-2qxd \t") == "K7M2QXD"
    assert normal_join_code("k7m2qx") is None  # 6 symbols: too short
    assert normal_join_code("K7M2QX0") is None  # 0 is not in the alphabet (O/0 confusion)
    assert normal_join_code(None) is None
    assert normal_join_code("K" * 200) is None


def test_nothing_is_shared_without_consent_or_with_a_wrong_code(
    repo: Cohorts, instructor: str, code: str
) -> None:
    cohort = repo.create_cohort(
        instructor, name="Ethics", jurisdiction="MODEL", assigned=[ASSIGNED]
    )
    with pytest.raises(StorageError, match=NOT_CONSENTED):
        repo.join(code, cohort.join_code, consented=False, display_name=None)
    assert repo.membership(code, cohort.cohort_id) is None
    with pytest.raises(StorageError, match=NO_SUCH_CLASS):
        repo.join(code, "ZZZZZZZ", consented=True, display_name=None)


def test_only_assigned_work_between_consent_and_leaving_is_shared(
    repo: Cohorts, store: Store, instructor: str, code: str
) -> None:
    cohort = repo.create_cohort(
        instructor, name="Ethics", jurisdiction="MODEL", assigned=[ASSIGNED]
    )
    before = play(store, code)
    joined = repo.join(code, cohort.join_code, consented=True, display_name="  Ana  ")
    assert joined.display_name == "Ana"
    during = play(store, code)
    other = play(store, code, scenario_id="subpoena-1")
    repo.leave(code, cohort.cohort_id)
    after = play(store, code)
    shared = repo.shared_choices(instructor, cohort.cohort_id)
    assert set(shared["attempt_id"]) == {during}
    assert before not in set(shared["attempt_id"]) and other not in set(shared["attempt_id"])
    assert after not in set(shared["attempt_id"])
    # the instructor sees the pseudonym and display name, never the learner code or key
    assert set(shared["display_name"]) == {"Ana"}
    flat = shared.astype(str).to_string()
    assert code not in flat and "learner_key" not in shared.columns
    # rejoining is a fresh consent: sharing resumes from then on, not for the gap
    repo.join(code, cohort.join_code, consented=True, display_name=None)
    again = play(store, code)
    shared = repo.shared_choices(instructor, cohort.cohort_id)
    assert set(shared["attempt_id"]) == {during, again}


def test_another_instructor_sees_nothing_of_the_class(
    repo: Cohorts, store: Store, instructor: str, code: str
) -> None:
    cohort = repo.create_cohort(
        instructor, name="Ethics", jurisdiction="MODEL", assigned=[ASSIGNED]
    )
    repo.join(code, cohort.join_code, consented=True, display_name=None)
    play(store, code)
    stranger = new_learner_code()
    assert repo.instructor_cohort(stranger, cohort.cohort_id) is None
    assert repo.instructor_cohorts(stranger) == []
    with pytest.raises(StorageError, match=NOT_YOURS):
        repo.shared_choices(stranger, cohort.cohort_id)
    assert len(repo.shared_choices(instructor, cohort.cohort_id)) == 1


def test_a_learner_reads_only_their_own_shared_work(
    repo: Cohorts, store: Store, instructor: str, code: str
) -> None:
    cohort = repo.create_cohort(
        instructor, name="Ethics", jurisdiction="MODEL", assigned=[ASSIGNED]
    )
    other = new_learner_code()
    for learner in (code, other):
        repo.join(learner, cohort.join_code, consented=True, display_name=None)
    mine = play(store, code)
    theirs = play(store, other)
    assert set(repo.learner_shared(code, cohort.cohort_id)["attempt_id"]) == {mine}
    assert set(repo.learner_shared(other, cohort.cohort_id)["attempt_id"]) == {theirs}
    outsider = new_learner_code()
    with pytest.raises(StorageError, match=NOT_A_MEMBER):
        repo.learner_shared(outsider, cohort.cohort_id)


def test_a_certificate_needs_every_assigned_vignette_at_the_pass_mark(
    repo: Cohorts, store: Store, instructor: str, code: str
) -> None:
    cohort = repo.create_cohort(
        instructor,
        name="CE: duty to protect",
        jurisdiction="US-CA",
        assigned=[ASSIGNED, "subpoena-1"],
        pass_mark=80,
    )
    repo.join(code, cohort.join_code, consented=True, display_name="Dr. Ana Ruiz")
    args = {"display_name": "Dr. Ana Ruiz", "minutes": 25, "objectives": ["Warn or protect"]}
    play(store, code, points=100)
    with pytest.raises(StorageError, match=NOT_COMPLETE):  # one vignette still to do
        repo.record_certificate(code, cohort.cohort_id, **args)
    play(store, code, scenario_id="subpoena-1", points=70)
    with pytest.raises(StorageError, match=NOT_COMPLETE):  # below the pass mark
        repo.record_certificate(code, cohort.cohort_id, **args)
    play(store, code, scenario_id="subpoena-1", points=100)  # a better attempt counts
    record = repo.record_certificate(code, cohort.cohort_id, **args)
    assert record["percent"] == 100 and record["course"] == "CE: duty to protect"
    found = repo.lookup_certificate(instructor, record["certificate_id"].lower())
    assert found is not None and found["display_name"] == "Dr. Ana Ruiz"
    assert "learner_key" not in found
    assert repo.lookup_certificate(new_learner_code(), record["certificate_id"]) is None


def test_leaving_twice_is_refused_clearly(repo: Cohorts, instructor: str, code: str) -> None:
    cohort = repo.create_cohort(
        instructor, name="Ethics", jurisdiction="MODEL", assigned=[ASSIGNED]
    )
    repo.join(code, cohort.join_code, consented=True, display_name=None)
    repo.leave(code, cohort.cohort_id)
    with pytest.raises(StorageError, match=NOT_A_MEMBER):
        repo.leave(code, cohort.cohort_id)
    assert repo.learner_memberships(code) == []


def test_a_class_needs_vignettes_and_a_sane_pass_mark(repo: Cohorts, instructor: str) -> None:
    with pytest.raises(StorageError, match="Assign at least one"):
        repo.create_cohort(instructor, name="x", jurisdiction="MODEL", assigned=[])
    with pytest.raises(StorageError, match="percentage"):
        repo.create_cohort(
            instructor, name="x", jurisdiction="MODEL", assigned=["a"], pass_mark=101
        )
    with pytest.raises(StorageError, match="instructor code"):
        repo.create_cohort("not a code", name="x", jurisdiction="MODEL", assigned=["a"])
