"""A live ``streamlit run`` on a free local port, and Debian's Chromium to drive it.

Shared by the browser test and bench/app_bench.py. Playwright's own browser download
does not work here, so it drives /usr/bin/chromium; the flags keep Chromium from
reaching any outside service (the app must load nothing from outside either).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.load_server import wait_healthy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_PREFIXES = ("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:", "about:")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(
    script: str | Path, env: dict[str, str] | None = None, log: Path | None = None
) -> Iterator[str]:
    """Run ``streamlit run script`` until the block ends; yields its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(base, timeout=60, process=process)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; see {log}") from None
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            out.close()


def launch_chromium(playwright):  # noqa: ANN001, ANN201 - playwright types
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
