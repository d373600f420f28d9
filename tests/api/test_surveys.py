"""What an ejecutor does with surveys through the API: load, open, close, copy, results, exports."""

import csv
import io
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from sqlmodel import Session, select

from api.barrios.models import Member
from api.outbox.models import OutboxMessage
from api.surveys.demo import DIAGNOSTICO
from api.surveys.models import SurveyResponse
from api.surveys.store import SqlSurveys
from tests.factories import SMALL, auth, make_barrio, make_ejecutor, to_xlsform, xlsform_workbook


@pytest.fixture
def setup(session: Session) -> dict[str, Any]:
    ejecutor, token = make_ejecutor(session)
    other, other_token = make_ejecutor(session, "Otra ONG")
    return {"token": token, "barrio": make_barrio(session, ejecutor),
            "second": make_barrio(session, ejecutor, "Villa Dos"),
            "other_token": other_token, "other_barrio": make_barrio(session, other, "Ajeno")}


async def _create(client: httpx.AsyncClient, token: str, barrio_id: int, definition: dict[str, Any],
                  **extra: Any) -> httpx.Response:
    return await client.post("/api/surveys", json={"barrio_id": barrio_id, **definition, **extra}, headers=auth(token))


def _answer(session: Session, barrio_id: int, survey_id: int, member_id: str, locale: str,
            answers: dict[str, Any], complete: bool = True) -> None:
    session.add(Member(id=member_id, barrio_id=barrio_id, channel="telegram", chat_id=f"chat-{member_id}",
                       locale=locale))
    session.flush()
    port = SqlSurveys(session)
    for question, value in answers.items():
        port.save(survey_id, member_id, question, value)
    port.set_completed(survey_id, member_id, complete)
    session.commit()


async def test_json_survey_lifecycle_and_copy(client: httpx.AsyncClient, setup: dict[str, Any]) -> None:
    token, barrio = setup["token"], setup["barrio"]
    created = await _create(client, token, barrio.id, SMALL, kind="linea_base")
    assert created.status_code == 201, created.text
    survey = created.json()
    assert (survey["status"], survey["kind"], survey["title"], survey["questions"]) == ("draft", "linea_base",
                                                                                         "Consulta corta", 5)
    closing_a_draft = await client.post(f"/api/surveys/{survey['id']}/close", headers=auth(token))
    assert closing_a_draft.status_code == 409 and "draft" in closing_a_draft.json()["detail"]
    assert (await client.post(f"/api/surveys/{survey['id']}/open", headers=auth(token))).json()["status"] == "open"
    assert (await client.post(f"/api/surveys/{survey['id']}/close", headers=auth(token))).json()["status"] == "closed"
    reopened = await client.post(f"/api/surveys/{survey['id']}/open", headers=auth(token))
    assert reopened.status_code == 409

    copy = await client.post(f"/api/surveys/{survey['id']}/copy", json={"barrio_id": setup["second"].id},
                             headers=auth(token))
    assert copy.status_code == 201
    assert (copy.json()["barrio_id"], copy.json()["status"]) == (setup["second"].id, "draft")
    assert copy.json()["definition"] == survey["definition"]
    listed = await client.get("/api/surveys", params={"barrio_id": setup["second"].id}, headers=auth(token))
    assert [s["id"] for s in listed.json()] == [copy.json()["id"]]


@pytest.mark.parametrize(("change", "message"), [
    ({"type": "barcode"}, "type"),
    ({"relevant": "${later} = 'x'"}, "question 1 (color): refers to later"),
    ({"constraint": "__import__('os')"}, "question 1 (color): constraint"),
    ({"choices": []}, "question 1 (color): a select_one question needs choices"),
])
async def test_bad_definitions_are_rejected_with_the_question_named(
        client: httpx.AsyncClient, setup: dict[str, Any], change: dict[str, Any], message: str) -> None:
    definition = {**SMALL, "questions": [{**SMALL["questions"][0], **change}, *SMALL["questions"][1:]]}
    answer = await _create(client, setup["token"], setup["barrio"].id, definition)
    assert answer.status_code == 422
    assert message in answer.json()["detail"]


