"""Barrio join codes: how they look and how typed input is normalised."""

import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud and type
LENGTH = 6
_SHAPE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str | None:
    """The code in `typed` ("abc 123", " ABC-123 ") or None when it cannot be one."""
    compact = re.sub(r"[\s\-_.]", "", typed).upper()
    return compact if _SHAPE.match(compact) else None
