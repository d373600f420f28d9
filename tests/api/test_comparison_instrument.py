"""The built-in capacidades instrument: downloaded, loaded through the XLSForm upload, answered in the chat."""

import io
from collections import Counter

import httpx
import openpyxl
from sqlmodel import Session

from api.comparison.instrument import DIMENSIONS, ITEMS
from conversations.kernel.members import BarrioRef
from tests.factories import auth, make_barrio, make_ejecutor
from tests.fakes.ports import Chat, MemoryDirectory, MemorySurveys, memory_context

DIMENSION_CODES = {d.code for d in DIMENSIONS}


async def _download(client: httpx.AsyncClient, token: str) -> bytes:
    response = await client.get("/api/comparison/instrument.xlsx", headers=auth(token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    return response.content


async def test_the_instrument_is_an_xlsform_in_three_languages_with_a_dimension_per_row(
        client: httpx.AsyncClient, session: Session) -> None:
    _, token = make_ejecutor(session)
    workbook = openpyxl.load_workbook(io.BytesIO(await _download(client, token)))
    assert {"survey", "choices", "settings"} <= set(workbook.sheetnames)
    rows = list(workbook["survey"].iter_rows(values_only=True))
    header, body = list(rows[0]), [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    for language in ("Español (es)", "Kreyòl (ht)", "English (en)"):
        assert f"label::{language}" in header
        assert all(row[f"label::{language}"] for row in body)
    items = [row for row in body if row["type"] != "note"]
    assert 20 <= len(items) <= 30
    assert Counter(row["type"] for row in items) == {"range": 16, "select_one si_no": 11}
    assert {row["dimension"] for row in items} == DIMENSION_CODES  # every one of the nine, and only those
    notes = {row["dimension"]: row["hint::English (en)"] for row in body if row["type"] == "note" and row["dimension"]}
    assert notes["redes_instituciones"] == "Working in networks with institutions"
    assert len(notes) == 9


async def test_it_loads_through_the_upload_route_and_a_vecina_answers_it_in_creole(
        client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    content = await _download(client, token)
    loaded = await client.post("/api/surveys/xlsform", data={"barrio_id": str(barrio.id), "kind": "linea_base"},
                               files={"file": ("capacidades.xlsx", content)}, headers=auth(token))
    assert loaded.status_code == 201, loaded.text
    survey = loaded.json()
    assert (survey["kind"], survey["questions"]) == ("linea_base", len(ITEMS))

    surveys = MemorySurveys()
    surveys.add(1, barrio_id=1, definition=survey["definition"])
    directory = MemoryDirectory(barrios={"K7MP2Q": BarrioRef(id=1, name="Villa Los Aromos", role="vecino")})
    chat = Chat(lambda: memory_context(directory, surveys=surveys))
    chat.say("/start K7MP2Q")
    chat.press("join:ht:K7MP2Q")
    chat.press("consent:yes:ht:K7MP2Q")
    texts = chat.press("sv:1")
    seen = list(texts)
    for _ in range(60):  # every item and note: its first answer (a note's ok, 1 on a scale, "Wi")
        answers = [b for b in chat.buttons if b.startswith("sv:1:") and b.rsplit(":", 1)[1] not in ("back", "skip")]
        if not answers:
            break
        seen += chat.press(answers[0])
    assert any("Konbyen ou fè pifò vwazen ou konfyans?" in text for text in seen)
    answers = surveys.answers(1, chat.state.member_id or "")
    assert {name for name, value in answers.items() if value is not None} == {item.name for item in ITEMS}
    assert answers["cs_confianza"] == 1 and answers["gr_participa"] == "si"
    assert surveys.completed(1, chat.state.member_id or "")


async def test_the_json_definition_carries_each_questions_dimension(client: httpx.AsyncClient,
                                                                    session: Session) -> None:
    _, token = make_ejecutor(session)
    found = (await client.get("/api/comparison/instrument", headers=auth(token))).json()
    dimensions = {q["name"]: q.get("dimension") for q in found["questions"] if q["type"] != "note"}
    assert dimensions == {item.name: item.dimension for item in ITEMS}
    assert (await client.get("/api/comparison/instrument")).status_code == 401
