"""A closed survey's summary: staff choose its questions and preview it; the figures are honest; vecinos
receive it in their language and can read it again in the chat."""

from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.chat.service import Address
from api.outbox.models import OutboxMessage
from api.surveys.models import Survey
from api.surveys.store import move
from conversations.kernel.events import Event
from conversations.surveys.ports import SurveyStatus
from tests.factories import auth, chat_service, join, make_answers, make_barrio, make_ejecutor, make_member, make_survey


def _l(es: str, ht: str, en: str) -> dict[str, str]:
    return {"es": es, "ht": ht, "en": en}


YES_NO = [{"name": "si", "label": _l("Sí", "Wi", "Yes")}, {"name": "no", "label": _l("No", "Non", "No")}]
FORM = {
    "title": _l("Diagnóstico", "Dyagnostik", "Diagnosis"),
    "questions": [
        {"name": "agua", "type": "select_one", "label": _l("¿Tienes agua?", "Ou gen dlo?", "Do you have water?"),
         "choices": YES_NO},
        {"name": "sede", "type": "select_one", "label": _l("¿Usas la sede?", "Ou sèvi ak lokal la?",
                                                            "Do you use the hall?"), "choices": YES_NO},
        {"name": "huerto", "type": "select_one", "label": _l("¿Tienes huerto?", "Ou gen jaden?", "A garden?"),
         "choices": YES_NO},
        {"name": "confianza", "type": "scale", "label": _l("¿Confías?", "Ou fè konfyans?", "Do you trust?"),
         "anchors": {"low": _l("nada", "pa ditou", "not at all"), "high": _l("mucho", "anpil", "a lot")}},
        {"name": "nombre", "type": "text", "label": "¿Nombre de la plaza?"},
    ],
}
# six completed responses; huerto answered by three only; sede a tie; one response left halfway
ANSWERS = [
    {"agua": "si", "sede": "si", "huerto": "si", "confianza": 4},
    {"agua": "si", "sede": "si", "huerto": "no", "confianza": 5},
    {"agua": "si", "sede": "si", "huerto": "si", "confianza": 3},
    {"agua": "no", "sede": "no", "confianza": 4},
    {"agua": "si", "sede": "no", "confianza": 2},
    {"agua": "no", "sede": "no", "confianza": 3},
]
LOCALES = ["es", "es", "ht", "en", "ht", "es"]


def _closed_survey(session: Session) -> tuple[Survey, str, Any]:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    survey = make_survey(session, barrio, FORM)
    for n, (answers, locale) in enumerate(zip(ANSWERS, LOCALES, strict=True)):
        make_answers(session, survey, make_member(session, barrio, f"c{n}", locale=locale), answers)
    halfway = make_member(session, barrio, "c9", locale="en")
    make_answers(session, survey, halfway, {"agua": "no", "sede": "no"}, completed=False)  # counts nowhere
    move(session, survey, SurveyStatus.CLOSED)
    return survey, token, barrio


async def test_staff_preview_choose_and_publish_an_honest_summary(
        client: httpx.AsyncClient, session: Session) -> None:
    survey, token, _ = _closed_survey(session)
    base = f"/api/surveys/{survey.id}"
    shown = (await client.get(f"{base}/summary", headers=auth(token))).json()
    assert [q["name"] for q in shown["choosable"]] == ["agua", "sede", "huerto", "confianza"]  # not the text
    assert shown["questions"] == ["agua", "sede", "huerto", "confianza"]
    spanish = shown["texts"]["es"].split("\n")
    assert spanish[1] == "6 vecinas y vecinos la respondieron completa. ¡Gracias por participar!"
    assert "• ¿Tienes agua?: Sí, 4 de 6 respuestas (67%)" in spanish  # over the completed responses
    assert "• ¿Usas la sede?: empate entre «Sí», «No», con 3 de 6 respuestas cada una (50%)" in spanish
    assert "• ¿Tienes huerto?: solo 3 respuestas, muy pocas para mostrar resultados." in spanish
    assert "• ¿Confías?: promedio 3,5 de 5, donde 1 es «nada» y 5 es «mucho» (6 respuestas)" in spanish
    assert "• Do you use the hall?: a tie between «Yes», «No», with 3 of 6 answers each (50%)" in shown["texts"]["en"]
    assert "• Ou gen dlo?: Wi, 4 sou 6 repons (67%)" in shown["texts"]["ht"]

    chosen = (await client.get(f"{base}/summary", params={"question": ["confianza", "agua"]},
                               headers=auth(token))).json()
    assert chosen["questions"] == ["agua", "confianza"] and "sede" not in chosen["texts"]["es"]
    assert chosen["version"] != shown["version"]
    wrong = await client.get(f"{base}/summary", params={"question": "nombre"}, headers=auth(token))
    assert wrong.status_code == 422 and "nombre" in wrong.json()["detail"]

    published = await client.post(f"{base}/publish", params={"question": ["agua", "confianza"],
                                                             "approved": shown["version"]}, headers=auth(token))
    assert published.status_code == 409  # that version had other questions: nothing sent
    assert session.exec(select(OutboxMessage)).all() == []
    published = await client.post(f"{base}/publish", params={"question": ["agua", "confianza"],
                                                             "approved": chosen["version"]}, headers=auth(token))
    assert published.json() == {"queued": 7}  # every vecino of the barrio, in their language
    sent = {m.text for m in session.exec(select(OutboxMessage)).all()}
    assert sent == set(chosen["texts"].values())
    session.expire_all()
    stored = session.get(Survey, survey.id)
    assert stored is not None and stored.summary == chosen["texts"] and stored.published_at is not None
    listed = (await client.get(base, headers=auth(token))).json()
    assert listed["published_at"] is not None and "summary" not in listed


async def test_a_vecina_reads_the_published_results_in_the_chat(
        client: httpx.AsyncClient, session: Session, engine: Engine) -> None:
    survey, token, barrio = _closed_survey(session)
    service = chat_service(engine)
    vecina = Address("telegram", "501", "501")
    join(service, barrio.join_code, 9000, vecina, "ht")
    before = service.handle(vecina, Event.parse("/encuestas"), 9010)
    assert not any(":results" in b.data for reply in before for row in reply.buttons for b in row)
    shown = (await client.get(f"/api/surveys/{survey.id}/summary", headers=auth(token))).json()
    await client.post(f"/api/surveys/{survey.id}/publish", params={"approved": shown["version"]},
                      headers=auth(token))
    listed = service.handle(vecina, Event.parse("/encuestas"), 9011)
    buttons = [(b.label, b.data) for reply in listed for row in reply.buttons for b in row]
    assert ("📊 Rezilta: Dyagnostik", f"sv:{survey.id}:results") in buttons
    replies = service.handle(vecina, Event.button(f"sv:{survey.id}:results"), 9012)
    assert replies[-1].text == shown["texts"]["ht"]
