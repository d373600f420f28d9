"""Creating ejecutores and barrios, and describing barrios for the API."""

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.barrios.models import Barrio, BarrioCreate, BarrioPublic, Ejecutor, Member
from api.kernel.security import hash_token, new_token
from conversations.barrios.codes import new_code


def create_ejecutor(session: Session, *, name: str) -> tuple[Ejecutor, str]:
    """A new ejecutor and its token (the only time the token is seen)."""
    token = new_token()
    ejecutor = Ejecutor(name=name, token_hash=hash_token(token))
    session.add(ejecutor)
    session.commit()
    session.refresh(ejecutor)
    return ejecutor, token


def create_barrio(session: Session, *, ejecutor: Ejecutor, data: BarrioCreate, default_timezone: str) -> Barrio:
    timezone = data.timezone or default_timezone
    for _ in range(10):  # codes are random; retry on the rare collision
        barrio = Barrio(
            **data.model_dump(exclude={"timezone"}), timezone=timezone, ejecutor_id=ejecutor.id,
            join_code=new_code(), motor_code=new_code(),
        )
        session.add(barrio)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            continue
        session.refresh(barrio)
        return barrio
    raise RuntimeError("could not find a free join code")


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
    )


def rotate_code(session: Session, barrio: Barrio, which: str) -> Barrio:
    """A new join or grupo motor code (`which` is "join" or "motor"): the old link stops working."""
    field = {"join": "join_code", "motor": "motor_code"}[which]
    for _ in range(10):  # codes are random; retry on the rare collision
        setattr(barrio, field, new_code())
        session.add(barrio)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            continue
        session.refresh(barrio)
        return barrio
    raise RuntimeError("could not find a free code")
