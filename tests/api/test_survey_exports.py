"""Survey exports as KoBo lays them out and as es-CL Excel opens them: typed cells, an info and a
variables sheet, the `;` CSV with decimal commas, and a strict `lang`."""

import io
from datetime import UTC, datetime, time
from typing import Any

import httpx
import openpyxl
import pytest
from sqlmodel import Session, select

from api.surveys.models import SurveyResponse
from api.surveys.rows import respondent_id
from tests.factories import auth, make_answers, make_barrio, make_ejecutor, make_member, make_survey

TYPED: dict[str, Any] = {
    "title": {"es": "Hogar", "en": "Household"},
    "questions": [
        {"name": "datos", "type": "group", "label": {"es": "Datos", "en": "Data"}, "questions": [
            {"name": "nacimiento", "type": "date", "label": {"es": "¿Nacimiento?", "en": "Birth?"}},
            {"name": "cita", "type": "datetime", "label": {"es": "¿Cita?", "en": "Appointment?"}},
            {"name": "hora", "type": "time", "label": {"es": "¿Hora?", "en": "Time?"}},
        ]},
        {"name": "personas", "type": "integer", "label": {"es": "¿Personas?", "en": "People?"}},
        {"name": "metros", "type": "decimal", "label": {"es": "¿Metros?", "en": "Metres?"}},
        {"name": "usos", "type": "select_multiple", "label": {"es": "¿Usos?", "en": "Uses?"},
         "choices": [{"name": "plaza", "label": {"es": "Plaza", "en": "Square"}},
                     {"name": "sede", "label": {"es": "Sede", "en": "Hall"}}]},
        {"name": "nota", "type": "text", "label": {"es": "¿Nota?", "en": "Note?"}},
    ],
}
STARTED, SUBMITTED = datetime(2026, 3, 14, 15, 0, tzinfo=UTC), datetime(2026, 3, 14, 15, 30, tzinfo=UTC)


@pytest.fixture
def typed(session: Session) -> dict[str, Any]:
    """Two answers to TYPED at known times (12:00 and 12:30 in Santiago, summer time): one complete, one not."""
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    survey = make_survey(session, barrio, TYPED)
    ana, beto = make_member(session, barrio, "1"), make_member(session, barrio, "2")
    make_answers(session, survey, ana, {"nacimiento": "1990-05-17", "cita": "2026-12-24T18:30", "hora": "09:05",
                                        "personas": 4, "metros": 52.5, "usos": ["plaza", "sede"], "nota": "=1+1"})
    make_answers(session, survey, beto, {"personas": 2, "usos": ["sede"]}, completed=False)
    for response in session.exec(select(SurveyResponse)).all():
        response.started_at = STARTED
        response.completed_at = SUBMITTED if response.completed_at else None
        session.add(response)
    session.commit()
    return {"token": token, "survey": survey, "ana": respondent_id(survey.salt, ana),
            "beto": respondent_id(survey.salt, beto)}


async def _get(client: httpx.AsyncClient, typed: dict[str, Any], path: str, **params: str) -> httpx.Response:
    return await client.get(f"/api/surveys/{typed['survey'].id}/{path}", params=params,
                            headers=auth(typed["token"]))


