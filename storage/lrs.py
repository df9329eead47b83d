"""Sending xAPI statements to a Learning Record Store, with nothing lost on failure.

Statements go into the ``lrs_outbox`` table first (their ids are deterministic, so
queueing the same export twice adds nothing), then are POSTed in batches to the LRS the
deployer configured. A batch the LRS refuses or that cannot reach it stays in the outbox
with its error and try count, to be sent on the next attempt (the instructor page's
button, or ``python -m storage lrs-send`` from a scheduler); the page shows what waits.

Configuration, never in the repository: ``CONFLAB_LRS_ENDPOINT``, ``CONFLAB_LRS_USERNAME``
and ``CONFLAB_LRS_PASSWORD``, or Streamlit secrets ``[lrs] endpoint/username/password``.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from storage.repository import Repository
from storage.schema import lrs_outbox, utcnow

BATCH = 200
TIMEOUT_S = 20
FAILED = "The statements could not be queued right now; nothing was lost — try again."


@dataclass(frozen=True)
class LrsConfig:
    endpoint: str
    username: str
    password: str

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    waiting: int
    error: str | None


def lrs_config(secrets: Mapping[str, Any] | None = None) -> LrsConfig | None:
    """The configured LRS, or None (sending is then switched off)."""
    values = {
        name: os.environ.get(f"CONFLAB_LRS_{name.upper()}", "").strip()
        for name in ("endpoint", "username", "password")
    }
    if not values["endpoint"]:
        try:
            section = (secrets or {})["lrs"]
            values = {name: str(section.get(name, "")).strip() for name in values}
        except (KeyError, TypeError, AttributeError):
            return None
    if not values["endpoint"].startswith(("https://", "http://")):
        return None
    return LrsConfig(**values)


Poster = Callable[[LrsConfig, bytes], None]


def post_statements(config: LrsConfig, body: bytes) -> None:
    """POST a JSON list of statements; raises on anything but a 2xx answer."""
    token = base64.b64encode(f"{config.username}:{config.password}".encode()).decode()
    # lrs_config accepts only http(s) endpoints, so no file: or custom scheme gets here
    request = urllib.request.Request(  # noqa: S310
        config.statements_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": "1.0.3",
            "Authorization": f"Basic {token}",
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
        response.read()


def _describe(exc: Exception) -> str:
    """An error for the instructor: status and class, never credentials or bodies."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"the LRS answered HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return f"the LRS could not be reached ({type(exc.reason).__name__})"
    return f"sending failed ({type(exc).__name__})"


class Outbox(Repository):
    """Statements waiting for the LRS, per class."""

    def queue(self, cohort_id: str, statements: list[dict[str, Any]]) -> int:
        """Add statements not already queued (by id); returns how many were new."""

        def work(conn: Connection) -> int:
            ids = [s["id"] for s in statements]
            known: set[str] = set()
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                known |= set(
                    conn.execute(
                        select(lrs_outbox.c.statement_id).where(
                            lrs_outbox.c.statement_id.in_(chunk)
                        )
                    ).scalars()
                )
            now = utcnow()
            rows = [
                {
                    "statement_id": s["id"],
                    "cohort_id": cohort_id,
                    "body": json.dumps(s, ensure_ascii=False),
                    "created_at": now,
                    "sent_at": None,
                    "tries": 0,
                    "last_error": None,
                }
                for s in statements
                if s["id"] not in known
            ]
            if rows:
                conn.execute(insert(lrs_outbox), rows)
            return len(rows)

        return self._run("lrs_queue", None, FAILED, work)

    def status(self, cohort_id: str) -> tuple[int, int, str | None]:
        """(sent, waiting, last error of a waiting statement)."""

        def work(conn: Connection) -> tuple[int, int, str | None]:
            sent = conn.execute(
                select(func.count()).where(
                    lrs_outbox.c.cohort_id == cohort_id, lrs_outbox.c.sent_at.is_not(None)
                )
            ).scalar_one()
            waiting = conn.execute(
                select(func.count()).where(
                    lrs_outbox.c.cohort_id == cohort_id, lrs_outbox.c.sent_at.is_(None)
                )
            ).scalar_one()
            error = conn.execute(
                select(lrs_outbox.c.last_error)
                .where(
                    lrs_outbox.c.cohort_id == cohort_id,
                    lrs_outbox.c.sent_at.is_(None),
                    lrs_outbox.c.last_error.is_not(None),
                )
                .limit(1)
            ).scalar()
            return int(sent), int(waiting), error

        return self._run("lrs_status", None, FAILED, work)

    def send(
        self, config: LrsConfig, cohort_id: str | None = None, poster: Poster = post_statements
    ) -> SendReport:
        """Send what waits (one class, or all), a batch at a time; stops at the first
        failed batch, which stays queued with its error."""
        sent = failed = 0
        error: str | None = None
        while True:
            batch = self._pending(cohort_id)
            if not batch:
                break
            ids = [statement_id for statement_id, _ in batch]
            body = ("[" + ",".join(text for _, text in batch) + "]").encode("utf-8")
            try:
                poster(config, body)
            except Exception as exc:  # any failure: keep the batch, say why
                error = _describe(exc)
                failed = len(ids)
                self._mark(ids, sent_ok=False, error=error)
                break
            self._mark(ids, sent_ok=True, error=None)
            sent += len(ids)
        _, waiting, _ = self.status(cohort_id) if cohort_id else (0, self._waiting_all(), None)
        return SendReport(sent=sent, failed=failed, waiting=waiting, error=error)

    def _pending(self, cohort_id: str | None) -> list[tuple[str, str]]:
        def work(conn: Connection) -> list[tuple[str, str]]:
            query = select(lrs_outbox.c.statement_id, lrs_outbox.c.body).where(
                lrs_outbox.c.sent_at.is_(None)
            )
            if cohort_id is not None:
                query = query.where(lrs_outbox.c.cohort_id == cohort_id)
            rows = conn.execute(
                query.order_by(lrs_outbox.c.created_at, lrs_outbox.c.statement_id).limit(BATCH)
            )
            return [(r.statement_id, r.body) for r in rows]

        return self._run("lrs_pending", None, FAILED, work)

    def _waiting_all(self) -> int:
        def work(conn: Connection) -> int:
            return int(
                conn.execute(
                    select(func.count()).where(lrs_outbox.c.sent_at.is_(None))
                ).scalar_one()
            )

        return self._run("lrs_waiting", None, FAILED, work)

    def _mark(self, ids: list[str], *, sent_ok: bool, error: str | None) -> None:
        def work(conn: Connection) -> None:
            values: dict[str, Any] = {"tries": lrs_outbox.c.tries + 1, "last_error": error}
            if sent_ok:
                values["sent_at"] = utcnow()
            conn.execute(
                update(lrs_outbox).where(lrs_outbox.c.statement_id.in_(ids)).values(**values)
            )

        self._run("lrs_mark", None, FAILED, work)
