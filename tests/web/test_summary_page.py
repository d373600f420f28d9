"""The console's summary page: staff choose the questions, read the message in each language, publish it."""

import httpx
from sqlmodel import Session, select

from api.outbox.models import OutboxMessage
from api.surveys.models import Survey
from api.surveys.store import move
from conversations.surveys.ports import SurveyStatus
from tests.factories import TwoOrganisations, csrf_of, make_answers, make_member, make_survey


async def test_staff_choose_preview_and_publish_the_summary(browser: httpx.AsyncClient, session: Session,
                                                            world: TwoOrganisations) -> None:
    survey = make_survey(session, world.ours)
    for n, color in enumerate(["rojo", "rojo", "azul", "rojo", "azul", "rojo"]):
        make_answers(session, survey, make_member(session, world.ours, f"s{n}", locale=("es", "en")[n % 2]),
                     {"color": color, "nota": 4})
    page = await browser.get(f"/consola/encuestas/{survey.id}")
    assert f'href="/consola/encuestas/{survey.id}/resumen"' in page.text
    shown = await browser.get(f"/consola/encuestas/{survey.id}/resumen", params={"question": "color"})
    assert shown.status_code == 200
    assert "• ¿Color?: Rojo, 4 de 6 respuestas (67%)" in shown.text and "• Colour?: Red, 4 of 6 answers" in shown.text
    assert "promedio" not in shown.text  # the scale was not chosen
    assert "Cierra la encuesta para poder enviar el resumen." in shown.text and "resumen/enviar" not in shown.text

    move(session, survey, SurveyStatus.CLOSED)
    shown = await browser.get(f"/consola/encuestas/{survey.id}/resumen", params={"question": "color"})
    version = shown.text.split('name="version" value="')[1].split('"')[0]
    stale = await browser.post(f"/consola/encuestas/{survey.id}/resumen/enviar",
                               data={"csrf": csrf_of(shown.text), "version": version, "question": ["color", "nota"]})
    assert stale.status_code == 409 and "véalo de nuevo" in stale.text  # read with other questions: not sent
    assert session.exec(select(OutboxMessage)).all() == []
    sent = await browser.post(f"/consola/encuestas/{survey.id}/resumen/enviar",
                              data={"csrf": csrf_of(shown.text), "version": version, "question": "color"})
    assert sent.status_code == 303
    after = await browser.get(sent.headers["location"])
    assert "Enviado a 6 vecinos." in after.text and "Publicado el" in after.text
    assert len(session.exec(select(OutboxMessage)).all()) == 6
    session.expire_all()
    assert "Rojo, 4 de 6" in (session.get(Survey, survey.id).summary or {})["es"]  # type: ignore[union-attr]


async def test_another_organisations_summary_is_not_found(browser: httpx.AsyncClient, session: Session,
                                                          world: TwoOrganisations) -> None:
    survey = make_survey(session, world.theirs, status=SurveyStatus.CLOSED)
    assert (await browser.get(f"/consola/encuestas/{survey.id}/resumen")).status_code == 404
    csrf = csrf_of((await browser.get("/consola")).text)
    sent = await browser.post(f"/consola/encuestas/{survey.id}/resumen/enviar", data={"csrf": csrf, "version": "x"})
    assert sent.status_code == 404
    refused = await browser.post(f"/consola/encuestas/{survey.id}/resumen/enviar", data={"version": "x"})
    assert refused.status_code in (403, 404)