async def test_xlsx_cells_are_typed_after_an_info_and_a_variables_sheet(
        client: httpx.AsyncClient, typed: dict[str, Any]) -> None:
    answer = await _get(client, typed, "responses.xlsx", lang="en")
    assert answer.status_code == 200, answer.text
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["info", "variables", "respuestas"] and book.active.title == "info"

    info = {row[0]: row[1] for row in book["info"].iter_rows(values_only=True)}
    assert info["File"] == "Responses to a survey"
    assert (info["Survey"], info["Survey number"], info["Type"]) == ("Household", typed["survey"].id, "diagnostico")
    assert (info["Neighbourhood"], info["Exported by"]) == ("Población La Esperanza (La Pintana)", "ONG Prueba")
    assert (info["Options"], info["Languages of the form"]) == ("labels=false lang=en short=false", "es, en")
    assert isinstance(info["Exported"], datetime) and book["info"]["B6"].number_format == "yyyy-mm-dd hh:mm:ss"

    variables = [list(row) for row in book["variables"].iter_rows(values_only=True)]
    assert variables[0] == ["column", "name", "type", "label (es)", "label (en)", "choices"]
    by_column = {row[0]: row[1:] for row in variables[1:]}
    assert list(by_column)[:4] == ["respondent", "status", "started", "submitted"]
    assert by_column["datos/cita"] == ["cita", "datetime", "¿Cita?", "Appointment?", None]
    assert by_column["usos"] == ["usos", "select_multiple", "¿Usos?", "Uses?", "plaza = Square; sede = Hall"]
    assert by_column["usos/sede"] == ["usos/sede", "0/1", "¿Usos?: Sede", "Uses?: Hall", "1 = chosen, 0 = not chosen"]

    sheet = book["respuestas"]
    assert sheet.freeze_panes == "A2"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["respondent", "status", "started", "submitted", "datos/nacimiento", "datos/cita", "datos/hora",
                       "personas", "metros", "usos", "usos/plaza", "usos/sede", "nota"]
    assert rows[1] == [typed["ana"], "completa", datetime(2026, 3, 14, 12, 0), datetime(2026, 3, 14, 12, 30),
                       datetime(1990, 5, 17), datetime(2026, 12, 24, 18, 30), time(9, 5), 4, 52.5, "plaza sede", 1,
                       1, "=1+1"]
    assert rows[2] == [typed["beto"], "incompleta", datetime(2026, 3, 14, 12, 0), None, None, None, None, 2, None,
                       "sede", 0, 1, None]
    formats = [cell.number_format for cell in sheet[2]]
    assert formats[2:7] == ["yyyy-mm-dd hh:mm:ss", "yyyy-mm-dd hh:mm:ss", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss",
                            "hh:mm"]
    assert sheet["M2"].data_type == "s"  # a vecino's "=1+1" stays text, never a formula
    assert sheet.column_dimensions["E"].width >= len("datos/nacimiento")


async def test_xlsx_with_labels_has_headers_and_values_in_the_language_asked(
        client: httpx.AsyncClient, typed: dict[str, Any]) -> None:
    answer = await _get(client, typed, "responses.xlsx", labels="true", lang="en")
    rows = [list(row) for row in openpyxl.load_workbook(io.BytesIO(answer.content))["respuestas"].iter_rows(
        values_only=True)]
    assert rows[0][:6] == ["Participant", "Status", "Started", "Submitted", "Birth?", "Appointment?"]
    assert rows[0][9:12] == ["Uses?", "Uses?/Square", "Uses?/Hall"]
    assert (rows[1][1], rows[2][1], rows[1][9]) == ("complete", "incomplete", "Square, Hall")


async def test_csv_for_excel_in_chile_uses_semicolons_and_decimal_commas(
        client: httpx.AsyncClient, typed: dict[str, Any]) -> None:
    answer = await _get(client, typed, "responses.csv", dialect="excel-cl")
    assert answer.status_code == 200 and answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content == (
        "\ufeffrespondent;status;started;submitted;datos/nacimiento;datos/cita;datos/hora;personas;metros;usos;"
        "usos/plaza;usos/sede;nota\r\n"
        f"{typed['ana']};completa;2026-03-14 12:00:00;2026-03-14 12:30:00;1990-05-17;2026-12-24 18:30:00;09:05;4;"
        "52,5;plaza sede;1;1;'=1+1\r\n"
        f"{typed['beto']};incompleta;2026-03-14 12:00:00;;;;;2;;sede;0;1;\r\n"
    ).encode()


