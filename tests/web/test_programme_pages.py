"""The programme's console pages in-process: the timeline chart with today marked and its edits, the
checklist, the PDL (created and edited, the grupo motor's hitos approved), the printable plan, alliances
in CLP, the downloads; another organisation's are 404 and a form without its CSRF token changes nothing."""

import csv
import io
import re
from datetime import date

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.ballots.schedule import close_ballot
from api.kernel.types import utcnow
from api.outbox.models import OutboxMessage
from api.programme.alliance_models import Actor, Acuerdo, Contribution, Mesa
from api.programme.evidence import tick_by_evidence
from api.programme.followers import set_following
from api.programme.pdl import add_iniciativa, report_hito
from api.programme.pdl_models import IniciativaFields, PdlHito, PdlIniciativa, PdlProblem
from api.programme.timeline import barrio_today, start_programme
from conversations.programme.phases import add_months
from tests.factories import TwoOrganisations, csrf_of, make_ballot, make_member, make_programme


async def _post(browser: httpx.AsyncClient, page: str, action: str, data: dict[str, str | list[str]]) -> httpx.Response:
    """Post a form of `page` as the browser would, with the page's CSRF token."""
    csrf = csrf_of((await browser.get(page)).text)
    return await browser.post(action, data={"csrf": csrf, **data})


def _bars(html: str) -> dict[str, tuple[float, float]]:
    return {phase: (float(x), float(x) + float(width)) for phase, x, width in re.findall(
        r'data-phase="(\w+)">.*?<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', html, flags=re.S)}


