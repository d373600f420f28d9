"""The survey pages in-process: the chat preview, copy and delete, results within days and split by a question."""

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from api.chat.service import Address
from api.surveys.models import Survey, SurveyResponse
from conversations.kernel.events import Event
from tests.factories import (
    SMALL,
    TwoOrganisations,
    chart_of,
    chat_service,
    csrf_of,
    join,
    make_answers,
    make_member,
    make_survey,
)

BRANCHING: dict[str, Any] = {
    "title": {"es": "Hogar", "ht": "Kay", "en": "Home"},
    "questions": [
        {"name": "sexo", "type": "select_one", "required": True, "label": {"es": "¿Sexo?", "en": "Sex?", "ht": "Sèks?"},
         "choices": [{"name": "f", "label": {"es": "Mujer", "en": "Woman", "ht": "Fanm"}},
                     {"name": "m", "label": {"es": "Hombre", "en": "Man", "ht": "Gason"}}]},
        {"name": "hijos", "type": "integer", "label": {"es": "¿Hijos?", "en": "Children?", "ht": "Pitit?"}},
        {"name": "colegio", "type": "text", "relevant": "${hijos} > 0",
         "label": {"es": "¿Qué colegio?", "en": "Which school?", "ht": "Ki lekòl?"}},
        {"name": "ingreso", "type": "integer", "sensitive": True,
         "label": {"es": "¿Ingreso?", "en": "Income?", "ht": "Revni?"}},
    ],
}


def _bubbles(page: str, step: str) -> list[str]:
    """The chat bubbles of one step of the preview, as text."""
    found = re.search(rf'<li class="step" id="p-{step}">(.*?)</li>', page, re.S)
    assert found is not None, f"no step {step}"
    return [html.unescape(b) for b in re.findall(r'<div class="bubble">(.*?)</div>', found.group(1), re.S)]


def _buttons(page: str, step: str) -> list[str]:
    found = re.search(rf'<li class="step" id="p-{step}">(.*?)</li>', page, re.S)
    assert found is not None
    return [html.unescape(b) for b in re.findall(r'<span class="chat-button">(.*?)</span>', found.group(1))]


async def test_the_preview_is_what_the_chat_says(browser: httpx.AsyncClient, engine: Engine, session: Session,
                                                 world: TwoOrganisations) -> None:
    survey = make_survey(session, world.ours, BRANCHING)
    page = (await browser.get(f"/consola/encuestas/{survey.id}/vista-previa")).text
    # a vecina who opens the survey in the chat reads the very same first messages
    chat, vecina = chat_service(engine), Address("telegram", "77", "77")
    join(chat, world.ours.join_code, 100, vecina)
    said = chat.handle(vecina, Event.button(f"sv:{survey.id}"), 200)
    assert _bubbles(page, "sexo") == [reply.text for reply in said]
    assert _buttons(page, "sexo") == [b.label for reply in said for row in reply.buttons for b in row]
    assert "Pregunta 2 de 3" in _bubbles(page, "hijos")[0] and "Omitir" in _buttons(page, "hijos")
    assert "${hijos} &gt; 0" in page.split('id="p-colegio"')[1].split("</li>")[0]  # the condition, noted
    consent, asked = _bubbles(page, "ingreso")
    assert "temas sensibles" in consent and "¿Ingreso?" in asked
    assert _buttons(page, "ingreso")[:2] == ["Sí, responder", "No, saltarlas"]
    assert "¡Gracias! Tus respuestas quedaron guardadas." in _bubbles(page, "fin")[0]


async def test_the_preview_in_each_language_of_the_chat(browser: httpx.AsyncClient, session: Session,
                                                        world: TwoOrganisations) -> None:
    survey = make_survey(session, world.ours, BRANCHING)
    kreyol = (await browser.get(f"/consola/encuestas/{survey.id}/vista-previa?idioma=ht")).text
    assert "Kesyon 1 sou 3" in _bubbles(kreyol, "sexo")[1] and _buttons(kreyol, "sexo") == ["1. Fanm", "2. Gason"]
    english = (await browser.get(f"/consola/encuestas/{survey.id}/vista-previa?idioma=en")).text
    assert "Question 1 of 3" in _bubbles(english, "sexo")[1] and "Which school?" in english
    assert '<strong>English</strong>' in english and 'href="/consola/encuestas/' in english
    unknown = await browser.get(f"/consola/encuestas/{survey.id}/vista-previa?idioma=fr")
    assert "Pregunta 1 de 3" in unknown.text  # the form's default instead
    api = (await browser.get(f"/consola/encuestas/{survey.id}/vista-previa?idioma=en")).status_code
    assert api == 200


