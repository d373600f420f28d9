"""The day personal links are cut follows the end of the barrio's last phase, unless staff set a date."""

from datetime import timedelta

import httpx
from sqlalchemy import Engine, select
from sqlmodel import Session

from api.barrios.models import Member
from api.kernel.types import utcnow
from api.privacy.models import DataLog
from api.privacy.retention import cut_links_due
from api.programme.timeline import start_programme
from conversations.programme.phases import add_months
from tests.factories import auth, make_barrio, make_ejecutor, make_member


async def test_the_day_follows_the_last_phase_until_staff_set_a_date_and_again_once_they_clear_it(
        client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    url = f"/api/barrios/{barrio.id}"

    async def day() -> tuple[str | None, str | None]:
        shown = (await client.get(url, headers=auth(token))).json()
        return shown["links_cut_on"], shown["programme_ends_from"]

    assert await day() == (None, None)  # no programme and no date: nothing is due
    started = await client.put(f"{url}/programme", json={"starts_on": "2026-09-01"}, headers=auth(token))
    assert max(p["ends_on"] for p in started.json()["phases"]) == "2029-01-01"  # Fase V's end
    assert await day() == ("2029-07-01", "phases")  # plus RETENTION_MONTHS (6)
    await client.put(f"{url}/programme/phases/fase_5", json={"starts_on": "2027-03-01", "ends_on": "2028-12-31"},
                     headers=auth(token))
    assert await day() == ("2029-06-30", "phases")  # the phase moved, the day with it

    patched = await client.patch(url, json={"programme_ends_on": "2027-08-31"}, headers=auth(token))
    assert (patched.json()["links_cut_on"], patched.json()["programme_ends_from"]) == ("2028-02-29", "staff")
    assert await day() == ("2028-02-29", "staff")
    await client.patch(url, json={"programme_ends_on": None}, headers=auth(token))
    assert await day() == ("2029-06-30", "phases")


async def test_staff_are_warned_30_days_before_the_day_the_phases_give(
        client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    url = f"/api/barrios/{barrio.id}"
    started = add_months(utcnow().date(), -30)  # Etapa I is long over, Fase V ended 2 months ago
    await client.put(f"{url}/programme", json={"starts_on": started.isoformat()}, headers=auth(token))
    assert (await client.get(url, headers=auth(token))).json()["retention_warning"] is False
    ends = add_months(utcnow().date(), -6) + timedelta(days=20)  # cut in about 20 days
    await client.put(f"{url}/programme/phases/fase_5", json={"starts_on": started.isoformat(),
                                                              "ends_on": ends.isoformat()}, headers=auth(token))
    shown = (await client.get(url, headers=auth(token))).json()
    assert shown["retention_warning"] is True and shown["programme_ends_from"] == "phases"
    later = (ends + timedelta(days=60)).isoformat()  # staff say the programme runs two more months
    patched = (await client.patch(url, json={"programme_ends_on": later}, headers=auth(token))).json()
    assert patched["retention_warning"] is False and patched["programme_ends_from"] == "staff"


def test_the_job_cuts_when_the_last_phase_ended_long_enough_ago_unless_staff_set_a_later_date(
        engine: Engine, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    today = utcnow().date()
    ended = make_barrio(session, ejecutor, "Fases terminadas")
    start_programme(session, ended, add_months(today, -40))  # Fase V ended 12 months ago
    extended = make_barrio(session, ejecutor, "Fecha fijada por el equipo")
    start_programme(session, extended, add_months(today, -40))
    extended.programme_ends_on = today  # staff: the programme goes on until today
    session.add(extended)
    running = make_barrio(session, ejecutor, "Fases recientes")
    start_programme(session, running, add_months(today, -30))  # Fase V ended 2 months ago
    without = make_barrio(session, ejecutor, "Sin programa")
    members = {barrio.name: make_member(session, barrio, f"chat-{n}")
               for n, barrio in enumerate((ended, extended, running, without))}

    cut_links_due(engine, utcnow(), months=6)
    cut_links_due(engine, utcnow(), months=6)  # idempotent

    session.expire_all()
    channels = {name: session.get(Member, member).channel for name, member in members.items()}  # type: ignore[union-attr]
    assert channels == {"Fases terminadas": "retired", "Fecha fijada por el equipo": "telegram",
                        "Fases recientes": "telegram", "Sin programa": "telegram"}
    assert session.execute(select(DataLog.barrio_id).where(DataLog.action == "retention")).scalars().all() == [
        ended.id]
    cut_links_due(engine, utcnow(), months=1)  # a shorter grace period: the recent one is due too
    session.expire_all()
    assert session.get(Member, members["Fases recientes"]).channel == "retired"  # type: ignore[union-attr]
    assert session.get(Member, members["Fecha fijada por el equipo"]).channel == "telegram"  # type: ignore[union-attr]
