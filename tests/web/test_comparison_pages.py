"""The console's línea base vs línea de salida pages, in-process: charts, the table, downloads, the summary."""

import csv
import io
import re

import httpx
import openpyxl
from sqlmodel import Session, select

from api.barrios.models import Ejecutor
from api.outbox.models import OutboxMessage
from api.surveys.store import move
from conversations.surveys.ports import SurveyStatus
from tests.factories import TwoOrganisations, chart_of, csrf_of, make_barrio, make_rounds, make_survey


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" )", ")").replace("( ", "(").strip()


def _cells(html: str, row_id: str) -> list[str]:
    """The text of each cell of the table row with that id."""
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S)
    assert row is not None, f"no row {row_id}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells]


async def test_a_chart_per_dimension_and_the_table_per_question(browser: httpx.AsyncClient, session: Session,
                                                               world: TwoOrganisations) -> None:
    base, salida = make_rounds(session, world.ours)
    page = await browser.get(f"/consola/barrios/{world.ours.id}/comparacion")
    assert page.status_code == 200
    html = page.text
    # the latest línea base and línea de salida are chosen
    assert re.search(rf'<option value="{base.id}" selected>Línea base 2025', html)
    assert re.search(rf'<option value="{salida.id}" selected>Línea de salida 2027', html)
    assert "15 vecinos respondieron la base" in html and "12 respondieron ambas" in html
    # trust: 3 -> 4 on the 1-5 scale is 50 -> 75 of 100: the chart's points, on its 0-100 axis
    trust = re.search(r'id="dim-confianza_solidaridad">(.*?)</figure>', html, re.S)
    assert trust is not None
    chart = chart_of(trust.group(1), "chart-dim-confianza_solidaridad")
    assert chart["labels"] == ["Base", "Salida"] and chart["max"] == 100
    intervals, means = chart["series"]
    assert means["kind"] == "point" and means["values"] == [50, 75]
    assert intervals["kind"] == "range" and intervals["values"] == [[50, 50], [75, 75]]
    assert "Base 50 (50 – 50) → salida 75 (75 – 75) · cambio +25" in _text(trust.group(1))
    groups = re.search(r'id="dim-grupos_redes">(.*?)</figure>', html, re.S)
    assert groups is not None  # 2 -> 2 or 3: the salida's mean 37.5 with its 95% interval drawn around it
    low, high = chart_of(groups.group(1), "chart-dim-grupos_redes")["series"][0]["values"][1]
    assert low < 37.5 < high
    assert "salida 37,5 (" in _text(groups.group(1)) and 'id="dim-overall"' in html

    confia = _cells(html, "q-confia")
    assert confia[1:5] == ["escala 1–5", "3 (15)", "4 (12)", "+1"]
    assert confia[5:7] == ["12", "Wilcoxon de rangos con signo"] and confia[7].startswith("biserial de rangos 1")
    asamblea = _cells(html, "q-asamblea")
    assert asamblea[5:7] == ["12", "McNemar exacta"]  # 9 went from no to yes: the exact test
    # the reasons in the page's language (codes from the API), with their counts
    assert asamblea[-1] == "Sin prueba: menos de 10 vecinos respondieron solo una de las rondas (3 solo la base, " \
                           "0 solo la salida)"
    assert "<code>idea</code>: las respuestas de texto libre no se comparan" in html
    assert "fewer than" not in html and "not compared" not in html
    # Holm: the adjusted p-value is at least the raw one, in every tested row
    for row in ("q-confia", "q-asamblea"):
        raw, holm = _cells(html, row)[8:10]
        assert holm != "—" and _p(holm) >= _p(raw)


def _ours(session: Session, world: TwoOrganisations) -> Ejecutor:
    found = session.get(Ejecutor, world.ours.ejecutor_id)
    assert found is not None
    return found


def _p(shown: str) -> float:
    return 0.0 if shown.startswith(("<", "&lt;")) else float(shown.replace(",", "."))


