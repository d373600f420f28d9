"""A household roster (an XLSForm repeat) imported, answered through the chat service, counted and exported.

Two vecinas answer in two languages: the members' repeat takes its count from the household
size answered first, the pets' repeat asks whether to add another. The process is rebuilt
halfway (a restart): the answers given so far, per instance, are all there. Results count
every instance, and the XLSX has one sheet per repeat, checked cell by cell.
"""

import csv
import io
import zipfile
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session

from api.chat.service import Address
from api.surveys.portability import export_answers
from api.surveys.xlsform import read_xlsform
from conversations.kernel.i18n import Translator
from conversations.surveys.form import Form
from conversations.surveys.questions import Place
from tests.factories import (
    Vecina,
    auth,
    chat_service,
    join,
    make_answers,
    make_barrio,
    make_ejecutor,
    make_member,
    make_survey,
    to_xlsform,
)

SI_NO = [{"name": "si", "label": {"es": "Sí", "ht": "Wi", "en": "Yes"}},
         {"name": "no", "label": {"es": "No", "ht": "Non", "en": "No"}}]
HOGAR: dict[str, Any] = {
    "title": "Hogar y familia",
    "questions": [
        {"name": "personas", "type": "integer", "required": True,
         "label": {"es": "¿Cuántas personas viven en tu hogar?", "ht": "Konbyen moun ki rete lakay ou?",
                   "en": "How many people live in your home?"}},
        {"name": "persona", "type": "repeat", "label": {"es": "Persona", "ht": "Moun", "en": "Person"},
         "repeat_count": "${personas}", "questions": [
             {"name": "nombre", "type": "text", "required": True,
              "label": {"es": "¿Cómo se llama?", "ht": "Ki jan li rele?", "en": "What is their name?"}},
             {"name": "edad", "type": "integer", "required": True,
              "label": {"es": "¿Qué edad tiene ${nombre}?", "ht": "Ki laj ${nombre} genyen?",
                        "en": "How old is ${nombre}?"}},
             {"name": "salud", "type": "group", "relevant": "${edad} >= 18",
              "label": {"es": "Trabajo", "ht": "Travay", "en": "Work"}, "questions": [
                  {"name": "trabaja", "type": "select_one", "required": True, "choices": SI_NO,
                   "label": {"es": "¿${nombre} trabaja?", "ht": "Èske ${nombre} travay?",
                             "en": "Does ${nombre} work?"}}]},
             {"name": "orden", "type": "calculate", "calculation": "position(..)"},
         ]},
        {"name": "total", "type": "calculate", "calculation": "sum(${edad})"},
        {"name": "mascota", "type": "repeat", "label": {"es": "Mascota", "ht": "Bèt", "en": "Pet"}, "questions": [
            {"name": "especie", "type": "select_one",
             "choices": [{"name": "perro", "label": {"es": "Perro", "ht": "Chen", "en": "Dog"}},
                         {"name": "gato", "label": {"es": "Gato", "ht": "Chat", "en": "Cat"}}],
             "label": {"es": "¿Qué animal es?", "ht": "Ki bèt li ye?", "en": "Which animal?"}}]},
    ],
}


@pytest.fixture
def ejecutor(session: Session) -> dict[str, Any]:
    ejecutor, token = make_ejecutor(session)
    return {"token": token, "barrio": make_barrio(session, ejecutor)}


