"""Authorization on every API route, enumerated from the app itself.

For each route: no token or a wrong token gets 401; another ejecutor gets 404 for every
resource of ours (reading, changing, exporting) and nothing of ours changes. A new route
whose path parameter or body this file does not know fails here until it is added.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from api.barrios.directory import SqlDirectory
from api.convocatorias.models import Convocatoria
from api.kernel.config import Settings
from api.staff.store import create_token
from bot.main import build_app
from tests.factories import auth, make_barrio, make_ejecutor, make_programme, make_staff, to_xlsform

SOON = datetime.now(UTC) + timedelta(hours=1)
BALLOT = {
    "title": "Prioricemos", "method": "single", "opens_at": SOON.isoformat(),
    "closes_at": (SOON + timedelta(days=3)).isoformat(),
    "iniciativas": [{"title": "Huerto", "ambito": "huertos", "cost": 100_000},
                    {"title": "Plaza", "ambito": "habitabilidad", "cost": 200_000}],
}
# A valid body for each route that takes one, so a 404 cannot hide behind a 422.
SURVEY = {"title": "Consulta", "questions": [{"name": "edad", "type": "integer", "label": "¿Edad?"}]}
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/barrios/{barrio_id}/ballots"): BALLOT,
    ("PATCH", "/api/barrios/{barrio_id}/members/{member_id}"): {"role": "motor"},
    ("PATCH", "/api/barrios/{barrio_id}"): {"privacy_contact": "datos@ong.cl"},
    ("POST", "/api/surveys/{survey_id}/copy"): {"barrio_id": "{barrio_id}"},
    ("PUT", "/api/barrios/{barrio_id}/programme"): {"starts_on": "2026-09-01"},
    ("PUT", "/api/barrios/{barrio_id}/programme/phases/{phase}"): {"starts_on": "2026-09-01",
                                                                   "ends_on": "2026-12-01"},
    ("PUT", "/api/barrios/{barrio_id}/programme/activities/{activity}"): {"done": True, "by": "Ana"},
    ("POST", "/api/barrios/{barrio_id}/pdl/validation"): {"validated_on": "2026-12-01"},
    ("POST", "/api/barrios/{barrio_id}/pdl/problems"): {"dimension": "social", "title": "Soledad"},
    ("POST", "/api/barrios/{barrio_id}/pdl/iniciativas"): {"title": "Huerto", "ambito": "huertos"},
    ("POST", "/api/barrios/{barrio_id}/pdl/ballot"): {"title": "Prioricemos", "opens_at": SOON.isoformat(),
                                                      "closes_at": (SOON + timedelta(days=3)).isoformat()},
    ("PUT", "/api/barrios/{barrio_id}/pdl/hito-approval"): {"required": False},
    ("PATCH", "/api/iniciativas/{iniciativa_id}"): {"progress": 50},
    ("POST", "/api/iniciativas/{iniciativa_id}/status"): {"status": "priorizada"},
    ("POST", "/api/iniciativas/{iniciativa_id}/hitos"): {"on": "2026-12-01", "text": "Compramos semillas"},
    ("PUT", "/api/actors/{actor_id}"): {"name": "Colada", "kind": "empresa"},
    ("POST", "/api/ideas/{idea_id}/merge"): {},
    ("POST", "/api/barrios/{barrio_id}/mesas"): {"held_on": "2026-12-01", "title": "Mesa"},
    ("POST", "/api/mesas/{mesa_id}/acuerdos"): {"text": "Retiro de basura"},
    ("PUT", "/api/acuerdos/{acuerdo_id}"): {"text": "Retiro de basura", "done": True},
    ("POST", "/api/barrios/{barrio_id}/contributions"): {"actor_id": "{actor_id}", "kind": "money", "amount": 1,
                                                         "on": "2026-12-01"},
    ("POST", "/api/ejecutores/{ejecutor_id}/staff"): {"name": "Rosa", "email": "rosa@ong.cl",
                                                      "password": "doce caracteres"},
    ("PUT", "/api/ballots/{ballot_id}"): BALLOT,
    ("POST", "/api/ballots/{ballot_id}/reschedule"): {"closes_at": (SOON + timedelta(days=5)).isoformat()},
    ("POST", "/api/barrios/{barrio_id}/convocatorias"): {"title": "Asamblea", "starts_at": SOON.isoformat(),
                                                         "place": "Sede"},
    ("POST", "/api/barrios/{barrio_id}/convocatorias/{convocatoria_id}/reschedule"): {
        "starts_at": (SOON + timedelta(days=5)).isoformat()},
    ("POST", "/api/barrios/{barrio_id}/announcements"): {"text": "Mañana no hay agua."},
    ("POST", "/api/tokens"): {"label": "Planilla"},
}


def _body(method: str, path: str, ids: dict[str, int | str]) -> dict[str, Any] | None:
    """The valid body for a route, with "{name}" values replaced by our ids."""
    body = BODIES.get((method, path))
    if body is None:
        return None
    return {key: ids[value.strip("{}")] if isinstance(value, str) and value.startswith("{") else value
            for key, value in body.items()}
ADMIN_ONLY = {"/api/ejecutores", "/api/ejecutores/{ejecutor_id}/staff"}


async def _our_world(client: httpx.AsyncClient, session: Session) -> tuple[str, dict[str, int | str]]:
    ejecutor, token = make_ejecutor(session, "Nuestra ONG")
    barrio = make_barrio(session, ejecutor)
    ballot = await client.post(f"/api/barrios/{barrio.id}/ballots", json=BALLOT, headers=auth(token))
    assert ballot.status_code == 201, ballot.text
    member_id = SqlDirectory(session, channel="telegram", chat_id="31").join(
        barrio_id=barrio.id or 0, role="vecino", locale="es")
    convocatoria = Convocatoria(barrio_id=barrio.id or 0, title="Asamblea", starts_at=SOON, place="Sede")
    session.add(convocatoria)
    session.commit()
    survey = await client.post("/api/surveys", json={"barrio_id": barrio.id, **SURVEY}, headers=auth(token))
    assert survey.status_code == 201, survey.text
    programme = make_programme(session, barrio)
    staff = make_staff(session, ejecutor)
    staff_token, _secret = create_token(session, staff, "Planilla")
    return token, {"ejecutor_id": ejecutor.id or 0, "staff_id": staff.id or 0, "token_id": staff_token.id or 0,
                   "which": "join", "respondent": "a1b2c3d4e5f6", "question": "foto",
                   "barrio_id": barrio.id or 0, "ballot_id": ballot.json()["id"], "member_id": member_id,
                   "convocatoria_id": convocatoria.id or 0, "survey_id": survey.json()["id"], **programme}


def _routes(settings: Settings, engine: Engine) -> list[tuple[str, str, bool]]:
    """(method, path, takes a body) for every /api route, from the app's OpenAPI schema."""
    paths = build_app(settings, engine).openapi()["paths"]
    return sorted((method.upper(), path, "requestBody" in operation) for path, operations in paths.items()
                  for method, operation in operations.items() if path.startswith("/api"))


