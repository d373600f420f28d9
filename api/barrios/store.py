"""Creating ejecutores and barrios, and describing barrios for the API."""

import calendar
from datetime import date, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.barrios.models import Barrio, BarrioCreate, BarrioPublic, BarrioUpdate, Ejecutor, EjecutorUpdate, Member
from api.kernel.errors import Conflict
from api.kernel.security import hash_token, new_token
from api.kernel.types import utcnow
from conversations.barrios.codes import new_code, new_motor_code


def create_ejecutor(session: Session, *, name: str) -> tuple[Ejecutor, str]:
    """A new ejecutor and its token (the only time the token is seen)."""
    token = new_token()
    ejecutor = Ejecutor(name=name, token_hash=hash_token(token))
    session.add(ejecutor)
    session.commit()
    session.refresh(ejecutor)
    return ejecutor, token


def create_barrio(session: Session, *, ejecutor: Ejecutor, data: BarrioCreate, default_timezone: str) -> Barrio:
    barrio = Barrio(**data.model_dump(exclude={"timezone"}), timezone=data.timezone or default_timezone,
                    ejecutor_id=ejecutor.id, join_code="", motor_code="")
    return _with_new_codes(session, barrio, ("join_code", "motor_code"))


def _with_new_codes(session: Session, barrio: Barrio, fields: tuple[str, ...]) -> Barrio:
    """Give the barrio new random codes in `fields` (grupo motor codes are longer, being harder to guess)
    and commit, retrying on the rare collision."""
    for _ in range(10):
        for name in fields:
            setattr(barrio, name, new_motor_code() if name == "motor_code" else new_code())
        session.add(barrio)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            continue
        session.refresh(barrio)
        return barrio
    raise RuntimeError("could not find a free code")


RETENTION_WARNING = timedelta(days=30)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def update_barrio(session: Session, barrio: Barrio, data: BarrioUpdate, *, retention_months: int) -> Barrio:
    """Set the barrio's data contact and the end of its programme (and so when its links are cut)."""
    if barrio.links_cut_at is not None:
        raise Conflict(f"barrio {barrio.id}'s personal links were already cut; it can no longer change")
    changes = data.model_dump(exclude_unset=True)
    if "privacy_contact" in changes:
        barrio.privacy_contact = changes["privacy_contact"]
    if "programme_ends_on" in changes:
        ends = barrio.programme_ends_on = changes["programme_ends_on"]
        barrio.links_cut_on = add_months(ends, retention_months) if ends is not None else None
    session.add(barrio)
    session.commit()
    session.refresh(barrio)
    return barrio


def update_ejecutor(session: Session, ejecutor: Ejecutor, data: EjecutorUpdate) -> Ejecutor:
    changes = data.model_dump(exclude_unset=True)
    if "privacy_contact" in changes:
        ejecutor.privacy_contact = changes["privacy_contact"]
    session.add(ejecutor)
    session.commit()
    session.refresh(ejecutor)
    return ejecutor


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def member_counts(session: Session, barrio_ids: list[int]) -> dict[int, int]:
    """Subscribed members per barrio."""
    if not barrio_ids:
        return {}
    rows = session.exec(
        select(Member.barrio_id, func.count())
        .where(Member.barrio_id.in_(barrio_ids), Member.subscribed)  # type: ignore[attr-defined]
        .group_by(Member.barrio_id)
    ).all()
    return dict(rows)  # type: ignore[arg-type]


def describe(barrio: Barrio, *, members: int, bot_username: str) -> BarrioPublic:
    return BarrioPublic(
        **barrio.model_dump(exclude={"ejecutor_id"}),
        join_link=deep_link(bot_username, barrio.join_code),
        motor_link=deep_link(bot_username, barrio.motor_code),
        members=members,
        retention_warning=(barrio.links_cut_on is not None and barrio.links_cut_at is None
                           and barrio.links_cut_on - utcnow().date() <= RETENTION_WARNING),
    )


def rotate_code(session: Session, barrio: Barrio, which: str) -> Barrio:
    """A new join or grupo motor code (`which` is "join" or "motor"): the old link stops working."""
    return _with_new_codes(session, barrio, ({"join": "join_code", "motor": "motor_code"}[which],))
