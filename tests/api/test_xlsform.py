"""Real-shaped KoBo/ODK forms: imported through pyxform, answered in the chat in two languages, exported.

The household diagnóstico below is written the way KoBoToolbox exports forms (start/end
metadata, groups with field-list, cascading comuna → villa, calculations, references,
or_other, a signature the chat cannot take); each vecina answers it end to end through
the chat service, and the export is checked cell by cell.
"""

import csv
import io
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from api.chat.service import Address
from tests.factories import Vecina, auth, chat_service, join, make_barrio, make_ejecutor, xlsform_workbook

ES, HT, EN = "label::Español (es)", "label::Kreyòl (ht)", "label::English (en)"


def _labels(es: str, ht: str, en: str, column: str = "label") -> dict[str, str]:
    return {f"{column}::Español (es)": es, f"{column}::Kreyòl (ht)": ht, f"{column}::English (en)": en}


HOGAR = xlsform_workbook({
    "survey": [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "begin_group", "name": "datos", "appearance": "field-list",
         **_labels("Datos del hogar", "Enfòmasyon sou kay la", "About your household")},
        {"type": "select_one comuna", "name": "comuna", "required": "yes",
         **_labels("¿En qué comuna vives?", "Nan ki komin ou rete?", "Which comuna do you live in?")},
        {"type": "select_one villa", "name": "villa", "required": "yes", "choice_filter": "comuna=${comuna}",
         **_labels("¿En qué villa?", "Nan ki vil?", "Which villa?")},
        {"type": "integer", "name": "personas", "required": "yes", "constraint": ". > 0 and . < 30",
         **_labels("¿Cuántas personas viven en tu hogar?", "Konbyen moun ki rete lakay ou?", "How many live with you?"),
         **_labels("Escribe un número entre 1 y 29", "Ekri yon nimewo ant 1 ak 29", "Between 1 and 29",
                   "constraint_message")},
        {"type": "integer", "name": "ninos", "constraint": ". <= ${personas}",
         **_labels("¿Cuántos tienen menos de 18 años?", "Konbyen ki gen mwens pase 18 an?", "How many are under 18?"),
         **_labels("No pueden ser más que las ${personas} personas", "Pa ka plis pase ${personas} moun yo",
                   "No more than the ${personas} people", "constraint_message")},
        {"type": "calculate", "name": "adultos", "calculation": "${personas} - coalesce(${ninos}, 0)"},
        {"type": "end_group"},
        {"type": "begin_group", "name": "barrio", "relevant": "${personas} > 0",
         **_labels("Problemas del barrio", "Pwoblèm katye a", "Problems of the barrio")},
        {"type": "select_multiple problemas", "name": "problema", "required": "yes", "appearance": "minimal",
         **_labels("¿Qué problemas ves?", "Ki pwoblèm ou wè?", "Which problems do you see?"),
         **_labels("Elige al menos uno", "Chwazi omwen youn", "Choose at least one", "required_message")},
        {"type": "select_one servicio or_other", "name": "servicio", "appearance": "horizontal",
         **_labels("¿Qué servicio falta más?", "Ki sèvis ki pi manke?", "Which service is most missing?")},
        {"type": "note", "name": "resumen",
         **_labels("En tu hogar hay ${adultos} adultos, en ${villa}.",
                   "Lakay ou gen ${adultos} granmoun, nan ${villa}.",
                   "Your household has ${adultos} adults, in ${villa}.")},
        {"type": "end_group"},
        {"type": "signature", "name": "firma", **_labels("Firma", "Siyati", "Signature")},
        {"type": "calculate", "name": "nivel", "calculation": "if(count-selected(${problema}) > 2, 'alto', 'bajo')"},
    ],
    "choices": [
        {"list_name": "comuna", "name": "lp", **_labels("La Pintana", "La Pintana", "La Pintana")},
        {"list_name": "comuna", "name": "pa", **_labels("Puente Alto", "Puente Alto", "Puente Alto")},
        {"list_name": "villa", "name": "aromos", "comuna": "lp", **_labels("Los Aromos", "Los Aromos", "Los Aromos")},
        {"list_name": "villa", "name": "castillo", "comuna": "lp", **_labels("El Castillo", "El Castillo",
                                                                             "El Castillo")},
        {"list_name": "villa", "name": "mena", "comuna": "pa", **_labels("Bajos de Mena", "Bajos de Mena",
                                                                         "Bajos de Mena")},
        {"list_name": "problemas", "name": "basura", **_labels("Basura", "Fatra", "Rubbish")},
        {"list_name": "problemas", "name": "luz", **_labels("Poca luz", "Pa gen limyè", "Poor lighting")},
        {"list_name": "problemas", "name": "agua", **_labels("Agua", "Dlo", "Water")},
        {"list_name": "servicio", "name": "salud", **_labels("Salud", "Sante", "Health")},
        {"list_name": "servicio", "name": "transporte", **_labels("Transporte", "Transpò", "Transport")},
    ],
    "settings": [{"form_title": "Diagnóstico del hogar", "form_id": "hogar", "default_language": "Español (es)"}],
})


