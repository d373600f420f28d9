"""The console's accountability log: what each staff user read or downloaded through the console, and when."""

import re

import httpx
from sqlmodel import Session, select

from api.barrios.models import Ejecutor
from api.staff.models import StaffUser
from api.staff.store import create_token
from tests.factories import TwoOrganisations, auth, make_member, make_rounds, make_staff, make_survey


def _rows(html: str) -> list[str]:
    """Each row of the log's table as its cells' text, joined by " | "."""
    rows = re.findall(r'<tr id="log-\d+">(.*?)</tr>', html, re.S)
    return [" | ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
                       for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1:]) for row in rows]


async def test_the_log_lists_who_read_or_downloaded_what_through_the_console(
        browser: httpx.AsyncClient, session: Session, world: TwoOrganisations) -> None:
    barrio = world.ours
    make_member(session, barrio, "log-1")
    survey = make_survey(session, barrio)
    base, salida = make_rounds(session, barrio)
    assert (await browser.get(f"/consola/barrios/{barrio.id}")).status_code == 200  # shows the member list
    assert (await browser.get(f"/consola/encuestas/{survey.id}/respuestas.csv")).status_code == 200
    assert (await browser.get(f"/consola/barrios/{barrio.id}/comparacion.xlsx")).status_code == 200
    assert (await browser.get("/consola/comparacion.csv")).status_code == 200
    ejecutor = session.get(Ejecutor, barrio.ejecutor_id)
    assert ejecutor is not None
    beto = make_staff(session, ejecutor, "beto@ong.cl", name="Beto Soto")
    _row, token = create_token(session, beto, "API")
    assert (await browser.get(f"/api/barrios/{barrio.id}/members", headers=auth(token))).status_code == 200

    page = await browser.get("/consola/registro")
    assert page.status_code == 200
    assert _rows(page.text) == [
        f"Beto Soto (API) | leyó la lista de miembros | {barrio.name} | members | 16",
        "Ana Pérez (consola) | descargó una exportación | todos los barrios | comparison.csv | —",
        f"Ana Pérez (consola) | descargó una exportación | {barrio.name} | comparison {base.id}-{salida.id}.xlsx | —",
        f"Ana Pérez (consola) | descargó una exportación | {barrio.name} | survey {survey.id} responses.csv | —",
        f"Ana Pérez (consola) | leyó la lista de miembros | {barrio.name} | members | 16",
    ]
    ana = session.exec(select(StaffUser).where(StaffUser.email == "ana@ong.cl")).one()
    only_beto = await browser.get("/consola/registro", params={"persona": beto.id})
    assert [row.split(" | ")[0] for row in _rows(only_beto.text)] == ["Beto Soto (API)"]
    assert f'<option value="{ana.id}">Ana Pérez</option>' in only_beto.text
    shown = (await browser.get("/api/data-log", headers=auth(token))).json()
    assert {(e["staff_name"], e["via"]) for e in shown} == {("Ana Pérez", "console"), ("Beto Soto", "api")}


async def test_another_organisations_log_is_not_shown(browser: httpx.AsyncClient, session: Session,
                                                      world: TwoOrganisations) -> None:
    other = session.get(Ejecutor, world.theirs.ejecutor_id)
    assert other is not None
    their_staff = session.exec(select(StaffUser).where(StaffUser.email == "otra@otra.cl")).one()
    _row, token = create_token(session, their_staff, "API")
    make_member(session, world.theirs, "theirs-1")
    assert (await browser.get(f"/api/barrios/{world.theirs.id}/members", headers=auth(token))).status_code == 200
    page = await browser.get("/consola/registro")
    assert _rows(page.text) == [] and "Todavía no hay nada en el registro." in page.text
    assert "Villa Ajena" not in (await browser.get("/consola/registro", params={"persona": their_staff.id})).text
