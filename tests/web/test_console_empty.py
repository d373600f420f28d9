"""A barrio with nothing yet: every list of the console says what is missing and what to do next."""

from datetime import timedelta

import httpx
from sqlmodel import Session

from api.ballots.schedule import open_ballot
from api.kernel.types import utcnow
from tests.factories import TwoOrganisations, make_ballot


async def test_an_empty_barrio_says_what_is_missing_and_what_to_do(browser: httpx.AsyncClient,
                                                                   world: TwoOrganisations) -> None:
    barrio = f"/consola/barrios/{world.ours.id}"
    pages = {path: (await browser.get(f"{barrio}{path}")).text for path in ("", "/convocatorias", "/pdl", "/alianzas")}
    assert "Todavía no hay encuestas en este barrio. Cargue un formulario XLSForm" in pages[""]
    assert "Todavía no hay votaciones en este barrio. Use «Nueva votación»" in pages[""]
    assert "Nadie se ha unido todavía. Imprima el afiche" in pages[""]
    assert "Todavía no hay convocatorias en este barrio. Escriba una" in pages["/convocatorias"]
    assert "Todavía no se han enviado avisos a este barrio. Escriba uno" in pages["/convocatorias"]
    assert "El plan aún no tiene iniciativas. Agregue la primera" in pages["/pdl"]
    assert "Aún no hay problemas registrados. Anote lo que mostró el diagnóstico" in pages["/pdl"]
    alliances = pages["/alianzas"]
    assert "Aún no hay aportes, así que no hay nada que resumir." in alliances
    assert "Su organización aún no registra actores. Agregue el primero" in alliances
    assert "Aún no hay mesas de trabajo. Cuando se reúna" in alliances
    comparison = await browser.get(f"{barrio}/comparacion")
    assert "el barrio no tiene una encuesta de línea base" in comparison.text
    browser.cookies.set("al_lang", "en")
    english = (await browser.get(barrio)).text
    assert "There are no surveys in this barrio yet. Upload an XLSForm below" in english
    assert "Todavía" not in english


async def test_a_ballot_nobody_voted_on_says_so(browser: httpx.AsyncClient, session: Session,
                                                world: TwoOrganisations) -> None:
    scheduled = make_ballot(session, world.ours, opens_at=utcnow() + timedelta(days=2))
    page = (await browser.get(f"/consola/votaciones/{scheduled.id}")).text
    assert "La votación aún no abre: los resultados aparecen aquí" in page
    opened = make_ballot(session, world.ours)
    assert open_ballot(session, opened, utcnow())
    session.commit()
    page = (await browser.get(f"/consola/votaciones/{opened.id}")).text
    assert "Aún nadie ha votado. Recuerde la votación al barrio" in page
