"""Accountability per person: each export and member list read through the API names the staff user whose token
it was (or the organisation's own token), and the organisation's staff read it, filtered by person or kind."""

import httpx
from sqlmodel import Session

from api.barrios.models import Member
from api.staff.store import create_token
from conversations.kernel.members import Role
from tests.factories import (
    auth,
    make_ballot,
    make_barrio,
    make_convocatoria,
    make_ejecutor,
    make_member,
    make_rounds,
    make_rsvp,
    make_staff,
    make_survey,
)


async def test_every_export_and_member_list_names_the_staff_user_whose_token_it_was(
        client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, organisation_token = make_ejecutor(session)
    ana, beto = make_staff(session, ejecutor), make_staff(session, ejecutor, "beto@ong.cl", name="Beto Soto")
    _row, ana_token = create_token(session, ana, "portátil")
    _row, beto_token = create_token(session, beto, "oficina")
    barrio = make_barrio(session, ejecutor)
    survey, ballot = make_survey(session, barrio), make_ballot(session, barrio)
    base, salida = make_rounds(session, barrio)

    for path in (f"/api/surveys/{survey.id}/responses.csv", f"/api/ballots/{ballot.id}/votes.xlsx",
                 f"/api/barrios/{barrio.id}/members", f"/api/barrios/{barrio.id}/comparison.csv"):
        assert (await client.get(path, headers=auth(ana_token))).status_code == 200
    assert (await client.get("/api/comparison.xlsx", headers=auth(beto_token))).status_code == 200
    assert (await client.get(f"/api/ballots/{ballot.id}/results.csv",
                             headers=auth(organisation_token))).status_code == 200

    shown = (await client.get("/api/data-log", headers=auth(beto_token))).json()  # any colleague reads it all
    assert [(e["action"], e["staff_name"], e["via"], e["barrio_name"], e["detail"]) for e in shown] == [
        ("staff_export", None, "api", barrio.name, f"ballot {ballot.id} results.csv"),  # the organisation's token
        ("staff_export", "Beto Soto", "api", None, "comparison.xlsx"),  # over every barrio
        ("staff_export", "Ana Pérez", "api", barrio.name, f"comparison {base.id}-{salida.id}.csv"),
        ("staff_member_list", "Ana Pérez", "api", barrio.name, "members"),
        ("staff_export", "Ana Pérez", "api", barrio.name, f"ballot {ballot.id} votes.xlsx"),
        ("staff_export", "Ana Pérez", "api", barrio.name, f"survey {survey.id} responses.csv"),
    ]
    assert {e["staff_id"] for e in shown} == {None, ana.id, beto.id}
    members_read = [e for e in shown if e["action"] == "staff_member_list"]
    assert members_read[0]["people"] == 15  # the vecinos of the two rounds

    only_ana = (await client.get("/api/data-log", params={"staff_id": ana.id}, headers=auth(ana_token))).json()
    assert len(only_ana) == 4 and {e["staff_name"] for e in only_ana} == {"Ana Pérez"}
    lists = (await client.get("/api/data-log", params={"action": "staff_member_list"}, headers=auth(ana_token)))
    assert [e["detail"] for e in lists.json()] == ["members"]
    assert (await client.get("/api/data-log", params={"action": "nonsense"},
                             headers=auth(ana_token))).status_code == 422

    _other, other_token = make_ejecutor(session, "Otra ONG")
    assert (await client.get("/api/data-log", headers=auth(other_token))).json() == []
    assert (await client.get("/api/data-log", params={"staff_id": ana.id},
                             headers=auth(other_token))).json() == []


async def test_reading_the_names_of_who_comes_to_a_convocatoria_is_logged(client: httpx.AsyncClient,
                                                                         session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    _row, token = create_token(session, make_staff(session, ejecutor), "portátil")
    barrio = make_barrio(session, ejecutor)
    motor = make_member(session, barrio, "motor", role=Role.MOTOR)
    convocatoria = make_convocatoria(session, motor)
    url = f"/api/barrios/{barrio.id}/convocatorias"
    make_rsvp(session, convocatoria, make_member(session, barrio, "anon"))
    assert (await client.get(url, headers=auth(token))).json()[0]["names"] == {}
    assert (await client.get("/api/data-log", headers=auth(token))).json() == []  # counts only: nothing to log

    rosa = session.get(Member, make_member(session, barrio, "rosa"))
    assert rosa is not None
    rosa.share_name, rosa.display_name = True, "Rosa"
    session.add(rosa)
    session.commit()
    make_rsvp(session, convocatoria, rosa.id)
    assert (await client.get(url, headers=auth(token))).json()[0]["names"] == {"yes": ["Rosa"]}
    assert (await client.get(f"{url}/{convocatoria.id}", headers=auth(token))).status_code == 200
    shown = (await client.get("/api/data-log", headers=auth(token))).json()
    assert [(e["action"], e["staff_name"], e["detail"], e["people"]) for e in shown] == [
        ("staff_member_list", "Ana Pérez", f"convocatoria {convocatoria.id} attendees", 1),
        ("staff_member_list", "Ana Pérez", "convocatorias attendees", 1)]
