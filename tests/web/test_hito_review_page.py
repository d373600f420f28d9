"""In the console, approving or leaving out a hito the grupo motor reported tells whoever reported it, in
their language (through the outbox)."""

from datetime import date

import httpx
from sqlmodel import Session, select

from api.outbox.models import OutboxMessage
from api.programme.pdl import add_iniciativa, report_hito
from api.programme.pdl_models import IniciativaFields, PdlHito
from api.programme.timeline import start_programme
from conversations.kernel.members import Role
from tests.factories import TwoOrganisations, csrf_of, make_member


async def test_the_reporter_hears_what_staff_decided_in_the_console(browser: httpx.AsyncClient, session: Session,
                                                                   world: TwoOrganisations) -> None:
    start_programme(session, world.ours, date(2026, 9, 1))
    huerto = add_iniciativa(session, world.ours, IniciativaFields(title="Huerto", title_en="Garden",
                                                                  ambito="huertos", responsible="grupo motor"))
    rosa = make_member(session, world.ours, "rosa", role=Role.MOTOR)
    john = make_member(session, world.ours, "john", locale="en", role=Role.MOTOR)
    report_hito(session, huerto, "Llegó la tierra", date(2026, 11, 20), reported_by=rosa)
    report_hito(session, huerto, "Fence painted", date(2026, 11, 21), reported_by=john)
    hitos = {h.text: h.id for h in session.exec(select(PdlHito)).all()}
    page = f"/consola/barrios/{world.ours.id}/pdl"
    for text, action in (("Llegó la tierra", "aprobar"), ("Fence painted", "descartar")):
        csrf = csrf_of((await browser.get(page)).text)
        decided = await browser.post(f"/consola/hitos/{hitos[text]}/{action}", data={"csrf": csrf})
        assert decided.status_code == 303 and decided.headers["location"] == f"{page}#pendientes"
    session.expire_all()
    told = {m.member_id: m.text for m in session.exec(select(OutboxMessage)
                                                        .where(OutboxMessage.kind == "hito_reviewed")).all()}
    assert told == {
        rosa: "El equipo aprobó tu avance de «Huerto» («Llegó la tierra») y lo enviamos a quienes siguen la "
              "iniciativa.",
        john: "The team did not publish your progress report on “Garden” (“Fence painted”). If you want to know "
              "why, talk to the ejecutor team; you can report another advance with /avance."}
