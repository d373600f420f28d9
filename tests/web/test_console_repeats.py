"""The console's Excel download of a survey with a repeat: the responses' sheet, then one sheet per repeat."""

import csv
import io
import zipfile

import httpx
from openpyxl import load_workbook
from sqlmodel import Session

from tests.factories import TwoOrganisations, make_answers, make_member, make_survey

ROSTER = {"title": "Hogar", "questions": [
    {"name": "personas", "type": "integer", "label": "¿Cuántas personas?"},
    {"name": "persona", "type": "repeat", "label": "Persona", "repeat_count": "${personas}", "questions": [
        {"name": "nombre", "type": "text", "label": "Nombre"}]},
]}


async def test_the_console_workbook_has_a_sheet_per_repeat(browser: httpx.AsyncClient, session: Session,
                                                           world: TwoOrganisations) -> None:
    survey = make_survey(session, world.ours, ROSTER)
    member = make_member(session, world.ours, "31")
    make_answers(session, survey, member, {"personas": 2, "nombre#1": "Ana", "nombre#2": "Beto"})
    answer = await browser.get(f"/consola/encuestas/{survey.id}/respuestas.xlsx")
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["info", "variables", "respuestas", "persona"]
    main = [[cell.value for cell in row] for row in book["respuestas"].iter_rows()]
    assert main[0][4:] == ["¿Cuántas personas?", "_index"] and main[1][4:] == [2, 1]
    people = [[cell.value for cell in row] for row in book["persona"].iter_rows()]
    assert people == [["_index", "_parent_index", "respondent", "_instance", "Nombre"],
                      [1, 1, main[1][0], 1, "Ana"], [2, 1, main[1][0], 2, "Beto"]]


async def test_the_console_zips_the_responses_and_each_repeat_as_csv(browser: httpx.AsyncClient, session: Session,
                                                                    world: TwoOrganisations) -> None:
    survey = make_survey(session, world.ours, ROSTER)
    flat = make_survey(session, world.ours)
    member = make_member(session, world.ours, "31")
    make_answers(session, survey, member, {"personas": 2, "nombre#1": "Ana", "nombre#2": "Beto"})
    page = (await browser.get(f"/consola/encuestas/{survey.id}")).text
    assert f'href="/consola/encuestas/{survey.id}/respuestas.zip"' in page
    assert "respuestas.zip" not in (await browser.get(f"/consola/encuestas/{flat.id}")).text  # no repeats
    answer = await browser.get(f"/consola/encuestas/{survey.id}/respuestas.zip")
    files = zipfile.ZipFile(io.BytesIO(answer.content))
    assert files.namelist() == [f"survey-{survey.id}.csv", f"survey-{survey.id}-persona.csv"]
    main, people = (list(csv.reader(io.StringIO(files.read(name).decode("utf-8-sig")))) for name in files.namelist())
    assert main[0][4:] == ["¿Cuántas personas?", "_index"] and main[1][4:] == ["2", "1"]
    assert people == [["_index", "_parent_index", "respondent", "_instance", "Nombre"],
                      ["1", "1", main[1][0], "1", "Ana"], ["2", "1", main[1][0], "2", "Beto"]]
