"""Failed logins slow further attempts down, per account and per address, in every process at once.

After FREE failures, each further failure blocks the key for twice as long as the previous
one (2 s, 4 s, ... up to 15 minutes). A successful login clears the account's count.
"""

from datetime import datetime, timedelta

from sqlmodel import Session

from api.staff.models import LoginFailure

FREE = 5
LONGEST = timedelta(minutes=15)


def keys(email: str, address: str) -> tuple[str, str]:
    return f"email:{email.strip().lower()}"[:300], f"ip:{address}"[:300]


def blocked_for(session: Session, keys: tuple[str, ...], now: datetime) -> timedelta | None:
    """How long the caller must still wait, if any key is blocked."""
    waits = [row.blocked_until - now for key in keys
             if (row := session.get(LoginFailure, key)) is not None and row.blocked_until > now]
    return max(waits) if waits else None


def record_failure(session: Session, keys: tuple[str, ...], now: datetime) -> None:
    for key in keys:
        row = session.get(LoginFailure, key) or LoginFailure(key=key, blocked_until=now)
        row.failures += 1
        if row.failures > FREE:
            row.blocked_until = now + min(timedelta(seconds=2 ** (row.failures - FREE)), LONGEST)
        session.add(row)


def clear(session: Session, key: str) -> None:
    row = session.get(LoginFailure, key)
    if row is not None:
        session.delete(row)
