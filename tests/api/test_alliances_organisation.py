"""The organisation's alliances report through the API: all its barrios together and each one, as JSON,
CSV and Excel; another organisation's barrios and contributions never appear."""

import csv
import io

import httpx
import openpyxl
from sqlmodel import Session

from tests.factories import auth, make_barrio, make_ejecutor


async def _contribute(client: httpx.AsyncClient, token: str, barrio: int, kind: str, ambito: str | None,
                      amount: int) -> None:
    actor = (await client.post("/api/actors", json={"name": f"{kind} {amount}", "kind": kind},
                               headers=auth(token))).json()
    iniciativa = None
    if ambito is not None:
        iniciativa = (await client.post(f"/api/barrios/{barrio}/pdl/iniciativas", headers=auth(token), json={
            "title": f"Iniciativa {ambito}", "ambito": ambito, "fosis_amount": 500_000})).json()["id"]
    given = await client.post(f"/api/barrios/{barrio}/contributions", headers=auth(token), json={
        "actor_id": actor["id"], "iniciativa_id": iniciativa, "kind": "in_kind", "amount": amount,
        "on": "2026-12-01"})
    assert given.status_code == 201, given.text


async def test_the_organisations_report_by_barrio_in_json_csv_and_xlsx(client: httpx.AsyncClient,
                                                                      session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    first, second = make_barrio(session, ejecutor, "Villa Uno"), make_barrio(session, ejecutor, "Villa Dos")
    other, their_token = make_ejecutor(session, "ONG Otra")
    theirs = make_barrio(session, other, "Villa Ajena")
    await _contribute(client, token, first.id or 0, "municipio", "huertos", 100_000)
    await _contribute(client, token, second.id or 0, "empresa", "habitabilidad", 40_000)
    await _contribute(client, token, second.id or 0, "publico", None, 10_000)
    await _contribute(client, their_token, theirs.id or 0, "empresa", "huertos", 7_000_000)

    found = (await client.get("/api/alliances/barrios", headers=auth(token))).json()
    assert found["total"]["mobilised"] == 150_000 and found["total"]["fosis"] == 1_000_000
    assert {t["key"]: t["amount"] for t in found["total"]["by_ambito"]} == {
        "huertos": 100_000, "habitabilidad": 40_000, "sin_iniciativa": 10_000}
    assert {t["key"]: t["amount"] for t in found["total"]["by_actor_kind"]} == {
        "municipio": 100_000, "empresa": 40_000, "publico": 10_000}
    assert [(b["name"], b["report"]["mobilised"]) for b in found["barrios"]] == [("Villa Uno", 100_000),
                                                                                 ("Villa Dos", 50_000)]
    assert (await client.get("/api/alliances", headers=auth(token))).json() == found["total"]

    rows = list(csv.DictReader(io.StringIO((await client.get("/api/alliances.csv", headers=auth(token))).text)))
    assert {(r["barrio"], r["section"], r["key"]): int(r["amount_clp"]) for r in rows if r["section"] != "total"
            and r["barrio"] == "Villa Dos"} == {("Villa Dos", "actor_kind", "empresa"): 40_000,
                                               ("Villa Dos", "actor_kind", "publico"): 10_000,
                                               ("Villa Dos", "ambito", "habitabilidad"): 40_000,
                                               ("Villa Dos", "ambito", "sin_iniciativa"): 10_000,
                                               ("Villa Dos", "contribution_kind", "in_kind"): 50_000}
    assert not any(r["barrio"] == "Villa Ajena" for r in rows)
    workbook = (await client.get("/api/alliances.xlsx", headers=auth(token))).content
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    assert sheet is not None and sheet.cell(2, 2).value == "all" and sheet.cell(3, 5).value == 150_000
    assert (await client.get("/api/alliances.csv")).status_code == 401
