"""Vecinos' ideas (/proponer) on the console's PDL page: staff see them, merge one into the plan (as a new
iniciativa or into one it has) or decline it, and the proposer is told in their language through the outbox;
a decided idea is not decided again; another organisation's ideas are 404; no CSRF token, no change."""

from datetime import date

import httpx
from sqlmodel import Session, select

from api.barrios.models import Member
from api.outbox.models import OutboxMessage
from api.programme.ideas import propose
from api.programme.pdl import add_iniciativa
from api.programme.pdl_models import IniciativaFields, PdlIdea, PdlIniciativa
from api.programme.timeline import start_programme
from conversations.programme.ports import Idea
from tests.factories import TwoOrganisations, csrf_of, make_member, make_programme


async def _decide(browser: httpx.AsyncClient, page: str, idea: int, action: str,
                  data: dict[str, str] | None = None) -> httpx.Response:
    csrf = csrf_of((await browser.get(page)).text)
    return await browser.post(f"/consola/ideas/{idea}/{action}", data={"csrf": csrf, **(data or {})})


def _told(session: Session) -> dict[str, OutboxMessage]:
    session.expire_all()
    rows = session.exec(select(OutboxMessage, Member).join(Member).where(OutboxMessage.kind == "idea_outcome")).all()
    return {member.locale: message for message, member in rows}


async def test_staff_merge_or_decline_ideas_and_each_proposer_is_told_in_their_language(
        browser: httpx.AsyncClient, session: Session, world: TwoOrganisations) -> None:
    barrio = world.ours
    start_programme(session, barrio, date(2026, 9, 1))
    luces = add_iniciativa(session, barrio, IniciativaFields(title="Luminarias", ambito="habitabilidad"))
    proposers = {locale: make_member(session, barrio, locale, locale=locale) for locale in ("es", "ht", "en")}
    huerto, postes, fiesta = (
        propose(session, member_id=proposers[locale], barrio_id=barrio.id or 0, idea=idea) for locale, idea in (
            ("es", Idea("Huerto escolar", "Camas de cultivo en la escuela", "huertos")),
            ("ht", Idea("Más postes de luz", "En el pasaje", "habitabilidad")),
            ("en", Idea("Fiesta del barrio", "Una vez al año", "bienestar"))))
    session.commit()
    page = f"/consola/barrios/{barrio.id}/pdl"
    html = (await browser.get(page)).text
    ideas = html[html.index('id="ideas"'):html.index('id="iniciativas"')]
    assert "Huerto escolar" in ideas and "Camas de cultivo en la escuela" in ideas and "Huertos" in ideas
    assert ideas.count('action="/consola/ideas/') == 9  # new, into one of the plan's, decline: for each

    merged = await _decide(browser, page, huerto, "incorporar")
    assert merged.status_code == 303 and merged.headers["location"] == f"{page}#ideas"
    into = await _decide(browser, page, postes, "incorporar", {"iniciativa_id": str(luces.id)})
    assert into.status_code == 303
    assert (await _decide(browser, page, fiesta, "descartar")).status_code == 303

    session.expire_all()
    made = session.exec(select(PdlIniciativa).where(PdlIniciativa.title == "Huerto escolar")).one()
    assert (made.status, made.ambito, made.description) == ("propuesta", "huertos", "Camas de cultivo en la escuela")
    assert session.get(PdlIdea, postes).iniciativa_id == luces.id  # type: ignore[union-attr]
    told = _told(session)
    assert told["es"].text == ("¡Buenas noticias! Tu idea «Huerto escolar» quedó en el Plan de Desarrollo Local "
                               "del barrio.")
    assert told["es"].buttons[0][0]["data"] == f"pg:ini:{made.id}"  # it opens the iniciativa in the chat
    assert told["ht"].text.startswith("Bon nouvèl! Lide «Más postes de luz» ou a antre nan Plan Devlopman Lokal")
    assert told["en"].text.startswith("Thank you for your idea “Fiesta del barrio”. This time it did not make it")

    html = (await browser.get(page)).text
    ideas = html[html.index('id="ideas"'):html.index('id="iniciativas"')]
    assert ideas.count('action="/consola/ideas/') == 0
    assert f'<a href="/consola/iniciativas/{made.id}">' in ideas and "descartada" in ideas
    again = await _decide(browser, page, fiesta, "incorporar")
    assert again.status_code == 409 and "Esta idea ya fue decidida" in again.text
    assert len(_told(session)) == 3


async def test_another_organisations_idea_or_iniciativa_is_not_found_and_csrf_is_required(
        browser: httpx.AsyncClient, session: Session, world: TwoOrganisations) -> None:
    ours, theirs = make_programme(session, world.ours), make_programme(session, world.theirs)
    page = f"/consola/barrios/{world.ours.id}/pdl"
    assert (await _decide(browser, page, int(theirs["idea_id"]), "descartar")).status_code == 404
    into_theirs = await _decide(browser, page, int(ours["idea_id"]), "incorporar",
                                {"iniciativa_id": str(theirs["iniciativa_id"])})
    assert into_theirs.status_code == 404 and "not found" in into_theirs.text
    assert (await _decide(browser, page, int(ours["idea_id"]), "borrar")).status_code == 404
    no_token = await browser.post(f"/consola/ideas/{ours['idea_id']}/descartar", data={})
    assert no_token.status_code == 403
    session.expire_all()
    assert {i.status for i in session.exec(select(PdlIdea)).all()} == {"nueva"}
    assert _told(session) == {}