async def test_only_the_own_ejecutor_sees_a_survey(client: httpx.AsyncClient, setup: dict[str, Any]) -> None:
    survey = (await _create(client, setup["token"], setup["barrio"].id, SMALL)).json()
    other = auth(setup["other_token"])
    for path in ("", "/results", "/responses.csv", "/responses.xlsx"):
        assert (await client.get(f"/api/surveys/{survey['id']}{path}", headers=other)).status_code == 404
    for action in ("open", "close", "publish"):
        assert (await client.post(f"/api/surveys/{survey['id']}/{action}", headers=other)).status_code == 404
    assert (await _create(client, setup["other_token"], setup["barrio"].id, SMALL)).status_code == 404
    assert (await client.get(f"/api/surveys/{survey['id']}")).status_code == 401


async def test_xlsform_import_of_the_diagnostico(client: httpx.AsyncClient, setup: dict[str, Any]) -> None:
    files = {"file": ("diagnostico.xlsx", to_xlsform(DIAGNOSTICO), "application/octet-stream")}
    answer = await client.post("/api/surveys/xlsform", data={"barrio_id": str(setup["barrio"].id)}, files=files,
                               headers=auth(setup["token"]))
    assert answer.status_code == 201, answer.text
    imported = answer.json()["definition"]
    assert answer.json()["title"] == "Diagnóstico de nuestro barrio"
    assert [q["name"] for q in imported["questions"]] == ["start", *(q["name"] for q in DIAGNOSTICO["questions"])]
    assert imported["questions"][0] == {"name": "start", "type": "start", "required": False}  # recorded by the chat
    problems = next(q for q in imported["questions"] if q["name"] == "problemas")
    assert problems["type"] == "select_multiple" and problems["required"] is True
    assert problems["label"]["ht"].startswith("Ki pi gwo pwoblèm")
    assert problems["choices"][0] == {"name": "trabajo", "label": {"es": "Falta de trabajo", "ht": "Mank travay",
                                                                   "en": "Lack of jobs"}}
    assert problems["constraint"] == "count-selected(.) <= 3"
    assert next(q for q in imported["questions"] if q["name"] == "entorno")["type"] == "scale"
    assert next(q for q in imported["questions"] if q["name"] == "rubro")["relevant"] == "${emprendimiento} = 'si'"


@pytest.mark.parametrize(("workbook", "message"), [
    (to_xlsform(SMALL, [{"type": "barcode", "name": "lugar", "label": "¿Código?", "required": "yes"}]),
     "Sheet survey, row 8, column type: «barcode» cannot be asked in the chat"),
    (to_xlsform(SMALL, [{"type": "image", "name": "foto", "label": "¿Foto?", "required": "yes"}]),
     "Sheet survey, row 8, column required: A photo cannot be required in the chat"),
    (to_xlsform(SMALL, [{"type": "select_one nada", "name": "x", "label": "X"}]),
     "Sheet survey, row 8, column type: The list «nada» is not on the «choices» sheet"),
    (to_xlsform(SMALL, [{"type": "integer", "name": "y", "label": "Y", "relevant": "${edad} >>> 3"}]),
     "Sheet survey, row 8, column relevant: The formula «${edad} >>> 3»"),
    (to_xlsform(SMALL, [{"type": "integer", "name": "z", "label": "Z", "required": "maybe"}]),
     "Sheet survey, row 8, column required: It must say yes or no, not «maybe»."),
    (xlsform_workbook({"survey": [{"type": "select_one c", "name": "q", "label": "Q"}],
                "choices": [{"list_name": "c", "name": "a"}, {"list_name": "c", "name": ""}]}),
     "Sheet choices, row 3, column name: This choice has no name"),
    (b"not a spreadsheet", "File: The file could not be read as an XLSForm"),
    (to_xlsform(SMALL, [{"type": "text", "name": "n" * 80, "label": "Larga"}]),
     "Sheet survey, row 8, column name: It is too long: at most 64 characters."),  # the same limits as a JSON survey
])
async def test_xlsform_errors_name_sheet_and_row_and_import_nothing(
        client: httpx.AsyncClient, setup: dict[str, Any], workbook: bytes, message: str) -> None:
    files = {"file": ("form.xlsx", workbook, "application/octet-stream")}
    answer = await client.post("/api/surveys/xlsform", data={"barrio_id": str(setup["barrio"].id)}, files=files,
                               headers=auth(setup["token"]), params={"lang": "en"})
    assert answer.status_code == 422
    assert message in answer.json()["detail"]
    listed = await client.get("/api/surveys", params={"barrio_id": setup["barrio"].id}, headers=auth(setup["token"]))
    assert listed.json() == []


