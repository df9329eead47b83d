"""Failure injection: transient errors are retried, persistent ones fail safely.

The injected failure hits the UPDATE of the attempt, i.e. *after* the choice row was
inserted in the same transaction, so "nothing written" also proves the transaction
rolls back as a whole.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine, event

from storage import StorageError, Store
from storage.schema import attempts, choices
from storage.store import SAVE_FAILED
from tests.storage.helpers import Sleeps, begin, choose, failing, rows

LABEL = "Tell the client's employer everything"


@pytest.mark.parametrize("failures", [1, 2])
@pytest.mark.parametrize("how", ["operational", "disconnect"])
def test_transient_failures_are_retried_and_written_once(
    store: Store, code: str, engine: Engine, sleeps: Sleeps, failures: int, how: str
) -> None:
    attempt_id = begin(store, code)
    with failing(engine, "UPDATE attempts", failures, how) as seen:
        choose(store, attempt_id, code, 0, "n0", "n1", label=LABEL)
    assert len(seen) == failures + 1
    assert sleeps == [0.05 * 2**n for n in range(failures)]  # short, growing backoff
    [row] = rows(engine, choices)
    assert (row.step, row.choice_label) == (0, LABEL)
    opened = store.get_attempt(attempt_id, code)
    assert opened is not None and (opened.current_node, opened.step) == ("n1", 1)


def test_persistent_failure_raises_a_safe_error_and_writes_nothing(
    store: Store, code: str, engine: Engine, sleeps: Sleeps
) -> None:
    attempt_id = begin(store, code)
    with failing(engine, "UPDATE attempts", 100) as seen, pytest.raises(StorageError) as info:
        choose(store, attempt_id, code, 0, "n0", "n1", label=LABEL)
    assert len(seen) == 4 and len(sleeps) == 3  # 1 try + 3 retries
    error = info.value
    assert str(error) == SAVE_FAILED and error.retryable
    assert error.__cause__ is None and error.__suppress_context__
    for leak in ("UPDATE", "INSERT", "injected", "sqlite", "psycopg", code, LABEL):
        assert leak not in str(error)
    assert rows(engine, choices) == []
    assert rows(engine, attempts)[0].current_node == "n0"


def test_a_failed_write_keeps_earlier_rows_and_can_be_retried(
    store: Store, code: str, engine: Engine
) -> None:
    attempt_id = begin(store, code)
    choose(store, attempt_id, code, 0, "n0", "n1")
    with failing(engine, "INSERT INTO choices", 100), pytest.raises(StorageError):
        choose(store, attempt_id, code, 1, "n1", "n2")
    opened = store.get_attempt(attempt_id, code)
    assert opened is not None and opened.path == (("n0", 0),) and opened.current_node == "n1"
    choose(store, attempt_id, code, 1, "n1", "n2")  # the learner presses Retry
    assert [r.step for r in rows(engine, choices)] == [0, 1]


def test_a_concurrent_identical_write_is_not_duplicated(
    store: Store, code: str, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """The same choice lands from elsewhere between our check and our insert."""
    attempt_id = begin(store, code)
    twin = Store(engine)
    raced: list[bool] = []

    def race() -> None:
        if not raced:
            raced.append(True)
            choose(twin, attempt_id, code, 0, "n0", "n1")

    def hook(*args: object) -> None:
        if str(args[2]).startswith("INSERT INTO choices"):
            race()

    # Fire the twin's write from a different connection just before our INSERT.
    event.listen(engine, "before_cursor_execute", hook)
    try:
        choose(store, attempt_id, code, 0, "n0", "n1")
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    assert raced and len(rows(engine, choices)) == 1
    assert "IntegrityError" in caplog.text  # our insert lost the race, then saw the twin


def test_start_attempt_is_retried_and_created_once(store: Store, code: str, engine: Engine) -> None:
    with failing(engine, "INSERT INTO attempts", 2):
        attempt_id = begin(store, code)
    assert [r.attempt_id for r in rows(engine, attempts)] == [attempt_id]


def test_reads_fail_with_a_safe_storage_error(store: Store, code: str, engine: Engine) -> None:
    begin(store, code)
    with failing(engine, "SELECT", 100), pytest.raises(StorageError) as info:
        store.open_attempt(code)
    assert "SELECT" not in str(info.value) and info.value.retryable


def test_logs_carry_attempt_ids_and_error_classes_only(
    store: Store, code: str, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    attempt_id = begin(store, code)
    with failing(engine, "UPDATE attempts", 1):
        choose(store, attempt_id, code, 0, "n0", "n1", label=LABEL)
    with failing(engine, "UPDATE attempts", 100), pytest.raises(StorageError):
        choose(store, attempt_id, code, 1, "n1", "n2", label=LABEL)
    with pytest.raises(StorageError):
        choose(store, attempt_id, code, 0, "n0", "n1", label="a different label")
    storage_logs = [r for r in caplog.records if r.name.startswith("storage")]
    assert storage_logs and any(attempt_id in r.getMessage() for r in storage_logs)
    assert any("OperationalError" in r.getMessage() for r in storage_logs)
    text = caplog.text.upper()
    for secret in (code, code.replace("-", ""), LABEL.upper(), "A DIFFERENT LABEL"):
        assert secret.upper() not in text