def _fill(path: str, ids: dict[str, int | str]) -> str:
    for name in [p.strip("{}") for p in path.split("/") if p.startswith("{")]:
        assert name in ids, f"test_authorization.py does not know path parameter {name!r}: add one of ours"
        path = path.replace("{" + name + "}", str(ids[name]))
    return path


async def _snapshot(client: httpx.AsyncClient, token: str, ids: dict[str, int | str]) -> list[Any]:
    paths = (f"/api/barrios/{ids['barrio_id']}", f"/api/ballots/{ids['ballot_id']}",
             f"/api/barrios/{ids['barrio_id']}/members", f"/api/barrios/{ids['barrio_id']}/convocatorias",
             f"/api/surveys/{ids['survey_id']}", f"/api/surveys?barrio_id={ids['barrio_id']}",
             f"/api/barrios/{ids['barrio_id']}/programme", f"/api/barrios/{ids['barrio_id']}/pdl",
             f"/api/actors/{ids['actor_id']}", f"/api/barrios/{ids['barrio_id']}/mesas",
             f"/api/barrios/{ids['barrio_id']}/alliances")
    return [(await client.get(path, headers=auth(token))).json() for path in paths]


async def test_every_route_refuses_missing_and_wrong_tokens(client: httpx.AsyncClient, session: Session,
                                                           settings: Settings) -> None:
    _, ids = await _our_world(client, session)
    routes = _routes(settings, session.get_bind())  # type: ignore[arg-type]
    assert len(routes) >= 20, "the OpenAPI schema lists fewer /api routes than the app has"
    for method, path, _route in routes:
        url = _fill(path, ids)
        for headers in ({}, auth("al_not-a-token")):
            response = await client.request(method, url, headers=headers, json=_body(method, path, ids))
            assert response.status_code == 401, f"{method} {path} with {headers}: {response.status_code}"


