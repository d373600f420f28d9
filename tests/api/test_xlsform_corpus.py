"""The corpus's household diagnóstico with every feature together, end to end.

Written as KoBoToolbox exports forms: start/end metadata, a field-list group, cascading
comuna → villa, a repeat for the household's members counted by an earlier answer, a
calculation over the repeat, `${references}` in labels and a note, `or_other`, a geopoint.
Two vecinas answer it through the chat service, in Spanish and in Haitian Creole (the
geopoint typed as text, as in the console's channel), and every export is checked cell by
cell: the XLSX's sheets, the CSV and the ZIP, whose repeat rows join their response by `_index`.
"""

import csv
import io
import zipfile
from datetime import datetime
from typing import Any

import httpx
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session

from api.chat.service import Address
from tests.factories import CORPUS_DIAGNOSTICO, Vecina, auth, chat_service, join, make_barrio, make_ejecutor


def _table(sheet: Any) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _csv(content: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


async def test_the_corpus_diagnostico_is_answered_in_two_languages_and_every_export_checked(
        client: httpx.AsyncClient, session: Session, engine: Engine) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    files = {"file": ("corpus.xlsx", CORPUS_DIAGNOSTICO, "application/octet-stream")}
    imported = await client.post("/api/surveys/xlsform", data={"barrio_id": str(barrio.id)}, files=files,
                                 headers=auth(token))
    assert imported.status_code == 201, imported.text
    survey = imported.json()["id"]
    await client.post(f"/api/surveys/{survey}/open", headers=auth(token))
    service = chat_service(engine)

    ana = Vecina(service, Address("telegram", "71", "71"))
    join(service, barrio.join_code, None, ana.address, "es")
    ana.say("/encuestas")
    assert "¿Comuna?" in ana.press("Diagnóstico corpus") and "▸ Tu hogar" in ana.last[-1].text
    ana.press("La Pintana")
    assert [label for label in ana.labels() if "«" not in label] == ["1. Los Aromos", "2. El Castillo"]
    ana.press("El Castillo")
    assert "▸ Persona 1 de 2" in ana.say("2")
    assert "¿Qué edad tiene Ana?" in ana.say("Ana")
    assert "Persona 2 de 2" in ana.say("40")
    ana.say("Tomás")
    assert "¿Qué servicio falta en El Castillo?" in ana.say("12")
    ana.press("Otro")
    assert "¿Dónde está tu casa?" in ana.say("Seguridad")
    assert "2 personas en El Castillo; suman 52 años." in ana.say("-33.45, -70.66")
    assert "Tus respuestas" in ana.press(kind="ok")

    rose = Vecina(service, Address("telegram", "72", "72"))
    join(service, barrio.join_code, None, rose.address, "ht")
    rose.say("/encuestas")
    assert "Ki komin?" in rose.press("Diagnóstico corpus")
    rose.press("Puente Alto")
    assert [label for label in rose.labels() if "«" not in label] == ["1. Bajos de Mena"]
    rose.press("Bajos de Mena")
    assert "▸ Moun 1 sou 1" in rose.say("1")
    assert "Ki laj Rose genyen?" in rose.say("Rose")
    assert "Ki sèvis ki manke nan Bajos de Mena?" in rose.say("30")
    assert "3. Lòt" in rose.labels()
    assert "Ki kote kay ou ye?" in rose.press("Sante")
    assert "1 moun nan Bajos de Mena; yo gen 30 an ansanm." in rose.say("-33,61; -70,57")
    rose.press(kind="ok")

    book = load_workbook(io.BytesIO((await client.get(f"/api/surveys/{survey}/responses.xlsx",
                                                      headers=auth(token))).content))
    assert book.sheetnames == ["info", "variables", "respuestas", "miembro"]
    info = _table(book["info"])
    assert isinstance(info[5][1], datetime)
    assert info[:5] + info[6:] == [
        ["Archivo", "Respuestas de una encuesta"], ["Encuesta", "Diagnóstico corpus"],
        ["Número de la encuesta", survey], ["Tipo", "diagnostico"], ["Barrio", f"{barrio.name} ({barrio.comuna})"],
        ["Exportado por", "ONG Prueba"], ["Opciones", "labels=false lang=es short=false"],
        ["Idiomas del formulario", "es, ht"],  # not en: or_other's "Other" we add in every language does not count
        ["Diccionario de columnas", "hoja «variables»"]]
    variables = _table(book["variables"])
    assert variables[0] == ["columna", "nombre", "tipo", "etiqueta (es)", "etiqueta (ht)", "opciones"]
    assert [row[:3] + row[4:] for row in variables[7:]] == [
        ["datos/comuna", "comuna", "select_one", "Ki komin?", "lp = La Pintana; pa = Puente Alto"],
        ["datos/villa", "villa", "select_one", "Ki vil?",
         "aromos = Los Aromos; castillo = El Castillo; mena = Bajos de Mena"],
        ["datos/personas", "personas", "integer", "Konbyen moun ki rete lakay ou?", None],
        ["suma_edades", "suma_edades", "calculate", None, None],
        ["servicio", "servicio", "select_one", "Ki sèvis ki manke nan ${villa}?",
         "salud = Salud; transporte = Transporte; other = Otro"],
        ["servicio_other", "servicio_other", "text", "Kiyès? Ekri l, souple.", None],
        ["casa", "casa", "geopoint", "Ki kote kay ou ye?", None],
        *([f"_casa_{part}", f"_casa_{part}", "decimal", f"Ki kote kay ou ye? ({meaning})", None]
          for part, meaning in (("latitude", "latitud"), ("longitude", "longitud"), ("altitude", "altitud"),
                                ("precision", "precisión"))),
        ["_index", "_index", None, None, None]]
    main = _table(book["respuestas"])
    assert main[0] == ["respondent", "status", "started", "submitted", "start", "end", "datos/comuna", "datos/villa",
                       "datos/personas", "suma_edades", "servicio", "servicio_other", "casa", "_casa_latitude",
                       "_casa_longitude", "_casa_altitude", "_casa_precision", "_index"]
    for row in main[1:]:  # started, submitted, start, end: real dates in the barrio's time
        assert all(isinstance(cell, datetime) for cell in row[2:6])
        assert row[2].replace(microsecond=0) <= row[4] <= row[5] <= row[3]
    ana_id, rose_id = main[1][0], main[2][0]
    assert [row[:2] + row[6:] for row in main[1:]] == [
        [ana_id, "completa", "lp", "castillo", 2, 52, "other", "Seguridad", "-33.45 -70.66 0 0", -33.45, -70.66, 0, 0,
         1],
        [rose_id, "completa", "pa", "mena", 1, 30, "salud", None, "-33.61 -70.57 0 0", -33.61, -70.57, 0, 0, 2]]
    members = _table(book["miembro"])
    assert members == [["_index", "_parent_index", "respondent", "_instance", "miembro/nombre", "miembro/edad"],
                       [1, 1, ana_id, 1, "Ana", 40], [2, 1, ana_id, 2, "Tomás", 12], [3, 2, rose_id, 1, "Rose", 30]]

    english = await client.get(f"/api/surveys/{survey}/results", params={"lang": "en"}, headers=auth(token))
    assert english.status_code == 422 and "es, ht" in english.text  # the form is not written in English

    flat = _csv((await client.get(f"/api/surveys/{survey}/responses.csv", params={"short": "true"},
                                  headers=auth(token))).content)
    assert flat[0][6:] == ["comuna", "villa", "personas", "suma_edades", "servicio", "servicio_other", "casa",
                           "_casa_latitude", "_casa_longitude", "_casa_altitude", "_casa_precision", "_index"]
    assert [row[:2] + row[6:] for row in flat[1:]] == [
        [ana_id, "completa", "lp", "castillo", "2", "52", "other", "Seguridad", "'-33.45 -70.66 0 0", "-33.45",
         "-70.66", "0.0", "0.0", "1"],
        [rose_id, "completa", "pa", "mena", "1", "30", "salud", "", "'-33.61 -70.57 0 0", "-33.61", "-70.57", "0.0",
         "0.0", "2"]]

    bundle = zipfile.ZipFile(io.BytesIO((await client.get(
        f"/api/surveys/{survey}/responses.zip", params={"labels": "true", "lang": "ht", "dialect": "excel-cl"},
        headers=auth(token))).content))
    assert bundle.namelist() == [f"survey-{survey}.csv", f"survey-{survey}-miembro.csv"]
    responses, people = (_csv(bundle.read(name), ";") for name in bundle.namelist())
    assert responses[0] == ["Patisipan", "Eta", "Kòmanse", "Voye", "start", "end", "Ki komin?", "Ki vil?",
                            "Konbyen moun ki rete lakay ou?", "suma_edades", "Ki sèvis ki manke nan ${villa}?",
                            "Kiyès? Ekri l, souple.", "Ki kote kay ou ye?",
                            *(f"Ki kote kay ou ye? ({t})" for t in ("latitid", "lonjitid", "altitid", "presizyon")),
                            "_index"]
    assert [row[:2] + row[6:] for row in responses[1:]] == [
        [ana_id, "fini", "La Pintana", "El Castillo", "2", "52", "Lòt", "Seguridad", "'-33.45 -70.66 0 0", "-33,45",
         "-70,66", "0,0", "0,0", "1"],
        [rose_id, "fini", "Puente Alto", "Bajos de Mena", "1", "30", "Sante", "", "'-33.61 -70.57 0 0", "-33,61",
         "-70,57", "0,0", "0,0", "2"]]
    assert people == [["_index", "_parent_index", "respondent", "_instance", "Ki non li?", "Ki laj ${nombre} genyen?"],
                      ["1", "1", ana_id, "1", "Ana", "40"], ["2", "1", ana_id, "2", "Tomás", "12"],
                      ["3", "2", rose_id, "1", "Rose", "30"]]
    by_index = {row[-1]: row[0] for row in responses[1:]}  # each member joins its household by _index
    assert [by_index[row[1]] == row[2] for row in people[1:]] == [True, True, True]
