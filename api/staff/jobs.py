"""Pruning: expired console sessions, and failed-login counters of keys no longer blocked for a day."""

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete
from sqlmodel import Session, col

from api.staff.models import LoginFailure, StaffSession

FORGET_FAILURES = timedelta(days=1)


def prune_sessions(engine: Engine, now: datetime) -> None:
    """Idempotent deletes: safe in every process at once."""
    with Session(engine) as session:
        session.execute(delete(StaffSession).where(col(StaffSession.expires_at) <= now))
        session.execute(delete(LoginFailure).where(col(LoginFailure.blocked_until) < now - FORGET_FAILURES))
        session.commit()
