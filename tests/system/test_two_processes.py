"""Two real `accion-local serve` processes behind one webhook, sharing one database
(a PostgreSQL database, or one SQLite file in WAL mode).

Updates for the same vecinos are interleaved across both processes, and some updates
are delivered to both at once (as Telegram may retry while the first is in flight).
Every update must be applied and answered exactly once: each vecina sees exactly what a
reference vecina saw talking to one process without duplicates, every vote counts once,
and every survey answer (ticks of a multiple choice included) is stored once.
"""

import asyncio
import random
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlmodel import Session, select

from api.ballots.models import BallotVote
from api.barrios.models import Member
from api.chat.models import Conversation
from api.kernel.db import make_engine
from api.kernel.migrate import upgrade
from api.surveys.models import SurveyAnswer, SurveyResponse
from bench.fake_telegram import FakeTelegramServer
from bench.processes import ServeProcess, free_port
from tests.factories import auth, make_barrio, make_ejecutor
from tests.system.vecinas import message, numbered, post, press

VECINOS = 24


SURVEY: dict[str, Any] = {
    "title": {"es": "Consulta rápida", "en": "Quick poll"},
    "questions": [
        {"name": "lugar", "type": "select_one", "required": True,
         "label": {"es": "¿Dónde nos juntamos?", "en": "Where do we meet?"},
         "choices": [{"name": "sede", "label": {"es": "Sede social", "en": "Community hall"}},
                     {"name": "plaza", "label": {"es": "Plaza", "en": "Square"}}]},
        {"name": "aportes", "type": "select_multiple", "required": True,
         "label": {"es": "¿Qué puedes llevar?", "en": "What can you bring?"},
         "choices": [{"name": "ollas", "label": {"es": "Ollas", "en": "Pots"}},
                     {"name": "mesas", "label": {"es": "Mesas", "en": "Tables"}},
                     {"name": "sillas", "label": {"es": "Sillas", "en": "Chairs"}}]},
        {"name": "personas", "type": "integer", "label": {"es": "¿Cuántas personas vienen?", "en": "How many come?"}},
    ],
}
TOGGLES = ([0, 2, 0], [1, 0, 2])  # by chat parity: ticks (one unticked again), then "Listo"
TYPED = ("3", "1.200")
ANSWERS = ({"lugar": "sede", "aportes": ["sillas"], "personas": 3},
           {"lugar": "plaza", "aportes": ["ollas", "mesas", "sillas"], "personas": 1200})


def script(chat: int, code: str, ballot: int, survey: int, first_id: int) -> list[dict[str, Any]]:
    """What one vecina does: join, switch to English, vote, change her vote, answer the
    survey, look at her data. What she chooses depends on her chat's parity."""
    choice, other = chat % 2, 1 - chat % 2
    answering = [press(0, chat, f"sv:{survey}"), press(0, chat, f"sv:{survey}:0:{choice}"),
                 *(press(0, chat, f"sv:{survey}:1:{k}") for k in TOGGLES[choice]),
                 press(0, chat, f"sv:{survey}:1:ok"), message(0, chat, TYPED[choice])]
    steps = [
        message(0, chat, f"/start {code}"), press(0, chat, f"join:es:{code}"),
        press(0, chat, f"consent:yes:es:{code}"), press(0, chat, "lang:en"),
        press(0, chat, f"bl:{ballot}"), press(0, chat, f"bl:{ballot}:t:{other}"), press(0, chat, f"bl:{ballot}:rv"),
        press(0, chat, f"bl:{ballot}:ok"), press(0, chat, f"bl:{ballot}"), press(0, chat, f"bl:{ballot}:t:{choice}"),
        press(0, chat, f"bl:{ballot}:rv"), press(0, chat, f"bl:{ballot}:ok"), *answering,
        message(0, chat, "/misdatos"),
    ]
    return numbered(steps, first_id)


def _seen(fake: FakeTelegramServer, chat: int) -> list[str]:
    """What the chat was shown, with the (random) pseudonymous member id and the minute a
    vote was recorded (the reference may have voted a minute earlier) blanked out."""
    return [re.sub(r"Recorded on [^.]*?[AP]M\.", "Recorded on ….", re.sub(r"v[0-9a-f]{12}", "v…", text))
            for text in fake.recorder.sent[str(chat)]]


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


