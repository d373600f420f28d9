"""Every list route pages the same way, and the API has the console's powers: rotate a barrio's codes,
create, list and revoke one's own staff tokens."""

import httpx
import pytest
from sqlmodel import Session

from api.kernel.paging import MAX_LIMIT, NEXT_HEADER
from api.staff.store import create_token
from tests.factories import STAFF_PASSWORD, auth, make_barrio, make_ejecutor, make_member, make_staff

LIST_ROUTES = ["/api/barrios", "/api/barrios/{barrio}/members", "/api/barrios/{barrio}/ballots",
               "/api/barrios/{barrio}/convocatorias", "/api/barrios/{barrio}/announcements",
               "/api/surveys?barrio_id={barrio}", "/api/staff", "/api/data-log", "/api/actors",
               "/api/barrios/{barrio}/mesas", "/api/barrios/{barrio}/contributions", "/api/barrios/{barrio}/pdl/ideas",
               "/api/barrios/{barrio}/pdl/hitos/pending"]


async def test_members_come_in_pages_with_the_next_cursor(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    ids = [make_member(session, barrio, str(n)) for n in range(5)]
    seen, url, pages = [], f"/api/barrios/{barrio.id}/members?limit=2", 0
    while url:
        answer = await client.get(url, headers=auth(token))
        assert answer.status_code == 200, answer.text
        seen += [m["id"] for m in answer.json()]
        pages += 1
        cursor = answer.headers.get(NEXT_HEADER)
        assert (cursor is None) == ("link" not in answer.headers)
        url = f"/api/barrios/{barrio.id}/members?limit=2&cursor={cursor}" if cursor else ""
    assert pages == 3 and seen == ids


@pytest.mark.parametrize("query", [f"limit={MAX_LIMIT + 1}", "limit=0", "cursor=nonsense", "cursor=bzA"])
async def test_a_bad_limit_or_cursor_is_422(client: httpx.AsyncClient, session: Session, query: str) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    answer = await client.get(f"/api/barrios/{barrio.id}/ballots?{query}", headers=auth(token))
    assert answer.status_code == 422, answer.text
    assert ("limit" if "limit" in query else "cursor") in answer.text


async def test_every_list_route_is_paged_and_documented(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    for route in LIST_ROUTES:
        answer = await client.get(route.format(barrio=barrio.id) + ("&" if "?" in route else "?") + "limit=1",
                                  headers=auth(token))
        assert answer.status_code == 200 and isinstance(answer.json(), list), (route, answer.text)
        assert len(answer.json()) <= 1, route
    spec = (await client.get("/openapi.json")).json()
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        schema = (get or {}).get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        if schema.get("schema", {}).get("type") == "array":
            names = {p["name"] for p in get.get("parameters", [])}
            assert {"limit", "cursor"} <= names, path
            assert NEXT_HEADER in get["responses"]["200"]["headers"], path


async def test_rotating_a_code_through_the_api(client: httpx.AsyncClient, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    old_join, old_motor = barrio.join_code, barrio.motor_code
    rotated = await client.post(f"/api/barrios/{barrio.id}/codes/motor/rotate", headers=auth(token))
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["join_code"] == old_join and rotated.json()["motor_code"] != old_motor
    rotated = await client.post(f"/api/barrios/{barrio.id}/codes/join/rotate", headers=auth(token))
    assert rotated.json()["join_code"] != old_join
    assert (await client.post(f"/api/barrios/{barrio.id}/codes/admin/rotate", headers=auth(token))).status_code == 422
    _, other = make_ejecutor(session, "Otra ONG")
    assert (await client.post(f"/api/barrios/{barrio.id}/codes/join/rotate", headers=auth(other))).status_code == 404


async def test_staff_tokens_are_created_listed_without_secret_and_revoked(client: httpx.AsyncClient,
                                                                          session: Session) -> None:
    ejecutor, own = make_ejecutor(session)
    ana = make_staff(session, ejecutor)
    refused = await client.post("/api/tokens", json={"label": "Planilla"}, headers=auth(own))
    assert refused.status_code == 403 and "staff user" in refused.text  # the organisation's own token has no user
    bea = make_staff(session, ejecutor, "bea@ong.cl", name="Bea")
    _, first = create_token(session, ana, "Consola")  # the first token, as the console makes it
    made = await client.post("/api/tokens", json={"label": "Planilla"}, headers=auth(first))
    assert made.status_code == 201, made.text
    second = made.json()["token"]
    listed = await client.get("/api/tokens", headers=auth(second))
    assert [t["label"] for t in listed.json()] == ["Consola", "Planilla"]
    assert "token" not in listed.json()[0] and first not in listed.text and second not in listed.text
    _, beas = create_token(session, bea, "Bea")
    beas_id = (await client.get("/api/tokens", headers=auth(beas))).json()[0]["id"]
    assert (await client.delete(f"/api/tokens/{beas_id}", headers=auth(second))).status_code == 404
    assert (await client.post("/api/tokens", json={"label": ""}, headers=auth(second))).status_code == 422
    first_id = listed.json()[0]["id"]
    assert (await client.delete(f"/api/tokens/{first_id}", headers=auth(second))).status_code == 204
    assert (await client.get("/api/barrios", headers=auth(first))).status_code == 401
    assert (await client.get("/api/barrios", headers=auth(second))).status_code == 200
    assert STAFF_PASSWORD not in listed.text