async def _import(client: httpx.AsyncClient, token: str, barrio_id: int, workbook: bytes) -> httpx.Response:
    files = {"file": ("form.xlsx", workbook, "application/octet-stream")}
    return await client.post("/api/surveys/xlsform", data={"barrio_id": str(barrio_id)}, files=files,
                             headers=auth(token), params={"lang": "en"})


def _where(answer: httpx.Response) -> list[tuple[str, str, int | None, str | None]]:
    """Each problem of a 422 as (code, sheet, row, column)."""
    return [(e["code"], e["sheet"], e["row"], e["column"]) for e in answer.json()["errors"]]


@pytest.fixture
def ejecutor(session: Session) -> dict[str, Any]:
    ejecutor, token = make_ejecutor(session)
    return {"token": token, "barrio": make_barrio(session, ejecutor)}


async def test_a_household_form_is_answered_in_two_languages_and_exported(
        client: httpx.AsyncClient, ejecutor: dict[str, Any], engine: Engine) -> None:
    token, barrio = ejecutor["token"], ejecutor["barrio"]
    imported = await _import(client, token, barrio.id, HOGAR)
    assert imported.status_code == 201, imported.text
    survey = imported.json()
    assert survey["warnings"] == ["Sheet survey, row 16, column type: «signature» cannot be asked in the chat: "
                                  "the question «firma» is left out."]
    assert survey["questions"] == 7  # comuna villa personas ninos problema servicio servicio_other
    await client.post(f"/api/surveys/{survey['id']}/open", headers=auth(token))
    service = chat_service(engine)

    ana = Vecina(service, Address("telegram", "81", "81"))
    join(service, barrio.join_code, None, ana.address, "es")
    ana.say("/encuestas")
    assert "¿En qué comuna vives?" in ana.press("Diagnóstico del hogar")
    assert "▸ Datos del hogar" in ana.last[-1].text
    ana.press("La Pintana")
    assert [label for label in ana.labels() if "«" not in label] == ["1. Los Aromos", "2. El Castillo"]  # filtered
    assert "▸" not in ana.last[-1].text  # same section: no heading again
    ana.press("El Castillo")
    ana.say("4")
    assert "No pueden ser más que las 4 personas" in ana.say("5")
    shown = ana.say("1")
    assert "▸ Problemas del barrio" in shown and "¿Qué problemas ves?" in shown
    assert "Elige al menos uno" in ana.press(kind="ok")  # required_message, in her language
    for problem in ("Basura", "Poca luz", "Agua"):
        ana.press(problem)
    ana.press(kind="ok")
    ana.press("Otro")
    assert "¿Cuál? Escríbelo, por favor." in ana.last[-1].text
    assert "En tu hogar hay 3 adultos, en El Castillo." in ana.say("Seguridad")
    review = ana.press(kind="ok")
    assert "Tus respuestas" in review and "Seguridad" in review and "Firma" not in review

    rose = Vecina(service, Address("telegram", "82", "82"))
    join(service, barrio.join_code, None, rose.address, "ht")
    rose.say("/encuestas")
    assert "Nan ki komin ou rete?" in rose.press("Diagnóstico del hogar")
    rose.press("Puente Alto")
    assert [label for label in rose.labels() if "«" not in label] == ["1. Bajos de Mena"]
    rose.press("Bajos de Mena")
    assert "Ekri yon nimewo ant 1 ak 29" in rose.say("40")
    rose.say("2")
    assert "▸ Pwoblèm katye a" in rose.press(kind="skip")  # ninos is optional
    rose.press("Pa gen limyè")
    rose.press(kind="ok")
    assert "3. Lòt" in rose.labels()  # or_other's choice, in her language
    assert "Lakay ou gen 2 granmoun, nan Bajos de Mena." in rose.press("Sante")
    rose.press(kind="ok")

    results = (await client.get(f"/api/surveys/{survey['id']}/results", headers=auth(token))).json()
    by_name = {q["name"]: q for q in results["questions"]}
    assert (by_name["adultos"]["label"], by_name["adultos"]["mean"]) == ("adultos", 2.5)
    assert [(c["name"], c["count"]) for c in by_name["villa"]["choices"]] == [("aromos", 0), ("castillo", 1),
                                                                              ("mena", 1)]

    export = await client.get(f"/api/surveys/{survey['id']}/responses.csv", headers=auth(token))
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert list(rows[0])[4:] == ["start", "end", "datos/comuna", "datos/villa", "datos/personas", "datos/ninos",
                                 "datos/adultos",
                                 "barrio/problema", "barrio/problema/basura", "barrio/problema/luz",
                                 "barrio/problema/agua", "barrio/servicio", "barrio/servicio_other", "nivel"]
    rows = list(csv.DictReader(io.StringIO((await client.get(
        f"/api/surveys/{survey['id']}/responses.csv", params={"short": "true"}, headers=auth(token))
    ).content.decode("utf-8-sig"))))
    for row in rows:  # recorded by the chat: entering the survey, then finishing it (seconds, the barrio's time)
        assert row["started"][:16] <= row["start"][:16] <= row["end"][:16] == row["submitted"][:16]
    first, second = ({k: v for k, v in row.items() if k not in ("respondent", "started", "submitted", "start", "end")}
                     for row in rows)
    assert first == {"status": "completa", "comuna": "lp", "villa": "castillo", "personas": "4", "ninos": "1",
                     "adultos": "3", "problema": "basura luz agua", "problema/basura": "1", "problema/luz": "1",
                     "problema/agua": "1", "servicio": "other", "servicio_other": "Seguridad", "nivel": "alto"}
    assert second == {"status": "completa", "comuna": "pa", "villa": "mena", "personas": "2", "ninos": "",
                      "adultos": "2", "problema": "luz", "problema/basura": "0", "problema/luz": "1",
                      "problema/agua": "0", "servicio": "salud", "servicio_other": "", "nivel": "bajo"}


