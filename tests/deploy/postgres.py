"""PostgreSQL for the tests that need one of their own.

Two kinds: a fresh database on the machine's shared server (``TEST_DATABASE_URL``),
created for one test and dropped after it, for the several-servers test; and a private
server in a temporary folder, for the test that stops and restarts PostgreSQL under
load, which must never touch the shared server other tests are using.

``initdb`` refuses to run as root, and CI runs as root: the private server then runs as
the ``postgres`` user (``runuser``), in a folder that user owns.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.load_server import free_port
from storage.db import _normalise

PG_ROOT = Path("/usr/lib/postgresql")


def server_binaries() -> Path | None:
    """The newest installed server's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        (path for path in PG_ROOT.glob("*/bin") if (path / "initdb").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def why_no_private_server() -> str | None:
    """None if a private server can run here, else the reason (for a skip)."""
    if server_binaries() is None:
        return f"no PostgreSQL server binaries under {PG_ROOT}"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


class PrivatePostgres:
    """A throwaway PostgreSQL server on a free loopback port, stoppable and restartable."""

    def __init__(self) -> None:
        bin_dir = server_binaries()
        if bin_dir is None:
            raise RuntimeError(why_no_private_server() or "no PostgreSQL")
        self.bin = bin_dir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="conflab-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 120) -> None:
        done = subprocess.run(
            [*self._as, *args], capture_output=True, text=True, timeout=timeout, cwd=self.folder
        )
        if done.returncode != 0:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")

    def init(self) -> PrivatePostgres:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        return self

    def start(self) -> None:
        """Start and wait until it accepts connections (pg_ctl -w)."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "120", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """``immediate`` is a crash (no checkpoint, clients cut off); ``fast`` a clean stop."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        done = subprocess.run(
            [*self._as, str(self.bin / "pg_ctl"), "-D", str(self.data), "status"],
            capture_output=True,
            cwd=self.folder,
        )
        return done.returncode == 0

    def cleanup(self) -> None:
        """Stop if running, and remove the folder; safe to call after any failure."""
        try:
            if self.data.exists() and self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def fresh_database(server_url: str, prefix: str = "conflab_deploy") -> Iterator[str]:
    """``CREATE DATABASE prefix_<random>`` on the server, its URL, then drop it."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_normalise(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
