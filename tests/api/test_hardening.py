"""What the service shows and refuses at its edge: headers, /, /docs, /ready, bodies, NUL, dates, exports.

Bodies are sent as streams that count what the server pulled: a refused body must be
refused before (or soon after) the server starts reading it, never read to the end.
"""

import base64
import hashlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from api.kernel.config import Settings
from api.kernel.db import make_engine
from bot.main import build_app
from tests.factories import ADMIN_TOKEN, auth, make_barrio, make_ejecutor, make_survey

CHUNK = 64 * 1024


class Stream:
    """A request body of `total` bytes in chunks, remembering how many the server asked for."""

    def __init__(self, total: int, head: bytes = b"") -> None:
        self.total, self.head, self.pulled = total, head, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled * CHUNK < self.total:
            self.pulled += 1
            yield (self.head if self.pulled == 1 else b"") + b" " * CHUNK


def _client(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")  # type: ignore[arg-type]


def _settings(**changes: object) -> Settings:
    values: dict[str, object] = {"database_url": "sqlite://", "admin_token": ADMIN_TOKEN,
                                 "telegram_bot_token": None, **changes}
    return Settings(_env_file=None, **values)  # type: ignore[call-arg,arg-type]


# --- headers, /, /docs ---------------------------------------------------------------

async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient, session: Session) -> None:
    _, token = make_ejecutor(session)
    for answer in (await client.get("/health"), await client.get("/api/me", headers=auth(token)),
                   await client.get("/api/me"), await client.get("/nowhere")):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["content-security-policy"].startswith("default-src 'none'")
        assert "server" not in answer.headers
    assert (await client.get("/api/me", headers=auth(token))).headers["cache-control"] == "no-store"
    created = await client.post("/api/ejecutores", json={"name": "ONG Nueva"}, headers=auth(ADMIN_TOKEN))
    assert "token" in created.json() and created.headers["cache-control"] == "no-store"


async def test_an_unhandled_error_carries_the_security_headers(engine: Engine) -> None:
    app = build_app(_settings(), engine)

    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/broken", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        answer = await client.get("/api/broken")
    assert answer.status_code == 500 and answer.json() == {"detail": "internal error; it has been logged"}
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    assert answer.headers["cache-control"] == "no-store"


async def test_the_docs_page_runs_only_its_own_scripts(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    policy = page.headers["content-security-policy"]
    assert page.status_code == 200 and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert inline, "the docs page has an inline script to allow"
    for code in inline:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy


async def test_the_docs_page_loads_swagger_ui_from_our_own_server(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    policy = page.headers["content-security-policy"]
    assert "http" not in policy  # no CDN, no other origin: 'self' and hashes only
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert {asset.rsplit("/", 1)[1] for asset in assets} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not on our server"
        served = await client.get(asset)
        assert served.status_code == 200 and len(served.content) > 1000, asset
    script = await client.get(next(a for a in assets if a.endswith(".js")))
    assert "javascript" in script.headers["content-type"] and b"SwaggerUIBundle" in script.content


async def test_root_leads_to_the_docs(client: httpx.AsyncClient) -> None:
    answer = await client.get("/")
    assert answer.status_code in (302, 307) and answer.headers["location"] == "/docs"


async def test_docs_can_be_turned_off(engine: Engine) -> None:
    async with _client(build_app(_settings(docs_enabled=False), engine)) as client:
        assert (await client.get("/docs")).status_code == 404
        assert (await client.get("/openapi.json")).status_code == 404
        assert (await client.get("/docs-assets/swagger-ui-bundle.js")).status_code == 404
        pointer = await client.get("/")
        assert pointer.status_code == 200 and pointer.json()["health"] == "/health"


# --- /ready --------------------------------------------------------------------------

async def test_ready_when_the_database_is_migrated(client: httpx.AsyncClient) -> None:
    answer = await client.get("/ready")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "checks": {"database": True, "migrations": True, "bot": True}}


async def test_not_ready_without_migrations(tmp_path: object) -> None:
    bare = make_engine(f"sqlite:///{tmp_path}/bare.db")
    async with _client(build_app(_settings(), bare)) as client:
        answer = await client.get("/ready")
        assert answer.status_code == 503 and answer.json()["checks"]["migrations"] is False
        assert (await client.get("/health")).status_code == 200  # alive, only not ready
    bare.dispose()


async def test_not_ready_until_the_bot_has_started(engine: Engine) -> None:
    app = build_app(_settings(telegram_bot_token="1:TOKEN"), engine)  # its lifespan has not run
    async with _client(app) as client:
        answer = await client.get("/ready")
        assert answer.status_code == 503 and answer.json()["checks"] == {
            "database": True, "migrations": True, "bot": False}


async def test_not_ready_when_the_database_is_gone(tmp_path: object) -> None:
    gone = make_engine(f"sqlite:///{tmp_path}/missing-dir/x.db")  # cannot be opened
    async with _client(build_app(_settings(), gone)) as client:
        answer = await client.get("/ready")
        assert answer.status_code == 503 and answer.json()["checks"]["database"] is False


# --- bodies --------------------------------------------------------------------------

async def test_a_body_without_credentials_is_refused_unread(client: httpx.AsyncClient) -> None:
    body = Stream(20_000_000)
    answer = await client.post("/api/barrios", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert body.pulled == 0
    wrong = Stream(20_000_000)
    answer = await client.post("/api/surveys/xlsform", content=wrong, headers={
        "Content-Type": "multipart/form-data; boundary=x", **auth("al_not-a-token")})
    assert answer.status_code == 401 and wrong.pulled == 0


async def test_an_oversized_json_body_stops_being_read_at_the_limit(client: httpx.AsyncClient,
                                                                   session: Session) -> None:
    _, token = make_ejecutor(session)
    body = Stream(20_000_000)
    answer = await client.post("/api/barrios", content=body,
                               headers={"Content-Type": "application/json", **auth(token)})
    assert answer.status_code == 413 and "larger than 2000000 bytes" in answer.json()["detail"]
    assert body.pulled * CHUNK <= 2_000_000 + CHUNK


async def test_an_oversized_upload_stops_being_read_at_the_limit(client: httpx.AsyncClient,
                                                                session: Session) -> None:
    _, token = make_ejecutor(session)
    body = Stream(40_000_000, head=b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n'
                                  b"Content-Type: application/octet-stream\r\n\r\n")
    answer = await client.post("/api/surveys/xlsform", content=body, headers={
        "Content-Type": "multipart/form-data; boundary=x", **auth(token)})
    assert answer.status_code == 413 and answer.json()["detail"] == "request body larger than 10000000 bytes"
    assert body.pulled * CHUNK <= 10_000_000 + CHUNK


async def test_a_declared_length_over_the_limit_is_refused_at_once(client: httpx.AsyncClient,
                                                                  session: Session) -> None:
    _, token = make_ejecutor(session)
    body = Stream(3_000_000)
    answer = await client.post("/api/barrios", content=body, headers={
        "Content-Type": "application/json", "Content-Length": "3000000", **auth(token)})
    assert answer.status_code == 413 and body.pulled == 0


async def test_limits_are_settings(engine: Engine, session: Session) -> None:
    _, token = make_ejecutor(session)
    async with _client(build_app(_settings(max_json_bytes=4096), engine)) as client:
        answer = await client.post("/api/barrios", json={"name": "x" * 5000}, headers=auth(token))
        assert answer.status_code == 413


# --- NUL and dates: 422, on SQLite and PostgreSQL ---------------------------------------

async def test_nul_characters_get_422(client: httpx.AsyncClient, session: Session) -> None:
    _, token = make_ejecutor(session)
    barrio = {"name": "La\u0000Esperanza", "comuna": "La Pintana", "region": "Metropolitana"}
    answer = await client.post("/api/barrios", json=barrio, headers=auth(token))
    assert answer.status_code == 422 and "NUL" in answer.json()["detail"]
    assert (await client.get("/api/surveys?barrio_id=1%00", headers=auth(token))).status_code == 422
    raw = b'{"name": "La\x00Esperanza", "comuna": "La Pintana", "region": "Metropolitana"}'
    answer = await client.post("/api/barrios", content=raw, headers={"Content-Type": "application/json", **auth(token)})
    assert answer.status_code == 422
    escaped = {"name": "La\\u0000Esperanza", "comuna": "La Pintana", "region": "Metropolitana"}  # a backslash, no NUL
    assert (await client.post("/api/barrios", json=escaped, headers=auth(token))).status_code == 201


@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00-14:00", "0001-01-01T00:30:00+14:00",
                                    "1900-01-01T00:00:00+00:00"])
