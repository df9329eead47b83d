"""The join link and its QR code, both made on this server.

The QR code is drawn by ``segno`` (pure Python, no network): a code made by an outside
service would tell that service every session's join link, and the app fetches nothing
from other hosts. The link's address is the one the facilitator's browser used
(``st.context.url``), so it works behind a proxy; ``CONFLAB_PUBLIC_URL`` overrides it
where the room reaches the app by another name than the facilitator's laptop does.
"""

from __future__ import annotations

import io
import os
from urllib.parse import urlencode, urlsplit

import segno

PUBLIC_URL_ENV = "CONFLAB_PUBLIC_URL"
JOIN_PATH = "join"
FACILITATE_PATH = "facilitate"


def app_base(page_url: str | None) -> str | None:
    """The app's root URL from the address of the facilitator's page, or the configured
    public URL; None if neither is known (the page then shows the code alone)."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip()
    url = configured or page_url
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = parts.path.rstrip("/")
    if not configured and path.rsplit("/", 1)[-1] in (FACILITATE_PATH, JOIN_PATH):
        path = path.rsplit("/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{path}"


def join_url(base: str | None, code: str) -> str:
    """The participants' link: ``<app>/join?code=ABC234`` (relative if the base is
    unknown)."""
    return f"{base or ''}/{JOIN_PATH}?{urlencode({'code': code})}"


def qr_png(text: str, scale: int = 10) -> bytes:
    """A PNG QR code of ``text`` (error correction M, a 2-module quiet zone)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()
