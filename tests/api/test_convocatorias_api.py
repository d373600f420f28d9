"""What an ejecutor sees through the API: members, the grupo motor, convocatorias; reminders."""

from datetime import timedelta

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Member
from api.convocatorias.jobs import remind_due
from api.convocatorias.store import SqlConvocatorias
from api.kernel.types import utcnow
from api.outbox.models import OutboxMessage
from conversations.convocatorias.ports import Draft
from tests.factories import auth, make_barrio, make_ejecutor


def _members(session: Session, barrio_id: int) -> list[Member]:
    people = [Member(id=f"v{i:04d}", barrio_id=barrio_id, channel="telegram", chat_id=str(8000 + i),
                     locale=("es", "ht", "en")[i % 3], role="motor" if i == 0 else "vecino") for i in range(4)]
    people[1].share_name, people[1].display_name = True, "Rosa"
    people[2].display_name = "NoCompartido"  # never stored without consent; here to prove it stays hidden
    session.add_all(people)
    session.commit()
    return people


async def test_members_are_pseudonymous_and_can_be_promoted(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    _members(session, barrio.id or 0)
    answer = await client.get(f"/api/barrios/{barrio.id}/members", headers=auth(token))
    assert answer.status_code == 200
    shown = answer.json()
    assert [(m["id"], m["role"], m["locale"]) for m in shown] == [
        ("v0000", "motor", "es"), ("v0001", "vecino", "ht"), ("v0002", "vecino", "en"), ("v0003", "vecino", "es")]
    assert all("chat_id" not in m and "8000" not in str(m) for m in shown)
    assert [m["display_name"] for m in shown] == [None, "Rosa", None, None]

    promoted = await client.patch(f"/api/barrios/{barrio.id}/members/v0002", json={"role": "motor"},
                                  headers=auth(token))
    assert promoted.status_code == 200 and promoted.json()["role"] == "motor"
    session.expire_all()
    assert session.get(Member, "v0002").role == "motor"  # type: ignore[union-attr]
    demoted = await client.patch(f"/api/barrios/{barrio.id}/members/v0000", json={"role": "vecino"},
                                 headers=auth(token))
    assert demoted.json()["role"] == "vecino"

    bad = await client.patch(f"/api/barrios/{barrio.id}/members/v0002", json={"role": "jefe"}, headers=auth(token))
    assert bad.status_code == 422 and "role" in bad.json()["detail"]
    missing = await client.patch(f"/api/barrios/{barrio.id}/members/v9999", json={"role": "motor"},
                                 headers=auth(token))
    assert missing.status_code == 404


async def test_other_ejecutors_barrios_do_not_exist(client: httpx.AsyncClient, session: Session) -> None:
    owner, _ = make_ejecutor(session, "ONG Dueña")
    barrio = make_barrio(session, owner)
    _members(session, barrio.id or 0)
    _, stranger = make_ejecutor(session, "ONG Ajena")
    for call in (client.get(f"/api/barrios/{barrio.id}/members", headers=auth(stranger)),
                 client.patch(f"/api/barrios/{barrio.id}/members/v0001", json={"role": "motor"},
                              headers=auth(stranger)),
                 client.get(f"/api/barrios/{barrio.id}/convocatorias", headers=auth(stranger))):
        assert (await call).status_code == 404
    session.expire_all()
    assert session.get(Member, "v0001").role == "vecino"  # type: ignore[union-attr]


async def test_convocatorias_with_delivery_and_rsvp_counts(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    _members(session, barrio.id or 0)
    port = SqlConvocatorias(session)
    starts = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    view, queued = port.send(member_id="v0000", draft=Draft("Asamblea PDL", starts, "Sede vecinal", "Traer ideas",
                                                            {"ht": {"title": "Asanble PDL", "details": "Pote ide"}}))
    assert queued == 4
    port.set_answer(view.id, "v0001", "yes")
    port.set_answer(view.id, "v0002", "yes")
    port.set_answer(view.id, "v0003", "no")
    session.commit()
    answer = await client.get(f"/api/barrios/{barrio.id}/convocatorias", headers=auth(token))
    assert answer.status_code == 200
    [shown] = answer.json()
    assert (shown["title"], shown["place"], shown["details"]) == ("Asamblea PDL", "Sede vecinal", "Traer ideas")
    assert shown["versions"] == {"ht": {"title": "Asanble PDL", "details": "Pote ide"}}
    assert shown["delivery"] == {"pending": 4, "sending": 0, "sent": 0, "failed": 0, "unreachable": 0}
    assert shown["rsvps"] == {"yes": 2, "maybe": 0, "no": 1}
    assert shown["names"] == {"yes": ["Rosa"]}  # v0002 did not agree to show a name
    one = await client.get(f"/api/barrios/{barrio.id}/convocatorias/{view.id}", headers=auth(token))
    assert one.json()["id"] == view.id
    assert (await client.get(f"/api/barrios/{barrio.id}/convocatorias/999", headers=auth(token))).status_code == 404


def test_reminders_go_once_to_those_coming_or_maybe(engine: Engine, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    _members(session, barrio.id or 0)
    port = SqlConvocatorias(session)
    now = utcnow()
    view, _ = port.send(member_id="v0000", draft=Draft("Asamblea PDL", now + timedelta(hours=30), "Sede", "",
                                                       {"ht": {"title": "Asanble PDL"}}))
    port.set_answer(view.id, "v0001", "yes")
    port.set_answer(view.id, "v0002", "maybe")
    port.set_answer(view.id, "v0003", "no")
    session.commit()

    assert remind_due(engine, now, before=timedelta(hours=24)) == 0  # 30 h ahead: not yet
    later = now + timedelta(hours=7)
    assert remind_due(engine, later, before=timedelta(hours=24)) == 2
    assert remind_due(engine, later + timedelta(minutes=1), before=timedelta(hours=24)) == 0  # once
    session.expire_all()
    reminders = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reminder")
                             .order_by(OutboxMessage.member_id)).all()  # type: ignore[arg-type]
    assert [r.member_id for r in reminders] == ["v0001", "v0002"]
    assert reminders[0].text.startswith("⏰ Rapèl: Asanble PDL") and "Petèt" not in reminders[0].text  # her version
    assert "Your answer: Maybe" in reminders[1].text and "Asamblea PDL" in reminders[1].text  # as written
    assert remind_due(engine, now + timedelta(hours=31), before=timedelta(hours=24)) == 0  # it is over


async def test_ids_beyond_what_the_columns_hold_are_a_clear_4xx(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    ours = make_barrio(session, ejecutor).id  # an id check must not hide behind a missing barrio
    for path in (f"/api/barrios/{2**40}/members", f"/api/barrios/{ours}/convocatorias/{2**40}",
                 "/api/barrios/0/convocatorias"):
        answer = await client.get(path, headers=auth(token))
        assert answer.status_code == 422 and ("barrio_id" in answer.text or "convocatoria_id" in answer.text)
    long_id = await client.patch(f"/api/barrios/{ours}/members/{'v' * 40}", json={"role": "motor"}, headers=auth(token))
    assert long_id.status_code == 422
