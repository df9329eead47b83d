"""Bring a database to the code's schema, once, even when several servers start together.

The migrations are Alembic's (``storage/migrations``). They run inside a lock the
database itself holds, so a second process that starts at the same moment waits, then
finds nothing left to do: PostgreSQL's transaction-scoped advisory lock, or SQLite's
write lock taken at once with ``BEGIN IMMEDIATE`` (other openers wait up to the busy
timeout). Without it, two processes opening a brand-new SQLite file both tried to create
the tables and one failed with "table already exists".
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"
# pg_advisory_xact_lock key: any fixed number private to this app ("conflab" in ASCII).
LOCK_KEY = 0x636F6E666C6162


def upgrade(engine: Engine) -> None:
    """Run every migration not yet applied, holding the database's migration lock."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.begin()
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()


def head_revision() -> str:
    """The newest revision in ``storage/migrations`` (what ``upgrade`` brings a database
    to); there is exactly one head, or the migrations are broken."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads: {sorted(heads)}")
    return heads[0]
