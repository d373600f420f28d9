"""The programme through the API: timeline and its edits, the checklist, the PDL and its status moves,
alliances and their sums, reports and exports; another organisation's things are 404."""

import io
from datetime import UTC, datetime, timedelta

import httpx
import openpyxl
from sqlmodel import Session, select

from api.barrios.models import Barrio
from api.outbox.models import OutboxMessage
from api.programme.followers import set_following
from api.programme.ideas import propose
from conversations.programme.ports import Idea
from tests.factories import auth, make_barrio, make_ejecutor, make_member


async def _barrio(client: httpx.AsyncClient, session: Session, start: str = "2026-09-01") -> tuple[str, int]:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    response = await client.put(f"/api/barrios/{barrio.id}/programme", json={"starts_on": start},
                                headers=auth(token))
    assert response.status_code == 200, response.text
    return token, barrio.id or 0


async def test_starting_gives_every_phase_its_default_dates_and_the_checklist(client: httpx.AsyncClient,
                                                                             session: Session) -> None:
    token, barrio = await _barrio(client, session)
    body = (await client.get(f"/api/barrios/{barrio}/programme", headers=auth(token))).json()
    dates = {p["phase"]: (p["starts_on"], p["ends_on"]) for p in body["phases"]}
    assert dates == {"fase_1": ("2026-09-01", "2026-12-01"), "fase_2": ("2026-11-01", "2027-03-01"),
                     "fase_3": ("2027-02-01", "2027-08-01"), "fase_4": ("2027-07-01", "2027-09-01"),
                     "fase_5": ("2027-03-01", "2029-01-01")}
    fase_1 = next(p for p in body["phases"] if p["phase"] == "fase_1")
    assert [a["key"] for a in fase_1["activities"]] == [
        "insercion_territorial", "instancias_multiactorales", "diagnostico_territorial", "iniciativa_urgencia",
        "difusion_validacion"]
    assert fase_1["activities"][2]["automatic"] == "diagnostico_closed"
    assert not any(a["done"] for p in body["phases"] for a in p["activities"])


async def test_staff_edit_a_phase_and_moving_the_start_keeps_the_edit(client: httpx.AsyncClient,
                                                                     session: Session) -> None:
    token, barrio = await _barrio(client, session)
    edited = await client.put(f"/api/barrios/{barrio}/programme/phases/fase_2",
                              json={"starts_on": "2026-12-01", "ends_on": "2027-05-01"}, headers=auth(token))
    assert edited.status_code == 200, edited.text
    moved = (await client.put(f"/api/barrios/{barrio}/programme", json={"starts_on": "2026-10-01"},
                              headers=auth(token))).json()
    dates = {p["phase"]: (p["starts_on"], p["ends_on"], p["edited"]) for p in moved["phases"]}
    assert dates["fase_2"] == ("2026-12-01", "2027-05-01", True)
    assert dates["fase_1"] == ("2026-10-01", "2027-01-01", False)
    backwards = await client.put(f"/api/barrios/{barrio}/programme/phases/fase_3",
                                 json={"starts_on": "2027-05-01", "ends_on": "2027-01-01"}, headers=auth(token))
    assert backwards.status_code == 422
    unknown = await client.put(f"/api/barrios/{barrio}/programme/phases/fase_9",
                               json={"starts_on": "2027-01-01", "ends_on": "2027-05-01"}, headers=auth(token))
    assert unknown.status_code == 422


async def test_validating_the_pdl_starts_fase_v(client: httpx.AsyncClient, session: Session) -> None:
    token, barrio = await _barrio(client, session)
    response = await client.post(f"/api/barrios/{barrio}/pdl/validation", json={"validated_on": "2027-01-15"},
                                 headers=auth(token))
    assert response.status_code == 200 and response.json()["validated_on"] == "2027-01-15"
    body = (await client.get(f"/api/barrios/{barrio}/programme", headers=auth(token))).json()
    fase_5 = next(p for p in body["phases"] if p["phase"] == "fase_5")
    assert (fase_5["starts_on"], fase_5["ends_on"]) == ("2027-01-15", "2028-11-15")


