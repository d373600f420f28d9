"""The console in a real browser: Debian's Chromium driven by Playwright, against `accion-local serve`.

Log in, load an XLSForm, open it, let vecinos answer through the chat service, read the
chart (what Chart.js holds, and that its canvas was painted), download the CSV; decode the
poster's QR code from a screenshot; another organisation's page is 404; a form whose CSRF
token was removed is refused; the programme's timeline marks today where it falls, an
activity is ticked, an iniciativa is created and edited, and the printable PDL prints on A4
without the console's header.

Skipped, saying why, where /usr/bin/chromium or Playwright is missing (`.ci/run` installs
Debian's chromium). Playwright's own browser download is never used. With
CONSOLE_SCREENSHOTS=docs/screenshots the main pages are saved there for the README.
"""

import csv
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from api.chat.service import Address
from api.kernel.db import make_engine
from api.kernel.migrate import upgrade
from api.surveys.models import Survey, SurveyResponse
from api.surveys.store import move
from conversations.surveys.ports import SurveyStatus
from tests.factories import (
    SMALL,
    STAFF_PASSWORD,
    TwoOrganisations,
    chat_service,
    join,
    make_answers,
    make_ballot,
    make_member,
    make_rounds,
    make_survey,
    make_vote,
    open_for_all,
    press_through,
    to_xlsform,
    two_organisations,
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
if not CHROMIUM.exists():
    pytest.skip("no browser: /usr/bin/chromium is missing (apt-get install chromium)", allow_module_level=True)


@dataclass
class Console:
    url: str
    database_url: str
    world: TwoOrganisations


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    """`accion-local serve` on 127.0.0.1 over a fresh SQLite database holding two organisations."""
    database_url = f"sqlite:///{tmp_path / 'console.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        world = two_organisations(session)
    engine.dispose()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "TELEGRAM_BOT_USERNAME": "TestBot",
           "TELEGRAM_BOT_TOKEN": "", "WEBHOOK_URL": ""}
    server = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=tmp_path,
                              env={**env, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start")
        yield Console(url, database_url, world)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: object) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    context.close()


