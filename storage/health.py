"""Is the database ready for this server? For a load balancer, a deploy script, a human.

Streamlit's ``/_stcore/health`` says only that the web server answers; a server whose
database is unreachable answers it too, and every learner sent there sees "could not
save". Readiness here means: a connection opens within a few seconds, and the schema is
at the migrations' head (an older one means this server's code must not write yet).

* ``python -m storage.health`` (and ``python -m storage check``, which also reads
  ``.streamlit/secrets.toml``) prints one
  JSON object and exits 0 when ready, 1 when not; it never prints the URL, which may
  hold a password, nor a database message, which may quote row values.
* ``deploy/serve.py`` answers ``GET /readyz`` with the same object (200 or 503).

It never creates, migrates or writes anything: a check against a missing SQLite file
says so instead of creating an empty one.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from storage.db import PG_CONNECT_TIMEOUT_S, _normalise, database_url
from storage.migrate import MIGRATIONS

CHECK_TIMEOUT_S = 5
"""How long a check may wait for a connection: well under a load balancer's interval."""


@dataclass(frozen=True)
class Health:
    """What a check found; ``asdict`` of it is the JSON printed or served."""

    ok: bool
    backend: str
    schema: str | None = None
    """The database's migration revision (None: not migrated, or not reachable)."""
    head: str | None = None
    """The revision this code expects."""
    error: str | None = None
    """Why not ready, in words safe to show anyone (error class names only)."""
    ms: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def schema_head() -> str | None:
    """The newest migration this code ships (``storage/migrations/versions``)."""
    script = ScriptDirectory(str(MIGRATIONS))
    return script.get_current_head()


class Checker:
    """Readiness checks on one URL, reusing nothing between checks but the engine.

    NullPool: each check opens and closes its own connection, so a check proves a new
    connection can be made now, not that an old one is still open.
    """

    def __init__(self, url: str | None = None) -> None:
        self.target = _normalise(url or database_url())
        self.backend = self.target.get_backend_name()
        self.head = schema_head()
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            connect_args: dict[str, Any] = {}
            if self.backend == "postgresql":
                connect_args["connect_timeout"] = min(CHECK_TIMEOUT_S, PG_CONNECT_TIMEOUT_S)
            elif self.backend == "sqlite":
                connect_args["timeout"] = CHECK_TIMEOUT_S
            self._engine = create_engine(
                self.target, poolclass=NullPool, hide_parameters=True, connect_args=connect_args
            )
        return self._engine

    def check(self) -> Health:
        started = time.perf_counter()
        if self.backend == "sqlite":
            database = self.target.database
            if database and database != ":memory:" and not Path(database).exists():
                return Health(False, self.backend, head=self.head, error="no database file yet")
        try:
            with self.engine().connect() as conn:
                schema = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except SQLAlchemyError as exc:
            orig = getattr(exc, "orig", None)
            reason = type(orig).__name__ if orig is not None else type(exc).__name__
            return Health(False, self.backend, head=self.head, error=f"cannot query: {reason}")
        ms = round((time.perf_counter() - started) * 1000, 1)
        if schema != self.head:
            error = f"schema is {schema}, this code expects {self.head}"
            return Health(False, self.backend, schema, self.head, error, ms)
        return Health(True, self.backend, schema, self.head, None, ms)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def check(url: str | None = None) -> Health:
    """One readiness check of ``url`` (default: the app's own database URL)."""
    checker = Checker(url)
    try:
        return checker.check()
    finally:
        checker.dispose()


def report(url: str | None = None) -> int:
    """Print one check as a JSON line; the exit status for it (0 ready, 1 not)."""
    try:
        health = check(url)
    except Exception as exc:  # a malformed URL or a missing driver: still one JSON line
        health = Health(False, "unknown", error=f"bad configuration: {type(exc).__name__}")
    print(json.dumps(health.to_dict()))
    return 0 if health.ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m storage.health [--url URL]``: JSON on stdout; exit 0 ready, 1 not."""
    parser = argparse.ArgumentParser(
        prog="python -m storage.health", description="Is the app's database ready?"
    )
    parser.add_argument("--url", help="a database URL (default: DATABASE_URL or the default)")
    return report(parser.parse_args(argv).url)


if __name__ == "__main__":
    raise SystemExit(main())