async def test_staff_tick_an_activity_with_who_and_a_note_and_untick_it(client: httpx.AsyncClient,
                                                                       session: Session) -> None:
    token, barrio = await _barrio(client, session)
    url = f"/api/barrios/{barrio}/programme/activities/insercion_territorial"
    body = (await client.put(url, json={"done": True, "by": "Ana (ejecutor)", "note": "Recorrido"},
                             headers=auth(token))).json()
    activity = body["phases"][0]["activities"][0]
    assert activity["done"] and activity["done_by"] == "Ana (ejecutor)" and activity["note"] == "Recorrido"
    assert activity["done_at"] is not None
    body = (await client.put(url, json={"done": False}, headers=auth(token))).json()
    assert not body["phases"][0]["activities"][0]["done"]
    missing = await client.put(f"/api/barrios/{barrio}/programme/activities/bailar", json={"done": True},
                               headers=auth(token))
    assert missing.status_code == 404


async def test_a_barrio_without_a_programme_says_so(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    response = await client.get(f"/api/barrios/{barrio.id}/programme", headers=auth(token))
    assert response.status_code == 404 and "PUT its start date" in response.json()["detail"]


async def test_iniciativas_move_only_by_allowed_steps_and_their_followers_are_told(client: httpx.AsyncClient,
                                                                                    session: Session) -> None:
    token, barrio = await _barrio(client, session)
    row = session.get(Barrio, barrio)
    assert row is not None
    followers = [make_member(session, row, "1", locale="es"), make_member(session, row, "2", locale="ht")]
    bystander, stopped = make_member(session, row, "3"), make_member(session, row, "4")
    created = await client.post(f"/api/barrios/{barrio}/pdl/iniciativas", headers=auth(token), json={
        "title": "Huerto comunitario", "title_ht": "Jaden kominotè", "ambito": "huertos", "cost": 1_200_000,
        "fosis_amount": 900_000, "responsible": "grupo motor"})
    assert created.status_code == 201, created.text
    iniciativa = created.json()
    assert iniciativa["status"] == "propuesta" and iniciativa["next_statuses"] == ["priorizada", "descartada"]
    for member in followers:
        set_following(session, iniciativa["id"], member, True)
    set_following(session, iniciativa["id"], stopped, False)  # followed once, then stopped
    session.commit()
    url = f"/api/iniciativas/{iniciativa['id']}"
    skip = await client.post(f"{url}/status", json={"status": "aprobada"}, headers=auth(token))
    assert skip.status_code == 409 and "may become: priorizada, descartada" in skip.json()["detail"]
    moved = await client.post(f"{url}/status", json={"status": "priorizada", "by": "Ana"}, headers=auth(token))
    assert moved.status_code == 200 and moved.json()["status"] == "priorizada"
    told = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "iniciativa_status")).all()
    assert sorted(m.member_id for m in told) == sorted(followers)  # not the bystander, not who stopped
    assert bystander not in {m.member_id for m in told}
    texts = {m.text for m in told}
    assert texts == {"La iniciativa «Huerto comunitario» pasó de «Propuesta» a «Priorizada por el barrio».",
                     "Inisyativ «Jaden kominotè» pase de «Pwopoze» a «Katye a chwazi l kòm priyorite»."}
    back = await client.post(f"{url}/status", json={"status": "propuesta"}, headers=auth(token))
    assert back.status_code == 409
    unknown = await client.post(f"{url}/status", json={"status": "soñada"}, headers=auth(token))
    assert unknown.status_code == 422
    patched = await client.patch(url, json={"progress": 30, "responsible": "Equipo"}, headers=auth(token))
    assert patched.json()["progress"] == 30 and patched.json()["status"] == "priorizada"
    too_much = await client.patch(url, json={"progress": 130}, headers=auth(token))
    assert too_much.status_code == 422
    hito = await client.post(f"{url}/hitos", json={"on": "2026-12-02", "text": "Compramos semillas",
                                                   "photo_url": "https://example.org/f.jpg"}, headers=auth(token))
    assert hito.status_code == 201 and hito.json()["hitos"][0]["text"] == "Compramos semillas"


