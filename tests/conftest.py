"""Fixtures for the whole suite."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

REAL_MAIN = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def keep_main() -> Iterator[None]:
    """Put the real ``__main__`` back after each test. AppTest runs a page as
    ``__main__`` and leaves it there; a later test that spawns processes (the eight
    openers of tests/storage/test_db.py, the sweep's workers) would then make every
    child run that page, which stops at once outside Streamlit, and a pool respawns its
    workers forever."""
    yield
    sys.modules["__main__"] = REAL_MAIN
