"""Barrio codes: how they look, how typed input is normalised, and how often a chat may miss one.

A join code is short, to be read aloud and typed. A grupo motor code gives a role, so it is
longer (guessing one is out of reach); motor codes made before they grew keep their 6
characters and keep working. A chat that types codes matching no barrio gets a few tries per
period, then is asked to wait.
"""

import re
import secrets
from datetime import timedelta

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read aloud and type
LENGTH = 6
MOTOR_LENGTH = 12
_SHAPE = re.compile(rf"^(?:[{ALPHABET}]{{{LENGTH}}}|[{ALPHABET}]{{{MOTOR_LENGTH}}})$")

MAX_MISSES = 5  # codes matching no barrio, per chat and period
MISS_PERIOD = timedelta(hours=1)


def new_code(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_motor_code() -> str:
    return new_code(MOTOR_LENGTH)


def normalise(typed: str) -> str | None:
    """The code in `typed` ("abc 123", " ABC-123 ") or None when it cannot be one."""
    compact = re.sub(r"[\s\-_.]", "", typed).upper()
    return compact if _SHAPE.match(compact) else None
