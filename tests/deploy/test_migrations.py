"""Several servers starting together on one new PostgreSQL database migrate it once.

tests/storage/test_db.py races eight processes on a fresh SQLite file; this is the same
race on PostgreSQL, where the migration lock is an advisory lock held in the migrating
transaction (storage/migrate.py), as it happens when a deployment starts N servers.
"""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import text

from storage import make_engine
from storage.health import schema_head

pytestmark = pytest.mark.postgres


def _open(url: str) -> str:
    """In a fresh process: open (and so migrate) the store; 'ok' or what failed."""
    try:
        make_engine(url).dispose()
    except Exception as exc:  # reported by the parent
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def test_eight_processes_opening_a_fresh_postgres_database_at_once_all_succeed(
    database: str,
) -> None:
    with multiprocessing.get_context("spawn").Pool(8) as pool:
        results = pool.map(_open, [database] * 8)
    assert results == ["ok"] * 8
    engine = make_engine(database)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    assert [row[0] for row in versions] == [schema_head()]
