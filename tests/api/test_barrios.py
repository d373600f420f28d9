"""Ejecutores and barrios through the API: tokens, ownership, clear errors."""

import httpx
from sqlmodel import Session

from api.barrios.models import Ejecutor
from tests.factories import ADMIN_TOKEN, auth, make_barrio, make_ejecutor

BARRIO = {"name": "Villa Los Aromos", "comuna": "Lo Espejo", "region": "Metropolitana"}


async def _ejecutor(client: httpx.AsyncClient, name: str = "ONG Territorio") -> str:
    response = await client.post("/api/ejecutores", json={"name": name}, headers=auth(ADMIN_TOKEN))
    assert response.status_code == 201, response.text
    return str(response.json()["token"])


async def test_admin_creates_an_ejecutor_whose_token_is_stored_hashed(client: httpx.AsyncClient,
                                                                     session: Session) -> None:
    token = await _ejecutor(client)
    stored = session.get(Ejecutor, 1)
    assert stored is not None and token not in stored.token_hash and len(stored.token_hash) == 64
    me = await client.get("/api/me", headers=auth(token))
    assert me.json()["name"] == "ONG Territorio"


async def test_admin_routes_refuse_without_the_admin_token(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/ejecutores", json={"name": "X y Z"})).status_code == 401
    wrong = await client.post("/api/ejecutores", json={"name": "X y Z"}, headers=auth("nope"))
    # refused before its body is read (api/kernel/limits.py), so without knowing the route is the admin's
    assert wrong.status_code == 401 and wrong.json() == {"detail": "missing or invalid bearer token"}
    ejecutor_token = await _ejecutor(client)
    listed = await client.get("/api/ejecutores", headers=auth(ejecutor_token))
    assert listed.status_code == 401 and listed.json() == {"detail": "invalid admin token"}


async def test_non_ascii_credentials_are_refused_not_a_crash(client: httpx.AsyncClient) -> None:
    """Header values are any bytes; a token with "ñ" in it is just a wrong token."""
    for credential in ("Bearer contraseña".encode("latin-1"), "Bearer señal-ü".encode()):
        headers = {"Authorization": credential}
        assert (await client.post("/api/ejecutores", json={"name": "X y Z"}, headers=headers)).status_code == 401
        assert (await client.get("/api/me", headers=headers)).status_code == 401


async def test_barrio_gets_codes_links_and_member_counts(client: httpx.AsyncClient) -> None:
    token = await _ejecutor(client)
    created = await client.post("/api/barrios", json=BARRIO, headers=auth(token))
    assert created.status_code == 201, created.text
    barrio = created.json()
    assert len(barrio["join_code"]) == 6 and barrio["join_code"] != barrio["motor_code"]
    assert barrio["join_link"] == f"https://t.me/TestBot?start={barrio['join_code']}"
    assert barrio["timezone"] == "America/Santiago" and barrio["members"] == 0
    listed = (await client.get("/api/barrios", headers=auth(token))).json()
    assert [b["id"] for b in listed] == [barrio["id"]]
    one = await client.get(f"/api/barrios/{barrio['id']}", headers=auth(token))
    assert one.json()["name"] == "Villa Los Aromos"


async def test_another_ejecutors_barrio_is_not_found(client: httpx.AsyncClient, session: Session) -> None:
    other, _ = make_ejecutor(session, "Municipalidad")
    theirs = make_barrio(session, other)
    token = await _ejecutor(client)
    response = await client.get(f"/api/barrios/{theirs.id}", headers=auth(token))
    assert response.status_code == 404 and "not found" in response.json()["detail"]
    assert (await client.get("/api/barrios", headers=auth(token))).json() == []


async def test_missing_or_wrong_token_is_401(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/barrios")).status_code == 401
    response = await client.get("/api/barrios", headers=auth("al_wrong"))
    assert response.status_code == 401 and response.json()["detail"] == "invalid token"


async def test_validation_errors_name_the_field(client: httpx.AsyncClient) -> None:
    token = await _ejecutor(client)
    response = await client.post("/api/barrios", json={"name": " ", "comuna": "Lo Espejo"}, headers=auth(token))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "region"}
    bad_zone = await client.post("/api/barrios", json={**BARRIO, "timezone": "Mars/Olympus"}, headers=auth(token))
    assert bad_zone.status_code == 422 and "timezone" in bad_zone.json()["detail"]
    headers = {**auth(token), "content-type": "application/json"}
    not_json = await client.post("/api/barrios", content=b"{", headers=headers)
    assert not_json.status_code == 422


async def test_unknown_route_is_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


async def test_openapi_is_served(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert "/api/barrios" in schema["paths"] and "/api/ejecutores" in schema["paths"]
