"""Failed authentication is slowed down per client address: 429 with Retry-After, then a fresh start."""

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from api.kernel.config import Settings
from bot.main import build_app
from tests.factories import ADMIN_TOKEN, auth, make_ejecutor


class Clock:
    """Seconds since a start, as the moment the throttle reads."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> datetime:
        return datetime(2026, 11, 1, tzinfo=UTC) + timedelta(seconds=self.now)


def _app(engine: Engine, clock: Clock, **changes: object):  # type: ignore[no-untyped-def]
    settings = Settings(_env_file=None, database_url="sqlite://", admin_token=ADMIN_TOKEN,  # type: ignore[call-arg]
                        telegram_bot_token=None, auth_failures=3, auth_window_seconds=60,
                        auth_block_seconds=300, **changes)
    app = build_app(settings, engine)
    app.state.auth_throttle.clock = clock
    return app


def _client(app: object, address: str = "203.0.113.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_a_guessing_address_gets_429_then_recovers(engine: Engine, session: Session) -> None:
    _, token = make_ejecutor(session)
    clock = Clock()
    app = _app(engine, clock)
    async with _client(app) as guesser, _client(app, "198.51.100.2") as neighbour:
        for guess in ("al_a", "al_b", "al_c"):
            assert (await guesser.get("/api/me", headers=auth(guess))).status_code == 401
        refused = await guesser.get("/api/me", headers=auth(token))  # even the right token, for a while
        assert refused.status_code == 429 and refused.headers["retry-after"] == "300"
        assert refused.headers["x-content-type-options"] == "nosniff"
        assert (await neighbour.get("/api/me", headers=auth(token))).status_code == 200
        clock.now += 299
        assert (await guesser.get("/api/me", headers=auth(token))).headers["retry-after"] == "1"
        clock.now += 1
        assert (await guesser.get("/api/me", headers=auth(token))).status_code == 200
        assert (await guesser.get("/api/me", headers=auth("al_d"))).status_code == 401  # counting afresh


async def test_failures_spread_beyond_the_window_are_not_throttled(engine: Engine, session: Session) -> None:
    clock = Clock()
    async with _client(_app(engine, clock)) as client:
        for _ in range(6):
            assert (await client.get("/api/me", headers=auth("al_wrong"))).status_code == 401
            clock.now += 31  # two failures per window at most


async def test_admin_token_guesses_and_unread_bodies_count(engine: Engine) -> None:
    async with _client(_app(engine, Clock())) as client:
        assert (await client.get("/api/ejecutores", headers=auth("x" * 40))).status_code == 401
        # refused before its body is read (api/kernel/limits.py): a failure all the same
        assert (await client.post("/api/ejecutores", json={"name": "X"}, headers=auth("y" * 40))).status_code == 401
        assert (await client.post("/api/ejecutores", json={"name": "X"})).status_code == 401
        answer = await client.post("/api/ejecutores", json={"name": "ONG"}, headers=auth(ADMIN_TOKEN))
        assert answer.status_code == 429 and int(answer.headers["retry-after"]) > 0
