"""Write the nginx configuration for N app servers from deploy/nginx/conflab.conf.template.

    python deploy/render_nginx.py --listen 80 --server 127.0.0.1:8501 \
        --server 127.0.0.1:8502 > /etc/nginx/conf.d/conflab.conf

A template filled by a script, rather than a file to edit by hand, so the test that
starts nginx (tests/deploy/test_two_servers.py) runs exactly what a deployer installs.
The placeholders are ``{{NAME}}``: nginx's own ``$variables`` pass through untouched.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx" / "conflab.conf.template"
_SERVER = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")


def render(
    servers: Sequence[str],
    listen: str = "80",
    server_name: str = "_",
    secure_cookie: bool = False,
    max_fails: int = 1,
    fail_timeout: str = "10s",
    access_log: str = "/var/log/nginx/conflab.access.log",
) -> str:
    """The configuration text for these app servers (``host:port`` each)."""
    if not servers:
        raise ValueError("at least one app server is needed")
    for server in servers:
        if not _SERVER.match(server):
            raise ValueError(f"{server!r} is not host:port")
    upstreams = "\n".join(
        f"    server {server} max_fails={max_fails} fail_timeout={fail_timeout};"
        for server in servers
    )
    values = {
        "UPSTREAMS": upstreams,
        "LISTEN": listen,
        "SERVER_NAME": server_name,
        "COOKIE_FLAGS": "; Secure" if secure_cookie else "",
        "ACCESS_LOG": "off" if access_log == "off" else f"{access_log} conflab",
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    left = re.findall(r"\{\{[A-Z_]+\}\}", text)
    if left:
        raise ValueError(f"unfilled placeholders: {left}")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server", action="append", required=True, help="an app server, host:port (repeat)"
    )
    parser.add_argument("--listen", default="80", help="nginx's listen value (default 80)")
    parser.add_argument("--server-name", default="_", help="nginx server_name (default _)")
    parser.add_argument(
        "--secure-cookie", action="store_true", help="mark the affinity cookie Secure (TLS)"
    )
    parser.add_argument(
        "--access-log",
        default="/var/log/nginx/conflab.access.log",
        help="access log path, or off (the format never holds query strings)",
    )
    args = parser.parse_args(argv)
    try:
        text = render(
            args.server,
            args.listen,
            args.server_name,
            args.secure_cookie,
            access_log=args.access_log,
        )
        sys.stdout.write(text)
    except ValueError as exc:
        parser.exit(2, f"render_nginx: {exc}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