def _shot(page: object, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("CONSOLE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


_DRAWN = """canvas => {
    const chart = Chart.getChart(canvas);
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
    return {labels: chart.data.labels, data: chart.data.datasets.map(d => d.data),
            lengths: chart.getDatasetMeta(0).data.map(bar => Math.abs(bar.x - bar.base)),
            painted, pixels: canvas.width * canvas.height, locale: document.documentElement.lang};
}"""


def _chart(page: object, canvas: str) -> dict[str, Any]:
    """What Chart.js holds for this canvas (`Chart.getChart(canvas).data`), its first bars' drawn lengths,
    and how many of its pixels were painted."""
    return dict(page.locator(f"canvas#{canvas}").evaluate(_DRAWN))  # type: ignore[attr-defined]


def _log_in(page: object, console: Console) -> None:
    page.goto(f"{console.url}/consola")  # type: ignore[attr-defined]
    page.fill("input[name=email]", "ana@ong.cl")  # type: ignore[attr-defined]
    page.fill("input[name=password]", STAFF_PASSWORD)  # type: ignore[attr-defined]
    page.click("button:has-text('Ingresar')")  # type: ignore[attr-defined]
    page.wait_for_selector("h1:has-text('Sus barrios')")  # type: ignore[attr-defined]


def test_a_survey_from_its_xlsform_to_the_chart_and_the_csv(page: object, console: Console,
                                                             tmp_path: Path) -> None:
    p = page
    _log_in(p, console)
    _shot(p, "overview", tmp_path)
    p.click(f"a:has-text('{console.world.ours.name}')")  # type: ignore[attr-defined]
    form = tmp_path / "consulta.xlsx"
    form.write_bytes(to_xlsform(SMALL))
    p.set_input_files("input[type=file]", str(form))  # type: ignore[attr-defined]
    p.click("button:has-text('Cargar encuesta')")  # type: ignore[attr-defined]
    p.wait_for_url("**/consola/encuestas/*")  # type: ignore[attr-defined]
    assert "borrador" in p.inner_text(".status")  # type: ignore[attr-defined]
    p.click("button:has-text('Abrir la encuesta')")  # type: ignore[attr-defined]
    assert "abierta" in p.inner_text(".status")  # type: ignore[attr-defined]

    # Three vecinas join by the barrio's link and answer the first question in the chat.
    engine = make_engine(console.database_url)
    with Session(engine) as session:
        survey = session.exec(select(Survey)).one()
    chat = chat_service(engine)
    for n, color in enumerate(["Rojo", "Rojo", "Azul"]):
        vecina = Address("telegram", str(900 + n), str(900 + n))
        join(chat, console.world.ours.join_code, 1000 * (n + 1), vecina)
        press_through(chat, vecina, 1000 * (n + 1) + 10, "/encuestas", ["Consulta corta", color])
    engine.dispose()

    refused: list[str] = []  # what the browser would not run or load (a Content-Security-Policy refusal, a 404)
    p.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)  # type: ignore[attr-defined]
    p.reload()  # type: ignore[attr-defined]
    assert p.locator("#q-color td.count").all_inner_texts() == ["2", "1"]  # type: ignore[attr-defined]
    chart = _chart(p, "chart-color")  # the chart shows their counts
    assert chart["labels"] == ["Rojo", "Azul"] and chart["data"] == [[2, 1]] and chart["locale"] == "es-CL"
    assert chart["lengths"][0] == pytest.approx(2 * chart["lengths"][1], rel=0.01) and chart["lengths"][1] > 0
    assert chart["painted"] > chart["pixels"] // 50  # drawn: bars, axes and labels, not a blank canvas
    assert refused == []
    _shot(p, "survey", tmp_path)
    with p.expect_download() as downloading:  # type: ignore[attr-defined]
        p.click("a:has-text('Descargar CSV')")  # type: ignore[attr-defined]
    download = downloading.value
    assert download.suggested_filename == f"encuesta-{survey.id}.csv"
    table = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert sorted(row["¿Color?"] for row in table) == ["Azul", "Rojo", "Rojo"]
    assert all(row["Estado"] == "incompleta" for row in table)  # they answered 1 of 5 questions


def test_the_posters_qr_code_decodes_to_the_join_link(page: object, console: Console, tmp_path: Path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (the QR decoder) is not installed")
    image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")
    _log_in(page, console)
    page.goto(f"{console.url}/consola/barrios/{console.world.ours.id}/afiche")  # type: ignore[attr-defined]
    _shot(page, "poster", tmp_path)
    png = page.locator("#qr svg").screenshot()  # type: ignore[attr-defined]
    found = zxingcpp.read_barcodes(image.open(io.BytesIO(png)))
    assert [code.text for code in found] == [f"https://t.me/TestBot?start={console.world.ours.join_code}"]


def test_the_barrio_page_and_ballot_results(page: object, console: Console, tmp_path: Path) -> None:
    engine = make_engine(console.database_url)
    with Session(engine, expire_on_commit=False) as session:
        from api.ballots.schedule import open_ballot
        from api.kernel.types import utcnow

        ballot = make_ballot(session, console.world.ours)
        open_ballot(session, ballot, utcnow())
        session.commit()
        for n, choice in enumerate([(0, 1), (0,), (1,)]):
            make_vote(session, ballot, make_member(session, console.world.ours, str(n)), choice)
    engine.dispose()
    _log_in(page, console)
    page.goto(f"{console.url}/consola/barrios/{console.world.ours.id}")  # type: ignore[attr-defined]
    _shot(page, "barrio", tmp_path)
    page.click("a:has-text('Prioricemos 2027')")  # type: ignore[attr-defined]
    chart = _chart(page, "chart-ballot")
    assert chart["labels"] == ["Huerto comunitario", "Luminarias", "Plaza"]
    votes, added = chart["data"]  # the votes, and the cost of those selected added up, against the budget line
    assert votes == [2, 2, 0] and added == [1_200_000, 2_700_000, 2_700_000]
    assert chart["lengths"][0] == pytest.approx(chart["lengths"][1]) and chart["lengths"][2] == 0
    assert chart["painted"] > chart["pixels"] // 50
    _shot(page, "ballot", tmp_path)


def test_another_organisations_barrio_is_not_found(page: object, console: Console) -> None:
    _log_in(page, console)
    answer = page.goto(f"{console.url}/consola/barrios/{console.world.theirs.id}")  # type: ignore[attr-defined]
    assert answer.status == 404
    assert "No encontramos esta página" in page.inner_text("h1")  # type: ignore[attr-defined]


def test_a_form_without_its_csrf_token_is_refused(page: object, console: Console) -> None:
    _log_in(page, console)
    page.goto(f"{console.url}/consola/barrios/{console.world.ours.id}")  # type: ignore[attr-defined]
    code = page.inner_text("#codigos code")  # type: ignore[attr-defined]
    page.evaluate("document.querySelector('form[action$=\"/codigos\"] input[name=csrf]').remove()")  # type: ignore[attr-defined]
    with page.expect_navigation() as navigation:  # type: ignore[attr-defined]
        page.click("button:has-text('Cambiar el código de vecinos')")  # type: ignore[attr-defined]
    assert navigation.value.status == 403
    assert "No pudimos aceptar este formulario" in page.inner_text("h1")  # type: ignore[attr-defined]
    page.goto(f"{console.url}/consola/barrios/{console.world.ours.id}")  # type: ignore[attr-defined]
    assert page.inner_text("#codigos code") == code  # type: ignore[attr-defined]


def test_the_timeline_marks_today_and_the_pdl_is_edited_in_the_browser(page: object, console: Console,
                                                                      tmp_path: Path) -> None:
    from api.programme.timeline import barrio_today, start_programme
    from conversations.programme.phases import add_months

    engine = make_engine(console.database_url)
    with Session(engine, expire_on_commit=False) as session:
        start_programme(session, console.world.ours, add_months(barrio_today(console.world.ours), -4))
    engine.dispose()
    p = page
    _log_in(p, console)
    p.goto(f"{console.url}/consola/barrios/{console.world.ours.id}")  # type: ignore[attr-defined]
    p.click("a:has-text('Programa: fases y actividades')")  # type: ignore[attr-defined]
    fase_2 = p.locator("g[data-phase=fase_2] rect").evaluate(  # type: ignore[attr-defined]
        "r => { const b = r.getBBox(); return [b.x, b.x + b.width]; }")
    today = p.locator("g.today line").evaluate("l => l.getBBox().x")  # type: ignore[attr-defined]
    assert fase_2[0] < today < fase_2[1]  # four months in: today falls in Fase II
    assert p.locator("g.phase.active").count() == 1  # type: ignore[attr-defined]
    _shot(p, "programme", tmp_path)
    row = p.locator("#a-insercion_territorial")  # type: ignore[attr-defined]
    row.locator("input[name=note]").fill("Recorrido con la junta")
    row.locator("button:has-text('Marcar como hecha')").click()
    assert "hecha por Ana Pérez" in p.inner_text("#a-insercion_territorial")  # type: ignore[attr-defined]

    p.click("a:has-text('Plan de Desarrollo Local')")  # type: ignore[attr-defined]
    form = p.locator("#nueva-iniciativa")  # type: ignore[attr-defined]
    form.locator("input[name=title]").fill("Huerto comunitario")
    form.locator("select[name=ambito]").select_option("huertos")
    form.locator("input[name=cost]").fill("1200000")
    form.locator("input[name=responsible]").fill("grupo motor")
    form.locator("button:has-text('Agregar la iniciativa')").click()
    p.wait_for_url("**/consola/iniciativas/*")  # type: ignore[attr-defined]
    edit = p.locator("#editar")  # type: ignore[attr-defined]
    edit.locator("input[name=progress]").fill("35")
    edit.locator("input[name=fosis_amount]").fill("900000")
    edit.locator("button:has-text('Guardar cambios')").click()
    p.click("button:has-text('Pasar a «Priorizada por el barrio»')")  # type: ignore[attr-defined]
    assert p.inner_text(".status") == "Priorizada por el barrio"  # type: ignore[attr-defined]
    assert p.inner_text(".progress") == "35%"  # type: ignore[attr-defined]
    assert p.inner_text(".financing") == "$900.000"  # type: ignore[attr-defined]
    _shot(p, "iniciativa", tmp_path)

    p.goto(f"{console.url}/consola/barrios/{console.world.ours.id}/pdl/imprimir")  # type: ignore[attr-defined]
    p.emulate_media(media="print")  # type: ignore[attr-defined]
    assert not p.locator("header.top").is_visible()  # type: ignore[attr-defined]
    assert "Huerto comunitario" in p.inner_text("#ambito-huertos")  # type: ignore[attr-defined]
    pdf = tmp_path / "pdl.pdf"
    p.pdf(path=str(pdf), format="A4")  # type: ignore[attr-defined]
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_the_chat_preview_of_a_draft_in_each_language(page: object, console: Console, tmp_path: Path) -> None:
    engine = make_engine(console.database_url)
    with Session(engine, expire_on_commit=False) as session:
        survey = make_survey(session, console.world.ours, SMALL, status=SurveyStatus.DRAFT)
    engine.dispose()
    _log_in(page, console)
    page.goto(f"{console.url}/consola/encuestas/{survey.id}")  # type: ignore[attr-defined]
    page.click("a:has-text('Ver cómo se verá en el chat')")  # type: ignore[attr-defined]
    first = page.locator("#p-color .bubble").all_inner_texts()  # type: ignore[attr-defined]
    assert "Gracias por participar" in first[0] and "Pregunta 1 de 5" in first[1] and "¿Color?" in first[1]
    assert page.locator("#p-color .chat-button").all_inner_texts() == ["1. Rojo", "2. Azul"]  # type: ignore[attr-defined]
    assert page.locator("#p-nota .chat-button").all_inner_texts()[:5] == ["1", "2", "3", "4", "5"]  # type: ignore[attr-defined]
    _shot(page, "survey_preview", tmp_path)
    page.click(".chat-languages a:has-text('Kreyòl ayisyen')")  # type: ignore[attr-defined]
    assert "Kesyon 1 sou 5" in page.locator("#p-color .bubble").all_inner_texts()[1]  # type: ignore[attr-defined]
    assert page.locator("#p-usos .chat-button").all_inner_texts()[-1] == "Fini"  # type: ignore[attr-defined]
    page.click(".chat-languages a:has-text('English')")  # type: ignore[attr-defined]
    assert page.locator("#p-color .chat-button").all_inner_texts() == ["1. Red", "2. Blue"]  # type: ignore[attr-defined]
    assert "Your answers to “Short poll”" in page.inner_text("#p-fin")  # type: ignore[attr-defined]


def test_results_filtered_by_days_and_split_by_a_question_then_downloaded(page: object, console: Console,
                                                                         tmp_path: Path) -> None:
    engine = make_engine(console.database_url)
    with Session(engine, expire_on_commit=False) as session:
        survey = make_survey(session, console.world.ours, SMALL)
        start = datetime(2026, 5, 10, 15, tzinfo=UTC)
        for n, (color, edad) in enumerate([("rojo", 20), ("rojo", 40), ("azul", 60), ("azul", 80)]):
            member = make_member(session, console.world.ours, str(n))
            make_answers(session, survey, member, {"color": color, "edad": edad})
            session.execute(update(SurveyResponse).where(SurveyResponse.member_id == member)  # type: ignore[arg-type]
                            .values(started_at=start + timedelta(days=n)))
        session.commit()
    engine.dispose()
    _log_in(page, console)
    page.goto(f"{console.url}/consola/encuestas/{survey.id}")  # type: ignore[attr-defined]
    assert page.locator("#q-color td.count").all_inner_texts() == ["2", "2"]  # type: ignore[attr-defined]
    page.fill("input[name=desde]", "2026-05-11")  # type: ignore[attr-defined]
    page.fill("input[name=hasta]", "2026-05-13")  # type: ignore[attr-defined]
    page.select_option("select[name=por]", "color")  # type: ignore[attr-defined]
    page.click("button:has-text('Ver resultados')")  # type: ignore[attr-defined]
    assert "3 respuestas iniciadas" in page.inner_text("main")  # type: ignore[attr-defined]
    assert page.locator("#table-color td.count").all_inner_texts() == ["1", "2"]  # type: ignore[attr-defined]
    split = _chart(page, "split-color")  # grouped bars: each colour's count per group
    assert split["data"] == [[1, 0], [0, 2]] and split["painted"] > split["pixels"] // 50
    split = page.locator("#q-edad table.split")  # type: ignore[attr-defined]
    assert split.locator("thead th[scope=col]").all_inner_texts() == ["Rojo (1)", "Azul (2)"]
    assert split.locator("tbody td").all_inner_texts() == ["40", "70"]  # the mean age per colour
    assert page.input_value("input[name=desde]") == "2026-05-11"  # type: ignore[attr-defined]
    _shot(page, "survey_filtered", tmp_path)
    with page.expect_download() as downloading:  # type: ignore[attr-defined]
        page.click("a:has-text('Descargar CSV')")  # type: ignore[attr-defined]
    table = list(csv.DictReader(io.StringIO(Path(downloading.value.path()).read_text(encoding="utf-8-sig"))))
    assert sorted(row["¿Edad?"] for row in table) == ["40", "60", "80"]


def test_the_comparison_page_draws_each_dimension_prints_and_sends_the_approved_summary(
        page: object, console: Console, tmp_path: Path) -> None:
    engine = make_engine(console.database_url)
    with Session(engine, expire_on_commit=False) as session:
        _base, salida = make_rounds(session, console.world.ours)
    _log_in(page, console)
    page.click(f"a:has-text('{console.world.ours.name}')")  # type: ignore[attr-defined]
    page.click("a:has-text('Comparar la línea base con la línea de salida')")  # type: ignore[attr-defined]
    page.wait_for_selector("h1:has-text('¿Crecieron las capacidades del barrio?')")  # type: ignore[attr-defined]
    trust = _chart(page, "chart-dim-confianza_solidaridad")
    assert trust["data"][1] == [50, 75] and trust["painted"] > trust["pixels"] // 50  # base 50, salida 75 of 100
    points = page.locator("canvas#chart-dim-confianza_solidaridad").evaluate(  # type: ignore[attr-defined]
        "c => { const chart = Chart.getChart(c); const x = chart.scales.x;"
        " return chart.getDatasetMeta(1).data.map(p => Math.round(100 * (p.x - x.left) / (x.right - x.left))); }")
    assert points == [50, 75]  # where the points sit on the 0-100 axis
    assert page.locator("#q-confia td").nth(6).inner_text() == "Wilcoxon de rangos con signo"  # type: ignore[attr-defined]
    _shot(page, "comparison", tmp_path)

    page.emulate_media(media="print")  # type: ignore[attr-defined]
    assert not page.is_visible("header.top") and not page.is_visible("#resumen")  # type: ignore[attr-defined]
    assert page.is_visible("#dim-confianza_solidaridad canvas") and page.is_visible("#indices")  # type: ignore[attr-defined]
    page.emulate_media(media="screen")  # type: ignore[attr-defined]

    with page.expect_download() as downloading:  # type: ignore[attr-defined]
        page.click("a:has-text('Descargar CSV')")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(Path(downloading.value.path()).read_text(encoding="utf-8-sig"))))
    assert {row["name"] for row in rows} >= {"confia", "asamblea", "overall"}

    page.click("button:has-text('Aprobar y enviar a los vecinos')")  # type: ignore[attr-defined]
    assert "la línea de salida sigue abierta" in page.inner_text(".error")  # type: ignore[attr-defined]
    with Session(engine) as session:
        move(session, session.get(Survey, salida.id), SurveyStatus.CLOSED)  # type: ignore[arg-type]
    engine.dispose()
    page.goto(f"{console.url}/consola/barrios/{console.world.ours.id}/comparacion")  # type: ignore[attr-defined]
    page.click("button:has-text('Aprobar y enviar a los vecinos')")  # type: ignore[attr-defined]
    assert page.inner_text("#resumen .notice") == "Resumen enviado a 15 vecinos."  # type: ignore[attr-defined]


