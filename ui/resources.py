"""What the app loads once per server: the scenario bank, the database store, profiles.

``st.cache_resource`` keeps one bank and one store (with its connection pool) for all
sessions; both are keyed by where they come from, so a test pointing the app at another
folder or database gets its own. Nothing here holds a learner's data.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any

import streamlit as st

from engine import load_profiles
from engine.scenarios import Bank, load_bank
from storage.cohorts import Cohorts
from storage.db import database_url, make_engine
from storage.store import StorageError, Store

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS_ENV = "CONFLAB_SCENARIOS"
"""A folder of scenario files to serve instead of ``scenarios/`` (used by the tests)."""

log = logging.getLogger("conflab.ui")


class StoreUnavailable(Exception):
    """The database cannot be opened; the message is safe to show a learner."""


def scenarios_folder() -> str:
    return os.environ.get(SCENARIOS_ENV) or str(ROOT / "scenarios")


@st.cache_resource(show_spinner=False)
def bank_at(folder: str) -> Bank:
    return load_bank(folder)


def bank() -> Bank:
    return bank_at(scenarios_folder())


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    return Store(make_engine(url))


def secrets_mapping() -> dict[str, Any] | None:
    """Streamlit secrets if a secrets.toml exists; a fresh checkout has none."""
    try:
        return st.secrets.to_dict() if st.secrets.load_if_toml_exists() else None
    except Exception:  # a malformed secrets file must not take the app down
        log.warning("secrets.toml could not be read; using DATABASE_URL or the default")
        return None


@functools.lru_cache(maxsize=8)
def _url(env_url: str | None) -> str:
    """The database URL, worked out once per value of DATABASE_URL (secrets are read once)."""
    return database_url(secrets_mapping())


def store() -> Store:
    """The store for this server's database, or ``StoreUnavailable``."""
    try:
        return _open_store(_url(os.environ.get("DATABASE_URL")))
    except StorageError as exc:
        raise StoreUnavailable(str(exc)) from None
    except Exception as exc:
        # The URL may hold a password: log the error type only.
        log.error("database unavailable: %s", type(exc).__name__)
        raise StoreUnavailable(
            "Your progress database cannot be opened right now, so nothing can be saved. "
            "Please try again in a minute; if it keeps happening, tell whoever runs this "
            "app that the database is unreachable."
        ) from None


def jurisdiction_codes() -> list[str]:
    """MODEL first, then every US profile (the engine's order)."""
    return list(load_profiles())


def jurisdiction_label(code: str) -> str:
    """``Texas (US-TX) — unverified`` so a learner knows which law was not confirmed."""
    profile = load_profiles().get(code)
    if profile is None:
        return code
    if code == "MODEL":
        return "Model profile — HIPAA and ethics codes, no state statute"
    label = f"{profile.name} ({code})"
    return label if profile.verified else f"{label} — unverified"


@st.cache_resource(show_spinner=False)
def _open_cohorts(url: str) -> Cohorts:
    return Cohorts(_open_store(url).engine)


def cohorts() -> Cohorts:
    """The classes repository on the same engine as the store, or ``StoreUnavailable``."""
    store()  # opens (and migrates) the database, or raises StoreUnavailable
    return _open_cohorts(_url(os.environ.get("DATABASE_URL")))
