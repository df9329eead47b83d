"""What operations relies on: JSON-line error logs with no learner text, a readiness
check that tells the truth and leaks nothing, the nginx template, and no secret in the
repository."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.logger import get_logger

from bench.load_client import Tab
from bench.load_server import ROOT, AppServer
from deploy.render_nginx import render
from storage import make_engine, new_learner_code
from storage.health import check, schema_head
from storage.learner_code import learner_key
from storage.logs import configure_logging
from tests.waiting import wait_until

LABEL = "Tell the client's employer everything"


@pytest.fixture
def clean_logging() -> Iterator[None]:
    """Put logging back as it was: configure_logging changes process-wide state."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for logger in [*logging.root.manager.loggerDict.values()]:
        if not isinstance(logger, logging.Logger):
            continue
        for handler in list(logger.handlers):
            if getattr(handler, "_conflab_json_lines", False):
                logger.removeHandler(handler)
            for found in [f for f in handler.filters if type(f).__name__ == "_Below"]:
                handler.removeFilter(found)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_errors_are_json_lines_with_no_learner_text(clean_logging: None) -> None:
    stream = io.StringIO()
    configure_logging(stream)
    code = new_learner_code()
    log = logging.getLogger("conflab.ui.test")
    try:
        raise ValueError(f"bad choice {LABEL!r} for {code}")
    except ValueError:
        log.exception("saving failed for attempt=%s", "a" * 32)
    log.warning("link /?learner=%s&attempt=1 key %s", code, learner_key(code))
    log.info("an info line is not an error")
    first, second = lines(stream)
    assert first["level"] == "ERROR" and first["logger"] == "conflab.ui.test"
    assert first["message"] == "saving failed for attempt=" + "a" * 32
    assert first["error"] == "ValueError"
    assert first["where"][-1][0] == "tests/deploy/test_operations.py"  # type: ignore[index]
    assert second["message"] == "link /?learner=[code]&attempt=1 key [key]"
    everything = stream.getvalue()
    for secret in (code, code.replace("-", ""), learner_key(code), LABEL, "bad choice"):
        assert secret not in everything


def test_streamlit_errors_become_json_lines_and_leave_its_console(clean_logging: None) -> None:
    """Streamlit's loggers do not propagate; its "Uncaught app execution" traceback
    (with the exception's text) must leave through the JSON handler only."""
    console = io.StringIO()
    fake = get_logger("streamlit.conflab_test")  # as Streamlit makes its loggers
    fake.streamlit_console_handler.setStream(console)  # type: ignore[attr-defined]
    fake.streamlit_console_handler.setFormatter(logging.Formatter("%(message)s"))  # type: ignore[attr-defined]
    fake.setLevel(logging.INFO)
    stream = io.StringIO()
    try:
        configure_logging(stream)
        configure_logging(stream)  # app.py reruns: nothing doubles
        try:
            raise KeyError(LABEL)
        except KeyError as exc:
            fake.error("Uncaught app execution", exc_info=exc)
        fake.info("Streamlit's own info line")
    finally:
        fake.handlers.clear()
    [entry] = lines(stream)
    assert entry["logger"] == "streamlit.conflab_test" and entry["error"] == "KeyError"
    assert LABEL not in stream.getvalue() and LABEL not in console.getvalue()
    assert console.getvalue() == "Streamlit's own info line\n"


def test_readiness_on_a_migrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/lab.db"
    make_engine(url).dispose()
    health = check(url)
    assert health.ok and health.schema == schema_head() and health.backend == "sqlite"


def test_readiness_says_not_ready_without_creating_a_database(tmp_path: Path) -> None:
    health = check(f"sqlite:///{tmp_path}/missing.db")
    assert not health.ok and health.error == "no database file yet"
    assert not (tmp_path / "missing.db").exists()


