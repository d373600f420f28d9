"""Staff users, their sessions and tokens: creating, logging in and out, deactivating.

Everything that decides who a console user or a staff token is, and whether they may still
act, is here; the web console and the API routes only call it.
"""

import secrets
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from api.barrios.models import Ejecutor
from api.kernel.errors import Conflict, DomainError, Invalid, NotFound
from api.kernel.security import hash_token, new_token
from api.kernel.types import utcnow
from api.staff import throttle
from api.staff.models import MIN_PASSWORD, StaffCreate, StaffSession, StaffToken, StaffUser
from api.staff.passwords import hash_password, verify_password

SESSION_LIFETIME = timedelta(hours=12)


class BadCredentials(DomainError):
    status = 401


class Throttled(DomainError):
    """Too many failed logins: try again after `wait`."""

    status = 429

    def __init__(self, wait: timedelta) -> None:
        super().__init__(f"too many failed logins; try again in {int(wait.total_seconds()) + 1} s")
        self.wait = wait


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"password: must have at least {MIN_PASSWORD} characters")


def add_staff(session: Session, *, ejecutor: Ejecutor, name: str, email: str, password: str) -> StaffUser:
    """A new staff user of `ejecutor`; Invalid names the field that is not acceptable, Conflict a taken email."""
    check_password(password)
    try:
        data = StaffCreate(name=name, email=email, password=password)
    except ValidationError as error:
        problem = error.errors()[0]
        raise Invalid(f"{problem['loc'][0]}: {problem['msg']}") from error
    user = StaffUser(ejecutor_id=ejecutor.id or 0, name=data.name, email=data.email,
                     password_hash=hash_password(password))
    session.add(user)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise Conflict(f"email: {user.email} already has an account") from error
    session.refresh(user)
    return user


def colleagues(session: Session, ejecutor_id: int) -> list[StaffUser]:
    query = select(StaffUser).where(StaffUser.ejecutor_id == ejecutor_id).order_by(col(StaffUser.id))
    return list(session.exec(query).all())


def colleague(session: Session, ejecutor_id: int, staff_id: int) -> StaffUser:
    user = session.get(StaffUser, staff_id)
    if user is None or user.ejecutor_id != ejecutor_id:
        raise NotFound(f"staff user {staff_id} not found")
    return user


def set_active(session: Session, user: StaffUser, active: bool) -> StaffUser:
    """Deactivating ends the user's sessions at once (and their tokens stop: they require an active user)."""
    user.active = active
    session.add(user)
    if not active:
        for row in session.exec(select(StaffSession).where(StaffSession.staff_id == user.id)).all():
            session.delete(row)
    session.commit()
    session.refresh(user)
    return user


def log_in(session: Session, *, email: str, password: str, address: str,
           now: datetime | None = None) -> tuple[StaffUser, str, str]:
    """(user, session token for the cookie, CSRF token) or BadCredentials / Throttled."""
    now = now or utcnow()
    keys = throttle.keys(email, address)
    wait = throttle.blocked_for(session, keys, now)
    if wait is not None:
        raise Throttled(wait)
    user = session.exec(select(StaffUser).where(StaffUser.email == email.strip().lower())).first()
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
        throttle.record_failure(session, keys, now)
        session.commit()
        raise BadCredentials("wrong email or password")
    throttle.clear(session, keys[0])
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=hash_token(token), staff_id=user.id or 0, csrf=csrf,
                             expires_at=now + SESSION_LIFETIME))
    session.commit()
    return user, token, csrf


def session_user(session: Session, token: str, now: datetime | None = None) -> tuple[StaffUser, StaffSession] | None:
    """The active user of a live session, with the session; None for anything else."""
    row = session.exec(
        select(StaffUser, StaffSession).join(StaffSession, col(StaffSession.staff_id) == col(StaffUser.id))
        .where(StaffSession.token_hash == hash_token(token), col(StaffUser.active))
    ).first()
    if row is None or row[1].expires_at <= (now or utcnow()):
        return None
    return row[0], row[1]


def log_out(session: Session, token: str) -> None:
    row = session.get(StaffSession, hash_token(token))
    if row is not None:
        session.delete(row)
        session.commit()


def create_token(session: Session, user: StaffUser, label: str) -> tuple[StaffToken, str]:
    token = new_token()
    row = StaffToken(staff_id=user.id or 0, label=label.strip() or "API", token_hash=hash_token(token))
    session.add(row)
    session.commit()
    session.refresh(row)
    return row, token


def tokens(session: Session, user: StaffUser) -> list[StaffToken]:
    return list(session.exec(select(StaffToken).where(StaffToken.staff_id == user.id)
                             .order_by(col(StaffToken.id))).all())


def revoke_token(session: Session, user: StaffUser, token_id: int) -> None:
    row = session.get(StaffToken, token_id)
    if row is None or row.staff_id != user.id:
        raise NotFound(f"token {token_id} not found")
    session.delete(row)
    session.commit()


def staff_of_token(session: Session, token: str) -> StaffUser | None:
    """The active staff user whose API token this is (None for an organisation's own token)."""
    return session.exec(
        select(StaffUser).join(StaffToken, col(StaffToken.staff_id) == col(StaffUser.id))
        .where(StaffToken.token_hash == hash_token(token), col(StaffUser.active))
    ).first()


def caller_of_token(session: Session, token: str) -> tuple[Ejecutor, int | None] | None:
    """The organisation a bearer token acts for and the staff user it belongs to: an active staff user's
    token gives (their ejecutor, their id); the organisation's own token gives (it, None)."""
    digest = hash_token(token)
    ejecutor = session.exec(select(Ejecutor).where(Ejecutor.token_hash == digest)).first()
    if ejecutor is not None:
        return ejecutor, None
    found = session.exec(
        select(Ejecutor, StaffToken.staff_id).join(StaffUser, col(StaffUser.ejecutor_id) == col(Ejecutor.id))
        .join(StaffToken, col(StaffToken.staff_id) == col(StaffUser.id))
        .where(StaffToken.token_hash == digest, col(StaffUser.active))
    ).first()
    return (found[0], found[1]) if found is not None else None
