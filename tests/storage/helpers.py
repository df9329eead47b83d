"""Helpers shared by the storage tests: test-default writes and failure injection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from storage import Store


class Sleeps(list[float]):
    """Records the backoff waits instead of sleeping, so failure tests stay fast."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def choose(
    store: Store,
    attempt_id: str,
    learner: str,
    step: int,
    node_id: str,
    next_node: str,
    *,
    choice_index: int = 0,
    label: str = "Consult a colleague",
    verdict: str = "best",
    points: int = 100,
    scenario_id: str = "tarasoff-1",
    jurisdiction: str = "US-CA",
    category: str = "imminent_danger",
    steps: tuple[str, ...] | None = ("assess_risk", "document"),
) -> None:
    """record_choice with test defaults; the values match :func:`begin`'s attempt."""
    store.record_choice(
        attempt_id=attempt_id,
        learner=learner,
        step=step,
        scenario_id=scenario_id,
        jurisdiction=jurisdiction,
        node_id=node_id,
        choice_index=choice_index,
        choice_label=label,
        verdict=verdict,
        points=points,
        category=category,
        next_node=next_node,
        steps=steps,
    )


def begin(
    store: Store,
    learner: str,
    *,
    scenario_id: str = "tarasoff-1",
    jurisdiction: str = "US-CA",
    category: str = "imminent_danger",
    start_node: str = "n0",
) -> str:
    return store.start_attempt(learner, scenario_id, jurisdiction, category, start_node)


@contextmanager
def failing(
    engine: Engine, statement: str, times: int, how: str = "operational"
) -> Iterator[list[str]]:
    """Make the first ``times`` executions of SQL starting with ``statement`` fail.

    ``how="operational"`` raises the driver's own OperationalError (a lock timeout or
    server error); ``how="disconnect"`` closes the driver connection under the
    statement, a real lost connection. Yields the list of statements seen failing or
    passing (so tests can count tries).
    """
    seen: list[str] = []

    def hook(conn: Any, cursor: Any, sql: str, *_: Any) -> None:
        if not sql.lstrip().upper().startswith(statement.upper()):
            return
        seen.append(sql)
        if len(seen) > times:
            return
        if how == "disconnect":
            conn.connection.dbapi_connection.close()
        else:
            raise engine.dialect.loaded_dbapi.OperationalError("injected failure")

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", hook)


def rows(engine: Engine, table: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(table.select().order_by(*table.primary_key.columns)).all())
