"""Two real `accion-local serve` processes behind one webhook, sharing one PostgreSQL.

Updates for the same vecinos are interleaved across both processes, and some updates
are delivered to both at once (as Telegram may retry while the first is in flight).
Every update must be applied and answered exactly once: each vecina sees exactly what a
reference vecina saw talking to one process without duplicates, and every vote counts
once.
"""

import asyncio
import os
import random
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from api.db import make_engine
from api.migrate import upgrade
from api.models import BallotVote, Conversation, Member
from bench.fake_telegram import FakeTelegramServer
from bench.processes import WEBHOOK_SECRET, ServeProcess, free_port
from tests.conftest import fresh_postgres_database
from tests.factories import make_barrio, make_ejecutor

pytestmark = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL")

VECINOS = 24


@pytest.fixture
def database() -> Iterator[str]:
    with fresh_postgres_database() as url:
        yield url


def _message(update_id: int, chat: int, text: str) -> dict[str, Any]:
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_790_000_000, "text": text, "entities": entities,
        "chat": {"id": chat, "type": "private"}, "from": {"id": chat, "is_bot": False, "first_name": "V"}}}


def _press(update_id: int, chat: int, data: str) -> dict[str, Any]:
    return {"update_id": update_id, "callback_query": {
        "id": str(update_id), "chat_instance": "c", "data": data,
        "from": {"id": chat, "is_bot": False, "first_name": "V"},
        "message": {"message_id": 1, "date": 1_790_000_000, "chat": {"id": chat, "type": "private"}, "text": "…"}}}


def script(chat: int, code: str, ballot: int, first_id: int) -> list[dict[str, Any]]:
    """What one vecina does: join, switch to English, vote, change her vote, look at her data."""
    choice, other = chat % 2, 1 - chat % 2
    steps = [
        _message(0, chat, f"/start {code}"), _press(0, chat, f"join:es:{code}"),
        _press(0, chat, f"consent:yes:es:{code}"), _press(0, chat, "lang:en"),
        _press(0, chat, f"bl:{ballot}"), _press(0, chat, f"bl:{ballot}:t:{other}"), _press(0, chat, f"bl:{ballot}:rv"),
        _press(0, chat, f"bl:{ballot}:ok"), _press(0, chat, f"bl:{ballot}"), _press(0, chat, f"bl:{ballot}:t:{choice}"),
        _press(0, chat, f"bl:{ballot}:rv"), _press(0, chat, f"bl:{ballot}:ok"), _message(0, chat, "/misdatos"),
    ]
    for offset, update in enumerate(steps):
        update["update_id"] = first_id + offset
    return steps


def _seen(fake: FakeTelegramServer, chat: int) -> list[str]:
    """What the chat was shown, with the (random) pseudonymous member id blanked out."""
    return [re.sub(r"v[0-9a-f]{12}", "v…", text) for text in fake.recorder.sent[str(chat)]]


def _open_ballot(server: ServeProcess, token: str, barrio_id: int) -> int:
    soon = datetime.now(UTC) + timedelta(hours=1)
    body = {"title": "Prioricemos", "method": "single", "opens_at": soon.isoformat(),
            "closes_at": (soon + timedelta(days=3)).isoformat(),
            "iniciativas": [{"title": "Huerto", "ambito": "huertos", "cost": 100_000},
                            {"title": "Plaza", "ambito": "habitabilidad", "cost": 200_000}]}
    headers = {"Authorization": f"Bearer {token}"}
    created = httpx.post(f"{server.url}/api/barrios/{barrio_id}/ballots", json=body, headers=headers)
    assert created.status_code == 201, created.text
    ballot_id = int(created.json()["id"])
    assert httpx.post(f"{server.url}/api/ballots/{ballot_id}/open", headers=headers).status_code == 200
    return ballot_id


async def _deliver(servers: list[ServeProcess], updates: list[dict[str, Any]], rng: random.Random,
                   twins: float = 0.3) -> None:
    """Send one vecina's updates in order, each to a random process, some to both at once."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    async with httpx.AsyncClient(timeout=30) as client:
        for update in updates:  # one vecina waits for each answer before the next tap
            targets = servers if rng.random() < twins else [rng.choice(servers)]
            responses = await asyncio.gather(*(
                client.post(f"{s.url}/telegram/webhook", json=update, headers=headers) for s in targets))
            assert all(r.status_code == 200 for r in responses)


def test_two_processes_apply_every_update_once(database: str, tmp_path: Any) -> None:
    engine = make_engine(database)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, token = make_ejecutor(session)
        barrio = make_barrio(session, ejecutor)
    rng = random.Random(7)
    with FakeTelegramServer(free_port()) as fake:
        servers = [ServeProcess(database_url=database, telegram_url=fake.url, log=tmp_path / f"serve{i}.log")
                   for i in range(2)]
        with servers[0], servers[1]:
            ballot = _open_ballot(servers[0], token, barrio.id or 0)
            for reference in (8998, 8999):  # alone, one process, each update once; one per choice
                updates = script(reference, barrio.join_code, ballot, first_id=reference * 100)
                asyncio.run(_deliver(servers[:1], updates, random.Random(0), twins=0.0))
            scripts = [script(9000 + n, barrio.join_code, ballot, first_id=1000 * (n + 1)) for n in range(VECINOS)]

            async def everyone() -> None:
                await asyncio.gather(*(_deliver(servers, s, rng) for s in scripts))

            asyncio.run(everyone())
        for n in range(VECINOS):
            assert _seen(fake, 9000 + n) == _seen(fake, 8998 + n % 2)
    with Session(engine) as session:
        members = session.exec(select(Member)).all()
        assert len(members) == VECINOS + 2 and {m.locale for m in members} == {"en"}
        states = session.exec(select(Conversation)).all()
        last_ids = sorted(s.last_update_id or 0 for s in states)
        assert last_ids == sorted([899_812, 899_912] + [1000 * (n + 1) + 12 for n in range(VECINOS)])
        votes = session.exec(select(BallotVote)).all()
        assert len(votes) == VECINOS + 2  # one per vecina, though each voted twice
        counted = Counter(tuple(v.choice) for v in votes)
        assert counted == Counter({(0,): VECINOS // 2 + 1, (1,): VECINOS // 2 + 1})
    engine.dispose()
