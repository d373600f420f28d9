"""Ballots, convocatorias and announcements from the console in-process: created in the barrio's local time,
edited while scheduled, moved, cancelled; previews in each language; another organisation's is not found."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlmodel import Session, select

from api.ballots.models import Ballot, Iniciativa
from api.convocatorias.models import Announcement, Convocatoria
from api.kernel.types import utcnow
from api.outbox.models import OutboxMessage
from conversations.kernel.members import Role
from tests.factories import TwoOrganisations, csrf_of, make_ballot, make_convocatoria, make_member, open_for_all

SANTIAGO = ZoneInfo("America/Santiago")
OPENS = (utcnow() + timedelta(days=3)).astimezone(SANTIAGO).replace(hour=9, minute=0, second=0, microsecond=0)
CLOSES = OPENS + timedelta(days=7, hours=9)  # 18:00 a week later


def local(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.astimezone(SANTIAGO).strftime("%Y-%m-%dT%H:%M")


def ballot_form(csrf: str, **over: object) -> dict[str, object]:
    form: dict[str, object] = {
        "csrf": csrf, "title": "Prioricemos 2027", "description": "", "method": "budget", "budget": "$3.000.000",
        "opens_at": local(OPENS), "closes_at": local(CLOSES),
        "ini_title": ["Huerto comunitario", "Luminarias", ""], "ini_ambito": ["huertos", "habitabilidad", "huertos"],
        "ini_cost": ["1.200.000", "1500000", ""], "ini_description": ["Camas de cultivo", "", ""]}
    form.update(over)
    return form


async def test_a_ballot_is_created_from_the_console_in_the_barrios_time(browser: httpx.AsyncClient, session: Session,
                                                                        world: TwoOrganisations) -> None:
    page = await browser.get(f"/consola/barrios/{world.ours.id}/votaciones/nueva")
    assert page.status_code == 200 and "America/Santiago" in page.text
    answer = await browser.post(f"/consola/barrios/{world.ours.id}/votaciones", data=ballot_form(csrf_of(page.text)))
    assert answer.status_code == 303, answer.text
    ballot = session.exec(select(Ballot)).one()
    assert answer.headers["location"] == f"/consola/votaciones/{ballot.id}"
    assert ballot.opens_at == OPENS and ballot.budget == 3_000_000 and ballot.status == "scheduled"
    costs = session.exec(select(Iniciativa.cost).order_by(Iniciativa.position)).all()  # type: ignore[arg-type]
    assert costs == [1_200_000, 1_500_000]
    shown = await browser.get(answer.headers["location"])
    assert "programada" in shown.text and "Cancelar la votación" in shown.text and "09:00" in shown.text


async def test_a_wrong_ballot_form_says_what_is_wrong_and_keeps_what_was_typed(browser: httpx.AsyncClient,
                                                                               session: Session,
                                                                               world: TwoOrganisations) -> None:
    page = await browser.get(f"/consola/barrios/{world.ours.id}/votaciones/nueva")
    answer = await browser.post(f"/consola/barrios/{world.ours.id}/votaciones", data=ballot_form(
        csrf_of(page.text), ini_cost=["-5", "1500000", ""]))
    assert answer.status_code == 422 and "No se pudo guardar" in answer.text
    assert "Iniciativa 1, Costo: debe ser 0 o más." in answer.text  # the field as labelled, in plain words
    closes_first = await browser.post(f"/consola/barrios/{world.ours.id}/votaciones", data=ballot_form(
        csrf_of(page.text), closes_at=local(OPENS - timedelta(hours=1))))
    assert closes_first.status_code == 422 and "Cierra: debe ser después de la apertura." in closes_first.text
    assert 'value="Huerto comunitario"' in answer.text
    assert session.exec(select(Ballot)).first() is None


async def test_a_scheduled_ballot_is_edited_moved_and_cancelled_from_the_console(
        browser: httpx.AsyncClient, session: Session, world: TwoOrganisations) -> None:
    ballot = make_ballot(session, world.ours, opens_at=OPENS)
    page = await browser.get(f"/consola/votaciones/{ballot.id}/editar")
    assert 'value="Luminarias"' in page.text
    edited = await browser.post(f"/consola/votaciones/{ballot.id}/editar", data=ballot_form(
        csrf_of(page.text), title="Prioricemos 2028", method="single", budget=""))
    assert edited.status_code == 303, edited.text
    session.expire_all()
    assert session.get(Ballot, ballot.id).title == "Prioricemos 2028"  # type: ignore[union-attr]
    later = CLOSES + timedelta(days=2)
    moved = await browser.post(f"/consola/votaciones/{ballot.id}/fechas", data={
        "csrf": csrf_of(page.text), "opens_at": local(OPENS), "closes_at": local(later)})
    assert moved.status_code == 303 and "error" not in moved.headers["location"]
    session.expire_all()
    assert session.get(Ballot, ballot.id).closes_at == later  # type: ignore[union-attr]
    cancelled = await browser.post(f"/consola/votaciones/{ballot.id}/cancelar", data={"csrf": csrf_of(page.text)})
    assert cancelled.status_code == 303
    shown = await browser.get(f"/consola/votaciones/{ballot.id}")
    assert "cancelada" in shown.text and "Cancelar la votación" not in shown.text
    refused = await browser.get(f"/consola/votaciones/{ballot.id}/editar")
    assert "solo se puede editar mientras está programada" in refused.text


async def test_cancelling_an_open_ballot_from_the_console_tells_who_got_it(browser: httpx.AsyncClient,
                                                                          session: Session,
                                                                          world: TwoOrganisations) -> None:
    make_member(session, world.ours, "1", locale="ht")
    ballot = make_ballot(session, world.ours)
    open_for_all(session, ballot)
    session.commit()
    session.exec(select(OutboxMessage)).one().status = "sent"
    session.commit()
    page = await browser.get(f"/consola/votaciones/{ballot.id}")
    assert "reciben un aviso en su idioma" in page.text
    await browser.post(f"/consola/votaciones/{ballot.id}/cancelar", data={"csrf": csrf_of(page.text)})
    notice = session.exec(select(OutboxMessage.text).where(OutboxMessage.kind == "ballot_cancelled")).one()
    assert "anile" in notice


async def test_another_organisations_ballot_and_convocatoria_are_not_found(browser: httpx.AsyncClient,
                                                                           session: Session,
                                                                           world: TwoOrganisations) -> None:
    theirs = make_ballot(session, world.theirs, opens_at=OPENS)
    convocatoria = make_convocatoria(session, make_member(session, world.theirs, "9", role=Role.MOTOR))
    csrf = csrf_of((await browser.get("/consola/equipo")).text)
    for path in (f"/consola/votaciones/{theirs.id}/editar", f"/consola/barrios/{world.theirs.id}/votaciones/nueva",
                 f"/consola/barrios/{world.theirs.id}/convocatorias"):
        assert (await browser.get(path)).status_code == 404, path
    for path in (f"/consola/votaciones/{theirs.id}/cancelar", f"/consola/barrios/{world.ours.id}/convocatorias/"
                 f"{convocatoria.id}/suspender", f"/consola/barrios/{world.theirs.id}/convocatorias/"
                 f"{convocatoria.id}/suspender"):
        assert (await browser.post(path, data={"csrf": csrf})).status_code == 404, path
    session.expire_all()
    assert session.get(Ballot, theirs.id).status == "scheduled"  # type: ignore[union-attr]
    assert session.get(Convocatoria, convocatoria.id).cancelled_at is None  # type: ignore[union-attr]
    refused = await browser.post(f"/consola/votaciones/{make_ballot(session, world.ours).id}/cancelar", data={})
    assert refused.status_code == 403  # without its CSRF token


async def test_a_convocatoria_is_previewed_in_each_language_then_sent(browser: httpx.AsyncClient, session: Session,
                                                                      world: TwoOrganisations) -> None:
    make_member(session, world.ours, "1")
    make_member(session, world.ours, "2", locale="ht")
    page = await browser.get(f"/consola/barrios/{world.ours.id}/convocatorias")
    form = {"csrf": csrf_of(page.text), "title": "Asamblea de validación", "starts_at": local(OPENS),
            "place": "Sede vecinal", "details": "", "action": "preview"}
    preview = await browser.post(f"/consola/barrios/{world.ours.id}/convocatorias", data=form)
    assert preview.status_code == 200 and "Así la verán los vecinos" in preview.text
    assert "Convocatoria · " in preview.text and "Konvokasyon" in preview.text and "09:00" in preview.text
    assert session.exec(select(Convocatoria)).first() is None
    sent = await browser.post(f"/consola/barrios/{world.ours.id}/convocatorias", data={**form, "action": "send"})
    assert sent.status_code == 303
    row = session.exec(select(Convocatoria)).one()
    assert row.author_id is None and row.starts_at == OPENS
    assert len(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "convocatoria")).all()) == 2
    listed = await browser.get(f"/consola/barrios/{world.ours.id}/convocatorias")
    assert "Asamblea de validación" in listed.text and "Suspender" in listed.text
    moved = await browser.post(f"/consola/barrios/{world.ours.id}/convocatorias/{row.id}/fecha", data={
        "csrf": form["csrf"], "starts_at": local(OPENS + timedelta(days=1)), "place": ""})
    assert moved.status_code == 303 and "error" not in moved.headers["location"]
    called_off = await browser.post(f"/consola/barrios/{world.ours.id}/convocatorias/{row.id}/suspender",
                                    data={"csrf": form["csrf"]})
    assert called_off.status_code == 303
    after = await browser.get(f"/consola/barrios/{world.ours.id}/convocatorias")
    assert "suspendida" in after.text
    past = await browser.post(f"/consola/barrios/{world.ours.id}/convocatorias", data={
        **form, "starts_at": local(utcnow() - timedelta(days=1)), "action": "send"})
    assert past.status_code == 422 and "starts_at" in past.text


async def test_an_announcement_is_previewed_and_sent(browser: httpx.AsyncClient, session: Session,
                                                     world: TwoOrganisations) -> None:
    make_member(session, world.ours, "1", locale="ht")
    page = await browser.get(f"/consola/barrios/{world.ours.id}/convocatorias")
    form = {"csrf": csrf_of(page.text), "text": "Mañana no hay agua.", "text_ht": "Demen pa gen dlo.", "text_en": "",
            "action": "preview"}
    preview = await browser.post(f"/consola/barrios/{world.ours.id}/avisos", data=form)
    assert "Avi · " in preview.text and "Demen pa gen dlo." in preview.text and "Notice · " in preview.text
    assert session.exec(select(Announcement)).first() is None
    sent = await browser.post(f"/consola/barrios/{world.ours.id}/avisos", data={**form, "action": "send"})
    assert sent.status_code == 303
    queued = session.exec(select(OutboxMessage.text).where(OutboxMessage.kind == "announcement")).one()
    assert "Demen pa gen dlo." in queued
    listed = await browser.get(f"/consola/barrios/{world.ours.id}/convocatorias")
    assert "Mañana no hay agua." in listed.text


async def test_a_ballot_is_opened_closed_or_deleted_from_its_page(browser: httpx.AsyncClient, session: Session,
                                                                  world: TwoOrganisations) -> None:
    make_member(session, world.ours, "1")
    ballot, draft = make_ballot(session, world.ours, opens_at=OPENS), make_ballot(session, world.ours, opens_at=OPENS)
    page = await browser.get(f"/consola/votaciones/{ballot.id}")
    csrf = csrf_of(page.text)
    assert "Abrir ahora" in page.text and "Borrar" in page.text
    assert (await browser.post(f"/consola/votaciones/{ballot.id}/abrir", data={"csrf": csrf})).status_code == 303
    opened = await browser.get(f"/consola/votaciones/{ballot.id}")
    assert "abierta" in opened.text and "Cerrar ahora y enviar los resultados" in opened.text
    assert (await browser.post(f"/consola/votaciones/{ballot.id}/cerrar", data={"csrf": csrf})).status_code == 303
    kinds = session.exec(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()  # type: ignore[arg-type]
    assert kinds == ["ballot_open", "ballot_results"]
    late = await browser.post(f"/consola/votaciones/{ballot.id}/borrar", data={"csrf": csrf})
    assert late.headers["location"].endswith("?error=409")
    gone = await browser.post(f"/consola/votaciones/{draft.id}/borrar", data={"csrf": csrf})
    assert gone.headers["location"] == f"/consola/barrios/{world.ours.id}#votaciones"
    draft_id, ballot_id = draft.id, ballot.id
    session.expire_all()
    assert session.get(Ballot, draft_id) is None and session.get(Ballot, ballot_id).status == "closed"  # type: ignore[union-attr]