async def test_the_programme_starts_from_its_page_and_the_chart_marks_today(browser: httpx.AsyncClient,
                                                                            world: TwoOrganisations) -> None:
    page = f"/consola/barrios/{world.ours.id}/programa"
    assert "Iniciar el programa" in (await browser.get(page)).text
    today = barrio_today(world.ours)
    started = await _post(browser, page, page, {"starts_on": add_months(today, -4).isoformat()})
    assert started.status_code == 303 and started.headers["location"] == f"{page}#linea"
    html = (await browser.get(page)).text
    bars = _bars(html)
    assert list(bars) == ["fase_1", "fase_2", "fase_3", "fase_5", "fase_4"]  # by start date
    today_x = float(re.search(r'class="today" data-x="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    assert bars["fase_2"][0] < today_x < bars["fase_2"][1]  # four months in: Fase II runs, Fase III not yet
    assert not bars["fase_1"][0] < today_x < bars["fase_1"][1] and today_x < bars["fase_3"][0]
    assert 'class="phase active" data-phase="fase_2"' in html and 'class="phase done" data-phase="fase_1"' in html
    assert f"Hoy {today.strftime('%d-%m-%Y')}" in html


async def test_phase_dates_are_edited_and_wrong_ones_say_why(browser: httpx.AsyncClient, session: Session,
                                                             world: TwoOrganisations) -> None:
    start_programme(session, world.ours, date(2026, 9, 1))
    page = f"/consola/barrios/{world.ours.id}/programa"
    saved = await _post(browser, page, f"{page}/fases/fase_3", {"starts_on": "2027-03-01", "ends_on": "2027-09-15"})
    assert saved.status_code == 303
    html = (await browser.get(page)).text
    assert 'value="2027-09-15"' in html and "(editada)" in html
    wrong = await _post(browser, page, f"{page}/fases/fase_3", {"starts_on": "2027-09-01", "ends_on": "2027-03-01"})
    assert wrong.status_code == 422 and "Hasta: debe ser después del inicio." in wrong.text
    assert (await _post(browser, page, f"{page}/fases/fase_9", {"starts_on": "2027-01-01",
                                                                "ends_on": "2027-02-01"})).status_code == 404
    validated = await _post(browser, page, f"{page}/validacion", {"validated_on": "2027-01-10"})
    assert validated.status_code == 303
    assert 'value="2027-01-10"' in (await browser.get(page)).text


async def test_activities_are_ticked_with_who_and_a_note_then_unticked(browser: httpx.AsyncClient, session: Session,
                                                                      world: TwoOrganisations) -> None:
    start_programme(session, world.ours, date(2026, 9, 1))
    page = f"/consola/barrios/{world.ours.id}/programa"
    action = f"{page}/actividades/insercion_territorial"
    ticked = await _post(browser, page, action, {"done": "true", "note": "Recorrido con la junta de vecinos"})
    assert ticked.headers["location"] == f"{page}#a-insercion_territorial"
    row = re.search(r'<tr id="a-insercion_territorial" class="done">.*?</tr>', (await browser.get(page)).text,
                    flags=re.S)
    assert row is not None and "hecha por Ana Pérez" in row.group(0) and "Recorrido con la junta" in row.group(0)
    assert (await _post(browser, page, action, {"done": "false"})).status_code == 303
    assert '<tr id="a-insercion_territorial" class="pending">' in (await browser.get(page)).text
    assert (await _post(browser, page, f"{page}/actividades/inventada", {"done": "true"})).status_code == 404
    report = await browser.get(f"{page}/informe.csv")
    rows = list(csv.DictReader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert report.status_code == 200 and len(rows) == 17 and rows[0]["activity"] == "insercion_territorial"
    assert (await browser.get(f"{page}/informe.xlsx")).content[:2] == b"PK"


async def test_evidence_ticks_show_what_proved_them_and_the_page_speaks_english(
        browser: httpx.AsyncClient, engine: Engine, session: Session, world: TwoOrganisations) -> None:
    start_programme(session, world.ours, date(2026, 9, 1))
    ballot = make_ballot(session, world.ours)
    close_ballot(session, ballot, utcnow())
    session.commit()
    with engine.begin() as connection:
        tick_by_evidence(connection, utcnow())
    page = f"/consola/barrios/{world.ours.id}/programa"
    row = re.search(r'<tr id="a-determinacion_iniciativas" class="done">.*?</tr>', (await browser.get(page)).text,
                    flags=re.S)
    assert row is not None and "hecha por el sistema" in row.group(0)
    assert f'<a href="/consola/votaciones/{ballot.id}">evidencia: votación</a>' in row.group(0)
    await browser.get(f"/consola/idioma?lang=en&next={page}")
    english = (await browser.get(page)).text
    assert "Timeline" in english and "done by the system" in english and "Phase II" in english


async def test_the_pdl_is_written_and_an_iniciativa_followed_from_the_console(browser: httpx.AsyncClient,
                                                                              session: Session,
                                                                              world: TwoOrganisations) -> None:
    start_programme(session, world.ours, date(2026, 9, 1))
    follower, bystander = make_member(session, world.ours, "1"), make_member(session, world.ours, "2")
    page = f"/consola/barrios/{world.ours.id}/pdl"
    problem = await _post(browser, page, f"{page}/problemas", {
        "dimension": "fisica", "title": "Pasajes oscuros", "objective": "Recuperar los espacios públicos"})
    assert problem.status_code == 303
    problem_id = session.exec(select(PdlProblem.id)).one()
    created = await _post(browser, page, f"{page}/iniciativas", {
        "title": "Luminarias", "ambito": "habitabilidad", "cost": "1500000", "fosis_amount": "1200000",
        "responsible": "grupo motor", "problem_id": str(problem_id), "urgencia": "true", "title_ht": ""})
    assert created.status_code == 303
    row = session.exec(select(PdlIniciativa)).one()
    assert created.headers["location"] == f"/consola/iniciativas/{row.id}"
    assert (row.urgencia, row.title_ht, row.problem_id) == (True, None, problem_id)
    set_following(session, row.id or 0, follower, True)
    session.commit()
    url = f"/consola/iniciativas/{row.id}"
    html = (await browser.get(url)).text
    assert "$1.500.000" in html and "$1.200.000" in html  # es-CL pesos

    edited = await _post(browser, url, url, {"title": "Luminarias solares", "progress": "40", "cost": "1500000",
                                             "fosis_amount": "1300000", "responsible": "grupo motor",
                                             "title_en": "Solar lights", "description": "Ocho postes"})
    assert edited.status_code == 303
    too_much = await _post(browser, url, url, {"title": "Luminarias", "progress": "140"})
    assert too_much.status_code == 422 and "Avance (%): debe ser 100 o menos." in too_much.text
    moved = await _post(browser, url, f"{url}/estado", {"status": "priorizada"})
    assert moved.status_code == 303
    skipped = await _post(browser, url, f"{url}/estado", {"status": "terminada"})
    assert skipped.status_code == 409 and "solo puede pasar a: aprobada, descartada." in skipped.text
    hito = await _post(browser, url, f"{url}/hitos", {"on": "2026-12-02", "text": "Llegaron los postes"})
    assert hito.status_code == 303
    html = (await browser.get(url)).text
    assert "Luminarias solares" in html and "40" in html and "Priorizada por el barrio" in html
    assert "02-12-2026: Llegaron los postes" in html and "Pasar a «Aprobada»" in html
    session.expire_all()
    told = {(m.kind, m.member_id) for m in session.exec(select(OutboxMessage)).all()}
    assert told == {("iniciativa_status", follower), ("hito", follower)}  # the follower only
    assert bystander not in {member for _kind, member in told}
    listed = (await browser.get(page)).text
    assert "Luminarias solares" in listed and "urgencia" in listed and "40%" in listed
    table = list(csv.DictReader(io.StringIO((await browser.get(f"{page.replace('/pdl', '')}/pdl.csv")).content
                                            .decode("utf-8-sig"))))
    assert [(r["title"], r["status"], r["progress"], r["latest_hito"]) for r in table] == [
        ("Luminarias solares", "priorizada", "40", "2026-12-02: Llegaron los postes")]


async def test_the_grupo_motors_hitos_are_approved_or_left_out_in_the_console(browser: httpx.AsyncClient,
                                                                              session: Session,
                                                                              world: TwoOrganisations) -> None:
    start_programme(session, world.ours, date(2026, 9, 1))
    huerto = add_iniciativa(session, world.ours, IniciativaFields(title="Huerto", ambito="huertos",
                                                                  responsible="grupo motor"))
    follower = make_member(session, world.ours, "1", locale="ht")
    set_following(session, huerto.id or 0, follower, True)
    make_member(session, world.ours, "2")
    for text in ("Llegaron las semillas", "Texto equivocado"):
        report_hito(session, huerto, text, date(2026, 12, 1))
    page = f"/consola/barrios/{world.ours.id}/pdl"
    html = (await browser.get(page)).text
    assert "Llegaron las semillas" in html and "Aprobar y enviar a sus seguidores" in html
    first, second = session.exec(select(PdlHito.id).order_by(PdlHito.id)).all()  # type: ignore[arg-type]
    assert (await _post(browser, page, f"/consola/hitos/{first}/aprobar", {})).status_code == 303
    assert (await _post(browser, page, f"/consola/hitos/{second}/descartar", {})).status_code == 303
    assert (await _post(browser, page, f"/consola/hitos/{first}/aprobar", {})).status_code == 409
    session.expire_all()
    sent = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "hito")).all()
    assert [(m.member_id, m.text.startswith("Nouvèl sou «Huerto»")) for m in sent] == [(follower, True)]
    assert [h.text for h in session.exec(select(PdlHito)).all()] == ["Llegaron las semillas"]
    setting = await _post(browser, page, f"{page}/aprobacion", {"required": "false"})
    assert setting.status_code == 303 and "llegan de inmediato" in (await browser.get(page)).text


async def test_the_printable_pdl_shows_iniciativas_by_ambito_for_the_community(browser: httpx.AsyncClient,
                                                                               session: Session,
                                                                               world: TwoOrganisations) -> None:
    make_programme(session, world.ours)  # a huerto with a hito the grupo motor reported, not approved
    add_iniciativa(session, world.ours, IniciativaFields(title="Luminarias", ambito="habitabilidad", progress=60,
                                                         cost=1_500_000, urgencia=True))
    html = (await browser.get(f"/consola/barrios/{world.ours.id}/pdl/imprimir")).text
    assert "Plan de Desarrollo Local" in html and world.ours.name in html
    sections = re.findall(r'<section class="ambito" id="ambito-(\w+)">\s*<h3>([^<]+)</h3>', html)
    assert sections == [("habitabilidad", "Habitabilidad comunitaria"), ("huertos", "Huertos")]
    assert "iniciativa de urgencia" in html and "avance 60%" in html and "$1.500.000" in html
    assert "Propuesta" in html and 'style="width: 60%"' in html
    assert "Llegaron las semillas" not in html  # waiting for approval: not for the community yet
    css = (await browser.get("/consola/static/console.css")).text
    assert "@page { size: A4" in css and ".plan" in css


async def test_alliances_actors_mesas_acuerdos_and_contributions_in_pesos(browser: httpx.AsyncClient,
                                                                         session: Session,
                                                                         world: TwoOrganisations) -> None:
    huerto = add_iniciativa(session, world.ours, IniciativaFields(title="Huerto", ambito="huertos",
                                                                  fosis_amount=900_000))
    page = f"/consola/barrios/{world.ours.id}/alianzas"
    for name, kind in (("Municipalidad", "municipio"), ("Ferretería El Roble", "empresa")):
        added = await _post(browser, page, f"{page}/actores", {"name": name, "kind": kind, "contact_name": "Rosa"})
        assert added.status_code == 303
    municipio, ferreteria = session.exec(select(Actor.id).order_by(Actor.id)).all()  # type: ignore[arg-type]
    mesa = await _post(browser, page, f"{page}/mesas", {"held_on": "2026-12-01", "title": "Mesa del PDL",
                                                        "actors": [str(municipio), str(ferreteria)]})
    assert mesa.status_code == 303
    mesa_id = session.exec(select(Mesa.id)).one()
    acuerdo = await _post(browser, page, f"/consola/mesas/{mesa_id}/acuerdos", {
        "text": "Retiro de microbasurales", "actor_id": str(municipio), "due_on": "2027-01-15"})
    assert acuerdo.status_code == 303
    acuerdo_id = session.exec(select(Acuerdo.id)).one()
    assert (await _post(browser, page, f"/consola/acuerdos/{acuerdo_id}", {"done": "true"})).status_code == 303
    for actor, kind, amount, iniciativa in ((ferreteria, "in_kind", "350000", str(huerto.id)),
                                            (municipio, "money", "1250000", "")):
        given = await _post(browser, page, f"{page}/aportes", {"actor_id": str(actor), "kind": kind, "amount": amount,
                                                               "on": "2026-12-05", "iniciativa_id": iniciativa})
        assert given.status_code == 303
    negative = await _post(browser, page, f"{page}/aportes", {"actor_id": str(municipio), "kind": "money",
                                                              "amount": "-5", "on": "2026-12-05"})
    assert negative.status_code == 422 and "amount" in negative.text
    html = (await browser.get(page)).text
    assert '<dd class="mobilised">$1.600.000</dd>' in html and '<dd class="fosis">$900.000</dd>' in html
    assert "1 / 1" in html and "Marcar pendiente" in html and "Presentes:" in html
    assert "$350.000" in html and "sin iniciativa" in html
    session.expire_all()
    assert sum(c.amount for c in session.exec(select(Contribution)).all()) == 1_600_000
    totals = {(r["section"], r["key"]): r["amount_clp"] for r in csv.DictReader(io.StringIO(
        (await browser.get(f"/consola/barrios/{world.ours.id}/alianzas.csv")).content.decode("utf-8-sig")))}
    assert totals[("total", "mobilised")] == "1600000" and totals[("actor_kind", "empresa")] == "350000"
    assert (await browser.get(f"/consola/barrios/{world.ours.id}/alianzas.xlsx")).content[:2] == b"PK"
    unlinked = await _post(browser, page, f"{page}/actores/{ferreteria}", {"linked": "false"})
    assert unlinked.status_code == 303
    assert session.get(Acuerdo, acuerdo_id).done  # type: ignore[union-attr]


async def test_another_organisations_programme_pages_are_not_found(browser: httpx.AsyncClient, session: Session,
                                                                   world: TwoOrganisations) -> None:
    theirs = make_programme(session, world.theirs)
    hito = session.exec(select(PdlHito.id)).one()
    base = f"/consola/barrios/{world.theirs.id}"
    for path in (f"{base}/programa", f"{base}/pdl", f"{base}/pdl/imprimir", f"{base}/alianzas", f"{base}/pdl.csv",
                 f"{base}/alianzas.csv", f"{base}/programa/informe.csv",
                 f"/consola/iniciativas/{theirs['iniciativa_id']}"):
        assert (await browser.get(path)).status_code == 404, path
    ours = f"/consola/barrios/{world.ours.id}/alianzas"
    for action, data in ((f"/consola/hitos/{hito}/aprobar", {}),
                         (f"/consola/iniciativas/{theirs['iniciativa_id']}/estado", {"status": "priorizada"}),
                         (f"/consola/acuerdos/{theirs['acuerdo_id']}", {"done": "true"}),
                         (f"{ours}/actores/{theirs['actor_id']}", {"linked": "true"})):
        assert (await _post(browser, ours, action, data)).status_code == 404, action
    their_actor = await _post(browser, ours, f"{ours}/aportes", {  # named in the form: 404 too, nothing kept
        "actor_id": str(theirs["actor_id"]), "kind": "money", "amount": "1000", "on": "2026-12-05"})
    assert their_actor.status_code == 404
    session.expire_all()
    assert session.get(PdlHito, hito).pending and session.exec(select(Contribution)).all() == []  # type: ignore[union-attr]


async def test_forms_without_their_csrf_token_change_nothing(browser: httpx.AsyncClient, session: Session,
                                                             world: TwoOrganisations) -> None:
    ids = make_programme(session, world.ours)
    base = f"/consola/barrios/{world.ours.id}"
    for action, data in ((f"{base}/programa/actividades/insercion_territorial", {"done": "true"}),
                         (f"{base}/pdl/iniciativas", {"title": "Cancha", "ambito": "bienestar"}),
                         (f"/consola/iniciativas/{ids['iniciativa_id']}/estado", {"status": "priorizada"}),
                         (f"/consola/hitos/{ids['hito_id']}/aprobar", {})):
        assert (await browser.post(action, data=data)).status_code == 403, action
    session.expire_all()
    assert len(session.exec(select(PdlIniciativa)).all()) == 1
    assert session.get(PdlIniciativa, ids["iniciativa_id"]).status == "propuesta"  # type: ignore[union-attr]
    assert session.exec(select(OutboxMessage)).all() == []


async def test_a_form_to_another_organisations_barrio_is_refused_for_its_csrf_token_first(
        browser: httpx.AsyncClient, world: TwoOrganisations) -> None:
    theirs = f"/consola/barrios/{world.theirs.id}"
    for action, data in ((f"{theirs}/pdl/problemas", {"dimension": "social", "title": "Basura"}),
                         (f"{theirs}/programa", {"starts_on": "2026-09-01"}),
                         (f"{theirs}/alianzas/mesas", {"held_on": "2026-12-01", "title": "Mesa"})):
        assert (await browser.post(action, data=data)).status_code == 403, action  # not a 404 that names it
        assert (await _post(browser, f"/consola/barrios/{world.ours.id}/pdl", action, data)).status_code == 404


async def test_the_barrio_page_links_to_the_programme_pages(browser: httpx.AsyncClient,
                                                            world: TwoOrganisations) -> None:
    html = (await browser.get(f"/consola/barrios/{world.ours.id}")).text
    for path in ("programa", "pdl", "alianzas"):
        assert f'href="/consola/barrios/{world.ours.id}/{path}"' in html


