"""The app server as a process the load test and the fault tests can start, measure and kill.

``tests/app/live.py`` yields only a URL; these callers also need the process itself: its
CPU time and memory (read from ``/proc``, so no extra package), a SIGKILL in the middle
of a vignette, and a restart on the same port so a learner's link still works.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (all its threads)."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name (field 2) may hold spaces; the fields after it do not.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mb(pid: int) -> float:
    """Resident memory now, in MiB."""
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_KB / 1024


def wait_healthy(
    base_url: str, timeout: float = 90.0, process: subprocess.Popen | None = None
) -> None:
    """Poll Streamlit's ``/_stcore/health`` until it answers 200 (or fail with why)."""
    deadline = time.monotonic() + timeout
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the app server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{base_url} did not become healthy within {timeout:.0f} s")
        if process is None:
            time.sleep(0.2)
        else:
            try:  # poll again in 0.2 s, or at once if the server exits
                process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass


class AppServer:
    """``streamlit run app.py`` on a loopback port, restartable on the same port.

    ``env`` is added to this process's environment (``DATABASE_URL`` above all); the
    server's output goes to ``log``.
    """

    def __init__(
        self,
        env: dict[str, str] | None = None,
        *,
        port: int | None = None,
        log: Path | None = None,
        script: Path = APP,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.env = {**os.environ, **(env or {})}
        self.port = port or free_port()
        self.log = log
        self.script = script
        self.extra_args = extra_args
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("the app server is not running")
        return self.process.pid

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "streamlit", "run", str(self.script),
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            *self.extra_args,
        ]  # fmt: skip

    def launch(self) -> AppServer:
        """Start the process without waiting (to start several at the same moment)."""
        out = open(self.log, "a") if self.log else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        finally:
            if self.log:
                out.close()  # the child has its own copy
        return self

    def wait(self, timeout: float = 90.0) -> AppServer:
        """Wait until the launched server answers its health check (stop it if not)."""
        try:
            wait_healthy(self.url, timeout, self.process)
        except RuntimeError:
            self.stop()
            raise
        return self

    def start(self, timeout: float = 90.0) -> AppServer:
        """Start the server and wait until it answers its health check."""
        return self.launch().wait(timeout)

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing; what a crash or an OOM kill does."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not gone in 10 s."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
