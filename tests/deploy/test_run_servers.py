"""deploy/run_servers.sh as a deployer runs it: N servers up and ready, then all stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from bench.load_server import ROOT

SCRIPT = ROOT / "deploy" / "run_servers.sh"


def two_free_ports() -> int:
    """A base port with the next one free too (the script uses consecutive ports)."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            base = first.getsockname()[1]
            try:
                with socket.socket() as second:
                    second.bind(("127.0.0.1", base + 1))
                    return base
            except OSError:
                continue
    raise AssertionError("no two consecutive free ports")


def test_run_servers_starts_ready_servers_and_stops_them(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/shared.db",
        "CONFLAB_RUN_DIR": str(tmp_path / "run"),
        "CONFLAB_PYTHON": sys.executable,
    }
    base = two_free_ports()
    try:
        started = subprocess.run(
            ["bash", str(SCRIPT), "start", "2", str(base)],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert started.returncode == 0, started.stderr + started.stdout
        pids = [int(p.read_text()) for p in sorted((tmp_path / "run").glob("app-*.pid"))]
        assert len(pids) == 2
        for port in (base, base + 1):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as reply:
                assert reply.status == 200
    finally:
        stopped = subprocess.run(
            ["bash", str(SCRIPT), "stop"], env=env, capture_output=True, text=True, timeout=60
        )
    assert stopped.returncode == 0, stopped.stderr
    for pid in pids:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )
    assert list((tmp_path / "run").glob("app-*.pid")) == []
