"""The console in-process: sessions and their cookie, CSRF, isolation between organisations, the pages' data."""

import io
import re

import httpx
import openpyxl
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.ballots.schedule import open_ballot
from api.barrios.models import Barrio, Member
from api.kernel.config import Settings
from api.kernel.types import utcnow
from api.staff.models import StaffUser
from api.staff.store import set_active
from api.surveys.models import Survey
from bot.main import build_app
from conversations.kernel.members import Role
from tests.factories import (
    SMALL,
    TwoOrganisations,
    chart_of,
    console_login,
    csrf_of,
    make_answers,
    make_ballot,
    make_convocatoria,
    make_member,
    make_survey,
    make_vote,
    to_xlsform,
    xlsform_workbook,
)


async def test_logging_in_sets_a_session_cookie_only_scripts_cannot_read(stranger: httpx.AsyncClient,
                                                                         world: TwoOrganisations) -> None:
    answer = await console_login(stranger)
    assert answer.status_code == 303 and answer.headers["location"] == "/consola"
    cookie = answer.headers["set-cookie"].lower()
    assert "al_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain HTTP here; over HTTPS it is Secure (next test)


async def test_over_https_the_cookie_is_secure(engine: Engine, settings: Settings, world: TwoOrganisations) -> None:
    transport = httpx.ASGITransport(app=build_app(settings, engine))
    async with httpx.AsyncClient(transport=transport, base_url="https://consola.example") as client:
        answer = await console_login(client)
    assert "secure" in answer.headers["set-cookie"].lower()


async def test_a_wrong_password_is_told_in_plain_spanish(stranger: httpx.AsyncClient,
                                                         world: TwoOrganisations) -> None:
    answer = await console_login(stranger, password="no es la clave")
    assert answer.status_code == 401
    assert "El correo o la contraseña no son correctos." in answer.text
    assert (await stranger.get("/consola")).status_code == 303


async def test_pages_send_strangers_to_the_login(stranger: httpx.AsyncClient, world: TwoOrganisations) -> None:
    for path in ("/consola", f"/consola/barrios/{world.ours.id}", "/consola/equipo"):
        answer = await stranger.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/consola/ingresar", path


async def test_the_login_form_needs_its_csrf_token(stranger: httpx.AsyncClient, world: TwoOrganisations) -> None:
    await stranger.get("/consola/ingresar")
    answer = await stranger.post("/consola/ingresar", data={"email": "ana@ong.cl", "password": "x" * 20})
    assert answer.status_code == 403 and "No pudimos aceptar este formulario" in answer.text


async def test_a_form_posted_without_its_csrf_token_changes_nothing(browser: httpx.AsyncClient, session: Session,
                                                                    world: TwoOrganisations) -> None:
    before = world.ours.join_code
    path = f"/consola/barrios/{world.ours.id}/codigos"
    refused = await browser.post(path, data={"which": "join"})
    forged = await browser.post(path, data={"which": "join", "csrf": "forged"})
    assert refused.status_code == forged.status_code == 403
    session.expire_all()
    assert session.get(Barrio, world.ours.id).join_code == before  # type: ignore[union-attr]
    page = await browser.get(f"/consola/barrios/{world.ours.id}")
    rotated = await browser.post(path, data={"which": "join", "csrf": csrf_of(page.text)})
    assert rotated.status_code == 303
    session.expire_all()
    assert session.get(Barrio, world.ours.id).join_code != before  # type: ignore[union-attr]


async def test_another_organisations_pages_and_downloads_are_not_found(browser: httpx.AsyncClient,
                                                                       session: Session,
                                                                       world: TwoOrganisations) -> None:
    survey = make_survey(session, world.theirs)
    ballot = make_ballot(session, world.theirs)
    theirs = world.theirs.id
    for path in (f"/consola/barrios/{theirs}", f"/consola/barrios/{theirs}/afiche",
                 f"/consola/encuestas/{survey.id}", f"/consola/encuestas/{survey.id}/respuestas.csv",
                 f"/consola/encuestas/{survey.id}/respuestas.xlsx", f"/consola/votaciones/{ballot.id}",
                 "/consola/barrios/99999"):
        answer = await browser.get(path)
        assert answer.status_code == 404, path
        assert "No encontramos esta página" in answer.text
    csrf = csrf_of((await browser.get("/consola")).text)
    closing = await browser.post(f"/consola/encuestas/{survey.id}/cerrar", data={"csrf": csrf})
    assert closing.status_code == 404
    session.expire_all()
    assert session.get(Survey, survey.id).status == "open"  # type: ignore[union-attr]


async def test_a_deactivated_users_session_stops_at_once(browser: httpx.AsyncClient, session: Session) -> None:
    assert (await browser.get("/consola")).status_code == 200
    user = session.exec(select(StaffUser).where(StaffUser.email == "ana@ong.cl")).one()
    set_active(session, user, False)
    assert (await browser.get("/consola")).status_code == 303


