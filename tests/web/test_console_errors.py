"""What a wrong console form says: the field as the form labels it and a plain message, in Spanish, or in
English when the console is in English; and a ballot typed in Kreyòl reaches a Kreyòl vecina."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.ballots.models import Ballot
from api.kernel.types import utcnow
from conversations.kernel.events import Event
from tests.factories import VECINA, TwoOrganisations, chat_service, csrf_of, join

SANTIAGO = ZoneInfo("America/Santiago")
OPENS = (utcnow() + timedelta(days=3)).astimezone(SANTIAGO).replace(hour=9, minute=0, second=0, microsecond=0)


def _local(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.astimezone(SANTIAGO).strftime("%Y-%m-%dT%H:%M")


def _ballot(csrf: str, **over: object) -> dict[str, object]:
    form: dict[str, object] = {
        "csrf": csrf, "title": "Prioricemos 2027", "method": "single", "opens_at": _local(OPENS),
        "closes_at": _local(OPENS + timedelta(days=7)), "ini_title": ["Huerto comunitario", "Luminarias"],
        "ini_ambito": ["huertos", "habitabilidad"], "ini_cost": ["1200000", "1500000"], "ini_description": ["", ""]}
    form.update(over)
    return form


async def _new_ballot(browser: httpx.AsyncClient, world: TwoOrganisations, **over: object) -> httpx.Response:
    page = await browser.get(f"/consola/barrios/{world.ours.id}/votaciones/nueva")
    return await browser.post(f"/consola/barrios/{world.ours.id}/votaciones", data=_ballot(csrf_of(page.text), **over))


async def test_a_wrong_ballot_says_each_problem_plainly_in_spanish(browser: httpx.AsyncClient, session: Session,
                                                                   world: TwoOrganisations) -> None:
    answer = await _new_ballot(browser, world, closes_at="", title="A", ini_cost=["mucho", "1500000"],
                               method="approval", max_choices="")
    assert answer.status_code == 422
    assert "Cierra: falta la fecha y la hora." in answer.text
    past = await _new_ballot(browser, world, opens_at=_local(OPENS - timedelta(days=30)),
                             closes_at=_local(OPENS - timedelta(days=20)))
    assert past.status_code == 422 and "Cierra: debe ser una fecha futura." in past.text
    short = await _new_ballot(browser, world, title="A", ini_cost=["mucho", "1500000"])
    assert "Título: es muy corto: escriba al menos 2 caracteres." in short.text
    assert "Iniciativa 1, Costo: debe ser 0 o más." in short.text
    approval = await _new_ballot(browser, world, method="approval", max_choices="")
    assert "Máximo de iniciativas por voto: falta, y esta forma de votar lo necesita." in approval.text
    for shown in (answer, past, short, approval):
        assert "should" not in shown.text and "closes_at:" not in shown.text and "Value error" not in shown.text
    assert session.exec(select(Ballot)).first() is None


async def test_the_english_console_says_it_in_english(browser: httpx.AsyncClient, world: TwoOrganisations) -> None:
    browser.cookies.set("al_lang", "en")
    answer = await _new_ballot(browser, world, closes_at=_local(OPENS - timedelta(hours=1)))
    assert answer.status_code == 422 and "Closes: must be after the opening." in answer.text
    short = await _new_ballot(browser, world, title="A")
    assert "Title: is too short: write at least 2 characters." in short.text
    assert "debe ser" not in answer.text


async def test_alliance_and_convocatoria_forms_name_their_fields(browser: httpx.AsyncClient,
                                                                 world: TwoOrganisations) -> None:
    url = f"/consola/barrios/{world.ours.id}/alianzas"
    csrf = csrf_of((await browser.get(url)).text)
    actor = await browser.post(f"{url}/actores", data={"csrf": csrf, "name": "Junta de vecinos", "kind": "otro-x"})
    assert actor.status_code == 422 and "Tipo: elija una de las opciones de la lista." in actor.text
    mesa = await browser.post(f"{url}/mesas", data={"csrf": csrf, "held_on": "ayer", "title": ""})
    assert mesa.status_code == 422 and "Fecha: no es una fecha válida." in mesa.text
    assert "Título: falta completarlo." in mesa.text
    url = f"/consola/barrios/{world.ours.id}/convocatorias"
    csrf = csrf_of((await browser.get(url)).text)
    convocatoria = await browser.post(url, data={"csrf": csrf, "title": "Asamblea", "place": "Sede",
                                                 "action": "preview",
                                                 "starts_at": _local(utcnow() - timedelta(days=1))})
    assert convocatoria.status_code == 422, convocatoria.text
    assert "Fecha y hora: debe ser una fecha futura." in convocatoria.text


async def test_a_ballot_typed_in_kreyol_reaches_a_kreyol_vecina(browser: httpx.AsyncClient, engine: Engine,
                                                                session: Session, world: TwoOrganisations) -> None:
    answer = await _new_ballot(browser, world, title_ht="Ann chwazi pou 2027", description_ht="Kisa pou finanse",
                               title_en="Let us choose for 2027", ini_title_ht=["Jaden kominotè", ""],
                               ini_title_en=["Community garden", "Street lights"], ini_description_ht=["", ""],
                               ini_description_en=["", ""])
    assert answer.status_code == 303, answer.text
    ballot = session.exec(select(Ballot)).one()
    assert ballot.translations["ht"] == {"title": "Ann chwazi pou 2027", "description": "Kisa pou finanse"}
    edit = await browser.get(f"/consola/votaciones/{ballot.id}/editar")  # what was typed comes back to edit
    assert 'value="Ann chwazi pou 2027"' in edit.text and 'value="Jaden kominotè"' in edit.text
    service = chat_service(engine)
    join(service, world.ours.join_code, locale="ht")
    opened = await browser.post(f"/consola/votaciones/{ballot.id}/abrir", data={"csrf": csrf_of(edit.text)})
    assert opened.status_code == 303
    shown = service.handle(VECINA, Event.button(f"bl:{ballot.id}"))[-1]
    assert "Ann chwazi pou 2027" in shown.text and "Jaden kominotè" in shown.text
    assert "Luminarias" in shown.text  # no Kreyòl title typed for it: the Spanish one


async def test_a_colleague_refused_by_the_store_is_said_plainly(browser: httpx.AsyncClient,
                                                                world: TwoOrganisations) -> None:
    csrf = csrf_of((await browser.get("/consola/equipo")).text)
    short = await browser.post("/consola/equipo", data={"csrf": csrf, "name": "Berta", "email": "berta@ong.cl",
                                                        "password": "corta"})
    assert short.status_code == 422 and "Contraseña: es muy corta: use al menos 12 caracteres." in short.text
    taken = await browser.post("/consola/equipo", data={"csrf": csrf, "name": "Ana", "email": "ana@ong.cl",
                                                        "password": "una clave bien larga"})
    assert taken.status_code == 422 and "Correo: ya tiene una cuenta." in taken.text
    assert "already" not in taken.text
