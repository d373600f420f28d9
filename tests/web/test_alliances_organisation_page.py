"""The organisation's alliances report in the console: every barrio's resources mobilised beyond FOSIS's,
together and one by one, by source type and ámbito, with its CSV and Excel; another organisation's
contributions never count, and the page is reached from the console's navigation."""

import csv
import io
from datetime import date

import httpx
from openpyxl import load_workbook
from sqlmodel import Session

from api.barrios.models import Barrio, Ejecutor
from api.programme.alliance_models import ActorIn, ActorKind, ContributionIn, ContributionKind
from api.programme.alliances import add_actor, add_contribution, link_actor
from api.programme.pdl import add_iniciativa
from api.programme.pdl_models import IniciativaFields
from tests.factories import TwoOrganisations, chart_of, make_barrio


def _give(session: Session, barrio: Barrio, kind: ActorKind, amount: int, ambito: str | None) -> None:
    """An actor of the barrio's organisation gives `amount` to a new iniciativa in `ambito` (or to the barrio)."""
    ejecutor = session.get(Ejecutor, barrio.ejecutor_id)
    assert ejecutor is not None
    actor = add_actor(session, ejecutor, ActorIn(name=f"Actor {kind} {amount}", kind=kind))
    link_actor(session, actor, barrio, linked=True)
    iniciativa = None if ambito is None else add_iniciativa(session, barrio, IniciativaFields(
        title=f"Iniciativa {ambito}", ambito=ambito, fosis_amount=1_000_000))
    add_contribution(session, barrio, ContributionIn(
        actor_id=actor.id or 0, iniciativa_id=iniciativa and iniciativa.id, kind=ContributionKind.MONEY,
        amount=amount, on=date(2026, 12, 1)))


async def test_the_organisations_report_adds_its_barrios_and_shows_each(browser: httpx.AsyncClient,
                                                                       session: Session,
                                                                       world: TwoOrganisations) -> None:
    ejecutor = session.get(Ejecutor, world.ours.ejecutor_id)
    assert ejecutor is not None
    second = make_barrio(session, ejecutor, "Villa El Sol")
    _give(session, world.ours, ActorKind.MUNICIPIO, 300_000, "huertos")
    _give(session, second, ActorKind.EMPRESA, 200_000, "bienestar")
    _give(session, second, ActorKind.FUNDACION, 50_000, None)
    _give(session, world.theirs, ActorKind.EMPRESA, 9_000_000, "huertos")  # another organisation's: never counted

    assert 'href="/consola/alianzas"' in (await browser.get("/consola")).text  # in the navigation
    page = await browser.get("/consola/alianzas")
    assert page.status_code == 200
    html = page.text
    total = html[html.index('id="organizacion"'):html.index('id="barrios"')]
    assert '<dd class="mobilised">$550.000</dd>' in total and '<dd class="fosis">$2.000.000</dd>' in total
    assert '<td>municipio</td><td class="count">$300.000</td>' in total
    assert "Huertos" in total and "Bienestar comunitario" in total and "sin iniciativa" in total
    by_kind = chart_of(total, "chart-todos-actor-kind")  # drawn beside its table, in pesos
    assert by_kind["format"] == "money" and 'aria-details="table-todos-actor-kind"' in total
    assert dict(zip(by_kind["labels"], by_kind["series"][0]["values"], strict=True)) == {
        "municipio": 300_000, "empresa": 200_000, "fundación": 50_000}
    assert chart_of(html, f"chart-barrio-{second.id}-ambito")["series"][0]["values"] == [200_000, 50_000]
    assert "9.000.000" not in html and "Villa Ajena" not in html
    row = html[html.index(f'id="barrio-{second.id}"'):]
    row = row[:row.index("</tr>")]
    assert f'href="/consola/barrios/{second.id}/alianzas"' in row and "$250.000" in row

    rows = list(csv.DictReader(io.StringIO((await browser.get("/consola/alianzas.csv")).content.decode("utf-8-sig"))))
    amounts = {(r["barrio"], r["section"], r["key"]): int(r["amount_clp"]) for r in rows}
    assert amounts[("all", "total", "mobilised")] == 550_000
    assert amounts[("all", "actor_kind", "empresa")] == 200_000 and amounts[("all", "ambito", "huertos")] == 300_000
    assert amounts[("Villa El Sol", "ambito", "sin_iniciativa")] == 50_000
    assert not any(barrio == "Villa Ajena" for barrio, _, _ in amounts)
    workbook = load_workbook(io.BytesIO((await browser.get("/consola/alianzas.xlsx")).content))
    sheet = workbook.active
    assert sheet is not None and [c.value for c in sheet[1]] == ["barrio_id", "barrio", "section", "key", "amount_clp"]

    await browser.get("/consola/idioma?lang=en&next=/consola/alianzas")
    english = (await browser.get("/consola/alianzas")).text
    assert "By barrio" in english and "Community gardens" in english


async def test_strangers_are_sent_to_the_login(stranger: httpx.AsyncClient) -> None:
    for path in ("/consola/alianzas", "/consola/alianzas.csv", "/consola/alianzas.xlsx"):
        response = await stranger.get(path)
        assert response.status_code == 303 and "/consola/ingresar" in response.headers["location"], path