def _form(*survey: dict[str, Any], choices: list[dict[str, Any]] | None = None,
          settings: dict[str, Any] | None = None) -> bytes:
    sheets = {"survey": list(survey), "choices": choices or [{"list_name": "sn", "name": "si", "label": "Sí"},
                                                             {"list_name": "sn", "name": "no", "label": "No"}]}
    if settings:
        sheets["settings"] = [settings]
    return xlsform_workbook(sheets)


@pytest.mark.parametrize(("workbook", "check"), [
    # upper-case headers read as pyxform reads them
    (xlsform_workbook({"survey": [{"TYPE": "integer", "NAME": "edad", "LABEL": "¿Edad?", "REQUIRED": "yes"}]}),
     lambda q: q["edad"]["type"] == "integer" and q["edad"]["required"] is True),
    # "select one from <list>" is pyxform's other spelling of select_one
    (_form({"type": "select one from sn", "name": "agua", "label": "¿Agua?"}),
     lambda q: q["agua"]["type"] == "select_one" and [c["name"] for c in q["agua"]["choices"]] == ["si", "no"]),
    # duplicates allowed by the settings (cascading lists repeat names)
    (_form({"type": "select_one sn", "name": "rey", "label": "¿Rey?"},
           choices=[{"list_name": "sn", "name": "king", "label": "A"}, {"list_name": "sn", "name": "king",
                                                                       "label": "B"}],
           settings={"allow_choice_duplicates": "yes"}),
     lambda q: [c["label"]["es"] for c in q["rey"]["choices"]] == ["A", "B"]),
    # appearances that mean nothing in a chat are accepted
    (_form({"type": "select_one sn", "name": "a", "label": "A", "appearance": "likert"},
           {"type": "begin_group", "name": "g", "appearance": "field-list"},
           {"type": "text", "name": "b", "label": "B", "appearance": "multiline"}, {"type": "end_group"}),
     lambda q: q["g"]["questions"][0]["name"] == "b"),
    # time, datetime, a range of any parameters, acknowledge, rank; a 1-5 range stays the scale
    (_form({"type": "time", "name": "hora", "label": "H"}, {"type": "dateTime", "name": "cita", "label": "C"},
           {"type": "range", "name": "nota", "label": "N", "parameters": "start=0 end=10 step=2"},
           {"type": "range", "name": "escala", "label": "E", "parameters": "start=1 end=5"},
           {"type": "acknowledge", "name": "ok", "label": "OK"}, {"type": "rank sn", "name": "orden", "label": "O"}),
     lambda q: [q[n]["type"] for n in ("hora", "cita", "nota", "escala", "ok", "orden")] == [
         "time", "datetime", "range", "scale", "acknowledge", "rank"] and len(q["orden"]["choices"]) == 2
     and q["nota"]["parameters"] == {"start": 0, "end": 10, "step": 2}),
    # a 1-5 scale's anchors, per language, in our own columns anchor_low and anchor_high
    (_form({"type": "range", "name": "confianza", "label": "¿Confías?", "parameters": "start=1 end=5 step=1",
            **_labels("nada", "pa ditou", "not at all", "anchor_low"),
            **_labels("mucho", "anpil", "a lot", "anchor_high")},
           {"type": "range", "name": "limpieza", "label": "¿Limpieza?", "parameters": "start=1 end=5",
            "anchor_low": "muy sucio", "anchor_high": "muy limpio"}),
     lambda q: q["confianza"]["anchors"] == {"low": {"es": "nada", "ht": "pa ditou", "en": "not at all"},
                                             "high": {"es": "mucho", "ht": "anpil", "en": "a lot"}}
     and q["limpieza"]["anchors"] == {"low": {"es": "muy sucio"}, "high": {"es": "muy limpio"}}),
    # a geopoint, a photo; start, end and today recorded by the chat (KoBo adds them to every form)
    (_form({"type": "start", "name": "inicio"}, {"type": "today", "name": "hoy"},
           {"type": "geopoint", "name": "lugar", "label": "L"}, {"type": "image", "name": "foto", "label": "F"},
           {"type": "end", "name": "fin"}),
     lambda q: [q[n]["type"] for n in ("inicio", "hoy", "lugar", "foto", "fin")] == [
         "start", "today", "geopoint", "image", "end"]),
    # a signature is a photo with an appearance: it cannot be drawn in a chat, so an optional one is skipped
    (_form({"type": "image", "name": "firma", "label": "Firma", "appearance": "signature"},
           {"type": "text", "name": "t", "label": "T"}),
     lambda q: list(q) == ["t"]),
])
async def test_forms_pyxform_reads_load_the_same_way(
        client: httpx.AsyncClient, ejecutor: dict[str, Any], workbook: bytes, check: Any) -> None:
    answer = await _import(client, ejecutor["token"], ejecutor["barrio"].id, workbook)
    assert answer.status_code == 201, answer.text
    assert check({q["name"]: q for q in answer.json()["definition"]["questions"]})


