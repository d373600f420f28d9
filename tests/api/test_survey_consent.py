"""Sensitive questions end to end: an XLSForm marks a group, one vecina accepts and one declines
in the chat, and the results and the CSV count who declined without a fake answer."""

import csv
import io
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Member
from api.chat.service import Address, ChatService
from api.surveys.demo import DIAGNOSTICO
from api.surveys.portability import export_answers
from conversations.kernel.events import Event
from conversations.kernel.i18n import Translator
from conversations.surveys.form import Form
from tests.factories import auth, chat_service, join, make_barrio, make_ejecutor, xlsform_workbook


def _labels(es: str, ht: str, en: str) -> dict[str, str]:
    return {"label::Español (es)": es, "label::Kreyòl (ht)": ht, "label::English (en)": en}


FORM = xlsform_workbook({
    "survey": [
        {"type": "integer", "name": "edad", "required": "yes", **_labels("¿Tu edad?", "Laj ou?", "Your age?")},
        {"type": "begin_group", "name": "hogar", "sensitive": "yes",
         **_labels("Ingresos y salud", "Revni ak sante", "Income and health")},
        {"type": "select_one sn", "name": "alcanza", "required": "yes",
         **_labels("¿Alcanza el ingreso?", "Èske revni an ase?", "Is the income enough?")},
        {"type": "select_one sn", "name": "enfermo", "required": "yes",
         **_labels("¿Alguien enfermo?", "Gen moun malad?", "Anyone ill?")},
        {"type": "integer", "name": "gasto", "relevant": "${enfermo} = 'si'",
         **_labels("¿Gasto en salud?", "Depans sante?", "Health spending?")},
        {"type": "end_group"},
        {"type": "select_one sn", "name": "participa", "required": "yes",
         **_labels("¿Participas?", "Ou patisipe?", "Do you take part?")},
    ],
    "choices": [
        {"list_name": "sn", "name": "si", **_labels("Sí", "Wi", "Yes")},
        {"list_name": "sn", "name": "no", **_labels("No", "Non", "No")},
    ],
    "settings": [{"form_title": "Hogar", "form_id": "hogar", "default_language": "Español (es)"}],
})


def _send(service: ChatService, address: Address, event: Event) -> str:
    return "\n".join(reply.text for reply in service.handle(address, event))


async def test_one_accepts_one_declines_and_results_and_csv_count_the_declined(
        client: httpx.AsyncClient, session: Session, engine: Engine) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    files = {"file": ("hogar.xlsx", FORM, "application/octet-stream")}
    imported = await client.post("/api/surveys/xlsform", data={"barrio_id": str(barrio.id)}, files=files,
                                 headers=auth(token))
    assert imported.status_code == 201, imported.text
    survey = imported.json()
    assert survey["definition"]["questions"][1]["sensitive"] is True
    sid = survey["id"]
    await client.post(f"/api/surveys/{sid}/open", headers=auth(token))
    service = chat_service(engine)

    ana = Address("telegram", "91", "91")
    join(service, barrio.join_code, None, ana, "es")
    _send(service, ana, Event.button(f"sv:{sid}"))
    shown = _send(service, ana, Event.parse("34"))
    assert "Las próximas preguntas son sobre temas sensibles: Ingresos y salud." in shown
    assert "¿Alcanza el ingreso?" in _send(service, ana, Event.button(f"sv:{sid}:1:consent:yes"))
    _send(service, ana, Event.button(f"sv:{sid}:1:0"))
    _send(service, ana, Event.button(f"sv:{sid}:2:0"))
    _send(service, ana, Event.parse("20"))
    assert "¡Gracias!" in _send(service, ana, Event.button(f"sv:{sid}:4:0"))

    rose = Address("telegram", "92", "92")
    join(service, barrio.join_code, None, rose, "ht")
    _send(service, rose, Event.button(f"sv:{sid}"))
    shown = _send(service, rose, Event.parse("51"))
    assert "Pwochen kesyon yo sou sijè ki delika: Revni ak sante." in shown
    assert "Ou patisipe?" in _send(service, rose, Event.button(f"sv:{sid}:1:consent:no"))
    shown = _send(service, rose, Event.button(f"sv:{sid}:4:1"))
    assert "Ou te chwazi pa reponn kesyon sou: Revni ak sante." in shown

    results = (await client.get(f"/api/surveys/{sid}/results", headers=auth(token))).json()
    assert (results["started"], results["completed"]) == (2, 2)
    by_name = {q["name"]: q for q in results["questions"]}
    # declined where it would have applied: "gasto" follows an answer she never gave
    assert {name: (q["answered"], q["declined"]) for name, q in by_name.items()} == {
        "edad": (2, None), "alcanza": (1, 1), "enfermo": (1, 1), "gasto": (1, 0), "participa": (2, None)}
    assert [c["count"] for c in by_name["alcanza"]["choices"]] == [1, 0]  # no fake answer among the counts

    export = await client.get(f"/api/surveys/{sid}/responses.csv", params={"short": "true"}, headers=auth(token))
    rows = [{k: v for k, v in row.items() if k not in ("respondent", "started", "submitted")}
            for row in csv.DictReader(io.StringIO(export.content.decode("utf-8-sig")))]
    assert rows == [
        {"status": "completa", "sensitive_consent": "yes", "edad": "34", "alcanza": "si", "enfermo": "si",
         "gasto": "20", "participa": "si"},
        {"status": "completa", "sensitive_consent": "no", "edad": "51", "alcanza": "", "enfermo": "", "gasto": "",
         "participa": "no"},
    ]

    member = session.exec(select(Member).where(Member.chat_id == "92")).one()  # her data download says it too
    records = export_answers(session, member.id, Translator("ht"))
    assert [(r.item, r.value, r.code) for r in records] == [
        ("Laj ou?", "51", 51), ("Ou patisipe?", "Non", "no"),
        ("Kesyon sou: Revni ak sante", "Ou te chwazi pa reponn yo", "no")]


async def test_json_surveys_take_the_mark_and_xlsform_checks_it(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    definition: dict[str, Any] = {"barrio_id": barrio.id, "title": "Salud", "questions": [
        {"name": "cronica", "type": "select_one", "label": "¿Enfermedad crónica?", "sensitive": True,
         "choices": [{"name": "si"}, {"name": "no"}]},
        {"name": "nota", "type": "scale", "label": "¿Nota?"}]}
    created = await client.post("/api/surveys", json=definition, headers=auth(token))
    assert created.status_code == 201, created.text
    form = Form.load(created.json()["definition"])
    assert [q.sensitive for q in form.questions] == [True, False]

    broken = xlsform_workbook({"survey": [{"type": "integer", "name": "n", "label": "N", "sensitive": "quizás"}],
                               "settings": [{"form_title": "X"}]})
    answer = await client.post("/api/surveys/xlsform", data={"barrio_id": str(barrio.id)},
                               files={"file": ("x.xlsx", broken, "application/octet-stream")}, headers=auth(token))
    assert answer.status_code == 422, answer.text
    assert [(e["code"], e["sheet"], e["row"], e["column"]) for e in answer.json()["errors"]] == [
        ("yes_or_no", "survey", 2, "sensitive")]


def test_the_demo_diagnostico_marks_income_and_health() -> None:
    form = Form.load(DIAGNOSTICO)
    assert {q.name for q in form.questions if q.sensitive} == {"ingresos", "salud"}
    assert form.topics("es") == ["Ingresos y salud de tu hogar"]
    assert form.topics("ht") == ["Revni ak sante moun lakay ou"]
    assert form.topics("en") == ["Your household's income and health"]