@pytest.fixture
async def answered(client: httpx.AsyncClient, setup: dict[str, Any], session: Session) -> dict[str, Any]:
    barrio = setup["barrio"]
    survey = (await _create(client, setup["token"], barrio.id, SMALL)).json()
    await client.post(f"/api/surveys/{survey['id']}/open", headers=auth(setup["token"]))
    _answer(session, barrio.id, survey["id"], "vaaa00000001", "es",
            {"color": "rojo", "usos": ["a", "b"], "edad": 30, "nota": 4, "idea": "Una plaza con juegos"})
    _answer(session, barrio.id, survey["id"], "vaaa00000002", "ht",
            {"color": "rojo", "usos": ["b"], "edad": 50, "nota": 2, "idea": "=HYPERLINK(\"x\")"})
    _answer(session, barrio.id, survey["id"], "vaaa00000003", "en", {"color": "azul", "edad": 70}, complete=False)
    return {**setup, "survey": survey}


async def test_results_count_choices_and_numbers(client: httpx.AsyncClient, answered: dict[str, Any]) -> None:
    results = (await client.get(f"/api/surveys/{answered['survey']['id']}/results",
                                headers=auth(answered["token"]))).json()
    assert (results["started"], results["completed"]) == (3, 2)
    color, usos, edad, nota, idea = results["questions"]
    assert [(c["name"], c["count"], c["percent"]) for c in color["choices"]] == [("rojo", 2, 66.7), ("azul", 1, 33.3)]
    assert [(c["label"], c["count"]) for c in usos["choices"]] == [("Plaza", 1), ("Sede", 2)]
    assert (edad["answered"], edad["mean"], edad["median"]) == (3, 50.0, 50.0)
    assert [(b["low"], b["high"], b["count"]) for b in edad["bins"]] == [  # its histogram: ages 30, 50, 70
        (30, 40, 1), (40, 50, 0), (50, 60, 1), (60, 70, 0), (70, 80, 1)]
    assert nota["mean"] == 3.0 and [c["count"] for c in nota["choices"]] == [0, 1, 0, 1, 0]
    assert nota["bins"] is None  # a scale's bars are its options
    assert idea["texts"] == ["Una plaza con juegos", '=HYPERLINK("x")'] and idea["answered"] == 2


async def test_csv_export_is_one_row_per_response_with_kobo_columns(
        client: httpx.AsyncClient, answered: dict[str, Any]) -> None:
    answer = await client.get(f"/api/surveys/{answered['survey']['id']}/responses.csv",
                              headers=auth(answered["token"]))
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["respondent", "status", "started", "submitted", "color", "usos", "usos/a", "usos/b",
                             "edad", "nota", "idea"]
    first = rows[0]
    assert (first["color"], first["usos"], first["usos/a"], first["usos/b"], first["edad"]) == ("rojo", "a b", "1", "1",
                                                                                                "30")
    assert rows[1]["usos/a"] == "0" and rows[1]["idea"] == "'=HYPERLINK(\"x\")"
    assert rows[2]["status"] == "incompleta" and rows[2]["usos/a"] == "" and rows[2]["submitted"] == ""
    respondents = {row["respondent"] for row in rows}
    assert len(respondents) == 3 and not any(r.startswith("v") or "chat" in r for r in respondents)
    assert "vaaa00000001" not in answer.text and "chat-" not in answer.text


async def test_csv_headers_from_labels_get_the_formula_guard(client: httpx.AsyncClient, setup: dict[str, Any]) -> None:
    """A question labelled like a formula (a shared XLSForm) is text in the header too, as in the rows."""
    definition = {"title": "Fórmulas", "questions": [
        {"name": "q", "type": "text", "label": '=HYPERLINK("http://x","y")'},
        {"name": "r", "type": "select_one", "label": "@SUM(1)",
         "choices": [{"name": "a", "label": "+1"}, {"name": "b", "label": "B"}]}]}
    survey = (await _create(client, setup["token"], setup["barrio"].id, definition)).json()
    answer = await client.get(f"/api/surveys/{survey['id']}/responses.csv", params={"labels": "true"},
                              headers=auth(setup["token"]))
    assert answer.status_code == 200, answer.text
    header = next(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert header[4:] == ["'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1)"]


async def test_xlsx_export_with_labels_and_local_times(
        client: httpx.AsyncClient, answered: dict[str, Any], session: Session) -> None:
    answer = await client.get(f"/api/surveys/{answered['survey']['id']}/responses.xlsx",
                              params={"labels": "true", "lang": "en"}, headers=auth(answered["token"]))
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True)["respuestas"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][4:8] == ["Colour?", "¿Usos?", "¿Usos?/Plaza", "¿Usos?/Sede"]
    assert rows[1][4:8] == ["Red", "Plaza, Sede", 1, 1]
    assert rows[3][4] == "Blue" and rows[3][8] == 70
    texts = [row[-1] for row in rows[1:]]
    assert '=HYPERLINK("x")' in texts  # kept as text (not a formula), without the CSV's leading '
    started = session.exec(select(SurveyResponse).where(SurveyResponse.member_id == "vaaa00000001")).one().started_at
    local = started.astimezone(ZoneInfo("America/Santiago")).replace(tzinfo=None)
    assert abs(rows[1][2] - local).total_seconds() < 0.001  # a real date-time, in the barrio's time