async def test_a_ballot_from_the_pdl_links_its_proposed_iniciativas(client: httpx.AsyncClient,
                                                                   session: Session) -> None:
    token, barrio = await _barrio(client, session)
    ids = []
    for title, ambito in (("Huerto", "huertos"), ("Luces", "habitabilidad"), ("Once", "bienestar")):
        response = await client.post(f"/api/barrios/{barrio}/pdl/iniciativas", headers=auth(token),
                                     json={"title": title, "ambito": ambito, "cost": 100_000})
        ids.append(response.json()["id"])
    await client.post(f"/api/iniciativas/{ids[2]}/status", json={"status": "descartada"}, headers=auth(token))
    opens = datetime.now(UTC) + timedelta(hours=1)
    body = {"title": "Prioricemos", "method": "approval", "max_choices": 1, "opens_at": opens.isoformat(),
            "closes_at": (opens + timedelta(days=3)).isoformat()}
    ballot = await client.post(f"/api/barrios/{barrio}/pdl/ballot", json=body, headers=auth(token))
    assert ballot.status_code == 201, ballot.text
    assert [i["title"] for i in ballot.json()["iniciativas"]] == ["Huerto", "Luces"]  # not the descartada
    pdl = (await client.get(f"/api/barrios/{barrio}/pdl", headers=auth(token))).json()
    assert [i["ballot_id"] for i in pdl["iniciativas"]] == [ballot.json()["id"]] * 2 + [None]
    again = await client.post(f"/api/barrios/{barrio}/pdl/ballot", json=body, headers=auth(token))
    assert again.status_code == 409
    naive = await client.post(f"/api/barrios/{barrio}/pdl/ballot", headers=auth(token),
                              json={**body, "opens_at": "2027-01-01T10:00:00", "closes_at": "2027-01-02T10:00:00"})
    assert naive.status_code == 422


async def test_contributions_sum_by_source_and_ambito_beyond_fosis(client: httpx.AsyncClient,
                                                                  session: Session) -> None:
    token, barrio = await _barrio(client, session)
    huerto = (await client.post(f"/api/barrios/{barrio}/pdl/iniciativas", headers=auth(token), json={
        "title": "Huerto", "ambito": "huertos", "cost": 1_000_000, "fosis_amount": 700_000})).json()
    luces = (await client.post(f"/api/barrios/{barrio}/pdl/iniciativas", headers=auth(token), json={
        "title": "Luces", "ambito": "habitabilidad", "cost": 2_000_000, "fosis_amount": 1_500_000})).json()
    municipio = (await client.post("/api/actors", json={"name": "Municipalidad", "kind": "municipio",
                                                        "contact_name": "Ana"}, headers=auth(token))).json()
    empresa = (await client.post("/api/actors", json={"name": "Ferretería", "kind": "empresa"},
                                 headers=auth(token))).json()
    linked = await client.put(f"/api/actors/{municipio['id']}/barrios/{barrio}", headers=auth(token))
    assert linked.json()["barrios"] == [barrio]
    for actor, iniciativa, kind, amount in ((municipio, luces, "money", 300_000), (empresa, huerto, "in_kind", 250_000),
                                            (empresa, luces, "money", 100_000), (municipio, None, "in_kind", 50_000)):
        response = await client.post(f"/api/barrios/{barrio}/contributions", headers=auth(token), json={
            "actor_id": actor["id"], "iniciativa_id": iniciativa and iniciativa["id"], "kind": kind,
            "amount": amount, "on": "2026-12-01"})
        assert response.status_code == 201, response.text
    mesa = await client.post(f"/api/barrios/{barrio}/mesas", headers=auth(token), json={
        "held_on": "2026-12-03", "title": "Mesa del PDL", "actors": [municipio["id"], empresa["id"]]})
    assert mesa.status_code == 201 and mesa.json()["actors"] == sorted([municipio["id"], empresa["id"]])
    acuerdo = await client.post(f"/api/mesas/{mesa.json()['id']}/acuerdos", headers=auth(token), json={
        "text": "Poda de árboles", "actor_id": municipio["id"], "due_on": "2027-01-15"})
    acuerdo_id = acuerdo.json()["acuerdos"][0]["id"]
    done = await client.put(f"/api/acuerdos/{acuerdo_id}", headers=auth(token),
                            json={"text": "Poda de árboles", "actor_id": municipio["id"], "done": True})
    assert done.json()["acuerdos"][0]["done"] is True
    report = (await client.get(f"/api/barrios/{barrio}/alliances", headers=auth(token))).json()
    assert report["fosis"] == 2_200_000 and report["mobilised"] == 700_000
    assert {t["key"]: t["amount"] for t in report["by_actor_kind"]} == {"municipio": 350_000, "empresa": 350_000}
    assert {t["key"]: t["amount"] for t in report["by_ambito"]} == {
        "habitabilidad": 400_000, "huertos": 250_000, "sin_iniciativa": 50_000}
    assert {t["key"]: t["amount"] for t in report["by_contribution_kind"]} == {"money": 400_000, "in_kind": 300_000}
    assert (report["actors"], report["mesas"], report["acuerdos"], report["acuerdos_done"]) == (1, 1, 1, 1)
    pdl = (await client.get(f"/api/barrios/{barrio}/pdl", headers=auth(token))).json()
    assert {i["title"]: (i["contributions"], i["financing"]) for i in pdl["iniciativas"]} == {
        "Huerto": (250_000, 950_000), "Luces": (400_000, 1_900_000)}
    organisation = (await client.get("/api/alliances", headers=auth(token))).json()
    assert organisation["mobilised"] == 700_000 and organisation["barrios"] == [barrio]
    csv = (await client.get(f"/api/barrios/{barrio}/alliances.csv", headers=auth(token))).text
    assert "total,mobilised,700000" in csv and "ambito,sin_iniciativa,50000" in csv