async def test_copy_and_delete_a_draft_from_the_console(browser: httpx.AsyncClient, session: Session,
                                                        world: TwoOrganisations) -> None:
    opened = make_survey(session, world.ours, SMALL)
    page = await browser.get(f"/consola/encuestas/{opened.id}")
    csrf = csrf_of(page.text)
    copied = await browser.post(f"/consola/encuestas/{opened.id}/copiar", data={"csrf": csrf})
    assert copied.status_code == 303
    copy_id = int(copied.headers["location"].rsplit("/", 1)[1])
    copy = session.get(Survey, copy_id)
    assert copy is not None and copy.status == "draft" and copy.definition == opened.definition
    refused = await browser.post(f"/consola/encuestas/{opened.id}/borrar", data={"csrf": csrf})
    assert refused.status_code == 409 and "Solo se puede borrar un borrador" in refused.text
    assert (await browser.post(f"/consola/encuestas/{copy_id}/borrar", data={})).status_code in (403, 422)
    make_answers(session, copy, make_member(session, world.ours, "5"), {"color": "rojo"})  # someone tried it out
    kept = await browser.post(f"/consola/encuestas/{copy_id}/borrar", data={"csrf": csrf})
    assert kept.status_code == 409 and "ya tiene respuestas, así que no se puede borrar" in kept.text
    empty_id = make_survey(session, world.ours, SMALL, status="draft").id  # type: ignore[arg-type]
    assert "Borrar el borrador" in (await browser.get(f"/consola/encuestas/{empty_id}")).text
    deleted = await browser.post(f"/consola/encuestas/{empty_id}/borrar", data={"csrf": csrf})
    assert deleted.status_code == 303 and deleted.headers["location"] == f"/consola/barrios/{world.ours.id}"
    session.expire_all()
    assert session.get(Survey, empty_id) is None
    theirs = make_survey(session, world.theirs, SMALL, status="draft")  # type: ignore[arg-type]
    for action in ("copiar", "borrar"):
        assert (await browser.post(f"/consola/encuestas/{theirs.id}/{action}", data={"csrf": csrf})).status_code == 404
    assert (await browser.get(f"/consola/encuestas/{theirs.id}/vista-previa")).status_code == 404
    session.expire_all()
    assert session.get(Survey, theirs.id) is not None


async def test_results_within_days_split_by_a_question_and_downloads_alike(
        browser: httpx.AsyncClient, session: Session, world: TwoOrganisations) -> None:
    survey = make_survey(session, world.ours, SMALL)
    start = datetime(2026, 5, 10, 15, tzinfo=UTC)  # 11:00 in Santiago
    for n, (color, edad) in enumerate([("rojo", 20), ("rojo", 40), ("azul", 60), ("azul", 80)]):
        member = make_member(session, world.ours, str(n))
        make_answers(session, survey, member, {"color": color, "edad": edad})
        session.execute(update(SurveyResponse).where(SurveyResponse.member_id == member)  # type: ignore[arg-type]
                        .values(started_at=start + timedelta(days=n)))
    session.commit()
    path = f"/consola/encuestas/{survey.id}"
    page = (await browser.get(path, params={"desde": "11-05-2026", "hasta": "2026-05-12", "por": "color"})).text
    assert "2 respuestas iniciadas" in page  # the 11th and the 12th, typed as in Chile or by the date picker
    split = page.split('id="q-edad"')[1].split("</section>")[0]
    assert re.findall(r"<th scope=\"col\">(\w+)", split) == ["Rojo", "Azul"]
    assert re.search(r"promedio</th>\s*<td>40</td><td>60</td>", split)
    means = chart_of(split, "split-edad")  # the split drawn: the mean age per colour
    assert means["labels"] == ["Rojo", "Azul"] and means["series"][0]["values"] == [40, 60]
    colours = chart_of(page, "split-color")  # grouped bars: per option, one bar per group
    assert [(series["label"], series["values"]) for series in colours["series"]] == [("Rojo", [1, 0]), ("Azul", [0, 1])]
    assert 'option value="color" selected' in page and 'name="desde" value="2026-05-11"' in page
    assert 'respuestas.csv?desde=2026-05-11&amp;hasta=2026-05-12"' in page  # the downloads keep the days
    table = csv.DictReader(io.StringIO((await browser.get(f"{path}/respuestas.csv", params={"desde": "12-05-2026"})
                                        ).text.lstrip("\ufeff")))
    assert sorted(row["¿Edad?"] for row in table) == ["60", "80"]
    wrong = await browser.get(path, params={"desde": "13-05-2026", "hasta": "11-05-2026"})
    assert wrong.status_code == 422 and "Revise las fechas" in wrong.text
    assert (await browser.get(path, params={"por": "edad"})).status_code == 422
    nobody = (await browser.get(path, params={"desde": "01-01-2027"})).text
    assert "Nadie respondió en esas fechas." in nobody
    assert (await browser.get(f"{path}/respuestas.xlsx", params={"hasta": "ayer"})).status_code == 422
    assert session.exec(select(SurveyResponse)).all()  # nothing was changed by reading


async def test_a_number_is_charted_as_a_histogram_beside_its_table(browser: httpx.AsyncClient, session: Session,
                                                                   world: TwoOrganisations) -> None:
    survey = make_survey(session, world.ours, SMALL)
    for n, edad in enumerate([20, 23, 41, 45, 47, 80]):
        make_answers(session, survey, make_member(session, world.ours, str(n)), {"edad": edad})
    page = (await browser.get(f"/consola/encuestas/{survey.id}")).text
    chart = chart_of(page, "chart-edad")
    assert chart["labels"] == ["20–40", "40–60", "60–80", "80–100"]  # round bins of 20 years
    assert chart["series"][0]["values"] == [2, 3, 0, 1]
    assert chart["note"] == "promedio 42,67 · mediana 43"
    table = page.split('id="table-edad"')[1].split("</table>")[0]
    assert re.findall(r"<td>([^<]+)</td><td class=\"count\">(\d+)</td>", table) == [
        ("20–40", "2"), ("40–60", "3"), ("60–80", "0"), ("80–100", "1")]
    assert 'aria-details="table-edad"' in page and 'role="img"' in page