async def test_logging_out_ends_the_session(browser: httpx.AsyncClient) -> None:
    csrf = csrf_of((await browser.get("/consola")).text)
    cookie = browser.cookies.get("al_session")
    assert (await browser.post("/consola/salir", data={"csrf": csrf})).status_code == 303
    browser.cookies.set("al_session", cookie or "", domain="testserver.local", path="/consola")
    assert (await browser.get("/consola")).status_code == 303


async def test_the_overview_shows_each_barrio_at_a_glance(browser: httpx.AsyncClient, session: Session,
                                                          world: TwoOrganisations) -> None:
    motor = make_member(session, world.ours, "1", role=Role.MOTOR)
    make_member(session, world.ours, "2")
    make_survey(session, world.ours)
    make_convocatoria(session, motor, title="Asamblea de validación")
    page = (await browser.get("/consola")).text
    assert "Población La Esperanza" in page and "La Pintana" in page and "Villa Ajena" not in page
    figures = [int(n) for n in re.findall(r"<dd>(\d+)</dd>", page)]
    assert figures == [2, 1, 0]  # members, open surveys, open ballots
    assert "Asamblea de validación" in page


async def test_the_console_speaks_english_by_choice(browser: httpx.AsyncClient) -> None:
    answer = await browser.get("/consola/idioma?lang=en&next=/consola")
    assert answer.status_code == 303 and answer.headers["location"] == "/consola"
    page = (await browser.get("/consola")).text
    assert "Your barrios" in page and 'lang="en"' in page
    assert (await browser.get("/consola/idioma?lang=en&next=https://evil.example")).headers["location"] == "/consola"


async def test_uploading_an_xlsform_with_a_mistake_says_what_is_wrong(browser: httpx.AsyncClient,
                                                                      world: TwoOrganisations) -> None:
    page = await browser.get(f"/consola/barrios/{world.ours.id}")
    bad = to_xlsform(SMALL, extra_survey_rows=[{"type": "select_one nolist", "name": "q", "label": "¿Q?"}])
    answer = await browser.post(f"/consola/barrios/{world.ours.id}/encuestas", data={"csrf": csrf_of(page.text)},
                                files={"file": ("mala.xlsx", bad)})
    assert answer.status_code == 422
    assert "No pudimos cargar el formulario" in answer.text and "nolist" in answer.text


async def test_an_xlsform_is_loaded_with_its_csv_of_choices(browser: httpx.AsyncClient, session: Session,
                                                             world: TwoOrganisations) -> None:
    page = await browser.get(f"/consola/barrios/{world.ours.id}")
    assert 'name="media" accept=".csv" multiple' in page.text
    form = xlsform_workbook({"survey": [{"type": "select_one_from_file comunas.csv", "name": "comuna",
                                         "label": "¿Comuna?"}]})
    missing = await browser.post(f"/consola/barrios/{world.ours.id}/encuestas", data={"csrf": csrf_of(page.text)},
                                 files=[("file", ("f.xlsx", form)), ("media", ("", b""))])  # no CSV chosen
    assert missing.status_code == 422 and "«comunas.csv»: súbalo junto al formulario" in missing.text
    loaded = await browser.post(f"/consola/barrios/{world.ours.id}/encuestas", data={"csrf": csrf_of(page.text)},
                                files=[("file", ("f.xlsx", form)),
                                       ("media", ("comunas.csv", b"name;label\nlp;La Pintana\n"))])
    assert loaded.status_code == 303
    survey = session.exec(select(Survey).where(Survey.barrio_id == world.ours.id)).one()
    assert survey.definition["questions"][0]["choices"] == [{"name": "lp", "label": {"es": "La Pintana"}}]


