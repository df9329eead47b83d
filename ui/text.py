"""Scenario text shown as text, never as HTML.

Scenario files are Markdown written by authors, but a file is still input: a ``<script>``
or ``<b>`` in it must reach the learner as those characters. ``st.markdown`` already
refuses raw HTML unless ``unsafe_allow_html=True`` (never used in this app); escaping
``<`` as well makes the guarantee independent of the renderer, and keeps the literal
text visible. ``$`` is escaped because Streamlit reads ``$...$`` as LaTeX, and a
vignette about fees ("$200 a session, $300 for records") must not turn into maths.
``![`` and ``](`` are broken up so a Markdown image or link in a file can never make a
learner's browser fetch an outside address (nothing about a learner leaves the server).
"""

from __future__ import annotations

import re

_DOLLAR = re.compile(r"(?<!\\)\$")


def as_text(text: str | None) -> str:
    """Markdown that shows ``text`` with formatting kept and HTML/LaTeX shown literally."""
    if not text:
        return ""
    text = text.replace("<", "&lt;").replace("![", "!\\[").replace("](", "]\\(")
    return _DOLLAR.sub(r"\\$", text)
