"""Persistence for Confidentiality Lab: pseudonymous learner codes and attempt history.

Pure SQLAlchemy Core, no Streamlit import, so the app, the tests and any script share
one storage layer and it can be tested without a browser.
"""

from storage.db import DEFAULT_URL, database_url, make_engine
from storage.learner_code import learner_key, new_learner_code, parse_learner_code
from storage.store import OpenAttempt, StorageError, Store

__all__ = [
    "DEFAULT_URL",
    "OpenAttempt",
    "StorageError",
    "Store",
    "database_url",
    "learner_key",
    "make_engine",
    "new_learner_code",
    "parse_learner_code",
]
