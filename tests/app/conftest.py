"""AppTest helpers: the real app (app.py) on a temporary SQLite database.

Each test gets its own database file through ``DATABASE_URL``; ``CONFLAB_SCENARIOS``
points the app at the fixture scenarios where a test needs hostile or broken files.
The store and the bank are cached per URL/folder, so tests never share data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from storage import Store, make_engine, new_learner_code

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
FIXTURES = Path(__file__).parent / "fixtures" / "scenarios"
TIMEOUT = 60

PAGES = {
    "home": "ui/pages/home.py",
    "play": "ui/pages/play.py",
    "progress": "ui/pages/progress.py",
    "library": "ui/pages/library.py",
    "practice": "ui/pages/practice.py",
    "explorer": "ui/pages/explorer.py",
    "class": "ui/pages/class_page.py",
    "instructor": "ui/pages/instructor.py",
    "join": "ui/pages/join.py",
    "facilitate": "ui/pages/facilitate.py",
}


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/app.db"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("CONFLAB_SCENARIOS", raising=False)
    return url


@pytest.fixture
def fixture_bank(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONFLAB_SCENARIOS", str(FIXTURES))
    return FIXTURES


@pytest.fixture
def store(db_url: str) -> Store:
    """A second store on the app's database, to check what the app wrote."""
    return Store(make_engine(db_url))


@pytest.fixture
def open_app(db_url: str) -> Callable[..., AppTest]:
    """``open_app(page, **query_params)``: a fresh session (as after a reload) on a page."""

    def opener(page: str = "home", **params: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        at.query_params.update(params)
        at.run()
        if page != "home":
            at.switch_page(PAGES[page]).run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return opener


@pytest.fixture
def learner() -> str:
    return new_learner_code()


def texts(at: AppTest) -> str:
    """Everything the page says, as one string (markdown, alerts, captions, titles...)."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "success",
        "info",
        "warning",
        "error",
        "code",
    ):
        parts.extend(str(element.value) for element in getattr(at, kind))
    for expander in at.expander:
        parts.append(str(expander.label))
    return "\n".join(parts)


def choose(at: AppTest, index: int, steps: tuple[str, ...] = ()) -> AppTest:
    """Pick an option (its index in the file) at the current decision, tick ``steps`` in
    the checklist, and submit."""
    at.radio(key="choice").set_value(index)
    for step in steps:
        at.checkbox(key=f"step_{step}").check()
    at.button(key="submit").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def option_labels(at: AppTest) -> list[str]:
    """The decision's options as shown, in the order shown."""
    radio = at.radio(key="choice")
    return [radio.format_func(option) for option in radio.options]


def press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def begin(
    open_app: Callable[..., AppTest], learner: str, scenario_id: str, **params: str
) -> AppTest:
    """From Home: start a vignette, then begin it on the Play page."""
    at = open_app("home", learner=learner, **params)
    at.selectbox(key="home_vignette").set_value(scenario_id).run()
    press(at, "home_start_chosen")
    assert at.query_params.get("scenario") == scenario_id
    return press(at, "begin")


def attempt_rows(store: Store, learner: str, attempt_id: str) -> pd.DataFrame:
    frame = store.choices_frame(learner)
    return frame[frame["attempt_id"] == attempt_id].sort_values("step").reset_index(drop=True)


@contextmanager
def failing_writes(db_url: str, statement: str, times: int) -> Iterator[list[str]]:
    """Make the app's real database driver fail the first ``times`` statements that start
    with ``statement``, on the database at ``db_url`` only (the app's own engine, which
    the test cannot reach directly, included). Yields the statements seen."""
    target = str(Path(make_url(db_url).database or "").resolve())
    seen: list[str] = []

    def hook(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        if str(Path(conn.engine.url.database or "").resolve()) != target:
            return
        if not sql.lstrip().upper().startswith(statement.upper()):
            return
        seen.append(sql)
        if len(seen) <= times:
            raise conn.engine.dialect.loaded_dbapi.OperationalError("injected failure")

    event.listen(Engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", hook)
