"""Choosing and opening the database: URL precedence, fresh files, drivers, failures."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from storage import DEFAULT_URL, StorageError, database_url, make_engine
from storage.db import REPO_ROOT, _normalise
from storage.migrate import head_revision

SECRETS = {"connections": {"sql": {"url": "postgresql://app@db.example/lab"}}}


@pytest.fixture(autouse=True)
def no_env_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)


def test_url_precedence_env_over_secrets_over_default(monkeypatch: pytest.MonkeyPatch) -> None:
    assert database_url() == DEFAULT_URL
    assert database_url(SECRETS) == "postgresql://app@db.example/lab"
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/from-env.db")
    assert database_url(SECRETS) == "sqlite:////tmp/from-env.db"
    assert database_url() == "sqlite:////tmp/from-env.db"


def test_blank_env_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "  ")
    assert database_url(SECRETS) == SECRETS["connections"]["sql"]["url"]


class MissingSecrets(dict):  # type: ignore[type-arg]
    """Like st.secrets without a secrets.toml: reading it raises FileNotFoundError."""

    def __getitem__(self, key: str) -> object:
        raise FileNotFoundError("no secrets.toml")


@pytest.mark.parametrize(
    "secrets",
    [
        {},
        {"connections": {}},
        {"connections": {"sql": {}}},
        {"connections": None},
        MissingSecrets(),
    ],
)
def test_incomplete_secrets_fall_back_to_default(secrets: dict) -> None:  # type: ignore[type-arg]
    assert database_url(secrets) == DEFAULT_URL


def test_default_sqlite_path_is_under_the_repo_whatever_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = _normalise(DEFAULT_URL)
    assert url.database == str(REPO_ROOT / "data" / "confidentiality_lab.db")
    assert Path(url.database).is_absolute()


@pytest.mark.parametrize(
    "url", ["postgresql://u@h:5432/db", "postgres://u@h:5432/db", "postgresql+psycopg://u@h/db"]
)
def test_postgres_urls_use_psycopg3(url: str) -> None:
    assert _normalise(url).drivername == "postgresql+psycopg"


def test_make_engine_creates_folder_and_tables_on_a_fresh_path(tmp_path: Path) -> None:
    path = tmp_path / "new" / "nested" / "lab.db"
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert path.exists()
        assert {"learners", "attempts", "choices"} <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
    finally:
        engine.dispose()
    make_engine(f"sqlite:///{path}").dispose()  # reopening an existing file is fine


def test_make_engine_without_url_uses_database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/env.db")
    make_engine().dispose()
    assert (tmp_path / "env.db").exists()


def test_tables_have_learner_indexes(engine: Engine) -> None:
    inspector = inspect(engine)
    first_columns = {
        (table, index["column_names"][0])
        for table in ("attempts", "choices")
        for index in inspector.get_indexes(table)
    }
    assert {("attempts", "learner_key"), ("choices", "learner_key")} <= first_columns
    assert inspector.get_pk_constraint("choices")["constrained_columns"] == ["attempt_id", "step"]


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "nosuchdb://x/y",
        "mysql://root:s3cret@127.0.0.1/lab",  # no MySQL driver installed
        "postgresql://nobody:s3cret@127.0.0.1:1/nowhere",  # nothing listening
    ],
)
def test_make_engine_failure_is_a_safe_storage_error(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(StorageError) as info:
        make_engine(url)
    assert "s3cret" not in str(info.value) and "127.0.0.1" not in str(info.value)
    assert "s3cret" not in caplog.text


def test_make_engine_on_an_unusable_folder_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(StorageError):
        make_engine(f"sqlite:///{tmp_path}/a-file/lab.db")


def _open(url: str) -> str:
    """In a fresh process: open the store at ``url``; 'ok' or the error's text."""
    try:
        make_engine(url).dispose()
    except Exception as exc:  # the test reports what failed, in the parent
        return f"{type(exc).__name__}: {exc}"
    return "ok"


def test_eight_processes_opening_a_fresh_sqlite_file_at_once_all_succeed(tmp_path: Path) -> None:
    """Several servers (or workers) starting together migrate once: the others wait for
    the migration lock and find nothing left to do (no "table already exists")."""
    url = f"sqlite:///{tmp_path}/fresh.db"
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(8) as pool:
        results = pool.map(_open, [url] * 8)
    assert results == ["ok"] * 8
    engine = make_engine(url)
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == head_revision()
        )
    engine.dispose()


def test_a_database_made_before_migrations_is_adopted_and_keeps_its_rows(tmp_path: Path) -> None:
    """A store created by the app's earlier create_all (no alembic_version, no steps
    column) is migrated in place: the learner's saved work is still there."""
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(OLD_SCHEMA)
    old.close()
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        row = conn.execute(text("SELECT choice_label, steps FROM choices")).one()
    assert tuple(row) == ("Warn the victim and call the police; document", None)
    engine.dispose()


OLD_SCHEMA = """
CREATE TABLE learners (learner_key VARCHAR(64) PRIMARY KEY, created_at DATETIME NOT NULL);
CREATE TABLE attempts (attempt_id VARCHAR(32) PRIMARY KEY, learner_key VARCHAR(64) NOT NULL
  REFERENCES learners, scenario_id VARCHAR NOT NULL, jurisdiction VARCHAR NOT NULL,
  category VARCHAR NOT NULL, start_node VARCHAR NOT NULL, current_node VARCHAR NOT NULL,
  step INTEGER NOT NULL, started_at DATETIME NOT NULL, finished_at DATETIME);
CREATE TABLE choices (attempt_id VARCHAR(32) NOT NULL REFERENCES attempts, step INTEGER NOT NULL,
  learner_key VARCHAR(64) NOT NULL REFERENCES learners, scenario_id VARCHAR NOT NULL,
  jurisdiction VARCHAR NOT NULL, node_id VARCHAR NOT NULL, choice_index INTEGER NOT NULL,
  choice_label TEXT NOT NULL, verdict VARCHAR NOT NULL, points INTEGER NOT NULL,
  category VARCHAR NOT NULL, next_node VARCHAR NOT NULL, made_at DATETIME NOT NULL,
  PRIMARY KEY (attempt_id, step));
INSERT INTO learners VALUES ('k', '2026-11-01 10:00:00');
INSERT INTO attempts VALUES ('a', 'k', 's', 'US-CA', 'imminent_danger', 'n0', 'n1', 1,
  '2026-11-01 10:00:00', NULL);
INSERT INTO choices VALUES ('a', 0, 'k', 's', 'US-CA', 'n0', 0,
  'Warn the victim and call the police; document', 'best', 100, 'imminent_danger', 'n1',
  '2026-11-01 10:01:00');
"""


def test_the_migrations_form_one_line() -> None:
    """Two revisions on the same parent (say, two features developed side by side) make
    two heads, and ``upgrade`` to "head" would fail on every server at start-up."""
    assert head_revision() >= "0004"
