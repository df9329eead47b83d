"""Short codes people read aloud, type and scan: class join codes, live-session codes,
certificate ids. No character that reads two ways (0/O, 1/I/L), so a code copied from a
projector or a printed certificate arrives intact; typing is forgiven (case, spaces,
dashes), anything else refused.
"""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_IGNORED = " -\t"
_MAX_INPUT = 40


def new_code(length: int) -> str:
    """``length`` symbols from the OS's CSPRNG (31 choices each)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normal_code(text: str | None, length: int) -> str | None:
    """``text`` in canonical form (upper case, no spaces or dashes) if it is a code of
    ``length`` symbols, else None. Never raises."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    code = "".join(ch for ch in text.upper() if ch not in _IGNORED)
    if len(code) != length or any(ch not in ALPHABET for ch in code):
        return None
    return code
