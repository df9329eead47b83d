"""The instructor passcode: a salted hash, a constant-time check, and a wait that
doubles after each wrong guess, held in the database so every server agrees."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select, update

from storage.passcode import MAX_WAIT_S, Throttle, check_passcode, hash_passcode, is_hash, wait_for
from storage.schema import passcode_failures


def test_a_hash_matches_its_passcode_only() -> None:
    stored = hash_passcode("correct horse battery")
    assert is_hash(stored) and "correct" not in stored
    assert check_passcode("correct horse battery", stored)
    assert not check_passcode("correct horse batterY", stored)
    assert hash_passcode("same") != hash_passcode("same")  # salted
    # a plain passcode in the configuration matches nothing, not even itself
    assert not check_passcode("letmein", "letmein")
    assert not check_passcode("x", "scrypt$bad$values$here$!!$??")


def test_waits_double_up_to_a_ceiling() -> None:
    assert wait_for(0) == timedelta(0)
    assert [wait_for(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert wait_for(40).total_seconds() == MAX_WAIT_S


def test_wrong_guesses_are_counted_per_client_in_the_database(engine: Engine) -> None:
    throttle = Throttle(engine)
    assert throttle.seconds_left("a") == 0
    for _ in range(3):
        throttle.failed("a")
    assert 0 < throttle.seconds_left("a") <= 4  # third failure: wait 4 s
    assert throttle.seconds_left("b") == 0  # another client is not slowed
    # another server (a second repository on the same database) sees the same wait
    assert Throttle(engine).seconds_left("a") > 0
    with engine.begin() as conn:  # as if the wait had passed
        last = conn.execute(select(passcode_failures.c.last_failed_at)).scalar_one()
        conn.execute(update(passcode_failures).values(last_failed_at=last - timedelta(seconds=5)))
    assert throttle.seconds_left("a") == 0
    throttle.succeeded("a")
    throttle.failed("a")
    assert 0 < throttle.seconds_left("a") <= 1  # a success starts the count again
