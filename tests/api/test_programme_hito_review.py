"""Whoever in the grupo motor reported a hito from the chat is told, in their language and through the
outbox, when staff approve it or leave it out (API and console); not when the barrio sends hitos at once,
nor after they deleted their data (the hito stays, without them)."""

from datetime import date

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Barrio, Member
from api.chat.service import Address
from api.outbox.models import OutboxMessage
from api.programme.pdl import add_iniciativa
from api.programme.pdl_models import IniciativaFields, PdlHito
from api.programme.timeline import start_programme
from conversations.kernel.events import Event
from tests.factories import auth, chat_service, join, make_barrio, make_ejecutor, press_through

JEAN, MARY = Address("telegram", "501", "501"), Address("telegram", "502", "502")


def _barrio(session: Session) -> tuple[Barrio, str, int]:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    start_programme(session, barrio, date(2026, 9, 1))
    huerto = add_iniciativa(session, barrio, IniciativaFields(title="Huerto", title_ht="Jaden", title_en="Garden",
                                                              ambito="huertos", responsible="grupo motor"))
    return barrio, token, huerto.id or 0


def _report(engine: Engine, barrio: Barrio, address: Address, locale: str, text: str, first: int) -> str:
    """A member of the grupo motor joins in `locale` and reports `text` on the huerto; what the chat answers."""
    chat = chat_service(engine)
    join(chat, barrio.motor_code, first, address, locale)
    press_through(chat, address, first + 10, "/avance", ["Jaden" if locale == "ht" else "Garden"])
    return chat.handle(address, Event.parse(text), first + 20)[0].text


def _reviews(session: Session) -> dict[str, OutboxMessage]:
    session.expire_all()
    rows = session.exec(select(OutboxMessage, Member).join(Member)
                        .where(OutboxMessage.kind == "hito_reviewed")).all()
    return {member.chat_id: message for message, member in rows}


def _hito(session: Session, text: str) -> PdlHito:
    session.expire_all()
    return session.exec(select(PdlHito).where(PdlHito.text == text)).one()


async def test_the_reporter_is_told_when_staff_approve_or_leave_out_their_hito(
        client: httpx.AsyncClient, engine: Engine, session: Session) -> None:
    barrio, token, huerto = _barrio(session)
    assert _report(engine, barrio, JEAN, "ht", "Semans yo rive", 100).startswith("Mèsi!")
    assert _report(engine, barrio, MARY, "en", "We painted the fence", 200).startswith("Thank you!")
    seeds, fence = _hito(session, "Semans yo rive"), _hito(session, "We painted the fence")
    assert seeds.reported_by is not None and seeds.reported_by != fence.reported_by
    assert _reviews(session) == {}  # nothing until staff decide

    assert (await client.post(f"/api/hitos/{seeds.id}/approve", headers=auth(token))).status_code == 200
    assert (await client.delete(f"/api/hitos/{fence.id}", headers=auth(token))).status_code == 204
    told = _reviews(session)
    assert set(told) == {"501", "502"}
    assert told["501"].text == ("Ekip la apwouve avansman «Jaden» ou a («Semans yo rive») epi nou voye l bay "
                                "moun ki swiv inisyativ la.")
    assert told["501"].buttons[0][0]["data"] == f"pg:ini:{huerto}"
    assert told["502"].text.startswith("The team did not publish your progress report on “Garden” "
                                       "(“We painted the fence”).")
    assert "/avance" in told["502"].text
    assert (await client.post(f"/api/hitos/{seeds.id}/approve", headers=auth(token))).status_code == 409
    assert len(_reviews(session)) == 2  # once each


async def test_sent_at_once_or_after_the_reporter_left_nobody_is_told(client: httpx.AsyncClient, engine: Engine,
                                                                      session: Session) -> None:
    barrio, token, _huerto = _barrio(session)
    _report(engine, barrio, JEAN, "ht", "Premye rekòt", 100)
    chat = chat_service(engine)
    chat.handle(JEAN, Event.parse("/borrar"), 150)
    chat.handle(JEAN, Event.button("del:yes"), 151)
    harvest = _hito(session, "Premye rekòt")
    assert harvest.reported_by is None and harvest.pending  # the hito stays, without who reported it
    assert (await client.post(f"/api/hitos/{harvest.id}/approve", headers=auth(token))).status_code == 200
    setting = await client.put(f"/api/barrios/{barrio.id}/pdl/hito-approval", json={"required": False},
                               headers=auth(token))
    assert setting.status_code == 200
    assert _report(engine, barrio, MARY, "en", "Watering installed", 200).startswith("Thank you! We sent")
    assert _reviews(session) == {}
