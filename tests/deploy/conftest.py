"""Two app servers behind nginx on one fresh PostgreSQL database, as deploy/ sets them up.

The servers run ``deploy/serve.py`` (the app with /readyz), nginx runs the configuration
``deploy/render_nginx.py`` writes, and the database is created for the module and
dropped after it. Everything started here is stopped in a finalizer, pass or fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.load_server import ROOT, AppServer, free_port
from deploy.render_nginx import render
from storage.passcode import hash_passcode
from tests.deploy.postgres import fresh_database
from tests.waiting import wait_until
from ui.instructor.gate import PASSCODE_ENV

NGINX = Path("/usr/sbin/nginx")
SERVE = ROOT / "deploy" / "serve.py"
SETUP_LINE = "apt-get install -y nginx (tests/setup.sh)"

INSTRUCTOR_PASSCODE = "two servers, one class"


@dataclass
class Proxy:
    """A running nginx: its URL, and the access log that names each request's server."""

    url: str
    access_log: Path
    process: subprocess.Popen

    def upstream_of(self, path: str, timeout: float = 30.0) -> str:
        """The app server (host:port) that answered the first request for ``path``."""
        pattern = re.compile(rf'"GET {re.escape(path)}" \d+ .* upstream=(\S+)')

        def logged_upstream() -> str | None:
            if self.access_log.exists():
                for line in self.access_log.read_text().splitlines():
                    if match := pattern.search(line):
                        return match.group(1).split(",")[0].strip()
            return None

        return wait_until(logged_upstream, timeout=timeout, what=f"nginx logged {path}")


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL, dropped after the module."""
    server = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not server:
        pytest.skip("TEST_DATABASE_URL is not set: the several-servers tests need PostgreSQL")
    with fresh_database(server) as url:
        yield url


@pytest.fixture(scope="module")
def app_servers(
    database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[AppServer]]:
    """Two servers started at the same moment on the new (empty) database."""
    folder = tmp_path_factory.mktemp("servers")
    servers = [
        AppServer(
            {"DATABASE_URL": database, PASSCODE_ENV: hash_passcode(INSTRUCTOR_PASSCODE)},
            log=folder / f"app{i}.log",
            script=SERVE,
        )
        for i in range(2)
    ]
    try:
        for server in servers:
            server.launch()
        for server in servers:
            server.wait()
        yield servers
    finally:
        for server in servers:
            server.stop()


def _main_config(folder: Path, site: str) -> str:
    """The nginx.conf around the rendered site: everything in ``folder``."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the temp folder
    temp = " ".join(
        f"{name}_temp_path {folder / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
        "worker_processes 1;\nevents { worker_connections 1024; }\n"
        f"http {{\n{temp}\n{site}\n}}\n"
    )


@pytest.fixture(scope="module")
def proxy(
    app_servers: list[AppServer], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Proxy]:
    if not NGINX.exists():
        pytest.skip(f"{NGINX} is missing: install it with {SETUP_LINE}")
    folder = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = render(
        [f"127.0.0.1:{server.port}" for server in app_servers],
        listen=f"127.0.0.1:{port}",
        access_log=str(folder / "access.log"),
    )
    config = folder / "nginx.conf"
    config.write_text(_main_config(folder, site))
    checked = subprocess.run(
        [str(NGINX), "-t", "-c", str(config), "-p", str(folder), "-e", str(folder / "error.log")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(
        [str(NGINX), "-c", str(config), "-p", str(folder), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, (folder / "error.log").read_text()
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "nginx did not answer within 30 s"
            time.sleep(0.1)
        yield Proxy(url, folder / "access.log", process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder / "proxy", ignore_errors=True)