async def test_a_household_roster_is_answered_per_member_counted_and_exported_per_repeat(
        client: httpx.AsyncClient, ejecutor: dict[str, Any], engine: Engine) -> None:
    token, barrio = ejecutor["token"], ejecutor["barrio"]
    files = {"file": ("hogar.xlsx", to_xlsform(HOGAR), "application/octet-stream")}
    imported = await client.post("/api/surveys/xlsform", data={"barrio_id": str(barrio.id)}, files=files,
                                 headers=auth(token))
    assert imported.status_code == 201, imported.text
    survey = imported.json()["id"]
    await client.post(f"/api/surveys/{survey}/open", headers=auth(token))

    ana = Vecina(chat_service(engine), Address("telegram", "91", "91"))
    join(ana.service, barrio.join_code, None, ana.address, "es")
    ana.say("/encuestas")
    ana.press("Hogar y familia")
    shown = ana.say("2")
    assert "▸ Persona 1 de 2" in shown and "¿Cómo se llama?" in shown
    assert "¿Qué edad tiene Ana?" in ana.say("Ana")
    assert "▸ Persona 1 de 2" in ana.say("40") and "▸ Trabajo" in ana.last[-1].text
    assert "Persona 2 de 2" in ana.press("Sí")
    ana.service = chat_service(engine)  # a restart: the chat goes on from the database
    assert "¿Qué edad tiene Tomás?" in ana.say("Tomás")
    shown = ana.say("12")  # under 18: not asked about work
    assert "▸ Mascota 1" in shown and "¿Qué animal es?" in shown
    assert "«Mascota»: llevas 1. ¿Quieres agregar otra entrada?" in ana.press("Perro")
    assert "Mascota 2" in ana.press("Sí, agregar otra")
    back = ana.press(kind="back")  # back across instances, to the first pet's "add another?"
    assert "llevas 1" in back and "Tu respuesta actual: Sí" in back
    ana.press(kind="ok")
    ana.press("Gato")
    review = ana.press("No, seguir")
    assert "Persona 2 de 2 · ¿Qué edad tiene Tomás? — 12" in review and "Mascota 2 · ¿Qué animal es? — Gato" in review

    rose = Vecina(chat_service(engine), Address("telegram", "92", "92"))
    join(rose.service, barrio.join_code, None, rose.address, "ht")
    rose.say("/encuestas")
    rose.press("Hogar y familia")
    assert "▸ Moun 1 sou 1" in rose.say("1")
    rose.say("Rose")
    assert "Èske Rose travay?" in rose.say("30")
    assert "▸ Bèt 1" in rose.press("Non")
    rose.press(kind="skip")
    review = rose.press("Non, kontinye")
    assert "3. Moun 1 sou 1 · Ki laj Rose genyen? — 30" in review
    assert "6. Bèt 1 · «Bèt»: ou gen 1 deja. Ou vle ajoute yon lòt? — Non" in review

    results = (await client.get(f"/api/surveys/{survey}/results", headers=auth(token))).json()
    by_name = {q["name"]: q for q in results["questions"]}
    assert [(c["name"], c["count"]) for c in by_name["trabaja"]["choices"]] == [("si", 1), ("no", 1)]
    assert [(c["name"], c["count"]) for c in by_name["especie"]["choices"]] == [("perro", 1), ("gato", 1)]
    assert (by_name["edad"]["answered"], by_name["edad"]["mean"]) == (3, 27.33)
    assert by_name["total"]["mean"] == 41  # 52 and 30

    export = await client.get(f"/api/surveys/{survey}/responses.xlsx", headers=auth(token))
    book = load_workbook(io.BytesIO(export.content))
    assert book.sheetnames == ["info", "variables", "respuestas", "persona", "mascota"]
    main = [[cell.value for cell in row] for row in book["respuestas"].iter_rows()]
    assert main[0] == ["respondent", "status", "started", "submitted", "start", "personas", "total", "_index"]
    assert [row[1:2] + row[5:] for row in main[1:]] == [["completa", 2, 52, 1], ["completa", 1, 30, 2]]
    ana_id, rose_id = main[1][0], main[2][0]
    people = [[cell.value for cell in row] for row in book["persona"].iter_rows()]
    assert people == [
        ["_index", "_parent_index", "respondent", "_instance", "persona/nombre", "persona/edad",
         "persona/salud/trabaja", "persona/orden"],
        [1, 1, ana_id, 1, "Ana", 40, "si", 1],
        [2, 1, ana_id, 2, "Tomás", 12, None, 2],
        [3, 2, rose_id, 1, "Rose", 30, "no", 1],
    ]
    pets = [[cell.value for cell in row] for row in book["mascota"].iter_rows()]
    assert pets == [["_index", "_parent_index", "respondent", "_instance", "mascota/especie"],
                    [1, 1, ana_id, 1, "perro"], [2, 1, ana_id, 2, "gato"], [3, 2, rose_id, 1, None]]

    labelled = await client.get(f"/api/surveys/{survey}/responses.csv", headers=auth(token),
                                params={"repeat": "persona", "labels": "true", "lang": "en"})
    rows = list(csv.reader(io.StringIO(labelled.content.decode("utf-8-sig"))))
    assert rows[0][4:] == ["What is their name?", "How old is ${nombre}?", "Does ${nombre} work?", "orden"]
    assert [row[:2] + row[4:] for row in rows[1:]] == [["1", "1", "Ana", "40", "Yes", "1"],
                                                        ["2", "1", "Tomás", "12", "", "2"],
                                                        ["3", "2", "Rose", "30", "No", "1"]]
    unknown = await client.get(f"/api/surveys/{survey}/responses.csv", params={"repeat": "gatos"},
                               headers=auth(token))
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "the survey has no repeat 'gatos' (its repeats: persona, mascota)"

    bundle = await client.get(f"/api/surveys/{survey}/responses.zip", headers=auth(token),
                              params={"labels": "true", "lang": "ht", "dialect": "excel-cl"})
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    files = zipfile.ZipFile(io.BytesIO(bundle.content))
    assert files.namelist() == [f"survey-{survey}.csv", f"survey-{survey}-persona.csv", f"survey-{survey}-mascota.csv"]
    tables = {name: list(csv.reader(io.StringIO(files.read(name).decode("utf-8-sig")), delimiter=";"))
              for name in files.namelist()}
    responses = tables[f"survey-{survey}.csv"]
    assert responses[0][-1] == "_index" and [row[-1] for row in responses[1:]] == ["1", "2"]
    assert [row[0] for row in responses[1:]] == [ana_id, rose_id]
    members = tables[f"survey-{survey}-persona.csv"]
    assert members[0][:4] == ["_index", "_parent_index", "respondent", "_instance"]
    assert [row[:2] + row[4:] for row in members[1:]] == [["1", "1", "Ana", "40", "Wi", "1"],
                                                           ["2", "1", "Tomás", "12", "", "2"],
                                                           ["3", "2", "Rose", "30", "Non", "1"]]
    by_index = {row[-1]: row[0] for row in responses[1:]}  # each repeat row names one response, by its id
    assert all(by_index[row[1]] == row[2] for table in list(tables.values())[1:] for row in table[1:])
    single = await client.get(f"/api/surveys/{survey}/responses.csv", headers=auth(token),
                              params={"labels": "true", "lang": "ht", "dialect": "excel-cl", "repeat": "persona"})
    assert single.content.decode("utf-8-sig") == files.read(f"survey-{survey}-persona.csv").decode("utf-8-sig")
    later = await client.get(f"/api/surveys/{survey}/responses.zip", headers=auth(token),
                             params={"since": "2099-01-01"})
    empty = zipfile.ZipFile(io.BytesIO(later.content))
    assert [len(empty.read(name).decode("utf-8-sig").splitlines()) for name in empty.namelist()] == [1, 1, 1]
    log = (await client.get("/api/data-log", headers=auth(token))).json()
    assert [e["detail"] for e in log[:3]] == [f"survey {survey} responses.zip",
                                              f"survey {survey} responses.csv of repeat persona",
                                              f"survey {survey} responses.zip"]


