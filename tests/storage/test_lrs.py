"""Sending to a Learning Record Store: a real HTTP server on loopback stands in for the
LRS. A failed send keeps every statement, says why, and the next send delivers them."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine

from storage.lrs import BATCH, LrsConfig, Outbox, lrs_config


class FakeLrs:
    """An LRS that records what it receives and can be told to refuse."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.refuse_with: int | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.headers.append({k.lower(): v for k, v in self.headers.items()})
                if outer.refuse_with is not None:
                    self.send_response(outer.refuse_with)
                    self.end_headers()
                    return
                outer.received.extend(json.loads(body))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"[]")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/xapi"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def lrs() -> Iterator[FakeLrs]:
    server = FakeLrs()
    yield server
    server.close()


def _statements(n: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-4000-8000-{i:012d}", "verb": {"id": "x:y"}} for i in range(n)]


def test_statements_reach_the_lrs_with_auth_and_version(engine: Engine, lrs: FakeLrs) -> None:
    outbox = Outbox(engine)
    config = LrsConfig(lrs.endpoint, "key", "secret")
    assert outbox.queue("c1", _statements(BATCH + 5)) == BATCH + 5
    assert outbox.queue("c1", _statements(BATCH + 5)) == 0  # same ids: nothing new
    report = outbox.send(config, "c1")
    assert (report.sent, report.waiting, report.error) == (BATCH + 5, 0, None)
    assert len(lrs.received) == BATCH + 5 and len(lrs.headers) == 2  # two batches
    headers = lrs.headers[0]
    assert headers["x-experience-api-version"] == "1.0.3"
    assert headers["authorization"] == "Basic " + base64.b64encode(b"key:secret").decode()
    assert outbox.status("c1") == (BATCH + 5, 0, None)


def test_a_refused_send_loses_nothing_and_is_retried(engine: Engine, lrs: FakeLrs) -> None:
    outbox = Outbox(engine)
    config = LrsConfig(lrs.endpoint, "key", "secret")
    outbox.queue("c1", _statements(3))
    lrs.refuse_with = 503
    report = outbox.send(config, "c1")
    assert report.sent == 0 and report.waiting == 3
    assert report.error == "the LRS answered HTTP 503"
    assert outbox.status("c1") == (0, 3, "the LRS answered HTTP 503")
    lrs.refuse_with = None
    report = outbox.send(config, "c1")
    assert (report.sent, report.waiting, report.error) == (3, 0, None)
    assert sorted(s["id"] for s in lrs.received) == [s["id"] for s in _statements(3)]


def test_an_unreachable_lrs_is_reported(engine: Engine, lrs: FakeLrs) -> None:
    outbox = Outbox(engine)
    endpoint = lrs.endpoint
    lrs.close()  # nothing listens there any more
    outbox.queue("c1", _statements(2))
    report = outbox.send(LrsConfig(endpoint, "k", "s"), "c1")
    assert report.waiting == 2 and report.error is not None
    assert "could not be reached" in report.error


def test_configuration_comes_from_env_or_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ENDPOINT", "USERNAME", "PASSWORD"):
        monkeypatch.delenv(f"CONFLAB_LRS_{name}", raising=False)
    assert lrs_config(None) is None
    secrets = {"lrs": {"endpoint": "https://lrs.example/x", "username": "u", "password": "p"}}
    assert lrs_config(secrets) == LrsConfig("https://lrs.example/x", "u", "p")
    assert lrs_config({"lrs": {"endpoint": "file:///etc/passwd"}}) is None  # http(s) only
    monkeypatch.setenv("CONFLAB_LRS_ENDPOINT", "https://env.example/xapi")
    monkeypatch.setenv("CONFLAB_LRS_USERNAME", "a")
    monkeypatch.setenv("CONFLAB_LRS_PASSWORD", "b")
    assert lrs_config(secrets) == LrsConfig("https://env.example/xapi", "a", "b")