async def test_standard_csv_is_the_default(client: httpx.AsyncClient, typed: dict[str, Any]) -> None:
    default, standard = (await _get(client, typed, "responses.csv"),
                         await _get(client, typed, "responses.csv", dialect="standard"))
    assert default.content == standard.content
    lines = default.content.decode("utf-8").splitlines()
    assert lines[0].startswith("\ufeffrespondent,status,started,submitted,datos/nacimiento,")
    assert lines[1].endswith(",4,52.5,plaza sede,1,1,'=1+1")
    assert (await _get(client, typed, "responses.csv", dialect="excel")).status_code == 422


@pytest.mark.parametrize("path", ["responses.csv", "responses.xlsx", "results"])
async def test_an_unknown_language_is_refused_listing_the_forms(
        client: httpx.AsyncClient, typed: dict[str, Any], path: str) -> None:
    answer = await _get(client, typed, path, lang="fr")
    assert answer.status_code == 422
    assert answer.json()["detail"] == "lang: the survey has no labels in 'fr'; its languages are es, en"
    assert (await _get(client, typed, path, lang="en")).status_code == 200



async def test_a_geopoint_is_split_as_kobo_does_and_metadata_is_typed(
        client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    survey = make_survey(session, barrio, {"title": "Lugar", "questions": [
        {"name": "start", "type": "start"}, {"name": "today", "type": "today"},
        {"name": "sitio", "type": "group", "label": "Sitio", "questions": [
            {"name": "lugar", "type": "geopoint", "label": "¿Dónde?"},
            {"name": "foto", "type": "image", "label": "¿Foto?"}]},
        {"name": "end", "type": "end"}]})
    make_answers(session, survey, make_member(session, barrio), {
        "start": "2026-03-14T12:00:00-03:00", "today": "2026-03-14", "lugar": "-33.5912 -70.5523 0 8",
        "foto": "AgACAgEAAxkBAAIB", "end": "2026-03-14T12:04:10-03:00"})
    answer = await client.get(f"/api/surveys/{survey.id}/responses.xlsx", headers=auth(token))
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    rows = [list(row) for row in book["respuestas"].iter_rows(values_only=True)]
    assert rows[0][4:] == ["start", "today", "sitio/lugar", "sitio/_lugar_latitude", "sitio/_lugar_longitude",
                           "sitio/_lugar_altitude", "sitio/_lugar_precision", "sitio/foto", "end"]
    photo = f"/api/surveys/{survey.id}/photos/{rows[1][0]}/foto"  # its download, not Telegram's file_id
    assert rows[1][4:] == [datetime(2026, 3, 14, 12, 0), datetime(2026, 3, 14), "-33.5912 -70.5523 0 8", -33.5912,
                           -70.5523, 0, 8, photo, datetime(2026, 3, 14, 12, 4, 10)]
    variables = {row[0]: row[1:] for row in book["variables"].iter_rows(min_row=2, values_only=True)}
    assert variables["sitio/_lugar_latitude"] == ("_lugar_latitude", "decimal", "¿Dónde? (latitud)", None)
    # the text of a geopoint starts with "-": kept as text in a CSV too (the formula guard), its numbers are numbers
    csv_text = (await client.get(f"/api/surveys/{survey.id}/responses.csv", params={"dialect": "excel-cl"},
                                 headers=auth(token))).content.decode("utf-8-sig")
    assert (await client.get(photo, headers=auth(token))).status_code == 503  # no bot here to fetch it from
    make_answers(session, survey, make_member(session, barrio, "2"), {"lugar": "-33.4489 -70.6693 0 0"})
    make_answers(session, survey, make_member(session, barrio, "3"), {"foto": "AgAD-otra"})
    results = (await client.get(f"/api/surveys/{survey.id}/results", headers=auth(token))).json()
    lugar = next(q for q in results["questions"] if q["name"] == "lugar")
    assert lugar["answered"] == 2 and lugar["bounds"] == {"south": -33.5912, "west": -70.6693, "north": -33.4489,
                                                           "east": -70.5523}
    assert csv_text.splitlines()[1].endswith(
        f";2026-03-14 12:00:00;2026-03-14;'-33.5912 -70.5523 0 8;-33,5912;-70,5523;0,0;8,0;{photo};"
        "2026-03-14 12:04:10")
