"""Creating ejecutores and barrios, and describing barrios for the API."""

from collections.abc import Sequence

from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.barrios.models import Barrio, BarrioCreate, BarrioPublic, BarrioUpdate, Ejecutor, EjecutorUpdate, Member
from api.kernel.db import saved
from api.kernel.errors import Conflict
from api.kernel.security import hash_token, new_token
from api.kernel.types import utcnow
from api.privacy.schedule import RetentionDay, retention_days
from api.programme.timeline import local_day
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


def update_barrio(session: Session, barrio: Barrio, data: BarrioUpdate) -> Barrio:
    """Set the barrio's data contact and the end of its programme (None: the end of its last phase)."""
    if barrio.links_cut_at is not None:
        raise Conflict(f"barrio {barrio.id}'s personal links were already cut; it can no longer change")
    return saved(session, barrio.sqlmodel_update(data.model_dump(exclude_unset=True)))


def update_ejecutor(session: Session, ejecutor: Ejecutor, data: EjecutorUpdate) -> Ejecutor:
    return saved(session, ejecutor.sqlmodel_update(data.model_dump(exclude_unset=True)))


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def any_barrio(engine: Engine) -> bool:
    """Whether the database holds a barrio at all (a console run from another folder may have made a new, empty one)."""
    with Session(engine) as session:
        return session.exec(select(Barrio.id).limit(1)).first() is not None


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


def describe(barrio: Barrio, *, members: int, bot_username: str, retention: RetentionDay | None) -> BarrioPublic:
    """The barrio for the API; `retention` is its day from api/privacy/schedule.py (None: none yet)."""
    return BarrioPublic(
        **barrio.model_dump(exclude={"ejecutor_id"}),
        join_link=deep_link(bot_username, barrio.join_code),
        motor_link=deep_link(bot_username, barrio.motor_code),
        members=members,
        programme_ends_from=retention.source if retention else None,
        links_cut_on=retention.links_cut_on if retention else None,
        retention_warning=(retention is not None and barrio.links_cut_at is None
                           and retention.warning(local_day(barrio.timezone, utcnow()))),
    )


def described(session: Session, barrios: Sequence[Barrio], *, bot_username: str,
              retention_months: int) -> list[BarrioPublic]:
    """`describe` for several barrios: their member counts and retention days in one query each."""
    ids = [barrio.id for barrio in barrios if barrio.id is not None]
    counts, days = member_counts(session, ids), retention_days(session, ids, retention_months)
    return [describe(barrio, members=counts.get(barrio.id or 0, 0), bot_username=bot_username,
                     retention=days.get(barrio.id or 0)) for barrio in barrios]


def rotate_code(session: Session, barrio: Barrio, which: str) -> Barrio:
    """A new join or grupo motor code (`which` is "join" or "motor"): the old link stops working."""
    return _with_new_codes(session, barrio, ({"join": "join_code", "motor": "motor_code"}[which],))
