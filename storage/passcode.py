"""The instructor passcode: stored as a salted scrypt hash, checked in constant time,
and slowed down after wrong guesses.

The deployer configures the *hash* (``python -m storage passcode-hash`` prints one), never
the passcode itself, in ``CONFLAB_INSTRUCTOR_PASSCODE_HASH`` or Streamlit secrets
(``[instructor] passcode_hash``). Wrong guesses are counted per client in the database,
so the delay holds on every server of a deployment; after each wrong guess the next one is
refused until a wait that doubles, up to ``MAX_WAIT_S``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from datetime import timedelta

from sqlalchemy import Connection, delete, insert, select, update

from storage.repository import Repository
from storage.schema import passcode_failures, utcnow

PREFIX = "scrypt"
N, R, P = 2**14, 8, 1  # scrypt cost: ~50 ms here, as OWASP's minimum suggests
MAX_WAIT_S = 300
BASE_WAIT_S = 1
FAILED = "The passcode could not be checked right now; try again in a minute."


def hash_passcode(passcode: str, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$digest`` (base64): what the deployer puts in the environment."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(passcode.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    encode = lambda raw: base64.b64encode(raw).decode("ascii")  # noqa: E731
    return f"{PREFIX}${N}${R}${P}${encode(salt)}${encode(digest)}"


def check_passcode(passcode: str, stored: str) -> bool:
    """True if ``passcode`` matches the stored hash; compared in constant time. A stored
    value that is not a hash of this form matches nothing (a plain passcode in the
    configuration is refused, not compared)."""
    try:
        prefix, n, r, p, salt, digest = stored.strip().split("$")
        if prefix != PREFIX:
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            passcode.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def is_hash(value: str) -> bool:
    parts = value.strip().split("$")
    return len(parts) == 6 and parts[0] == PREFIX


def wait_for(failures: int) -> timedelta:
    """The wait after ``failures`` wrong guesses in a row: 0, then 1, 2, 4 ... seconds."""
    if failures <= 0:
        return timedelta(0)
    return timedelta(seconds=min(BASE_WAIT_S * 2 ** (failures - 1), MAX_WAIT_S))


class Throttle(Repository):
    """Wrong-guess counts per client (an address or a session), kept in the database."""

    def seconds_left(self, client: str) -> float:
        """How long this client must wait before the next guess is even checked."""

        def work(conn: Connection) -> float:
            row = conn.execute(
                select(passcode_failures).where(passcode_failures.c.client == client)
            ).first()
            if row is None:
                return 0.0
            ready = row.last_failed_at + wait_for(row.failures)
            return max(0.0, (ready - utcnow()).total_seconds())

        return self._run("throttle_check", None, FAILED, work)

    def failed(self, client: str) -> None:
        def work(conn: Connection) -> None:
            now = utcnow()
            updated = conn.execute(
                update(passcode_failures)
                .where(passcode_failures.c.client == client)
                .values(failures=passcode_failures.c.failures + 1, last_failed_at=now)
            ).rowcount
            if not updated:
                conn.execute(
                    insert(passcode_failures).values(client=client, failures=1, last_failed_at=now)
                )

        self._run("throttle_failed", None, FAILED, work)

    def succeeded(self, client: str) -> None:
        def work(conn: Connection) -> None:
            conn.execute(delete(passcode_failures).where(passcode_failures.c.client == client))

        self._run("throttle_reset", None, FAILED, work)
