"""The app as one server of many: ``streamlit run deploy/serve.py`` (from the repo root).

The same app as ``streamlit run app.py``, through Streamlit's ``st.App`` (its supported
way to add routes and startup hooks), with what a fleet behind a proxy needs:

* ``GET /readyz``: 200 once this server is warm and its database is reachable at the
  schema this code expects, 503 otherwise, with ``storage.health``'s JSON (no URL, no
  secrets). A load balancer with active checks polls it; nginx open source cannot, and
  uses ``/_stcore/health`` passively (deploy/README.md).
* a warm-up at startup, in a thread (the server answers meanwhile): the app's own
  cached scenario bank and store are built (so the migrations run now, not at the first
  learner's page: several servers starting together on a new database wait for one
  another on the database's migration lock, storage/migrate.py), the app's modules are
  imported, and then everything alive is frozen out of Python's garbage collector
  (``gc.freeze``). A full collection walks every tracked object while holding the GIL,
  stopping every learner's session; the bank, the law data, pandas, plotly and
  Streamlit are most of the heap and never become garbage, so leaving them out shortens
  those pauses (measured under bench/load.py at 100 learners: full collections of
  100-310 ms of CPU without it, 15-160 ms with it).
* errors logged as JSON lines without learner text (``storage.logs``).
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import pkgutil
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from storage.db import database_url
from storage.health import Checker, Health
from storage.logs import configure_logging

APP = Path(__file__).resolve().parents[1] / "app.py"
log = logging.getLogger("conflab.deploy")
warm = threading.Event()
"""Set once the warm-up has finished (whether or not the database was reachable)."""
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


def _readiness() -> Health:
    if not warm.is_set():
        return Health(False, _checker_once().backend, error="warming up")
    return _checker_once().check()


async def ready(_request: Request) -> JSONResponse:
    """Readiness: the check runs in a worker thread, never on the event loop."""
    health = await asyncio.to_thread(_readiness)
    return JSONResponse(health.to_dict(), status_code=200 if health.ok else 503)


def _import_app_modules() -> None:
    """Every module under ui/ (not the page scripts, which Streamlit runs itself)."""
    import ui

    for module in pkgutil.walk_packages(ui.__path__, "ui."):
        if module.name.startswith("ui.pages"):
            continue
        try:
            importlib.import_module(module.name)
        except Exception as exc:  # a module that fails here fails in the app, logged there
            log.warning("warm-up: %s did not import (%s)", module.name, type(exc).__name__)


def warm_up() -> None:
    """Build what the app caches for all sessions, then freeze the heap (see above).

    Runs once per process; failures leave /readyz at 503 and the app tries again on the
    next page load, as it always does.
    """
    try:
        from ui import resources

        resources.bank()
        try:
            resources.store()  # opens the database: the migrations run here
        except resources.StoreUnavailable:
            log.error("warm-up: the database could not be opened or migrated")
        _import_app_modules()
        gc.collect()
        gc.freeze()
    except Exception as exc:
        log.error("warm-up failed (%s)", type(exc).__name__)
    finally:
        warm.set()


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    configure_logging()  # Streamlit's loggers exist by now
    warming = asyncio.create_task(asyncio.to_thread(warm_up))
    yield
    await warming


configure_logging()
app = st.App(APP, routes=[Route("/readyz", ready)], lifespan=lifespan)
