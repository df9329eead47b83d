"""The app as one server of many: ``streamlit run deploy/serve.py`` (from the repo root).

The same app as ``streamlit run app.py``, through Streamlit's ``st.App`` (its supported
way to add routes and startup hooks), with three things a fleet behind a proxy needs:

* ``GET /readyz``: 200 when this server's database is reachable and at the schema this
  code expects, 503 otherwise, with ``storage.health``'s JSON (no URL, no secrets). A
  load balancer with active checks polls it; nginx open source cannot, and uses
  ``/_stcore/health`` passively (see deploy/README.md).
* the migrations run at startup (in a thread, so the server answers meanwhile), not at
  the first learner's page load: several servers starting together on a new database
  wait for one another on the database's migration lock (``storage.migrate``), and
  ``/readyz`` turns 200 once the schema is there;
* errors are logged as JSON lines without learner text (``storage.logs``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from storage.db import database_url, make_engine
from storage.health import Checker
from storage.logs import configure_logging
from storage.store import StorageError

APP = Path(__file__).resolve().parents[1] / "app.py"
log = logging.getLogger("conflab.deploy")
_checker: Checker | None = None


def _url() -> str:
    """The app's own choice: ``DATABASE_URL``, else secrets.toml, else the default."""
    try:
        secrets = st.secrets.to_dict() if st.secrets.load_if_toml_exists() else None
    except Exception:  # a malformed secrets file: the environment or the default
        secrets = None
    return database_url(secrets)


def _checker_once() -> Checker:
    global _checker  # noqa: PLW0603 - one per process, made on first use
    if _checker is None:
        _checker = Checker(_url())
    return _checker


async def ready(_request: Request) -> JSONResponse:
    """Readiness: the check runs in a worker thread, never on the event loop."""
    health = await asyncio.to_thread(_checker_once().check)
    return JSONResponse(health.to_dict(), status_code=200 if health.ok else 503)


def _migrate() -> None:
    """Open (and so migrate) the database once; failures leave /readyz at 503 and the
    app tries again on the next page load, as it always does."""
    try:
        make_engine(_url()).dispose()
    except StorageError:
        log.error("startup: the database could not be opened or migrated")


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    configure_logging()  # Streamlit's loggers exist by now
    migrating = asyncio.create_task(asyncio.to_thread(_migrate))
    yield
    await migrating


configure_logging()
app = st.App(APP, routes=[Route("/readyz", ready)], lifespan=lifespan)