async def test_reports_by_phase_and_the_pdl_as_csv_and_xlsx(client: httpx.AsyncClient, session: Session) -> None:
    token, barrio = await _barrio(client, session)
    await client.put(f"/api/barrios/{barrio}/programme/activities/insercion_territorial",
                     json={"done": True, "by": "Ana"}, headers=auth(token))
    await client.post(f"/api/barrios/{barrio}/pdl/iniciativas", headers=auth(token),
                      json={"title": "=Huerto", "ambito": "huertos", "cost": 100_000})
    report = (await client.get(f"/api/barrios/{barrio}/programme/report", headers=auth(token))).json()
    assert [(p["phase"]["phase"], p["done"], p["total"]) for p in report["phases"]][:2] == [
        ("fase_1", 1, 5), ("fase_2", 0, 3)]
    assert report["iniciativas_by_status"] == {"propuesta": 1}
    csv = (await client.get(f"/api/barrios/{barrio}/programme/report.csv", headers=auth(token))).text
    lines = csv.splitlines()
    assert lines[0].lstrip("\ufeff").startswith("phase,phase_name,starts_on,ends_on,status,activity")
    assert len(lines) == 1 + 17 and "insercion_territorial,Inserción territorial,True" in csv
    xlsx = await client.get(f"/api/barrios/{barrio}/pdl.xlsx", headers=auth(token))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("id", "title", "ambito", "urgencia", "status") and rows[1][1] == "=Huerto"
    pdl_csv = (await client.get(f"/api/barrios/{barrio}/pdl.csv", headers=auth(token))).text
    assert "'=Huerto" in pdl_csv  # never a formula
    phase_xlsx = await client.get(f"/api/barrios/{barrio}/programme/report.xlsx", headers=auth(token))
    assert len(list(openpyxl.load_workbook(io.BytesIO(phase_xlsx.content)).active.iter_rows())) == 18


