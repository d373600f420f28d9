"""A ballot over the PDL's proposed iniciativas, created from the console's PDL page at the barrio's local
times: it links them (its close prioritises the chosen ones); bad times or too few iniciativas say why."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import Session, select

from api.ballots.models import Ballot
from api.programme.pdl import add_iniciativa
from api.programme.pdl_models import IniciativaFields, PdlIniciativa
from api.programme.timeline import start_programme
from tests.factories import TwoOrganisations, csrf_of


async def _create(browser: httpx.AsyncClient, barrio_id: int, data: dict[str, str | list[str]]) -> httpx.Response:
    page = f"/consola/barrios/{barrio_id}/pdl"
    csrf = csrf_of((await browser.get(page)).text)
    return await browser.post(f"{page}/votacion", data={"csrf": csrf, **data})


async def test_a_ballot_of_the_proposed_iniciativas_at_the_barrios_local_times(browser: httpx.AsyncClient,
                                                                              session: Session,
                                                                              world: TwoOrganisations) -> None:
    barrio = world.ours
    start_programme(session, barrio, date(2026, 9, 1))
    huerto, plaza, cancha = (add_iniciativa(session, barrio, IniciativaFields(title=title, ambito=ambito, cost=cost))
                             for title, ambito, cost in (("Huerto", "huertos", 500_000),
                                                         ("Plaza", "habitabilidad", 900_000),
                                                         ("Cancha", "bienestar", 700_000)))
    html = (await browser.get(f"/consola/barrios/{barrio.id}/pdl")).text
    form = html[html.index('id="votacion"'):html.index('id="problemas"')]
    assert form.count('name="iniciativas"') == 3
    opens = (datetime.now(ZoneInfo(barrio.timezone)) + timedelta(days=1)).replace(hour=10, minute=0, second=0,
                                                                                   microsecond=0)
    closes = opens + timedelta(days=7)
    created = await _create(browser, barrio.id or 0, {
        "title": "Prioricemos", "method": "approval", "max_choices": "1", "iniciativas": [str(huerto.id),
                                                                                         str(plaza.id)],
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"), "closes_at": closes.strftime("%Y-%m-%dT%H:%M")})
    assert created.status_code == 303
    ballot = session.exec(select(Ballot)).one()
    assert created.headers["location"] == f"/consola/votaciones/{ballot.id}"
    assert ballot.opens_at == opens and ballot.closes_at == closes  # 10:00 in Santiago, whatever the server's zone
    session.expire_all()
    linked = {row.title: row.ballot_id for row in session.exec(select(PdlIniciativa)).all()}
    assert linked == {"Huerto": ballot.id, "Plaza": ballot.id, "Cancha": None}
    html = (await browser.get(f"/consola/barrios/{barrio.id}/pdl")).text
    assert "Hacen falta al menos dos iniciativas propuestas" in html  # only the cancha is left to put to a vote
    assert cancha.id is not None


async def test_wrong_times_or_too_few_iniciativas_say_why_and_keep_nothing(browser: httpx.AsyncClient,
                                                                          session: Session,
                                                                          world: TwoOrganisations) -> None:
    barrio = world.ours
    rows = [add_iniciativa(session, barrio, IniciativaFields(title=t, ambito="huertos")) for t in ("A1", "B2")]
    both = [str(r.id) for r in rows]
    past = await _create(browser, barrio.id or 0, {"title": "Votemos", "method": "approval", "iniciativas": both,
                                                   "opens_at": "2020-01-01T10:00", "closes_at": "2020-01-02T10:00"})
    assert past.status_code == 422 and "debe ser una fecha futura" in past.text
    garbled = await _create(browser, barrio.id or 0, {"title": "Votemos", "method": "approval", "iniciativas": both,
                                                      "opens_at": "mañana", "closes_at": "2030-01-02T10:00"})
    assert garbled.status_code == 422 and "opens_at" in garbled.text
    one = await _create(browser, barrio.id or 0, {"title": "Votemos", "method": "approval", "iniciativas": both[:1],
                                                  "opens_at": "2030-01-01T10:00", "closes_at": "2030-01-02T10:00"})
    assert one.status_code == 422 and "ballot:" in one.text
    theirs = add_iniciativa(session, world.theirs, IniciativaFields(title="Ajena", ambito="huertos"))
    foreign = await _create(browser, barrio.id or 0, {
        "title": "Votemos", "method": "approval", "iniciativas": [both[0], str(theirs.id)],
        "opens_at": "2030-01-01T10:00", "closes_at": "2030-01-02T10:00"})
    assert foreign.status_code == 422
    csrf = csrf_of((await browser.get(f"/consola/barrios/{barrio.id}/pdl")).text)
    their_page = await browser.post(f"/consola/barrios/{world.theirs.id}/pdl/votacion", data={"csrf": csrf})
    assert their_page.status_code == 404
    assert session.exec(select(Ballot)).all() == []
