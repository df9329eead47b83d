"""Backends for the storage tests: SQLite always, PostgreSQL too when configured.

Every test that takes ``engine`` (or ``store``) runs once per backend. PostgreSQL runs
when TEST_DATABASE_URL is set, e.g. postgresql://postgres@127.0.0.1:5432/test; the
session gets its own schema (dropped at the end) and each test fresh tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from storage import Store, make_engine, new_learner_code
from storage.db import _normalise
from storage.schema import metadata
from tests.storage.helpers import Sleeps

PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = [pytest.param("sqlite", id="sqlite")]
if PG_URL:
    BACKENDS.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A URL whose search_path is a schema of this test session only."""
    schema = f"test_storage_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_normalise(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _normalise(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/lab.db")
        yield eng
        eng.dispose()
    else:
        eng = make_engine(request.getfixturevalue("pg_url"))
        yield eng
        metadata.drop_all(eng)
        with eng.begin() as conn:  # the migrations' own bookkeeping table
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        eng.dispose()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def store(engine: Engine, sleeps: Sleeps) -> Store:
    return Store(engine, sleep=sleeps)


@pytest.fixture
def code() -> str:
    return new_learner_code()
