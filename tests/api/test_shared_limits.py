"""Two processes on one database enforce one limit: failed authentications per address, codes a chat
misses, staff logins, exports at once. Each "process" here is an app (or chat service) on an engine
of its own, on the same database."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import HTTPException
from sqlalchemy import Engine, select
from sqlmodel import Session

from api.kernel.config import Settings
from api.kernel.db import make_engine
from api.kernel.shared_limits import SharedCounter, block, hit, prune_counters
from api.staff.models import LoginFailure
from api.staff.store import BadCredentials, Throttled, log_in
from api.staff.throttle import FREE
from bot.main import build_app
from conversations.barrios.codes import MAX_MISSES
from conversations.kernel.events import Event
from tests.factories import ADMIN_TOKEN, VECINA, auth, chat_service, make_barrio, make_ejecutor, make_staff, make_survey

WRONG = ["AAAAA" + c for c in "ABCDEFGHJK"]


@pytest.fixture
def other(engine: Engine) -> Iterator[Engine]:
    """A second process's engine on the same database."""
    second = make_engine(engine.url.render_as_string(hide_password=False))
    yield second
    second.dispose()


def _settings(**changes: object) -> Settings:
    return Settings(_env_file=None, database_url="sqlite://", admin_token=ADMIN_TOKEN,  # type: ignore[call-arg]
                    telegram_bot_token=None, **changes)


def _client(app: object, address: str = "203.0.113.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_failed_authentications_from_one_address_add_up_across_processes(engine: Engine,
                                                                               other: Engine) -> None:
    now = [datetime(2026, 11, 1, tzinfo=UTC)]
    apps = [build_app(_settings(auth_failures=3, auth_window_seconds=60, auth_block_seconds=300), e)
            for e in (engine, other)]
    for app in apps:
        app.state.auth_throttle.clock = lambda: now[0]
    async with _client(apps[0]) as first, _client(apps[1]) as second:
        assert (await first.get("/api/me", headers=auth("al_a"))).status_code == 401
        assert (await first.get("/api/me", headers=auth("al_b"))).status_code == 401
        assert (await second.get("/api/me", headers=auth("al_c"))).status_code == 401  # the third, in all
        refused = await second.get("/api/me", headers=auth("al_d"))
        assert refused.status_code == 429 and refused.headers["retry-after"] == "300"
        now[0] += timedelta(seconds=1)  # the first process asks the database again (at most once a second)
        assert (await first.get("/api/me", headers=auth("al_e"))).status_code == 429
        now[0] += timedelta(seconds=300)
        assert (await first.get("/api/me", headers=auth("al_f"))).status_code == 401


def test_a_chat_guessing_codes_gets_its_few_tries_in_all_processes(engine: Engine, other: Engine) -> None:
    services = [chat_service(engine), chat_service(other)]
    answers = [services[n % 2].handle(VECINA, Event.parse(f"/start {WRONG[n]}"), n + 1)[0].text
               for n in range(MAX_MISSES + 1)]
    assert all("No encontré" in answer for answer in answers[:MAX_MISSES])
    assert "espera" in answers[MAX_MISSES]
    with engine.connect() as connection:  # the chat is kept only as a hash, for the period
        (stored,) = connection.execute(select(SharedCounter.key)).scalars().all()
    assert stored.startswith("code:") and len(stored) == len("code:") + 64


def test_failed_logins_in_processes_at_once_are_all_counted(engine: Engine, other: Engine, session: Session) -> None:
    make_staff(session, make_ejecutor(session)[0])
    engines = [engine, other] * 4
    moment = datetime(2026, 11, 1, tzinfo=UTC)

    def fail(on: Engine) -> type[Exception]:
        """What refused the wrong password: its check (counted), or the block earlier failures set (not)."""
        with Session(on) as own:
            try:
                log_in(own, email="ana@ong.cl", password="wrong password", address="198.51.100.9", now=moment)
            except (BadCredentials, Throttled) as refused:
                return type(refused)
        raise AssertionError("a wrong password was let in")

    with ThreadPoolExecutor(4) as pool:
        refusals = list(pool.map(fail, engines))
    checked = refusals.count(BadCredentials)  # how many got past the block check before the block was set
    assert checked > FREE and refusals.count(Throttled) == len(engines) - checked
    with Session(engine) as fresh:
        counted = fresh.get(LoginFailure, "email:ana@ong.cl")
        assert counted is not None and counted.failures == checked  # none lost between the processes
        assert counted.blocked_until == moment + timedelta(seconds=2 ** (checked - FREE))
    with Session(other) as elsewhere, pytest.raises(Throttled):
        log_in(elsewhere, email="ana@ong.cl", password="wrong password", address="198.51.100.10", now=moment)


async def test_exports_at_once_are_counted_across_processes(engine: Engine, other: Engine, session: Session) -> None:
    ejecutor, token = make_ejecutor(session)
    survey = make_survey(session, make_barrio(session, ejecutor))
    settings = _settings(exports_per_organisation=1, exports_total=2)
    first, second = build_app(settings, engine), build_app(settings, other)
    async with _client(second) as client:
        running = first.state.export_gate.enter(ejecutor.id)  # under way in the first process
        refused = await client.get(f"/api/surveys/{survey.id}/responses.csv", headers=auth(token))
        assert refused.status_code == 429 and "your organisation" in refused.json()["detail"]
        elsewhere = first.state.export_gate.enter(0)  # another organisation's: two in all, the limit
        with pytest.raises(HTTPException, match="the server"):
            second.state.export_gate.enter(7)
        running.done()
        elsewhere.done()
        assert (await client.get(f"/api/surveys/{survey.id}/responses.csv", headers=auth(token))).status_code == 200


def test_counters_over_for_an_hour_are_pruned_blocked_ones_kept(engine: Engine) -> None:
    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    with engine.begin() as connection:
        hit(connection, "code:old", now - timedelta(hours=2), timedelta(hours=1))
        hit(connection, "code:recent", now - timedelta(minutes=30), timedelta(hours=1))
        hit(connection, "auth:198.51.100.1", now - timedelta(hours=2), timedelta(minutes=1))
        block(connection, "auth:198.51.100.1", now + timedelta(minutes=5), now - timedelta(hours=2))
    prune_counters(engine, now)
    with engine.connect() as connection:
        assert sorted(connection.execute(select(SharedCounter.key)).scalars()) == ["auth:198.51.100.1", "code:recent"]