def test_a_ballot_is_created_and_cancelled_without_results(page: object, console: Console, tmp_path: Path) -> None:
    from api.ballots.models import Ballot
    from api.outbox.models import SENT, OutboxMessage

    engine = make_engine(console.database_url)
    with Session(engine, expire_on_commit=False) as session:
        vecina = make_member(session, console.world.ours, "70", locale="ht")
    p = page
    _log_in(p, console)
    p.goto(f"{console.url}/consola/barrios/{console.world.ours.id}")  # type: ignore[attr-defined]
    p.click("a:has-text('Nueva votación')")  # type: ignore[attr-defined]
    p.fill("input[name=title]", "Prioricemos la plaza")  # type: ignore[attr-defined]
    p.select_option("select[name=method]", "single")  # type: ignore[attr-defined]
    p.fill("input[name=opens_at]", "2030-03-02T09:00")  # type: ignore[attr-defined]
    p.fill("input[name=closes_at]", "2030-03-09T18:30")  # type: ignore[attr-defined]
    for row, (title, ambito, cost) in enumerate([("Juegos infantiles", "habitabilidad", "2.500.000"),
                                                 ("Huerto escolar", "huertos", "800000")]):
        p.locator("input[name=ini_title]").nth(row).fill(title)  # type: ignore[attr-defined]
        p.locator("select[name=ini_ambito]").nth(row).select_option(ambito)  # type: ignore[attr-defined]
        p.locator("input[name=ini_cost]").nth(row).fill(cost)  # type: ignore[attr-defined]
    p.click("button:has-text('Crear votación')")  # type: ignore[attr-defined]
    p.wait_for_url("**/consola/votaciones/*")  # type: ignore[attr-defined]
    header = p.inner_text("main p:nth-of-type(2)")  # type: ignore[attr-defined]
    assert header == "Estado: programada · abre 02-03-30, 09:00 · cierra 09-03-30, 18:30"  # the barrio's time, es-CL
    _shot(p, "ballot-new", tmp_path)

    with Session(engine, expire_on_commit=False) as session:  # it opens, and the vecina gets it
        ballot = session.exec(select(Ballot)).one()
        open_for_all(session, ballot)
        session.commit()
        for row in session.exec(select(OutboxMessage)).all():
            row.status = SENT
        session.commit()
    p.reload()  # type: ignore[attr-defined]
    assert "reciben un aviso en su idioma" in p.inner_text("#cambios")  # type: ignore[attr-defined]
    p.click("button:has-text('Cancelar la votación')")  # type: ignore[attr-defined]
    p.wait_for_selector("text=Votación cancelada el")  # type: ignore[attr-defined]
    assert "cancelada" in p.inner_text("main p:nth-of-type(2)")  # type: ignore[attr-defined]
    assert p.locator("#cambios").count() == 0  # type: ignore[attr-defined]
    with Session(engine) as session:
        kinds = {(row.kind, row.member_id): row.text for row in session.exec(select(OutboxMessage)).all()}
    engine.dispose()
    assert set(kinds) == {("ballot_open", vecina), ("ballot_cancelled", vecina)}  # and no results
    assert "anile" in kinds[("ballot_cancelled", vecina)]