async def test_another_ejecutor_never_reads_or_changes_ours(client: httpx.AsyncClient, session: Session,
                                                           settings: Settings) -> None:
    token, ids = await _our_world(client, session)
    other, theirs = make_ejecutor(session, "Otra ONG")
    make_barrio(session, other, "Barrio de ellos")
    before = await _snapshot(client, token, ids)
    checked = 0
    for method, path, has_body in _routes(settings, session.get_bind()):  # type: ignore[arg-type]
        if path in ADMIN_ONLY or "{" not in path:
            continue
        assert not has_body or (method, path) in BODIES, f"add a valid body for {method} {path} to BODIES"
        response = await client.request(method, _fill(path, ids), headers=auth(theirs),
                                        json=_body(method, path, ids))
        assert response.status_code == 404, f"{method} {path}: {response.status_code} {response.text[:200]}"
        checked += 1
    assert checked >= 5
    assert await _snapshot(client, token, ids) == before


async def test_ejecutors_cannot_use_admin_routes(client: httpx.AsyncClient, session: Session,
                                                 settings: Settings) -> None:
    token, ids = await _our_world(client, session)
    admin = [(method, path) for method, path, _ in _routes(settings, session.get_bind())  # type: ignore[arg-type]
             if path in ADMIN_ONLY]
    assert len(admin) >= 3
    for method, path in admin:
        body = _body(method, path, ids) or {"name": "Colada"}
        response = await client.request(method, _fill(path, ids), json=body, headers=auth(token))
        assert response.status_code == 401, f"{method} {path}: {response.status_code}"


async def test_barrios_named_in_bodies_queries_and_forms_are_checked_too(client: httpx.AsyncClient,
                                                                        session: Session) -> None:
    token, ids = await _our_world(client, session)
    other, theirs = make_ejecutor(session, "Otra ONG")
    their_barrio = make_barrio(session, other, "Barrio de ellos")
    ours = ids["barrio_id"]
    attempts = [
        client.post("/api/surveys", json={"barrio_id": ours, **SURVEY}, headers=auth(theirs)),
        client.get(f"/api/surveys?barrio_id={ours}", headers=auth(theirs)),
        client.post("/api/surveys/xlsform", data={"barrio_id": str(ours)}, headers=auth(theirs),
                    files={"file": ("f.xlsx", to_xlsform({"title": "x", "questions": SURVEY["questions"]}))}),
        # and we cannot push our survey into their barrio
        client.post(f"/api/surveys/{ids['survey_id']}/copy", json={"barrio_id": their_barrio.id},
                    headers=auth(token)),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 404, response.text
    listed = await client.get(f"/api/surveys?barrio_id={their_barrio.id}", headers=auth(theirs))
    assert listed.json() == []