async def test_publish_queues_the_previewed_summary_per_vecino_in_their_language(
        client: httpx.AsyncClient, answered: dict[str, Any], session: Session) -> None:
    survey_id, headers = answered["survey"]["id"], auth(answered["token"])
    path = f"/api/surveys/{survey_id}/publish"
    shown = (await client.get(f"/api/surveys/{survey_id}/summary", headers=headers)).json()
    assert shown["questions"] == ["color", "usos", "nota"]  # the choice and scale questions
    assert (await client.post(path, params={"approved": shown["version"]}, headers=headers)).status_code == 409
    await client.post(f"/api/surveys/{survey_id}/close", headers=headers)
    assert (await client.post(path, params={"approved": "0" * 16}, headers=headers)).status_code == 409  # not read
    assert (await client.post(path, headers=headers)).status_code == 422  # no version approved
    approved = {"approved": shown["version"]}
    assert (await client.post(path, params=approved, headers=headers)).json() == {"queued": 3}
    assert (await client.post(path, params=approved, headers=headers)).json() == {"queued": 0}  # once per member
    rows = {m.member_id: m for m in session.exec(select(OutboxMessage)).all()}
    assert {(m.kind, m.ref_id) for m in rows.values()} == {("survey_results", survey_id)}
    spanish, kreyol, english = rows["vaaa00000001"].text, rows["vaaa00000002"].text, rows["vaaa00000003"].text
    assert spanish == shown["texts"]["es"] and kreyol == shown["texts"]["ht"] and english == shown["texts"]["en"]
    assert "Resultados de la encuesta «Consulta corta»" in spanish
    assert "2 vecinas y vecinos la respondieron completa" in spanish
    assert "• ¿Color?: solo 2 respuestas, muy pocas para mostrar resultados." in spanish  # under 5: no %
    assert "Rezilta ankèt «Ti ankèt»" in kreyol and "Results of the survey “Short poll”" in english
    assert rows["vaaa00000001"].chat_id == "chat-vaaa00000001"


async def test_only_an_unanswered_draft_is_deleted(client: httpx.AsyncClient, setup: dict[str, Any],
                                                   session: Session) -> None:
    headers = auth(setup["token"])
    draft = (await _create(client, setup["token"], setup["barrio"].id, SMALL)).json()
    assert (await client.delete(f"/api/surveys/{draft['id']}", headers=auth(setup["other_token"]))).status_code == 404
    assert (await client.delete(f"/api/surveys/{draft['id']}", headers=headers)).status_code == 204
    assert (await client.get(f"/api/surveys/{draft['id']}", headers=headers)).status_code == 404
    opened = (await _create(client, setup["token"], setup["barrio"].id, SMALL)).json()
    await client.post(f"/api/surveys/{opened['id']}/open", headers=headers)
    refused = await client.delete(f"/api/surveys/{opened['id']}", headers=headers)
    assert refused.status_code == 409 and "only a draft can be deleted" in refused.json()["detail"]
    answered = (await _create(client, setup["token"], setup["barrio"].id, SMALL)).json()
    _answer(session, setup["barrio"].id, answered["id"], "vaaa00000009", "es", {"color": "rojo"})  # tried out
    refused = await client.delete(f"/api/surveys/{answered['id']}", headers=headers)
    assert refused.status_code == 409 and "cannot be deleted" in refused.json()["detail"]
    assert (await client.get(f"/api/surveys/{answered['id']}", headers=headers)).status_code == 200


