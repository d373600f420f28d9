"""Staff send a convocatoria or an announcement to a barrio, call a convocatoria off or move it: the
right vecinos are told, in their language, through the outbox; answers are kept across a new date."""

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from api.barrios.models import Member
from api.chat.rows import Address
from api.convocatorias.jobs import remind_due
from api.convocatorias.models import Rsvp
from api.kernel.types import utcnow
from api.outbox.models import SENT, OutboxMessage
from conversations.convocatorias.ports import Answer
from conversations.kernel.events import Event
from tests.factories import (
    auth,
    chat_service,
    join,
    make_barrio,
    make_convocatoria,
    make_ejecutor,
    make_member,
    make_rsvp,
)

SOON = utcnow() + timedelta(days=3)


@pytest.fixture
def owner(session: Session):  # type: ignore[no-untyped-def]
    ejecutor, token = make_ejecutor(session)
    return make_barrio(session, ejecutor), token


def texts(session: Session, kind: str) -> dict[str, str]:
    """The queued texts of `kind`, by their member's id."""
    session.expire_all()
    return dict(session.execute(select(OutboxMessage.member_id, OutboxMessage.text)
                                .where(OutboxMessage.kind == kind)).all())  # type: ignore[arg-type]


def deliver_all(session: Session) -> None:
    session.execute(update(OutboxMessage).values(status=SENT))
    session.commit()


