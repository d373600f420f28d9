"""Failed logins slow further attempts down, per account and per address, in every process at once.

After FREE failures, each further failure blocks the key for twice as long as the previous
one (2 s, 4 s, ... up to 15 minutes). A successful login clears the account's count. A failure
is counted with one atomic upsert, so failures in several processes at once are all counted.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, update
from sqlmodel import Session

from api.kernel.types import UTCDateTime
from api.kernel.upsert import dialect_of, per_dialect
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


def _counted(insert: Callable[[Any], Any]) -> Any:
    return (insert(LoginFailure).values(key=bindparam("key"), failures=1,
                                        blocked_until=bindparam("now", type_=UTCDateTime()))
            .on_conflict_do_update(index_elements=["key"], set_={"failures": LoginFailure.failures + 1})
            .returning(LoginFailure.failures))


_COUNT = per_dialect(_counted)


def record_failure(session: Session, keys: tuple[str, ...], now: datetime) -> None:
    for key in keys:
        failures = session.execute(_COUNT[dialect_of(session)], {"key": key, "now": now}).scalar_one()
        if failures > FREE:  # a later block than another process's, never an earlier one
            until = now + min(timedelta(seconds=2 ** (failures - FREE)), LONGEST)
            session.execute(update(LoginFailure).where(LoginFailure.key == key,  # type: ignore[arg-type]
                                                       LoginFailure.blocked_until < until)  # type: ignore[arg-type]
                            .values(blocked_until=until))
    session.expire_all()  # rows read before (blocked_for) are stale now


def clear(session: Session, key: str) -> None:
    row = session.get(LoginFailure, key)
    if row is not None:
        session.delete(row)
