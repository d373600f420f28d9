"""Hitos the grupo motor reports from the chat: kept pending, seen by no vecino, sent to no follower, until
staff approve them (API); a barrio may send them at once instead. Another organisation's hitos are 404."""

from datetime import date

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Barrio, Member
from api.chat.service import Address
from api.outbox.models import OutboxMessage
from api.programme.followers import set_following
from api.programme.pdl import add_iniciativa
from api.programme.pdl_models import IniciativaFields, PdlHito
from api.programme.port import SqlProgramme
from api.programme.timeline import start_programme
from conversations.kernel.events import Event
from tests.factories import auth, chat_service, join, make_barrio, make_ejecutor, make_member, press_through

MOTOR = Address("telegram", "500", "500")


def _barrio_with_followers(session: Session) -> tuple[Barrio, str, int, dict[str, str]]:
    """A barrio whose huerto is the grupo motor's, followed by an es and an ht vecina (a third does not)."""
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    start_programme(session, barrio, date(2026, 9, 1))
    huerto = add_iniciativa(session, barrio, IniciativaFields(title="Huerto", title_ht="Jaden", ambito="huertos",
                                                              responsible="Grupo motor"))
    members = {name: make_member(session, barrio, name, locale=locale)
               for name, locale in (("es", "es"), ("ht", "ht"), ("bystander", "es"))}
    for name in ("es", "ht"):
        set_following(session, huerto.id or 0, members[name], True)
    session.commit()
    return barrio, token, huerto.id or 0, members


def _report(engine: Engine, barrio: Barrio, text: str) -> list[str]:
    chat = chat_service(engine)
    join(chat, barrio.motor_code, 100, MOTOR)
    press_through(chat, MOTOR, 200, "/avance", ["Huerto"])
    return [reply.text for reply in chat.handle(MOTOR, Event.parse(text), 300)]


def _told(session: Session) -> dict[str, str]:
    session.expire_all()
    rows = session.exec(select(OutboxMessage, Member).join(Member).where(OutboxMessage.kind == "hito")).all()
    return {member.id: message.text for message, member in rows}


async def test_a_reported_hito_waits_for_approval_then_reaches_the_followers_only(
        client: httpx.AsyncClient, engine: Engine, session: Session) -> None:
    barrio, token, huerto, members = _barrio_with_followers(session)
    replies = _report(engine, barrio, "Llegaron las semillas")
    assert replies[0].startswith("¡Gracias! El equipo revisará el avance de «Huerto»")
    assert _told(session) == {}
    assert SqlProgramme(session).iniciativa(huerto).hitos == ()  # vecinos do not see it yet  # type: ignore[union-attr]
    public = (await client.get(f"/api/barrios/{barrio.id}/pdl", headers=auth(token))).json()
    assert public["hitos_need_approval"] is True
    assert public["iniciativas"][0]["hitos"][0]["pending"] is True  # staff see it, marked
    pending = (await client.get(f"/api/barrios/{barrio.id}/pdl/hitos/pending", headers=auth(token))).json()
    assert [(h["iniciativa"], h["text"]) for h in pending] == [("Huerto", "Llegaron las semillas")]

    approved = await client.post(f"/api/hitos/{pending[0]['id']}/approve", headers=auth(token))
    assert approved.status_code == 200 and approved.json()["hitos"][0]["pending"] is False
    told = _told(session)
    assert set(told) == {members["es"], members["ht"]}  # not the bystander
    assert told[members["ht"]].startswith("Nouvèl sou «Jaden»")
    assert told[members["es"]].endswith(": Llegaron las semillas")
    again = await client.post(f"/api/hitos/{pending[0]['id']}/approve", headers=auth(token))
    assert again.status_code == 409 and len(_told(session)) == 2  # told once
    assert (await client.get(f"/api/barrios/{barrio.id}/pdl/hitos/pending", headers=auth(token))).json() == []
    assert [h.text for h in SqlProgramme(session).iniciativa(huerto).hitos] == ["Llegaron las semillas"]  # type: ignore[union-attr]


async def test_staff_leave_out_a_reported_hito_and_nobody_is_told(client: httpx.AsyncClient, engine: Engine,
                                                                  session: Session) -> None:
    barrio, token, _huerto, _members = _barrio_with_followers(session)
    _report(engine, barrio, "Algo que no fue así")
    hito = session.exec(select(PdlHito.id)).one()
    assert (await client.delete(f"/api/hitos/{hito}", headers=auth(token))).status_code == 204
    assert _told(session) == {} and session.exec(select(PdlHito)).all() == []
    assert (await client.delete(f"/api/hitos/{hito}", headers=auth(token))).status_code == 404


async def test_a_barrio_can_send_the_grupo_motors_hitos_at_once(client: httpx.AsyncClient, engine: Engine,
                                                                session: Session) -> None:
    barrio, token, _huerto, members = _barrio_with_followers(session)
    setting = await client.put(f"/api/barrios/{barrio.id}/pdl/hito-approval", json={"required": False},
                               headers=auth(token))
    assert setting.status_code == 200 and setting.json()["hitos_need_approval"] is False
    assert _report(engine, barrio, "Instalamos el riego")[0].startswith("¡Gracias! Enviamos el avance")
    assert set(_told(session)) == {members["es"], members["ht"]}
    hito = session.exec(select(PdlHito)).one()
    assert (await client.post(f"/api/hitos/{hito.id}/approve", headers=auth(token))).status_code == 409
    assert (await client.delete(f"/api/hitos/{hito.id}", headers=auth(token))).status_code == 409  # not pending
    bad = await client.put(f"/api/barrios/{barrio.id}/pdl/hito-approval", json={"required": "quizás"},
                           headers=auth(token))
    assert bad.status_code == 422


async def test_another_organisations_hitos_are_not_found(client: httpx.AsyncClient, engine: Engine,
                                                         session: Session) -> None:
    barrio, _token, _huerto, _members = _barrio_with_followers(session)
    _report(engine, barrio, "Llegaron las semillas")
    hito = session.exec(select(PdlHito)).one()
    _other, stranger = make_ejecutor(session, "ONG Otra")
    for answer in (await client.post(f"/api/hitos/{hito.id}/approve", headers=auth(stranger)),
                   await client.delete(f"/api/hitos/{hito.id}", headers=auth(stranger)),
                   await client.get(f"/api/barrios/{barrio.id}/pdl/hitos/pending", headers=auth(stranger)),
                   await client.put(f"/api/barrios/{barrio.id}/pdl/hito-approval", json={"required": False},
                                    headers=auth(stranger))):
        assert answer.status_code == 404, answer.text
    session.expire_all()
    assert session.get(PdlHito, hito.id).pending and _told(session) == {}  # type: ignore[union-attr]