async def test_out_of_range_dates_get_422(client: httpx.AsyncClient, session: Session, moment: str) -> None:
    ejecutor, token = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    ballot = {"title": "Prioricemos", "method": "single", "opens_at": moment, "closes_at": "2027-01-01T00:00:00Z",
              "iniciativas": [{"title": "Huerto", "ambito": "huertos", "cost": 1000},
                              {"title": "Plaza", "ambito": "habitabilidad", "cost": 1000}]}
    answer = await client.post(f"/api/barrios/{barrio.id}/ballots", json=ballot, headers=auth(token))
    assert answer.status_code == 422
    assert any(error["field"] == "opens_at" for error in answer.json()["errors"])


# --- exports: a bounded number at once ---------------------------------------------------

async def test_exports_beyond_the_limit_get_429_with_retry_after(engine: Engine, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    survey = make_survey(session, make_barrio(session, ejecutor))
    other, other_token = make_ejecutor(session, "Otra ONG")
    theirs = make_survey(session, make_barrio(session, other, "Otro barrio"))
    app = build_app(_settings(exports_per_organisation=1, exports_total=2), engine)
    async with _client(app) as client:
        running = app.state.export_gate.enter(ejecutor.id)  # an export of this organisation under way
        refused = await client.get(f"/api/surveys/{survey.id}/responses.csv", headers=auth(token))
        assert refused.status_code == 429 and refused.headers["retry-after"] == "10"
        assert "your organisation" in refused.json()["detail"]
        assert (await client.get(f"/api/surveys/{survey.id}/responses.zip", headers=auth(token))).status_code == 429
        another = await client.get(f"/api/surveys/{theirs.id}/responses.xlsx", headers=auth(other_token))
        assert another.status_code == 200
        everyone = app.state.export_gate.enter(0)  # a third organisation's: the process runs two, its limit
        busy = await client.get(f"/api/surveys/{theirs.id}/responses.csv", headers=auth(other_token))
        assert busy.status_code == 429 and "the server" in busy.json()["detail"]
        running.done()
        everyone.done()
        for _ in range(3):  # a finished export gives its place back
            assert (await client.get(f"/api/surveys/{survey.id}/responses.csv", headers=auth(token))).status_code == 200
        metrics = (await client.get("/metrics")).text
    assert 'accion_exports_total{outcome="refused"} 3.0' in metrics
    assert 'accion_exports_total{outcome="done"} 6.0' in metrics  # 4 real ones and the 2 held by hand
    assert "accion_export_seconds_count 6.0" in metrics