async def test_copy_into_another_organisations_barrio_is_not_found(client: httpx.AsyncClient,
                                                                    setup: dict[str, Any]) -> None:
    survey = (await _create(client, setup["token"], setup["barrio"].id, SMALL)).json()
    theirs = await client.post(f"/api/surveys/{survey['id']}/copy", json={"barrio_id": setup["other_barrio"].id},
                               headers=auth(setup["token"]))
    assert theirs.status_code == 404
    stolen = await client.post(f"/api/surveys/{survey['id']}/copy", json={"barrio_id": setup["other_barrio"].id},
                               headers=auth(setup["other_token"]))
    assert stolen.status_code == 404


async def test_results_and_exports_within_days_and_split_by_a_question(
        client: httpx.AsyncClient, answered: dict[str, Any], session: Session) -> None:
    survey_id, headers = answered["survey"]["id"], auth(answered["token"])
    first = session.exec(select(SurveyResponse).where(SurveyResponse.member_id == "vaaa00000001")).one()
    first.started_at = first.started_at.replace(year=2025)  # answered a year before the others
    session.add(first)
    session.commit()
    last_year = first.started_at.astimezone(ZoneInfo("America/Santiago")).date()
    found = (await client.get(f"/api/surveys/{survey_id}/results", headers=headers,
                              params={"until": last_year.isoformat(), "by": "color"})).json()
    assert (found["started"], found["by"]) == (1, "color")
    assert [(g["name"], g["started"]) for g in found["groups"]] == [("rojo", 1), ("azul", 0)]
    since = last_year.isoformat()
    later = (await client.get(f"/api/surveys/{survey_id}/results", headers=headers,
                              params={"since": f"{last_year.year + 1}-01-01", "by": "color"})).json()
    assert later["started"] == 2 and [g["started"] for g in later["groups"]] == [1, 1]
    edad = {g["name"]: next(q for q in g["questions"] if q["name"] == "edad")["mean"] for g in later["groups"]}
    assert edad == {"rojo": 50.0, "azul": 70.0}
    table = list(csv.DictReader(io.StringIO((await client.get(
        f"/api/surveys/{survey_id}/responses.csv", headers=headers, params={"since": since})).text)))
    assert len(table) == 3
    table = list(csv.DictReader(io.StringIO((await client.get(
        f"/api/surveys/{survey_id}/responses.csv", headers=headers,
        params={"since": f"{last_year.year + 1}-01-01"})).text)))
    assert sorted(row["edad"] for row in table) == ["50", "70"]
    book = openpyxl.load_workbook(io.BytesIO((await client.get(
        f"/api/surveys/{survey_id}/responses.xlsx", headers=headers, params={"until": last_year.isoformat()})).content))
    assert book["respuestas"].max_row == 2  # the header and last year's response
    for bad in ({"by": "edad"}, {"since": "2026-05-02", "until": "2026-05-01"}, {"until": "9999-12-31"},
                {"since": "mañana"}):
        answer = await client.get(f"/api/surveys/{survey_id}/results", headers=headers, params=bad)
        assert answer.status_code == 422, bad


async def test_the_preview_gives_the_chats_steps_in_each_language(client: httpx.AsyncClient,
                                                                  setup: dict[str, Any]) -> None:
    branching = {**SMALL, "questions": [*SMALL["questions"],
                                        {"name": "por_que", "type": "text", "label": "¿Por qué?",
                                         "relevant": "${color} = 'rojo'"}]}
    survey = (await _create(client, setup["token"], setup["barrio"].id, branching)).json()
    path = f"/api/surveys/{survey['id']}/preview"
    spanish = (await client.get(path, headers=auth(setup["token"]))).json()
    assert (spanish["language"], spanish["languages"]) == ("es", ["es", "ht", "en"])
    assert [s["question"] for s in spanish["steps"]] == ["color", "usos", "edad", "nota", "idea", "por_que", None]
    welcome, first = spanish["steps"][0]["messages"]
    assert "Gracias por participar" in welcome["text"] and first["buttons"] == [["1. Rojo"], ["2. Azul"]]
    assert spanish["steps"][5]["condition"] == "(${color} = 'rojo')"
    english = (await client.get(path, headers=auth(setup["token"]), params={"lang": "en"})).json()
    assert "Question 1 of 5" in english["steps"][0]["messages"][1]["text"]  # (counted as before any answer)
    assert english["steps"][0]["messages"][1]["buttons"] == [["1. Red"], ["2. Blue"]]
    assert (await client.get(path, headers=auth(setup["token"]), params={"lang": "fr"})).status_code == 422
    assert (await client.get(path, headers=auth(setup["other_token"]))).status_code == 404