async def test_the_comparison_downloads(browser: httpx.AsyncClient, session: Session,
                                        world: TwoOrganisations) -> None:
    base, salida = make_rounds(session, world.ours)
    url = f"/consola/barrios/{world.ours.id}/comparacion"
    listing = await browser.get(f"{url}.csv", params={"base": base.id, "salida": salida.id})
    assert listing.status_code == 200
    assert f"comparacion-{base.id}-{salida.id}.csv" in listing.headers["content-disposition"]
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(listing.content.decode("utf-8-sig")))}
    assert rows["confia"]["paired_test"] == "wilcoxon" and rows["overall"]["section"] == "index"
    workbook = await browser.get(f"{url}.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None and [c.value for c in sheet[1]][:3] == ["section", "name", "label"]


async def test_choosing_surveys_that_cannot_be_compared_says_why(browser: httpx.AsyncClient, session: Session,
                                                                world: TwoOrganisations) -> None:
    base, _salida = make_rounds(session, world.ours)
    same = await browser.get(f"/consola/barrios/{world.ours.id}/comparacion", params={"base": base.id,
                                                                                       "salida": base.id})
    assert same.status_code == 422 and 'name="base"' in same.text
    assert "la base y la salida son la misma encuesta; elija dos encuestas distintas" in same.text
    lonely = make_barrio(session, _ours(session, world), "Sin rondas")
    make_survey(session, lonely)
    missing = await browser.get(f"/consola/barrios/{lonely.id}/comparacion")
    assert missing.status_code == 409
    assert "el barrio no tiene una encuesta de línea base; cargue una o elija la encuesta" in missing.text
    assert (await browser.get(f"/consola/barrios/{world.theirs.id}/comparacion")).status_code == 404
    assert (await browser.get(f"/consola/barrios/{world.theirs.id}/comparacion.csv")).status_code == 404


async def test_staff_preview_the_vecinos_summary_and_approve_it_once_the_salida_is_closed(
        browser: httpx.AsyncClient, session: Session, world: TwoOrganisations) -> None:
    _base, salida = make_rounds(session, world.ours)
    url = f"/consola/barrios/{world.ours.id}/comparacion"
    page = (await browser.get(url)).text
    assert "Tu barrio creció en confianza entre vecinos: de 50 a 75 de 100." in page
    assert "Katye ou a grandi" in page and "Your neighbourhood grew" in page
    version = re.search(r'name="approved" value="([^"]+)"', page)
    assert version is not None
    form = {"csrf": csrf_of(page), "approved": version.group(1), "salida": str(salida.id)}

    forged = await browser.post(f"{url}/resumen", data={**form, "csrf": "not-the-token"})
    assert forged.status_code == 403
    still_open = await browser.post(f"{url}/resumen", data=form)
    assert still_open.status_code == 409
    assert "la línea de salida sigue abierta; ciérrela antes de enviar el resumen" in still_open.text
    move(session, salida, SurveyStatus.CLOSED)
    stale = await browser.post(f"{url}/resumen", data={**form, "approved": "0" * 16})
    assert stale.status_code == 409 and "el resumen cambió desde que lo leyó" in stale.text
    sent = await browser.post(f"{url}/resumen", data=form)
    assert sent.status_code == 303
    shown = await browser.get(sent.headers["location"])
    assert "Resumen enviado a 15 vecinos." in shown.text
    queued = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "comparison_summary")).all()
    assert len(queued) == 15 and "confianza entre vecinos: de 50 a 75" in queued[0].text
    again = await browser.post(f"{url}/resumen", data=form)
    assert "Resumen enviado a 0 vecinos." in (await browser.get(again.headers["location"])).text


async def test_the_organisation_per_barrio_and_pooled(browser: httpx.AsyncClient, session: Session,
                                                      world: TwoOrganisations) -> None:
    make_rounds(session, world.ours)
    other = make_barrio(session, _ours(session, world), "Villa Norte")
    make_rounds(session, other)
    make_barrio(session, _ours(session, world), "Sin rondas")
    make_rounds(session, world.theirs)  # another organisation's: never here
    page = await browser.get("/consola/comparacion")
    assert page.status_code == 200
    html = page.text
    assert f'id="barrio-{world.ours.id}"' in html and f'id="barrio-{other.id}"' in html
    assert f'id="barrio-{world.theirs.id}"' not in html and "Villa Ajena" not in html
    assert "2 barrios" in html and "30 vecinos respondieron la base" in html and "24 respondieron ambas" in html
    assert "Sin rondas: el barrio no tiene una encuesta de línea base" in _text(html)
    # the table per question for each barrio, and pooled: 24 pairs answered the trust question
    assert _cells(html, f"b{other.id}-q-confia")[5] == "12" and _cells(html, "pooled-q-confia")[5] == "24"
    listing = await browser.get("/consola/comparacion.csv")
    barrios = {row["barrio"] for row in csv.DictReader(io.StringIO(listing.content.decode("utf-8-sig")))}
    assert barrios == {world.ours.name, "Villa Norte", "pooled"}


async def test_the_page_in_english(browser: httpx.AsyncClient, session: Session, world: TwoOrganisations) -> None:
    make_rounds(session, world.ours)
    browser.cookies.set("al_lang", "en")
    html = (await browser.get(f"/consola/barrios/{world.ours.id}/comparacion")).text
    assert "Did the barrio’s capacities grow?" in html and "Do you trust your neighbours?" in html
    assert "Wilcoxon signed-rank" in html
    assert "Not tested: fewer than 10 vecinos answered only one of the rounds (3 only the base, 0 only the salida)" \
        in _text(html)
    assert "<code>idea</code>: free text is not compared" in html and "texto libre" not in html