def test_readiness_refuses_a_schema_this_code_does_not_expect(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    health = check(url)
    assert not health.ok and health.schema == "0001" and "0001" in (health.error or "")


def test_the_check_command_prints_one_safe_json_line_and_exits_1_when_down() -> None:
    url = "postgresql://conflab:s3cret@127.0.0.1:1/nowhere"  # nothing listens on port 1
    done = subprocess.run(
        [sys.executable, "-m", "storage.health", "--url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    body = json.loads(done.stdout)
    assert body["ok"] is False and body["backend"] == "postgresql"
    assert "s3cret" not in done.stdout + done.stderr and "127.0.0.1" not in done.stdout


def test_nginx_template_keeps_tabs_on_one_server_and_upgrades_the_websocket() -> None:
    config = render(["127.0.0.1:8501", "10.0.0.2:8501"], listen="80", access_log="off")
    assert "hash $conflab_route consistent;" in config
    assert config.count("max_fails=1 fail_timeout=10s;") == 2
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "access_log off;" in config
    assert "{{" not in config
    # the learner code is in the query string: the log format must never include it
    log_format = config[config.index("log_format") : config.index("upstream conflab_app")]
    assert not re.search(r"\$(request_uri|args|request)\b", log_format)
    with pytest.raises(ValueError):
        render(["127.0.0.1:8501; evil"])
    with pytest.raises(ValueError):
        render([])


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [ROOT / name for name in listed.split("\0") if name]


def test_no_credentials_in_the_repository_and_secrets_toml_is_ignored() -> None:
    """Database URLs and secrets come from the environment or .streamlit/secrets.toml,
    which git ignores; no tracked file outside tests/ (whose fakes are deliberate) holds
    a URL with a password in it."""
    credential = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:[^@\s'\"]+@")
    found = []
    for path in tracked_files():
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "tests" or not path.is_file():
            continue
        try:
            body = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{relative}: {match.group(0)}" for match in credential.finditer(body)]
    assert found == []
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0, ".streamlit/secrets.toml must be in .gitignore"
    assert ROOT / ".streamlit" / "secrets.toml" not in tracked_files()


@pytest.mark.postgres
def test_postgres_connections_use_tcp_keepalives_unless_the_url_says_otherwise() -> None:
    """A database host that vanishes is noticed in about a minute (storage/db.py)."""
    server = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not server:
        pytest.skip("TEST_DATABASE_URL is not set")
    separator = "&" if "?" in server else "?"
    for url, idle in ((server, "30"), (f"{server}{separator}keepalives_idle=5", "5")):
        engine = make_engine(url)
        try:
            connection = engine.raw_connection()
            try:
                parameters = connection.driver_connection.info.get_parameters()  # type: ignore[union-attr]
            finally:
                connection.close()
        finally:
            engine.dispose()
        assert parameters["keepalives"] == "1" and parameters["keepalives_idle"] == idle


def test_an_uncaught_app_error_is_one_json_line_without_its_text(tmp_path: Path) -> None:
    """End to end, in a real server: a page that calls configure_logging() (as app.py
    does) and then fails; Streamlit's "Uncaught app execution" comes out as JSON with
    the error's class and where it was raised, and neither its text nor a traceback."""
    script = tmp_path / "failing_page.py"
    script.write_text(
        "import streamlit as st\n"
        "from storage.logs import configure_logging\n"
        "configure_logging()\n"
        f"raise ValueError({LABEL!r})\n"
    )
    log = tmp_path / "server.log"
    env = {"PYTHONPATH": str(ROOT)}
    with AppServer(env, log=log, script=script) as server:
        assert asyncio.run(_load(server.url)) == "exception"
        wait_until(
            lambda: "Uncaught app execution" in log.read_text(),
            timeout=30,
            what="the server logged the uncaught error",
        )
    logged = log.read_text()
    entries = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    [entry] = [e for e in entries if e["message"] == "Uncaught app execution"]
    assert entry["level"] == "ERROR" and entry["error"] == "ValueError"
    assert LABEL not in logged and "Traceback" not in logged


async def _load(url: str) -> str:
    tab = Tab(url, "")
    try:
        run = await tab.open()
    finally:
        await tab.close()
    return "exception" if run.find("exception") else "no exception drawn"