async def test_every_problem_of_a_form_is_reported_at_once_with_its_real_cause(
        client: httpx.AsyncClient, ejecutor: dict[str, Any]) -> None:
    workbook = _form(
        {"type": "text", "name": "nombre", "label:English (en)": "Name", "label": "Nombre"},
        {"type": "integer", "name": "edad", "label": "Edad", "relevant": "${nombre} = = 1"},
        {"type": "signature", "name": "firma", "label": "Firma", "required": "yes"},
        {"type": "text", "name": "saludo", "label": "Hola ${apodo}"},
        {"type": "integer", "name": "z", "label": "Z", "required": "maybe"},
    )
    answer = await _import(client, ejecutor["token"], ejecutor["barrio"].id, workbook)
    assert answer.status_code == 422
    assert sorted(_where(answer), key=lambda found: found[2]) == [
        ("one_colon", "survey", 1, "label:English (en)"), ("expression_unexpected", "survey", 3, "relevant"),
        ("cannot_ask", "survey", 4, "type"), ("unknown_reference", "survey", 5, "label"),
        ("yes_or_no", "survey", 6, "required")]
    problems = answer.json()["detail"].split("\n")
    assert "Sheet survey, row 1, column label:English (en): To give a column's language, write two colons twice " \
           "over: write «label::English (en)»." in problems
    assert "Sheet survey, row 5, column label: ${apodo} is not a question of the form. Check how the name is " \
           "spelt." in problems