async def test_staff_send_a_convocatoria_to_every_vecino_in_their_language(
        client: httpx.AsyncClient, session: Session, owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    es, ht = make_member(session, barrio, "1"), make_member(session, barrio, "2", locale="ht")
    gone = make_member(session, barrio, "3")
    session.execute(update(Member).where(Member.id == gone).values(subscribed=False))
    session.commit()
    answer = await client.post(f"/api/barrios/{barrio.id}/convocatorias", headers=auth(token), json={
        "title": "Asamblea de validación", "starts_at": SOON.isoformat(), "place": "Sede vecinal",
        "details": "Trae tus ideas"})
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["delivery"]["pending"] == 2 and created["rsvps"] == {"yes": 0, "maybe": 0, "no": 0}
    queued = texts(session, "convocatoria")
    assert set(queued) == {es, ht}
    assert "Convocatoria" in queued[es] and "Asamblea de validación" in queued[es] and "Sede vecinal" in queued[es]
    assert queued[ht] != queued[es] and "Asamblea de validación" in queued[ht]


@pytest.mark.parametrize(("body", "field"), [
    ({"title": "A", "starts_at": SOON.isoformat(), "place": "Sede"}, "title"),
    ({"title": "Asamblea", "starts_at": "2026-12-24T18:30:00", "place": "Sede"}, "time zone"),
    ({"title": "Asamblea", "starts_at": (utcnow() - timedelta(days=1)).isoformat(), "place": "Sede"}, "future"),
    ({"title": "Asamblea", "starts_at": SOON.isoformat()}, "place"),
])
async def test_a_bad_convocatoria_is_422(client: httpx.AsyncClient, owner, body, field) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    answer = await client.post(f"/api/barrios/{barrio.id}/convocatorias", headers=auth(token), json=body)
    assert answer.status_code == 422 and field in answer.text


async def test_another_organisations_convocatoria_is_404(client: httpx.AsyncClient, session: Session,
                                                         owner) -> None:  # type: ignore[no-untyped-def]
    barrio, _ = owner
    convocatoria = make_convocatoria(session, make_member(session, barrio, "1", role="motor"))
    _, other = make_ejecutor(session, "Otra ONG")
    base = f"/api/barrios/{barrio.id}/convocatorias"
    for path, payload in (("", {"title": "Asamblea", "starts_at": SOON.isoformat(), "place": "Sede"}),
                          (f"/{convocatoria.id}/cancel", None),
                          (f"/{convocatoria.id}/reschedule", {"starts_at": SOON.isoformat()})):
        answer = await client.post(base + path, json=payload, headers=auth(other))
        assert answer.status_code == 404, (path, answer.text)
    announce = await client.post(f"/api/barrios/{barrio.id}/announcements", json={"text": "Hola"}, headers=auth(other))
    assert announce.status_code == 404


async def test_calling_off_tells_who_got_it_or_said_yes_in_their_language(
        client: httpx.AsyncClient, engine: Engine, session: Session, owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    motor = make_member(session, barrio, "1", role="motor")
    ht = make_member(session, barrio, "2", locale="ht")
    convocatoria = make_convocatoria(session, motor, title="Asamblea de validación")
    deliver_all(session)
    service, her = chat_service(engine), Address("telegram", "3", "3")
    join(service, barrio.join_code, 10, her, locale="en")  # joined after: saw it in the chat and said yes
    en = session.exec(select(Member.id).where(Member.chat_id == "3")).one()
    make_rsvp(session, convocatoria, en, Answer.YES)
    no_news = make_member(session, barrio, "4")  # joined after, never saw it
    answer = await client.post(f"/api/barrios/{barrio.id}/convocatorias/{convocatoria.id}/cancel",
                               headers=auth(token))
    assert answer.status_code == 200, answer.text
    assert answer.json()["cancelled_at"] is not None
    told = texts(session, "convocatoria_cancelled")
    assert set(told) == {motor, ht, en} and no_news not in told
    assert "Se suspendió" in told[motor] and "Asamblea de validación" in told[motor]
    assert "Anile" in told[ht] and "Called off" in told[en]
    again = await client.post(f"/api/barrios/{barrio.id}/convocatorias/{convocatoria.id}/cancel",
                              headers=auth(token))
    assert again.status_code == 409
    assert remind_due(engine, convocatoria.starts_at - timedelta(hours=1)) == 0  # no reminder of a called-off one
    replies = service.handle(her, Event.button(f"rsvp:{convocatoria.id}:no"), 50)  # a button of the old message
    assert any("called off" in r.text for r in replies), replies
    session.expire_all()
    assert session.exec(select(Rsvp.answer).where(Rsvp.member_id == en)).one() == "yes"


async def test_a_new_date_tells_who_got_it_keeps_answers_and_gets_its_own_reminder(
        client: httpx.AsyncClient, engine: Engine, session: Session, owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    motor = make_member(session, barrio, "1", role="motor")
    ht = make_member(session, barrio, "2", locale="ht")
    convocatoria = make_convocatoria(session, motor, starts_in=timedelta(hours=10))
    make_rsvp(session, convocatoria, ht, Answer.MAYBE)
    assert remind_due(engine, utcnow()) == 1  # the old date's reminder, to the one who said Tal vez
    deliver_all(session)
    waiting = make_member(session, barrio, "3", locale="en")
    session.add(OutboxMessage(barrio_id=barrio.id or 0, member_id=waiting, kind="convocatoria",
                              ref_id=convocatoria.id or 0, channel="telegram", chat_id="3", text="old date"))
    session.commit()
    new_date = utcnow() + timedelta(hours=20)
    answer = await client.post(f"/api/barrios/{barrio.id}/convocatorias/{convocatoria.id}/reschedule",
                               headers=auth(token), json={"starts_at": new_date.isoformat(), "place": "Escuela"})
    assert answer.status_code == 200, answer.text
    moved = answer.json()
    assert moved["place"] == "Escuela" and moved["rsvps"]["maybe"] == 1  # the answers are kept
    told = texts(session, "convocatoria_moved:1")
    assert set(told) == {motor, ht}  # the newcomer, still waiting, gets the convocatoria itself instead
    assert "Chanjman dat" in told[ht] and "Escuela" in told[ht] and "Petèt" in told[ht]
    assert "Cambio de fecha" in told[motor]
    again = texts(session, "convocatoria")[waiting]
    assert again != "old date" and "Escuela" in again
    assert remind_due(engine, new_date - timedelta(hours=2)) == 1
    assert set(texts(session, "reminder:1")) == {ht}
    past = await client.post(f"/api/barrios/{barrio.id}/convocatorias/{convocatoria.id}/reschedule",
                             headers=auth(token), json={"starts_at": (utcnow() - timedelta(hours=1)).isoformat()})
    assert past.status_code == 422 and "starts_at" in past.text


async def test_an_announcement_reaches_subscribed_vecinos_in_their_language(
        client: httpx.AsyncClient, session: Session, owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    es, ht = make_member(session, barrio, "1"), make_member(session, barrio, "2", locale="ht")
    en = make_member(session, barrio, "3", locale="en")
    gone = make_member(session, barrio, "4")
    session.execute(update(Member).where(Member.id == gone).values(subscribed=False))  # said /salir
    session.commit()
    answer = await client.post(f"/api/barrios/{barrio.id}/announcements", headers=auth(token), json={
        "text": "Mañana no hay agua de 9 a 13.", "translations": {"ht": "Demen pa gen dlo ant 9 e 13."}})
    assert answer.status_code == 201, answer.text
    assert answer.json()["delivery"]["pending"] == 3
    queued = texts(session, "announcement")
    assert set(queued) == {es, ht, en}
    assert queued[es].startswith("📢 Aviso · ") and "Mañana no hay agua" in queued[es]
    assert queued[ht].startswith("📢 Avi · ") and "Demen pa gen dlo" in queued[ht]
    assert queued[en].startswith("📢 Notice · ") and "Mañana no hay agua" in queued[en]  # no English written
    listed = await client.get(f"/api/barrios/{barrio.id}/announcements", headers=auth(token))
    assert [a["text"] for a in listed.json()] == ["Mañana no hay agua de 9 a 13."]
    bad = await client.post(f"/api/barrios/{barrio.id}/announcements", headers=auth(token),
                            json={"text": "Hola a todos", "translations": {"fr": "Bonjour"}})
    assert bad.status_code == 422 and "languages" in bad.text
