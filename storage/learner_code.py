"""Learner codes: the only "account" a learner has.

A code is 130 random bits from :mod:`secrets`, written in Crockford base32 (no I, L, O
or U, so it survives being read aloud or copied by hand) and grouped with dashes. It is
a bearer secret: whoever has it can resume that learner's history, so it is never stored
or logged; the tables hold only :func:`learner_key`, its SHA-256 hash. A salt is not
needed because 130 random bits cannot be guessed or brute-forced from the hash.
"""

from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford base32: 32 symbols, 5 bits each."""

BITS = 130
LENGTH = BITS // 5
"""26 symbols of 5 bits = 130 bits, above the 128-bit floor."""

GROUPS = (4, 4, 4, 4, 5, 5)
"""Group sizes for display: short enough to copy, summing to :data:`LENGTH`."""

_MAX_INPUT = 100
"""Anything longer is not a code; refuse before doing any work on it."""

# Crockford's decoding rules: letters easily misread as digits mean those digits.
_ALIASES = str.maketrans({"I": "1", "L": "1", "O": "0"})
# Separators people type or paste: spaces, tabs, newlines and the Unicode dashes a word
# processor substitutes for "-".
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_.]+")
_VALID = frozenset(ALPHABET)


def _group(symbols: str) -> str:
    parts, start = [], 0
    for size in GROUPS:
        parts.append(symbols[start : start + size])
        start += size
    return "-".join(parts)


def new_learner_code() -> str:
    """A fresh code, e.g. ``7K3M-9QXD-...``; 130 bits from the OS's CSPRNG."""
    value = secrets.randbits(BITS)
    symbols = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(LENGTH)))
    return _group(symbols)


def parse_learner_code(text: str | None) -> str | None:
    """The canonical form of ``text``, or None if it cannot be a code. Never raises.

    Tolerant of what humans do (lower case, missing or extra dashes, spaces, I/L for 1,
    O for 0) and strict about everything else (wrong length, other characters), so a
    typo is reported to the learner instead of silently opening an empty history.
    """
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    compact = _SEPARATORS.sub("", text)
    # ASCII first: str.upper() maps some non-ASCII letters (e.g. dotless i) onto ASCII.
    if not compact.isascii():
        return None
    compact = compact.upper().translate(_ALIASES)
    if len(compact) != LENGTH or not _VALID.issuperset(compact):
        return None
    return _group(compact)


def learner_key(code: str) -> str | None:
    """SHA-256 hex of the canonical code: what the tables store instead of the code.

    None if ``code`` is malformed, so callers cannot hash garbage into a real-looking key.
    """
    canonical = parse_learner_code(code)
    if canonical is None:
        return None
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()
