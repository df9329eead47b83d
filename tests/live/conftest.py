"""Fixtures for the live-session tests: a database per test (SQLite, and PostgreSQL in a
fresh schema when ``TEST_DATABASE_URL`` is set), the instructor passcode, and AppTest
openers for the facilitator's and the participants' pages.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from streamlit.testing.v1 import AppTest

from storage import Store, make_engine, new_learner_code
from storage.db import _normalise
from storage.live import LiveSessions
from storage.passcode import hash_passcode

ROOT = Path(__file__).resolve().parents[2]
FACILITATE = ROOT / "ui" / "pages" / "facilitate.py"
JOIN = ROOT / "ui" / "pages" / "join.py"
HOSTILE = ROOT / "tests" / "app" / "fixtures" / "scenarios"
PASSCODE = "correct horse battery staple"
PASSCODE_HASH = hash_passcode(PASSCODE)
TIMEOUT = 60
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = [pytest.param("sqlite", id="sqlite")]
if PG_URL:
    BACKENDS.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))


def fresh_pg_schema() -> tuple[str, Callable[[], None]]:
    """A URL whose search_path is a new schema, and a function that drops it: other
    tests on the same database never see these tables."""
    schema = f"test_live_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_normalise(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _normalise(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url.render_as_string(hide_password=False), drop


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path}/live.db")
        yield eng
        eng.dispose()
        return
    url, drop = fresh_pg_schema()
    eng = make_engine(url)
    try:
        yield eng
    finally:
        eng.dispose()
        drop()


@pytest.fixture
def live(engine: Engine) -> LiveSessions:
    return LiveSessions(engine, sleep=lambda _: None)


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app's database for AppTest (SQLite), with the instructor passcode set."""
    url = f"sqlite:///{tmp_path}/app.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("CONFLAB_INSTRUCTOR_PASSCODE_HASH", PASSCODE_HASH)
    monkeypatch.delenv("CONFLAB_SCENARIOS", raising=False)
    monkeypatch.delenv("CONFLAB_PUBLIC_URL", raising=False)
    return url


@pytest.fixture
def app_store(db_url: str) -> Store:
    return Store(make_engine(db_url))


@pytest.fixture
def app_live(db_url: str) -> LiveSessions:
    """A second repository on the app's database, to check what the pages wrote."""
    return LiveSessions(make_engine(db_url))


@pytest.fixture
def instructor() -> str:
    return new_learner_code()


def check(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def open_facilitator(db_url: str, instructor: str) -> Callable[..., AppTest]:
    """A facilitator's browser session through the instructor door: the passcode, then
    the instructor's own code, each typed into the door's form."""

    def opener(**params: str) -> AppTest:
        at = AppTest.from_file(str(FACILITATE), default_timeout=TIMEOUT)
        at.query_params.update(params)
        at.run()
        at.text_input[0].input(PASSCODE)
        next(b for b in at.button if b.label == "Open the instructor pages").click().run()
        check(at).text_input[0].input(instructor)
        next(b for b in at.button if b.label == "Use this code").click().run()
        return check(at)

    return opener


@pytest.fixture
def open_participant(db_url: str) -> Callable[..., AppTest]:
    """``open_participant(learner, code=...)``: a phone opening the join link (a new
    browser session each call, as after a reload)."""

    def opener(learner: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(JOIN), default_timeout=TIMEOUT)
        if learner is not None:
            at.query_params["learner"] = learner
        at.query_params.update(params)
        at.run()
        return check(at)

    return opener
