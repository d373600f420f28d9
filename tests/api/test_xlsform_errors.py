"""An XLSForm that cannot be loaded: every problem at once, each a stable code with the sheet, row and
column as Excel shows them, worded in the language asked (`lang`, else Accept-Language, else Spanish)."""

import re
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from api.surveys.xlsform_problems import MESSAGES, Problem, expression_code, from_pyxform
from conversations.kernel.i18n import Translator
from tests.broken_forms import BROKEN, MANY, MANY_WHERE, Broken, form
from tests.factories import auth, make_barrio, make_ejecutor


@pytest.fixture
def ejecutor(session: Session) -> dict[str, Any]:
    ejecutor, token = make_ejecutor(session)
    return {"token": token, "barrio": make_barrio(session, ejecutor)}


async def _upload(client: httpx.AsyncClient, ejecutor: dict[str, Any], workbook: bytes,
                  params: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> httpx.Response:
    return await client.post("/api/surveys/xlsform", data={"barrio_id": str(ejecutor["barrio"].id)},
                             files={"file": ("form.xlsx", workbook, "application/octet-stream")},
                             params=params or {}, headers={**auth(ejecutor["token"]), **(headers or {})})


def _where(answer: httpx.Response) -> list[tuple[str, str, int | None, str | None]]:
    return [(e["code"], e["sheet"], e["row"], e["column"]) for e in answer.json()["errors"]]


@pytest.mark.parametrize("broken", BROKEN, ids=[b.why for b in BROKEN])
@pytest.mark.parametrize("lang", ["es", "en"])
async def test_each_broken_form_names_its_real_cause_where_excel_shows_it(
        client: httpx.AsyncClient, ejecutor: dict[str, Any], broken: Broken, lang: str) -> None:
    answer = await _upload(client, ejecutor, broken.workbook, params={"lang": lang})
    assert answer.status_code == 422, answer.text
    assert _where(answer) == [broken.where]
    message = answer.json()["errors"][0]["message"]
    assert (broken.es if lang == "es" else broken.en) in message
    assert message in answer.json()["detail"]


async def test_many_mistakes_are_all_reported_in_one_answer(client: httpx.AsyncClient,
                                                            ejecutor: dict[str, Any]) -> None:
    answer = await _upload(client, ejecutor, MANY)
    assert answer.status_code == 422
    assert sorted(_where(answer), key=lambda found: found[2] or 0) == MANY_WHERE
    lines = answer.json()["detail"].split("\n")
    assert len(lines) == len(MANY_WHERE)
    assert "Hoja survey, fila 3, columna type: «interger» no es un tipo de pregunta que conozcamos. ¿Quiso escribir " \
           "«integer»?" in lines  # Spanish when nothing is asked


@pytest.mark.parametrize(("params", "headers", "said"), [
    ({}, {"Accept-Language": "en-US,en;q=0.9,es;q=0.8"}, "is already used"),
    ({}, {"Accept-Language": "fr-FR, es-CL;q=0.7, en;q=0.5"}, "ya se usó"),
    ({}, {"Accept-Language": "de"}, "ya se usó"),
    ({"lang": "es"}, {"Accept-Language": "en"}, "ya se usó"),  # lang wins over the header
    ({"lang": "en"}, {}, "is already used"),
])
async def test_the_language_is_the_one_asked(client: httpx.AsyncClient, ejecutor: dict[str, Any],
                                             params: dict[str, str], headers: dict[str, str], said: str) -> None:
    answer = await _upload(client, ejecutor, form({"type": "text", "name": "a", "label": "A"},
                                                  {"type": "text", "name": "a", "label": "B"}), params, headers)
    assert answer.status_code == 422 and said in answer.json()["errors"][0]["message"]


async def test_a_language_the_console_does_not_speak_is_a_422_naming_those_it_does(
        client: httpx.AsyncClient, ejecutor: dict[str, Any]) -> None:
    answer = await _upload(client, ejecutor, form({"type": "text", "name": "a", "label": "A"}), {"lang": "fr"})
    assert answer.status_code == 422 and answer.json()["detail"] == "lang: messages are in es, en"


async def test_warnings_of_a_loaded_form_are_in_the_language_asked(client: httpx.AsyncClient,
                                                                   ejecutor: dict[str, Any]) -> None:
    workbook = form({"type": "drawing", "name": "d", "label": "D"}, {"type": "integer", "name": "n", "label": "N"})
    answer = await _upload(client, ejecutor, workbook, headers={"Accept-Language": "es-CL"})
    assert answer.status_code == 201
    assert answer.json()["warnings"] == ["Hoja survey, fila 2, columna type: «drawing» no se puede preguntar en el "
                                         "chat: la pregunta «d» se deja fuera."]


async def test_a_file_that_is_not_a_workbook_is_said_plainly(client: httpx.AsyncClient,
                                                             ejecutor: dict[str, Any]) -> None:
    answer = await _upload(client, ejecutor, b"name,label\nuna,planilla\n")
    assert answer.status_code == 422 and _where(answer) == [("unreadable_file", "", None, None)]
    assert answer.json()["detail"].startswith("Archivo: El archivo no se pudo leer como un formulario XLSForm")


@pytest.mark.parametrize(("said", "found"), [
    ("[row : 7] Question with no type.\n{'name': 'x'}", (7, None, "no_type", {})),
    ("[row : 3] On the 'choices' sheet, the 'name' value is invalid. Choices must have a name.",
     (3, "choices", "choice_no_name", {"column": "name"})),
    ("[row : 4] Unmatched 'begin_repeat'. No matching 'end_repeat' was found for the name 'miembros'.",
     (4, None, "unmatched_begin", {"opening": "begin_repeat", "closing": "end_repeat", "name": "miembros"})),
    ("Something pyxform says one day that we never saw.",
     (None, None, "pyxform", {"said": "Something pyxform says one day that we never saw."})),
])
def test_pyxform_s_messages_are_read_into_codes(said: str, found: tuple[Any, ...]) -> None:
    assert from_pyxform(said) == found


def test_an_expression_error_not_in_the_table_keeps_its_text() -> None:
    assert expression_code("something new went wrong") == ("expression_error", {"detail": "something new went wrong"})
    assert expression_code("'1 +' ends too early") == ("expression_incomplete", {})


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_is_worded_in_spanish_and_english(code: str) -> None:
    problem = Problem("survey", 2, "type", code, {name: "x" for name in ("name", "type", "n", "file")})
    spanish, english = problem.message(Translator("es")), problem.message(Translator("en"))
    assert spanish and english and spanish != english
    for text in (spanish, english):  # every placeholder filled; braces only in a reference such as ${x}
        assert not re.search(r"(?<!\$)\{", text), text
