"""Two real `accion-local serve` processes behind one webhook, sharing one PostgreSQL.

Updates for the same vecinos are interleaved across both processes, and some updates
are delivered to both at once (as Telegram may retry while the first is in flight).
Every update must be applied and answered exactly once.
"""

import asyncio
import os
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlmodel import Session, select

from api.db import make_engine
from api.migrate import upgrade
from api.models import Conversation, Member
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


def script(chat: int, code: str, first_id: int) -> list[dict[str, Any]]:
    """What one vecina does: join, switch to English, look at her data."""
    steps = [
        _message(0, chat, f"/start {code}"), _press(0, chat, f"join:es:{code}"),
        _press(0, chat, f"consent:yes:es:{code}"), _press(0, chat, "lang:en"), _message(0, chat, "/misdatos"),
    ]
    for offset, update in enumerate(steps):
        update["update_id"] = first_id + offset
    return steps


EXPECTED_MESSAGES = 1 + 1 + 2 + 1 + 1  # what the script above shows, delivered once


async def _deliver(servers: list[ServeProcess], updates: list[dict[str, Any]], rng: random.Random) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    async with httpx.AsyncClient(timeout=30) as client:
        for update in updates:  # one vecina waits for each answer before the next tap
            targets = servers if rng.random() < 0.3 else [rng.choice(servers)]
            responses = await asyncio.gather(*(
                client.post(f"{s.url}/telegram/webhook", json=update, headers=headers) for s in targets))
            assert all(r.status_code == 200 for r in responses)


def test_two_processes_apply_every_update_once(database: str, tmp_path: Any) -> None:
    engine = make_engine(database)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, _ = make_ejecutor(session)
        code = make_barrio(session, ejecutor).join_code
    rng = random.Random(7)
    with FakeTelegramServer(free_port()) as fake:
        servers = [ServeProcess(database_url=database, telegram_url=fake.url, log=tmp_path / f"serve{i}.log")
                   for i in range(2)]
        with servers[0], servers[1]:
            scripts = [script(9000 + n, code, first_id=1000 * (n + 1)) for n in range(VECINOS)]

            async def everyone() -> None:
                await asyncio.gather(*(_deliver(servers, s, rng) for s in scripts))

            asyncio.run(everyone())
        for n in range(VECINOS):
            assert len(fake.recorder.sent[str(9000 + n)]) == EXPECTED_MESSAGES, fake.recorder.sent[str(9000 + n)]
    with Session(engine) as session:
        members = session.exec(select(Member)).all()
        assert len(members) == VECINOS and {m.locale for m in members} == {"en"}
        states = session.exec(select(Conversation)).all()
        assert sorted(s.last_update_id or 0 for s in states) == [1000 * (n + 1) + 4 for n in range(VECINOS)]
    engine.dispose()