def test_a_vecinas_data_download_names_each_instance(session: Session, ejecutor: dict[str, Any]) -> None:
    survey = make_survey(session, ejecutor["barrio"], HOGAR)
    member = make_member(session, ejecutor["barrio"], "93", locale="en")
    make_answers(session, survey, member, {"personas": 2, "nombre#1": "Ana", "nombre#2": "Tomás", "edad#2": 12,
                                           "especie#1": "gato", "mascota#1": False})
    records = {record.item: record.value for record in export_answers(session, member, Translator("en"))}
    assert records == {"How many people live in your home?": "2", "Person 1 · What is their name?": "Ana",
                       "Person 2 · What is their name?": "Tomás", "Person 2 · How old is ${nombre}?": "12",
                       "Pet 1 · Which animal?": "Cat"}


@pytest.mark.parametrize(("count", "answers", "instances"), [
    ("3", {}, 3),  # pyxform counts through a calculation it adds, persona_count
    ("${personas} - 1", {"personas": 4, "vive_solo": "no"}, 3),
    ("${personas}", {"personas": 4, "vive_solo": "si"}, 0),  # the repeat's relevant is false
])
def test_an_xlsform_repeat_count_is_read_as_pyxform_writes_it(count: str, answers: dict[str, Any],
                                                              instances: int) -> None:
    definition = {"title": "T", "questions": [
        {"name": "personas", "type": "integer", "label": "¿Cuántas?"},
        {"name": "vive_solo", "type": "select_one", "label": "¿Vive solo?", "choices": SI_NO},
        {"name": "persona", "type": "repeat", "label": "Persona", "repeat_count": count,
         "relevant": "${vive_solo} != 'si'", "questions": [{"name": "nombre", "type": "text", "label": "Nombre"}]},
    ]}
    imported = read_xlsform(to_xlsform(definition)).definition
    form = Form.load(imported)
    stored = {**answers, **form.recalculate(answers, set(answers))}
    assert form.instances(stored, "persona") == instances
    assert [p for p, holds in form.walk(stored) if holds and form.questions[p.index].name == "nombre"] == [
        Place(form.questions.index(form.question("nombre")), k) for k in range(1, instances + 1)]
