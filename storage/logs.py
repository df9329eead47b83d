"""Errors as JSON lines, with nothing a learner wrote or could be identified by.

A deployment with several servers ships its logs to one place and searches them, so
each warning or error is one JSON object on one line: time, level, logger, message,
and for an exception its class and where it was raised (file, line, function). Never
the exception's own text, nor a traceback's source lines: a ``KeyError`` or a
``ValueError`` can quote whatever value caused it, a learner's option label or code
included. The app's own messages already carry only attempt ids and error class names
(storage/repository.py); as a second guard, anything shaped like a learner code, a
learner key (SHA-256 hex) or a ``learner=`` URL parameter is masked in every message.

Streamlit's loggers do not propagate to the root logger and print tracebacks with the
exception text; :func:`configure` sends their warnings and errors through the same
JSON handler and keeps only their lower levels on Streamlit's own console handler.

    from storage.logs import configure_logging
    configure_logging()  # idempotent: safe at the top of app.py, which reruns
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

ROOT = Path(__file__).resolve().parents[1]
_CONSOLE = "streamlit_console_handler"
"""The attribute ``streamlit.logger.setup_formatter`` puts on each logger it sets up."""
_MASKS = (
    # learner codes as shown (7K3M-9QXD-...), with or without their dashes
    (re.compile(r"\b[0-9A-Za-z]{4}(?:-[0-9A-Za-z]{4}){3}(?:-[0-9A-Za-z]{5}){2}\b"), "[code]"),
    (re.compile(r"\b[0-9A-HJKMNP-TV-Z]{26}\b"), "[code]"),
    (re.compile(r"\b[0-9a-fA-F]{64}\b"), "[key]"),  # learner_key: SHA-256 of a code
    (re.compile(r"(learner=)[^&\s\"']+"), r"\1[code]"),
)
_MARK = "_conflab_json_lines"
"""Attribute on our handler, so configuring twice (every rerun of app.py) adds nothing."""


def scrub(text: str) -> str:
    """``text`` with learner codes, keys and ``learner=`` parameters masked."""
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def _where(tb: Any) -> list[list[Any]]:
    """The stack as [file, line, function], files relative to the repository."""
    frames = []
    for frame in traceback.extract_tb(tb):
        path = Path(frame.filename)
        try:
            name = str(path.resolve().relative_to(ROOT))
        except ValueError:
            name = path.name  # site-packages and the like: the file name is enough
        frames.append([name, frame.lineno, frame.name])
    return frames[-12:]


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per record; exceptions as class and stack, never their text."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, tb = record.exc_info
            entry["error"] = f"{kind.__module__}.{kind.__qualname__}".removeprefix("builtins.")
            entry["where"] = _where(tb)
        return json.dumps(entry, ensure_ascii=False)


class _Below(logging.Filter):
    """Let through only records below a level (for Streamlit's plain console handler)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < self.level


def _streamlit_loggers() -> list[logging.Logger]:
    """The loggers Streamlit made (``streamlit.logger.get_logger``: its own, uvicorn's):
    they do not propagate and each has its own console handler, which it marks."""
    found = []
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and hasattr(logger, _CONSOLE):
            found.append(logger)
    return found


def _ours(handler: logging.Handler) -> bool:
    return getattr(handler, _MARK, False)


_HANDLERS: dict[tuple[int, int], logging.Handler] = {}


def configure_logging(stream: TextIO | None = None, level: int | str = logging.WARNING) -> None:
    """Send warnings and errors, ours and Streamlit's, to ``stream`` (stderr) as JSON lines.

    Idempotent and cheap (app.py reruns on every click): one handler per stream and
    level, attached where it is missing. Records below ``level`` are left as they were
    (Streamlit's INFO lines stay plain text on its console handler).
    """
    threshold = logging.getLevelName(level) if isinstance(level, str) else level
    target = stream or sys.stderr
    handler = _HANDLERS.get((id(target), threshold))
    if handler is None:
        handler = logging.StreamHandler(target)
        handler.setLevel(threshold)
        handler.setFormatter(JsonLinesFormatter())
        setattr(handler, _MARK, True)
        _HANDLERS[(id(target), threshold)] = handler
    root = logging.getLogger()
    for logger in [root, *_streamlit_loggers()]:
        for old in [h for h in logger.handlers if _ours(h) and h is not handler]:
            logger.removeHandler(old)
        if handler not in logger.handlers:
            logger.addHandler(handler)
        # Only Streamlit's own console handler loses what we now print; any other
        # handler (a test's capture on the root, a deployer's own) is left alone.
        console = getattr(logger, _CONSOLE, None)
        if isinstance(console, logging.Handler) and not any(
            isinstance(f, _Below) for f in console.filters
        ):
            console.addFilter(_Below(threshold))
    if root.level == logging.NOTSET or root.level > threshold:
        root.setLevel(threshold)