def _open_survey(server: ServeProcess, token: str, barrio_id: int) -> int:
    created = httpx.post(f"{server.url}/api/surveys", json={"barrio_id": barrio_id, **SURVEY}, headers=auth(token))
    assert created.status_code == 201, created.text
    survey_id = int(created.json()["id"])
    assert httpx.post(f"{server.url}/api/surveys/{survey_id}/open", headers=auth(token)).status_code == 200
    return survey_id


async def _deliver(servers: list[ServeProcess], updates: list[dict[str, Any]], rng: random.Random,
                   twins: float = 0.3) -> None:
    """Send one vecina's updates in order, each to a random process, some to both at once."""
    async with httpx.AsyncClient(timeout=30) as client:
        for update in updates:  # one vecina waits for each answer before the next tap
            targets = servers if rng.random() < twins else [rng.choice(servers)]
            responses = await asyncio.gather(*(post(client, s, update) for s in targets))
            assert all(r.status_code == 200 for r in responses)


def test_two_processes_apply_every_update_once(database_url: str, tmp_path: Any) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, token = make_ejecutor(session)
        barrio = make_barrio(session, ejecutor)
    rng = random.Random(7)
    with FakeTelegramServer(free_port()) as fake:
        servers = [ServeProcess(database_url=database_url, telegram_url=fake.url, log=tmp_path / f"serve{i}.log")
                   for i in range(2)]
        with servers[0], servers[1]:
            ballot = _open_ballot(servers[0], token, barrio.id or 0)
            survey = _open_survey(servers[1], token, barrio.id or 0)
            for reference in (8998, 8999):  # alone, one process, each update once; one per choice
                updates = script(reference, barrio.join_code, ballot, survey, first_id=reference * 100)
                asyncio.run(_deliver(servers[:1], updates, random.Random(0), twins=0.0))
            scripts = [script(9000 + n, barrio.join_code, ballot, survey, first_id=1000 * (n + 1))
                       for n in range(VECINOS)]

            async def everyone() -> None:
                await asyncio.gather(*(_deliver(servers, s, rng) for s in scripts))

            asyncio.run(everyone())
        for n in range(VECINOS):
            assert _seen(fake, 9000 + n) == _seen(fake, 8998 + n % 2)
        for reference, shown in ((8998, "2. What can you bring? — Chairs\n3. How many come? — 3"),
                                 (8999, "2. What can you bring? — Pots, Tables, Chairs\n3. How many come? — 1200")):
            assert sum(shown in text for text in _seen(fake, reference)) == 1  # the review after the last answer
    with Session(engine) as session:
        members = session.exec(select(Member)).all()
        assert len(members) == VECINOS + 2 and {m.locale for m in members} == {"en"}
        states = session.exec(select(Conversation)).all()
        last_ids = sorted(s.last_update_id or 0 for s in states)
        steps = len(scripts[0]) - 1
        assert last_ids == sorted([899_800 + steps, 899_900 + steps] + [1000 * (n + 1) + steps for n in range(VECINOS)])
        votes = session.exec(select(BallotVote)).all()
        assert len(votes) == VECINOS + 2  # one per vecina, though each voted twice
        counted = Counter(tuple(v.choice) for v in votes)
        assert counted == Counter({(0,): VECINOS // 2 + 1, (1,): VECINOS // 2 + 1})
        chats = {m.id: int(m.chat_id) for m in members}
        responses = session.exec(select(SurveyResponse).where(SurveyResponse.survey_id == survey)).all()
        assert sorted(chats[r.member_id] for r in responses) == sorted(chats.values())  # one each
        assert all(r.completed_at is not None for r in responses)
        rows = session.exec(select(SurveyAnswer)).all()
        stored: dict[int, dict[str, Any]] = {chat: {} for chat in chats.values()}
        for row in rows:
            assert row.question not in stored[chats[row.member_id]], "an answer stored twice"
            stored[chats[row.member_id]][row.question] = row.value
        assert stored == {chat: ANSWERS[chat % 2] for chat in chats.values()}
    engine.dispose()