async def test_another_organisations_things_are_404_also_when_named_in_a_body(client: httpx.AsyncClient,
                                                                             session: Session) -> None:
    token, barrio = await _barrio(client, session)
    their_token, theirs = await _barrio(client, session)  # a second organisation with its own barrio
    their_actor = (await client.post("/api/actors", json={"name": "Su empresa", "kind": "empresa"},
                                     headers=auth(their_token))).json()
    their_iniciativa = (await client.post(f"/api/barrios/{theirs}/pdl/iniciativas", headers=auth(their_token),
                                          json={"title": "Suya", "ambito": "huertos"})).json()
    ours = (await client.post(f"/api/barrios/{barrio}/pdl/iniciativas", headers=auth(token),
                              json={"title": "Nuestra", "ambito": "huertos"})).json()
    attempts = [
        client.get(f"/api/barrios/{theirs}/programme", headers=auth(token)),
        client.get(f"/api/iniciativas/{their_iniciativa['id']}", headers=auth(token)),
        client.get(f"/api/actors/{their_actor['id']}", headers=auth(token)),
        client.put(f"/api/actors/{their_actor['id']}/barrios/{barrio}", headers=auth(token)),
        client.post(f"/api/barrios/{barrio}/contributions", headers=auth(token), json={
            "actor_id": their_actor["id"], "kind": "money", "amount": 1, "on": "2026-12-01"}),
        client.post(f"/api/barrios/{barrio}/mesas", headers=auth(token), json={
            "held_on": "2026-12-01", "title": "Mesa", "actors": [their_actor["id"]]}),
        client.post(f"/api/barrios/{barrio}/pdl/ballot", headers=auth(token), json={
            "title": "Prioricemos", "iniciativas": [their_iniciativa["id"], ours["id"]],
            "opens_at": "2030-01-01T10:00:00Z", "closes_at": "2030-01-05T10:00:00Z"}),
    ]
    statuses = [(await attempt).status_code for attempt in attempts]
    assert statuses[:6] == [404] * 6 and statuses[6] == 422
    actors = (await client.get("/api/actors", headers=auth(token))).json()
    assert actors == []


async def test_staff_merge_or_decline_vecinos_ideas_and_the_proposer_is_told(client: httpx.AsyncClient,
                                                                            session: Session) -> None:
    token, barrio = await _barrio(client, session)
    row = session.get(Barrio, barrio)
    assert row is not None
    ana, jean = make_member(session, row, "1", locale="es"), make_member(session, row, "2", locale="ht")
    garden = propose(session, member_id=ana, barrio_id=barrio, idea=Idea("Huerto", "Camas de cultivo", "huertos"))
    party = propose(session, member_id=jean, barrio_id=barrio, idea=Idea("Fiesta", "Una fiesta", "bienestar"))
    session.commit()
    listed = (await client.get(f"/api/barrios/{barrio}/pdl/ideas", headers=auth(token))).json()
    assert [(i["title"], i["status"]) for i in listed] == [("Huerto", "nueva"), ("Fiesta", "nueva")]
    assert "member_id" not in listed[0]
    merged = await client.post(f"/api/ideas/{garden}/merge", json={}, headers=auth(token))
    assert merged.status_code == 200 and merged.json()["status"] == "incorporada"
    pdl = (await client.get(f"/api/barrios/{barrio}/pdl", headers=auth(token))).json()
    assert [(i["id"], i["title"], i["status"]) for i in pdl["iniciativas"]] == [
        (merged.json()["iniciativa_id"], "Huerto", "propuesta")]
    declined = await client.post(f"/api/ideas/{party}/decline", headers=auth(token))
    assert declined.json()["status"] == "descartada"
    again = await client.post(f"/api/ideas/{party}/merge", json={}, headers=auth(token))
    assert again.status_code == 409
    told = {m.member_id: m.text for m in session.exec(select(OutboxMessage)
                                                        .where(OutboxMessage.kind == "idea_outcome"))}
    assert told == {ana: "¡Buenas noticias! Tu idea «Huerto» quedó en el Plan de Desarrollo Local del barrio.",
                    jean: "Mèsi pou lide «Fiesta» ou a. Fwa sa a li pa antre nan Plan Devlopman Lokal la; ou ka "
                          "pale sou li ak grupo motor la."}
    their_token, theirs = await _barrio(client, session)
    their_iniciativa = (await client.post(f"/api/barrios/{theirs}/pdl/iniciativas", headers=auth(their_token),
                                          json={"title": "Suya", "ambito": "huertos"})).json()
    third = propose(session, member_id=ana, barrio_id=barrio, idea=Idea("Luces", "Postes", "habitabilidad"))
    session.commit()
    into_theirs = await client.post(f"/api/ideas/{third}/merge", json={"iniciativa_id": their_iniciativa["id"]},
                                    headers=auth(token))
    assert into_theirs.status_code == 404
    assert (await client.post(f"/api/ideas/{third}/decline", headers=auth(their_token))).status_code == 404
