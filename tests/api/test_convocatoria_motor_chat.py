"""The grupo motor calls a convocatoria off or gives it a new date from the chat (issue 14): the vecinos
who got it are told in their language through the outbox, and the answers are kept."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, update
from sqlmodel import Session, select

from api.barrios.models import Barrio, Member
from api.chat.rows import Address
from api.convocatorias.models import Convocatoria, Rsvp
from api.kernel.types import utcnow
from api.outbox.models import SENT, OutboxMessage
from conversations.convocatorias.ports import Answer
from conversations.kernel.events import Event
from tests.factories import (
    chat_service,
    join,
    make_barrio,
    make_convocatoria,
    make_ejecutor,
    make_member,
    make_rsvp,
    press_through,
)

MOTOR = Address("telegram", "500", "500")


def _setup(engine: Engine, session: Session):  # type: ignore[no-untyped-def]
    barrio = make_barrio(session, make_ejecutor(session)[0])
    vecina = make_member(session, barrio, "501", locale="ht")
    service = chat_service(engine)
    join(service, barrio.motor_code, 1, MOTOR)
    motor = session.exec(select(Member.id).where(Member.chat_id == "500")).one()
    convocatoria = make_convocatoria(session, motor, title="Asamblea")
    make_rsvp(session, convocatoria, vecina, Answer.MAYBE)
    session.execute(update(OutboxMessage).values(status=SENT))  # as if the sender had delivered it
    session.commit()
    return service, vecina, convocatoria


def _queued(session: Session, kind: str) -> dict[str, str]:
    session.expire_all()
    return dict(session.execute(select(OutboxMessage.member_id, OutboxMessage.text)  # type: ignore[arg-type]
                                .where(OutboxMessage.kind == kind)).all())


def test_the_grupo_motor_calls_it_off_from_the_chat(engine: Engine, session: Session) -> None:
    service, vecina, convocatoria = _setup(engine, session)
    replies = press_through(service, MOTOR, 10, "/convocatorias", ["Cambiar «Asamblea»", "Suspender"])
    assert "¿Suspender «Asamblea»" in replies[-1].text
    done = press_through(service, MOTOR, 20, "/convocatorias", ["Cambiar «Asamblea»", "Suspender", "Sí, suspender"])
    assert "la suspendimos" in done[0].text
    assert set(_queued(session, "convocatoria_cancelled")) >= {vecina}
    assert "Anile: Asamblea" in _queued(session, "convocatoria_cancelled")[vecina]
    assert session.get(Convocatoria, convocatoria.id).cancelled_at is not None  # type: ignore[union-attr]
    again = service.handle(MOTOR, Event.button(f"cv:offok:{convocatoria.id}"), 40)  # an old button
    assert "la suspendimos" not in again[0].text


def test_the_grupo_motor_gives_it_a_new_date_from_the_chat_and_answers_are_kept(engine: Engine,
                                                                               session: Session) -> None:
    service, vecina, convocatoria = _setup(engine, session)
    press_through(service, MOTOR, 10, "/convocatorias", ["Cambiar «Asamblea»", "Cambiar la fecha"])
    wrong = service.handle(MOTOR, Event.parse("mañana temprano"), 20)
    assert "No entendí" in wrong[0].text
    day = (utcnow() + timedelta(days=9)).astimezone(ZoneInfo("America/Santiago"))
    done = service.handle(MOTOR, Event.parse(f"{day.day}/{day.month} 19:00"), 21)
    assert "Listo: nueva fecha" in done[0].text and "sus respuestas se mantienen" in done[0].text
    session.expire_all()
    moved = session.get(Convocatoria, convocatoria.id)
    assert moved is not None and moved.starts_at.astimezone(ZoneInfo("America/Santiago")).hour == 19
    notice = _queued(session, "convocatoria_moved:1")[vecina]
    assert "Chanjman dat: Asamblea" in notice and "Petèt" in notice
    assert session.exec(select(Rsvp.answer).where(Rsvp.member_id == vecina)).one() == "maybe"


def test_a_vecino_cannot_call_it_off(engine: Engine, session: Session) -> None:
    service, _vecina, convocatoria = _setup(engine, session)
    neighbour = Address("telegram", "502", "502")
    join(service, session.get(Barrio, convocatoria.barrio_id).join_code, 30, neighbour)  # type: ignore[union-attr]
    service.handle(neighbour, Event.button(f"cv:offok:{convocatoria.id}"), 40)
    session.expire_all()
    assert session.get(Convocatoria, convocatoria.id).cancelled_at is None  # type: ignore[union-attr]
    assert not _queued(session, "convocatoria_cancelled")