@pytest.mark.parametrize("expression", [
    "(" * 300 + "1" + ")" * 300,
    " + ".join(["1"] * 600),
    "-" * 500 + "1",
    "not(" * 100 + "true()" + ")" * 100,
    "regex(., '(a+)+$')",  # would backtrack for ever on a vecina's 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'
])
async def test_a_pathological_expression_is_a_clear_422(
        client: httpx.AsyncClient, ejecutor: dict[str, Any], expression: str) -> None:
    workbook = _form({"type": "integer", "name": "a", "label": "A", "constraint": expression})
    answer = await _import(client, ejecutor["token"], ejecutor["barrio"].id, workbook)
    assert answer.status_code == 422
    assert [(e["row"], e["column"]) for e in answer.json()["errors"]] == [(2, "constraint")]
    json_survey = {"barrio_id": ejecutor["barrio"].id, "title": "T",
                   "questions": [{"name": "a", "type": "integer", "label": "A", "relevant": expression}]}
    answer = await client.post("/api/surveys", json=json_survey, headers=auth(ejecutor["token"]))
    assert answer.status_code == 422 and "relevant" in answer.json()["detail"]


@pytest.mark.parametrize(("rows", "status", "message"), [
    (({"type": "begin_repeat", "name": "miembros", "label": "Miembros"},
      {"type": "begin_repeat", "name": "hijos", "label": "Hijos"}, {"type": "text", "name": "n", "label": "N"},
      {"type": "end_repeat"}, {"type": "end_repeat"}), 422,
     "Sheet survey, row 3, column type: «hijos» is a repeat inside the repeat «miembros», which the chat cannot ask"),
    (({"type": "barcode", "name": "codigo", "label": "Código"},
      {"type": "text", "name": "t", "label": "T", "relevant": "${codigo} != ''"}), 422,
     "Sheet survey, row 3, column relevant: It refers to «codigo», a question the chat cannot ask (barcode)"),
    (({"type": "integer", "name": "a", "label": "A", "trigger": "${b}"},
      {"type": "integer", "name": "b", "label": "B"}), 201,
     "Sheet survey, row 2, column trigger: The trigger column is not used"),
    (({"type": "select_one_from_file villas.csv", "name": "villa", "label": "V", "required": "yes"},), 422,
     "Sheet survey, row 2, column type: The choices of this question are in «villas.csv»: upload it beside the "
     "form."),
    (({"type": "select_one_from_file villas.xml", "name": "villa", "label": "V", "required": "yes"},), 422,
     "Sheet survey, row 2, column type: «select_one_from_file villas.xml» cannot be asked in the chat"),
    (({"type": "drawing", "name": "d", "label": "D"}, {"type": "integer", "name": "b", "label": "B"}), 201,
     "Sheet survey, row 2, column type: «drawing» cannot be asked in the chat: the question «d» is left out."),
])
async def test_what_the_chat_cannot_do_is_named_by_row(
        client: httpx.AsyncClient, ejecutor: dict[str, Any], rows: tuple[dict[str, Any], ...], status: int,
        message: str) -> None:
    answer = await _import(client, ejecutor["token"], ejecutor["barrio"].id, _form(*rows))
    assert answer.status_code == status, answer.text
    said = answer.json()["detail"] if status == 422 else "\n".join(answer.json()["warnings"])
    assert message in said


async def test_json_surveys_take_groups_calculations_and_filters(
        client: httpx.AsyncClient, ejecutor: dict[str, Any]) -> None:
    definition = {"barrio_id": ejecutor["barrio"].id, "title": "JSON", "questions": [
        {"name": "n", "type": "integer", "label": "N"},
        {"name": "g", "type": "group", "label": "G", "relevant": "${n} > 0", "questions": [
            {"name": "c", "type": "calculate", "calculation": "${n} * 2"},
            {"name": "v", "type": "select_one", "label": "V ${c}", "choice_filter": "k = 'a'",
             "choices": [{"name": "x", "label": "X", "columns": {"k": "a"}}]},
        ]},
    ]}
    answer = await client.post("/api/surveys", json=definition, headers=auth(ejecutor["token"]))
    assert answer.status_code == 201, answer.text
    assert answer.json()["questions"] == 2
    assert answer.json()["definition"]["questions"][1]["questions"][0]["calculation"] == "${n} * 2"


@pytest.mark.parametrize(("sheet", "title"), [
    (None, "Encuesta"),  # not pyxform's internal form name
    ({"form_id": "hogar_2026"}, "hogar_2026"),
    ({"FORM_TITLE": "Diagnóstico", "form_id": "x"}, "Diagnóstico"),
])
async def test_the_title_comes_from_the_settings(client: httpx.AsyncClient, ejecutor: dict[str, Any],
                                                 sheet: dict[str, Any] | None, title: str) -> None:
    answer = await _import(client, ejecutor["token"], ejecutor["barrio"].id,
                           _form({"type": "text", "name": "a", "label": "A"}, settings=sheet))
    assert answer.status_code == 201 and answer.json()["title"] == title


