"""A vecina's data download ("Descargar mis datos") holds the iniciativas she follows (or stopped
following) and the ideas she proposed with what became of them, in her language."""

import json
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Member
from api.programme.followers import set_following
from api.programme.ideas import decline, propose
from api.programme.pdl import add_iniciativa
from api.programme.pdl_models import IniciativaFields, PdlIdea
from api.programme.timeline import start_programme
from conversations.kernel.events import Event
from conversations.programme.ports import Idea
from tests.factories import VECINA, chat_service, join, make_barrio, make_ejecutor


def test_the_download_holds_follows_and_ideas(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    start_programme(session, barrio, date(2026, 9, 1))
    huerto = add_iniciativa(session, barrio, IniciativaFields(title="Huerto", title_en="Garden", ambito="huertos"))
    luces = add_iniciativa(session, barrio, IniciativaFields(title="Luces", ambito="habitabilidad"))
    service = chat_service(engine)
    join(service, barrio.join_code, locale="en")
    vecina = session.exec(select(Member.id).where(Member.chat_id == VECINA.chat_id)).one()
    set_following(session, huerto.id or 0, vecina, True)
    set_following(session, luces.id or 0, vecina, False)
    propose(session, member_id=vecina, barrio_id=barrio.id or 0, idea=Idea("Fiesta", "Una vez al año", "bienestar"))
    idea = propose(session, member_id=vecina, barrio_id=barrio.id or 0, idea=Idea("Cancha", "Arreglarla", "bienestar"))
    session.commit()
    declined = session.get(PdlIdea, idea)
    assert declined is not None
    decline(session, declined)

    service.handle(VECINA, Event.parse("/misdatos"))
    replies = service.handle(VECINA, Event.button("acct:download"))
    files = {r.document.filename: r.document.content for r in replies if r.document is not None}
    records = json.loads(files["mis-datos.json"])["records"]
    assert [(r["topic"], r["value"], r["code"]) for r in records["follows"]] == [
        ("Garden", "You get its news", True), ("Luces", "You stopped following it", False)]
    assert [(r["topic"], r["item"], r["value"], r["code"]) for r in records["ideas"]] == [
        ("Fiesta", "Community well-being", "Una vez al año (under review)", "nueva"),
        ("Cancha", "Community well-being", "Arreglarla (did not make it into the plan)", "descartada")]
    sheet = files["mis-datos.csv"].decode("utf-8-sig")
    assert "Iniciativas you follow" in sheet and "Ideas for iniciativas you proposed" in sheet
