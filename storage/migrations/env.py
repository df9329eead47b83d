"""Alembic's environment: always run on the connection ``storage.migrate`` hands over.

The app never runs ``alembic`` from a shell; ``storage.db.make_engine`` calls
``storage.migrate.upgrade`` inside a lock, so several servers starting together migrate
once. ``target_metadata`` lets ``alembic revision --autogenerate`` compare against the
code's tables when a developer writes the next migration.
"""

from __future__ import annotations

from alembic import context

from storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
