"""Where the data lives: choosing the database URL and opening an engine on it.

One SQLite file under ``data/`` by default (zero setup for a teacher running the app
locally); any PostgreSQL URL when deployed, through the same code path, so both are
tested the same way.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)

from storage.migrate import upgrade
from storage.store import StorageError

log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite:///data/confidentiality_lab.db"
"""Relative to the repository root (not the working directory), see :func:`make_engine`."""

REPO_ROOT = Path(__file__).resolve().parent.parent

SQLITE_BUSY_TIMEOUT_MS = 3000
"""How long a SQLite writer waits for another; short so a stuck write fails over to Retry."""

PG_CONNECT_TIMEOUT_S = 10
PG_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
"""libpq TCP keepalives: a database host that vanishes without closing its connections
(a failover to another machine, a dropped network) is noticed in about a minute instead
of the operating system's hours, so a page waiting on it fails over to Retry. A server
that restarts closes its connections itself; ``pool_pre_ping`` then replaces them."""
MIGRATE_TRIES = 4
MIGRATE_BACKOFF_S = 0.5

OPEN_FAILED = "The progress database could not be opened. Your progress cannot be saved right now."


def database_url(secrets: Mapping[str, Any] | None = None) -> str:
    """The URL to use: env ``DATABASE_URL`` > ``secrets.connections.sql.url`` > default.

    The secrets shape is Streamlit's ``st.connection("sql")`` convention, so a deployment
    configures one place. ``secrets`` is any mapping (``st.secrets`` included); a missing
    or unreadable secrets file simply means "not configured".
    """
    env = os.environ.get("DATABASE_URL", "").strip()
    if env:
        return env
    if secrets is not None:
        try:
            url = secrets["connections"]["sql"]["url"]
        except (KeyError, TypeError, AttributeError, FileNotFoundError):
            # FileNotFoundError covers StreamlitSecretNotFoundError (no secrets.toml).
            url = None
        if isinstance(url, str) and url.strip():
            return url.strip()
    return DEFAULT_URL


def _is_file(database: str | None) -> bool:
    """A SQLite path on disk, as opposed to in-memory or a ``file:`` URI."""
    return bool(database) and database != ":memory:" and not str(database).startswith("file:")


def _normalise(url: str) -> URL:
    """Absolute SQLite paths and the psycopg (v3) driver for PostgreSQL URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if _is_file(parsed.database):
            path = Path(str(parsed.database))
            if not path.is_absolute():
                path = REPO_ROOT / path
            return parsed.set(database=str(path))
    return parsed


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the charts read while a choice is written; foreign keys are off by default."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _give_up(engine: Engine, exc: SQLAlchemyError) -> NoReturn:
    log.error("storage: could not open the database (%s)", type(exc).__name__)
    engine.dispose()
    raise StorageError(OPEN_FAILED, retryable=True) from None


def make_engine(url: str | None = None) -> Engine:
    """An engine on ``url`` (default :func:`database_url`) with the schema migrated.

    Creates the SQLite file's folder if needed. Raises :class:`StorageError` (safe to
    show; the URL, which may hold a password, is never logged) if it cannot connect.
    """
    try:
        target = _normalise(url or database_url())
        sqlite = target.get_backend_name() == "sqlite"
        if sqlite and _is_file(target.database):
            Path(str(target.database)).parent.mkdir(parents=True, exist_ok=True)
        connect_args: dict[str, Any] = {}
        if target.get_backend_name() == "postgresql":
            # Fail over to an error message instead of hanging the page on a dead host;
            # a URL's own settings win.
            defaults = {"connect_timeout": PG_CONNECT_TIMEOUT_S, **PG_KEEPALIVES}
            connect_args = {k: v for k, v in defaults.items() if k not in target.query}
        engine = create_engine(
            target,
            # Error messages then carry SQL but no values: no learner keys, no labels.
            hide_parameters=True,
            pool_pre_ping=not sqlite,
            connect_args=connect_args,
        )
    except (ArgumentError, ImportError, OSError) as exc:
        # A malformed URL, an unknown driver, an unwritable data folder.
        log.error("storage: bad database configuration (%s)", type(exc).__name__)
        raise StorageError(OPEN_FAILED) from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    for tries_left in range(MIGRATE_TRIES - 1, -1, -1):
        try:
            upgrade(engine)
            break
        except (OperationalError, ProgrammingError, IntegrityError) as exc:
            # The migration lock makes a clash unlikely; a busy database (a lock held past
            # the busy timeout) or a server restarting is worth another try.
            if tries_left:
                log.warning("storage: migration retrying (%s)", type(exc).__name__)
                time.sleep(MIGRATE_BACKOFF_S)
                continue
            _give_up(engine, exc)
        except SQLAlchemyError as exc:
            _give_up(engine, exc)
    return engine
