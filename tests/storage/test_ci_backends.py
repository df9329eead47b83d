"""CI must run the storage tests on PostgreSQL too, not skip them silently."""

from __future__ import annotations

import os

import pytest


def test_postgres_configured_in_ci() -> None:
    """Without TEST_DATABASE_URL the PostgreSQL params are not even generated, so a CI
    job that forgot the service would pass on SQLite alone; this test makes it fail."""
    in_ci = os.environ.get("CI", "").strip().lower() == "true"
    if in_ci and not os.environ.get("TEST_DATABASE_URL", "").strip():
        pytest.fail(
            "CI=true but TEST_DATABASE_URL is unset: the PostgreSQL storage tests did not run"
        )