async def test_a_survey_is_loaded_opened_and_its_results_charted(browser: httpx.AsyncClient, session: Session,
                                                                 world: TwoOrganisations) -> None:
    page = await browser.get(f"/consola/barrios/{world.ours.id}")
    loaded = await browser.post(f"/consola/barrios/{world.ours.id}/encuestas", data={"csrf": csrf_of(page.text)},
                                files={"file": ("corta.xlsx", to_xlsform(SMALL))})
    assert loaded.status_code == 303
    survey_page = loaded.headers["location"]
    opened = await browser.post(f"{survey_page}/abrir", data={"csrf": csrf_of(page.text)})
    assert opened.status_code == 303
    survey = session.exec(select(Survey).where(Survey.barrio_id == world.ours.id)).one()
    for n, color in enumerate(["rojo", "rojo", "azul"]):
        make_answers(session, survey, make_member(session, world.ours, str(n)), {"color": color})
    shown = (await browser.get(survey_page)).text
    assert "abierta" in shown and "3 respuestas iniciadas" in shown
    chart = chart_of(shown, "chart-color")  # the bars' data, beside their canvas
    assert chart["labels"] == ["Rojo", "Azul"] and chart["format"] == "count"
    assert chart["series"][0]["values"] == [2, 1] and chart["series"][0]["shares"] == [66.7, 33.3]
    assert '<td>Rojo</td><td class="count">2</td><td>66,7</td>' in shown  # the table beside it, es-CL numbers
    assert '<td>Rojo</td><td class="count">2</td>' in shown  # and the table beside them
    csv = await browser.get(f"{survey_page}/respuestas.csv")
    header, *lines = (line.split(",") for line in csv.text.lstrip("\ufeff").splitlines())
    colour = header.index("¿Color?")  # after the start metadata the chat records
    assert sorted(line[colour] for line in lines) == ["Azul", "Rojo", "Rojo"]
    book = openpyxl.load_workbook(io.BytesIO((await browser.get(f"{survey_page}/respuestas.xlsx")).content))
    info = {row[0]: row[1] for row in book["info"].iter_rows(values_only=True)}
    assert info["Exportado por"].startswith("Ana Pérez (") and info["Encuesta"] == "Consulta corta"
    assert [row[colour] for row in book["respuestas"].iter_rows(min_row=2, values_only=True)] == ["Rojo", "Rojo",
                                                                                                  "Azul"]


async def test_members_are_promoted_to_the_grupo_motor(browser: httpx.AsyncClient, session: Session,
                                                       world: TwoOrganisations) -> None:
    member = make_member(session, world.ours)
    page = await browser.get(f"/consola/barrios/{world.ours.id}")
    assert member in page.text and "Pasar al grupo motor" in page.text
    await browser.post(f"/consola/barrios/{world.ours.id}/miembros/{member}",
                       data={"csrf": csrf_of(page.text), "role": "motor"})
    session.expire_all()
    assert session.get(Member, member).role == "motor"  # type: ignore[union-attr]


async def test_the_ballot_page_charts_the_votes(browser: httpx.AsyncClient, session: Session,
                                                world: TwoOrganisations) -> None:
    ballot = make_ballot(session, world.ours)
    open_ballot(session, ballot, utcnow())
    session.commit()
    for n, choice in enumerate([(0, 1), (0,)]):
        make_vote(session, ballot, make_member(session, world.ours, str(n)), choice)
    page = (await browser.get(f"/consola/votaciones/{ballot.id}")).text
    chart = chart_of(page, "chart-ballot")
    bars = chart["series"][0]
    assert dict(zip(chart["labels"], bars["values"], strict=True)) == {"Huerto comunitario": 2, "Luminarias": 1,
                                                                          "Plaza": 0}
    assert bars["highlight"] == [True, True, False]  # Huerto and Luminarias fit the budget, the Plaza does not
    assert chart["budget"]["value"] == 3_000_000  # the budget line, against the selected iniciativas' cost added up
    assert chart["line"]["values"] == [1_200_000, 2_700_000, 2_700_000]
    assert "$3.000.000" in page.replace("\xa0", "")  # the budget, in CLP


async def test_the_poster_carries_a_qr_code_and_instructions_in_three_languages(browser: httpx.AsyncClient,
                                                                                world: TwoOrganisations) -> None:
    page = (await browser.get(f"/consola/barrios/{world.ours.id}/afiche")).text
    assert "<svg" in page and f"https://t.me/TestBot?start={world.ours.join_code}" in page
    assert "Español" in page and "Kreyòl ayisyen" in page and "English" in page


async def test_colleagues_are_added_and_tokens_shown_once(browser: httpx.AsyncClient, session: Session) -> None:
    page = await browser.get("/consola/equipo")
    short = await browser.post("/consola/equipo", data={"csrf": csrf_of(page.text), "name": "Luis",
                                                        "email": "luis@ong.cl", "password": "corta"})
    assert short.status_code == 422 and "al menos 12" in short.text
    added = await browser.post("/consola/equipo", data={"csrf": csrf_of(page.text), "name": "Luis",
                                                        "email": "luis@ong.cl", "password": "suficientemente larga"})
    assert added.status_code == 303 and "luis@ong.cl" in (await browser.get("/consola/equipo")).text
    created = await browser.post("/consola/tokens", data={"csrf": csrf_of(page.text), "label": "planilla"})
    token = re.search(r"<code>(al_[^<]+)</code>", created.text)
    assert token is not None
    api = await browser.get("/api/barrios", headers={"Authorization": f"Bearer {token.group(1)}"})
    assert api.status_code == 200 and len(api.json()) == 1
    listed = (await browser.get("/consola/equipo")).text
    assert "planilla" in listed and token.group(1) not in listed