async def test_pyxform_s_own_problems_are_all_reported_with_sheet_and_row(
        client: httpx.AsyncClient, ejecutor: dict[str, Any]) -> None:
    """pyxform stops at its first problem; each is set aside and the conversion tried again."""
    workbook = xlsform_workbook({
        "survey": [{"type": "select_one c", "name": "a", "label": "A"},
                   {"type": "select_one nolist", "name": "b", "label": "B"},
                   {"type": "text", "name": "a", "label": "Twice"}],
        "choices": [{"list_name": "c", "name": "king", "label": "K"}, {"list_name": "c", "name": "king", "label": "Q"},
                    {"list_name": "c", "name": "", "label": "No name"}],
    })
    answer = await _import(client, ejecutor["token"], ejecutor["barrio"].id, workbook)
    assert answer.status_code == 422
    assert sorted(_where(answer)) == [
        ("choice_no_name", "choices", 4, "name"), ("duplicate_choice", "choices", 3, "name"),
        ("duplicate_name", "survey", 4, "name"), ("missing_list", "survey", 3, "type")]
    assert any("allow_choice_duplicates" in e["message"] for e in answer.json()["errors"])  # the real cause, its fix


FROM_FILE = _form({"type": "select_one_from_file comunas.csv", "name": "comuna", "label": "¿Comuna?"},
                  {"type": "select_multiple_from_file villas.csv", "name": "villas", "label": "¿Villas?",
                   "choice_filter": "comuna=${comuna}"})
COMUNAS = "\ufeffname,label::Español (es),label::Kreyòl (ht)\nlp,La Pintana,La Pintana\npa,Puente Alto,Pon Alto\n"
VILLAS = "name;label;comuna\ncastillo;El Castillo;lp\naromos;Los Aromos;lp\nmena;Bajos de Mena;pa\n"


async def test_choices_from_csv_files_uploaded_beside_the_form(
        client: httpx.AsyncClient, ejecutor: dict[str, Any]) -> None:
    files = [("file", ("form.xlsx", FROM_FILE, "application/octet-stream")),
             ("media", ("comunas.csv", COMUNAS.encode(), "text/csv")),
             ("media", ("villas.csv", VILLAS.encode(), "text/csv"))]  # the ';' Excel for Chile saves
    answer = await client.post("/api/surveys/xlsform", data={"barrio_id": str(ejecutor["barrio"].id)}, files=files,
                               headers=auth(ejecutor["token"]))
    assert answer.status_code == 201, answer.text
    comuna, villas = answer.json()["definition"]["questions"]
    assert comuna["type"] == "select_one" and comuna["choices"] == [
        {"name": "lp", "label": {"es": "La Pintana", "ht": "La Pintana"}},
        {"name": "pa", "label": {"es": "Puente Alto", "ht": "Pon Alto"}}]
    assert villas["type"] == "select_multiple" and villas["choice_filter"] == "comuna=${comuna}"
    assert villas["choices"][2] == {"name": "mena", "label": {"es": "Bajos de Mena"}, "columns": {"comuna": "pa"}}


@pytest.mark.parametrize(("media", "message"), [
    ([], "Sheet survey, row 2, column type: The choices of this question are in «comunas.csv»: upload it beside "
         "the form (uploaded: villas.csv)."),
    ([("media", ("comuna.csv", COMUNAS.encode(), "text/csv"))], "(uploaded: comuna.csv, villas.csv)"),
    ([("media", ("comunas.csv", b"codigo,label\nlp,La Pintana\n", "text/csv"))],
     "«comunas.csv» needs a «name» column (it has: codigo, label)."),
    ([("media", ("comunas.csv", "name,label\nlp,Peñalolén\n".encode("latin-1"), "text/csv"))],
     "«comunas.csv» could not be read as a CSV"),
])
async def test_a_missing_or_unreadable_choices_file_is_named(
        client: httpx.AsyncClient, ejecutor: dict[str, Any], media: list[Any], message: str) -> None:
    files = [("file", ("form.xlsx", FROM_FILE, "application/octet-stream")), *media,
             ("media", ("villas.csv", VILLAS.encode(), "text/csv"))]
    answer = await client.post("/api/surveys/xlsform", data={"barrio_id": str(ejecutor["barrio"].id)}, files=files,
                               headers={**auth(ejecutor["token"]), "Accept-Language": "en-GB,en;q=0.9"})
    assert answer.status_code == 422 and message in answer.json()["detail"]
