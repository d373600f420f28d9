"""An ejecutor creates ballots, opens and closes them, and downloads anonymous results."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from api.ballots.models import Ballot
from api.ballots.store import SqlBallots
from api.barrios.directory import SqlDirectory
from api.outbox.models import OutboxMessage
from tests.factories import auth, make_barrio, make_ejecutor

SOON = datetime.now(UTC) + timedelta(hours=1)


def ballot_body(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Prioricemos 2027", "description": "Qué financiar primero", "method": "budget",
        "budget": 3_000_000, "opens_at": SOON.isoformat(), "closes_at": (SOON + timedelta(days=7)).isoformat(),
        "iniciativas": [
            {"title": "Huerto comunitario", "ambito": "huertos", "cost": 1_200_000, "description": "Camas"},
            {"title": "Luminarias", "ambito": "habitabilidad", "cost": 1_500_000},
            {"title": "Plaza de juegos", "ambito": "habitabilidad", "cost": 1_800_000},
            {"title": "Escuela de verano", "ambito": "bienestar", "cost": 900_000},
        ],
    }
    body.update(over)
    return body


async def create(client: httpx.AsyncClient, barrio_id: int, token: str, **over: Any) -> int:
    answer = await client.post(f"/api/barrios/{barrio_id}/ballots", json=ballot_body(**over), headers=auth(token))
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


@pytest.fixture
def owner(session: Session):  # type: ignore[no-untyped-def]
    ejecutor, token = make_ejecutor(session)
    return make_barrio(session, ejecutor), token


def vecinos(session: Session, barrio_id: int, n: int, locale: str = "es") -> list[str]:
    ids = [SqlDirectory(session, channel="telegram", chat_id=f"90{i}").join(barrio_id=barrio_id, role="vecino",
                                                                           locale=locale) for i in range(n)]
    session.commit()
    return ids


async def test_create_and_read_a_ballot(client: httpx.AsyncClient, owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    created = await client.post(f"/api/barrios/{barrio.id}/ballots", json=ballot_body(), headers=auth(token))
    assert created.status_code == 201, created.text
    ballot = created.json()
    assert ballot["status"] == "scheduled" and ballot["voters"] == 0
    assert [i["index"] for i in ballot["iniciativas"]] == [0, 1, 2, 3]
    listed = await client.get(f"/api/barrios/{barrio.id}/ballots", headers=auth(token))
    assert [b["id"] for b in listed.json()] == [ballot["id"]]


@pytest.mark.parametrize(("over", "field"), [
    ({"budget": 0}, "budget"),
    ({"budget": 10**20}, "budget"),
    ({"iniciativas": [{"title": "Gratis", "ambito": "huertos", "cost": -1},
                      {"title": "Otra", "ambito": "huertos", "cost": 5}]}, "iniciativas.0.cost"),
    ({"iniciativas": [{"title": "Una", "ambito": "deportes", "cost": 1},
                      {"title": "Otra", "ambito": "huertos", "cost": 5}]}, "iniciativas.0.ambito"),
    ({"method": "plurality"}, "method"),
    ({"method": "approval"}, "max_choices is required"),
    ({"method": "ranked", "max_choices": 9}, "max_choices is more"),
    ({"closes_at": SOON.isoformat()}, "closes_at must be after opens_at"),
    ({"opens_at": "2026-12-01T09:00:00"}, "time zone"),
    ({"budget": 1_000_000}, "more than the whole budget"),
    ({"iniciativas": [{"title": "Sola", "ambito": "huertos", "cost": 1}]}, "iniciativas"),
])
async def test_bad_ballots_get_a_clear_422(client: httpx.AsyncClient, owner, over: dict[str, Any],  # type: ignore[no-untyped-def]
                                           field: str, session: Session) -> None:
    barrio, token = owner
    answer = await client.post(f"/api/barrios/{barrio.id}/ballots", json=ballot_body(**over), headers=auth(token))
    assert answer.status_code == 422
    assert field in answer.json()["detail"]
    assert session.exec(select(Ballot)).first() is None


async def test_a_ballot_that_already_ended_is_refused(client: httpx.AsyncClient, owner) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    past = datetime.now(UTC) - timedelta(days=2)
    answer = await client.post(f"/api/barrios/{barrio.id}/ballots", headers=auth(token), json=ballot_body(
        opens_at=past.isoformat(), closes_at=(past + timedelta(days=1)).isoformat()))
    assert answer.status_code == 422 and "closes_at" in answer.json()["detail"]


async def test_other_ejecutors_ballots_do_not_exist_for_them(client: httpx.AsyncClient, owner,  # type: ignore[no-untyped-def]
                                                             session: Session) -> None:
    barrio, token = owner
    ballot_id = await create(client, barrio.id, token)
    _, other = make_ejecutor(session, "Otra ONG")
    for path in ("", "/results", "/votes.csv", "/results.xlsx"):
        assert (await client.get(f"/api/ballots/{ballot_id}{path}", headers=auth(other))).status_code == 404
    assert (await client.post(f"/api/ballots/{ballot_id}/close", headers=auth(other))).status_code == 404
    assert (await client.post(f"/api/barrios/{barrio.id}/ballots", json=ballot_body(),
                              headers=auth(other))).status_code == 404


async def test_open_and_close_early_notify_and_refuse_twice(client: httpx.AsyncClient, owner,  # type: ignore[no-untyped-def]
                                                            session: Session) -> None:
    barrio, token = owner
    vecinos(session, barrio.id, 2)
    ballot_id = await create(client, barrio.id, token)
    opened = await client.post(f"/api/ballots/{ballot_id}/open", headers=auth(token))
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    again = await client.post(f"/api/ballots/{ballot_id}/open", headers=auth(token))
    assert again.status_code == 409 and "open" in again.json()["detail"]
    closed = await client.post(f"/api/ballots/{ballot_id}/close", headers=auth(token))
    assert closed.json()["status"] == "closed"
    assert (await client.post(f"/api/ballots/{ballot_id}/close", headers=auth(token))).status_code == 409
    kinds = sorted(m.kind for m in session.exec(select(OutboxMessage)).all())
    assert kinds == ["ballot_open", "ballot_open", "ballot_results", "ballot_results"]


async def test_results_and_exports_are_anonymous(client: httpx.AsyncClient, owner, session: Session) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    ballot_id = await create(client, barrio.id, token)
    await client.post(f"/api/ballots/{ballot_id}/open", headers=auth(token))
    members = vecinos(session, barrio.id, 5)
    port = SqlBallots(session)
    now = datetime.now(UTC)
    for member, choice in zip(members, [(2,), (2, 3), (2,), (1,), (1,)], strict=False):
        port.cast(ballot_id, member, choice, now)
    session.commit()

    results = (await client.get(f"/api/ballots/{ballot_id}/results", headers=auth(token))).json()
    assert (results["voters"], results["members"], results["participation"]) == (5, 5, 1.0)
    assert [(r["title"], r["votes"]) for r in results["ranking"]] == [
        ("Plaza de juegos", 3), ("Luminarias", 2), ("Escuela de verano", 1), ("Huerto comunitario", 0)]
    assert results["selected"] == [2, 3] and results["selected_cost"] == 2_700_000
    assert "greedy" in results["counting_rule"]

    votes = await client.get(f"/api/ballots/{ballot_id}/votes.csv", headers=auth(token))
    assert votes.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(votes.text.lstrip("\ufeff"))))
    assert rows[0] == ["voter", "1. Huerto comunitario", "2. Luminarias", "3. Plaza de juegos", "4. Escuela de verano"]
    assert sorted(r[1:] for r in rows[1:]) == sorted([["0", "0", "1", "0"], ["0", "0", "1", "1"], ["0", "0", "1", "0"],
                                                       ["0", "1", "0", "0"], ["0", "1", "0", "0"]])
    pseudonyms = {r[0] for r in rows[1:]}
    assert len(pseudonyms) == 5 and not pseudonyms & set(members)
    assert not any(m in votes.text for m in members)

    workbook = load_workbook(io.BytesIO((await client.get(f"/api/ballots/{ballot_id}/votes.xlsx",
                                                            headers=auth(token))).content))
    sheet = [list(r) for r in workbook.active.iter_rows(values_only=True)]
    assert sheet[0][0] == "voter" and {r[0] for r in sheet[1:]} == pseudonyms

    table = list(csv.reader(io.StringIO((await client.get(f"/api/ballots/{ballot_id}/results.csv",
                                                          headers=auth(token))).text.lstrip("\ufeff"))))
    assert table[0][-1] == "selected" and table[1] == ["1", "3", "Plaza de juegos", "habitabilidad", "1800000",
                                                       "3", "3", "yes"]
    book = load_workbook(io.BytesIO((await client.get(f"/api/ballots/{ballot_id}/results.xlsx",
                                                        headers=auth(token))).content))
    assert book.sheetnames == ["info", "results"]
    info = [[cell.value for cell in row] for row in book["info"].iter_rows()]
    exported_at = info.pop(-2)
    assert info == [
        ["Archivo", "Resultados de una votación"],
        ["Votación", "Prioricemos 2027"], ["Número de la votación", ballot_id],
        ["Método", "presupuesto participativo"], ["Estado", "open"],
        ["Barrio", f"{barrio.name} ({barrio.comuna})"],
        ["Votantes", 5], ["Vecinos del barrio", 5], ["Participación (votantes / vecinos)", 1],
        ["Presupuesto (CLP)", 3_000_000], ["Costo de lo seleccionado (CLP)", 2_700_000],
        ["Iniciativas seleccionadas", 2],
        ["Conteo", results["counting_rule"]], ["Exportado por", "ONG Prueba"]]
    assert exported_at[0] == "Exportado" and isinstance(exported_at[1], datetime)
    assert book["info"].cell(1, 1).font.b and book["info"].freeze_panes == "A2"
    assert [[cell.value for cell in row] for row in book["results"].iter_rows()] == [
        ["rank", "number", "iniciativa", "ambito", "cost_clp", "votes", "points", "selected"],
        [1, 3, "Plaza de juegos", "habitabilidad", 1_800_000, 3, 3, "yes"],
        [2, 2, "Luminarias", "habitabilidad", 1_500_000, 2, 2, "no"],
        [3, 4, "Escuela de verano", "bienestar", 900_000, 1, 1, "yes"],
        [4, 1, "Huerto comunitario", "huertos", 1_200_000, 0, 0, "no"]]


async def test_ranked_results_show_borda_points(client: httpx.AsyncClient, owner, session: Session) -> None:  # type: ignore[no-untyped-def]
    barrio, token = owner
    body = ballot_body(method="ranked", max_choices=3, budget=None)
    ballot_id = await create(client, barrio.id, token, **body)
    members = vecinos(session, barrio.id, 3)
    port = SqlBallots(session)
    for member, choice in zip(members, [(2, 0, 1), (0, 2), (0,)], strict=True):
        port.cast(ballot_id, member, choice, datetime.now(UTC))
    session.commit()
    results = (await client.get(f"/api/ballots/{ballot_id}/results", headers=auth(token))).json()
    assert [(r["title"], r["points"], r["votes"]) for r in results["ranking"][:2]] == [
        ("Huerto comunitario", 8, 3), ("Plaza de juegos", 5, 2)]
    assert results["selected"] == []
    table = list(csv.reader(io.StringIO((await client.get(f"/api/ballots/{ballot_id}/results.csv",
                                                          headers=auth(token))).text.lstrip("\ufeff"))))
    assert table[:2] == [["rank", "number", "iniciativa", "ambito", "cost_clp", "votes", "points"],
                         ["1", "1", "Huerto comunitario", "huertos", "1200000", "3", "8"]]  # ranks, selects nothing
    book = load_workbook(io.BytesIO((await client.get(f"/api/ballots/{ballot_id}/results.xlsx",
                                                        headers=auth(token))).content))
    info = {row[0]: row[1] for row in book["info"].iter_rows(min_row=2, values_only=True)}
    assert info["Método"] == "ordenar por preferencia" and "Presupuesto (CLP)" not in info
    assert (info["Votantes"], info["Vecinos del barrio"], info["Participación (votantes / vecinos)"]) == (3, 3, 1)
    assert [[cell.value for cell in row] for row in book["results"].iter_rows(max_row=3)] == [
        ["rank", "number", "iniciativa", "ambito", "cost_clp", "votes", "points"],
        [1, 1, "Huerto comunitario", "huertos", 1_200_000, 3, 8], [2, 3, "Plaza de juegos", "habitabilidad",
                                                                  1_800_000, 2, 5]]
    votes = list(csv.reader(io.StringIO((await client.get(f"/api/ballots/{ballot_id}/votes.csv",
                                                          headers=auth(token))).text.lstrip("\ufeff"))))
    assert sorted(r[1:] for r in votes[1:]) == sorted([["2", "3", "1", ""], ["1", "", "2", ""], ["1", "", "", ""]])
