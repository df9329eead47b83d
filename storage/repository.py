"""What every repository shares: one transaction per call, repeated on transient errors,
and errors whose messages are safe to show a learner.

The learner's history (``storage.store``) and the classes (``storage.cohorts``) are
separate repositories on the same engine; both inherit this plumbing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import (
    DBAPIError,
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from storage.learner_code import learner_key

log = logging.getLogger("storage.store")
T = TypeVar("T")
BAD_CODE = "That learner code is not valid."


class StorageError(Exception):
    """A storage failure whose message is safe to show a learner (no SQL, no secrets).

    ``retryable`` is True when the same call may well succeed if repeated (a transient
    database error), so the app knows whether a Retry button makes sense.
    """

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def _transient(exc: SQLAlchemyError) -> bool:
    """Worth repeating the whole transaction: locks, lost connections, write races.

    IntegrityError is here because our transactions check before they insert, so a
    unique-key clash means a concurrent identical write; the repeat sees it and
    decides (no-op or conflict) like any other duplicate.
    """
    if isinstance(exc, OperationalError | IntegrityError | PoolTimeoutError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def _describe(exc: BaseException) -> str:
    """Error class names only: database messages can quote row values."""
    orig = getattr(exc, "orig", None)
    return type(exc).__name__ + (f"/{type(orig).__name__}" if orig is not None else "")


class Repository:
    """A set of related reads and writes on one SQLAlchemy engine."""

    def __init__(
        self,
        engine: Engine,
        *,
        tries: int = 4,
        backoff: float = 0.05,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``tries`` is 1 + retries; waits are ``backoff``, 2x, 4x... seconds."""
        self.engine = engine
        self._tries = max(1, tries)
        self._backoff = backoff
        self._sleep = sleep

    # -- plumbing ---------------------------------------------------------------------

    def _run(
        self, op: str, attempt_id: str | None, failed: str, work: Callable[[Connection], T]
    ) -> T:
        """Run ``work`` in one transaction, repeating it on transient errors."""
        for n in range(1, self._tries + 1):
            try:
                with self.engine.begin() as conn:
                    return work(conn)
            except SQLAlchemyError as exc:
                what = _describe(exc)
                if not _transient(exc):
                    log.error("storage %s failed: attempt=%s error=%s", op, attempt_id, what)
                    raise StorageError(failed) from None
                if n == self._tries:
                    log.error(
                        "storage %s gave up after %d tries: attempt=%s error=%s",
                        op,
                        n,
                        attempt_id,
                        what,
                    )
                    raise StorageError(failed, retryable=True) from None
                log.warning(
                    "storage %s retrying (try %d/%d): attempt=%s error=%s",
                    op,
                    n,
                    self._tries,
                    attempt_id,
                    what,
                )
                self._sleep(self._backoff * 2 ** (n - 1))
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _key(learner: str) -> str:
        key = learner_key(learner)
        if key is None:
            raise StorageError(BAD_CODE)
        return key
