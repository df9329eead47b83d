"""Wait for a condition, never for a fixed time: CI runs on a 2-core machine that may be busy.

One helper for the tests that watch something outside the test process (a server's
readiness, a log line, an access log), so each names what it waits for and how long it
will give it, and fails with that name instead of a bare timeout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(check: Callable[[], T], *, timeout: float, what: str, every: float = 0.1) -> T:
    """Call ``check`` until it returns something truthy, and return that.

    Raises AssertionError naming ``what`` when ``timeout`` seconds pass first; the
    last value ``check`` returned is in the message, so a failure shows what was seen.
    """
    deadline = time.monotonic() + timeout
    while True:
        seen = check()
        if seen:
            return seen
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} within {timeout:g} s (last seen: {seen!r})")
        time.sleep(every)
