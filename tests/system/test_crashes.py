"""Faults: the server killed with SIGKILL mid-broadcast and mid-survey, and the Bot API unreachable.

A broadcast must finish after a restart, with every vecino getting the message and at
most one duplicate for the message in flight at the crash; while Telegram does not
answer, queued messages wait and go out when it is back. Vecinas answering a survey
while the server is killed lose no answer and store none twice once Telegram has
redelivered the updates that got no 200.
"""

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from api.barrios.directory import SqlDirectory
from api.barrios.models import Member
from api.chat.models import Conversation, HandledUpdate
from api.kernel.db import make_engine
from api.kernel.migrate import upgrade
from api.outbox.enqueue import enqueue
from api.outbox.models import SENT, OutboxMessage
from api.surveys.models import SurveyAnswer, SurveyResponse
from bench.fake_telegram import FakeTelegramServer, Recorder
from bench.processes import ServeProcess, free_port
from conversations.kernel.replies import Reply
from tests.factories import auth, make_barrio, make_ejecutor
from tests.system.vecinas import message, numbered, post, press

FAST_RECOVERY = {"OUTBOX_LEASE_SECONDS": "3", "OUTBOX_RATE": "28.5"}


def _queue_broadcast(engine: Engine, recipients: int, first_chat: int = 7000) -> None:
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, _ = make_ejecutor(session)
        barrio = make_barrio(session, ejecutor)
        directory = SqlDirectory(session, channel="telegram", chat_id="")
        for n in range(recipients):
            directory.chat_id = str(first_chat + n)
            directory.join(barrio_id=barrio.id or 0, role="vecino", locale=("es", "ht", "en")[n % 3])
        session.commit()
        enqueue(session, barrio=barrio, kind="convocatoria", ref_id=1,
                render=lambda t, _member: Reply(t._("¿Qué quieres hacer?")))
        session.commit()


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _sent_rows(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == SENT)).one()


def test_a_broadcast_finishes_after_the_server_is_killed(database_url: str, tmp_path: Path) -> None:
    recipients = 90
    engine = make_engine(database_url)
    upgrade(engine)
    _queue_broadcast(engine, recipients)
    recorder = Recorder(rate=30, per_chat_limit=True)
    with FakeTelegramServer(free_port(), recorder) as fake:
        first = ServeProcess(database_url=database_url, telegram_url=fake.url, log=tmp_path / "first.log",
                             extra_env=FAST_RECOVERY).start()
        _wait(lambda: sum(len(t) for t in recorder.sent.values()) >= 30, 30, "a third of the broadcast")
        first.kill()
        delivered_at_crash = sum(len(t) for t in recorder.sent.values())
        assert delivered_at_crash < recipients, "the broadcast ended before the crash; nothing was tested"
        with ServeProcess(database_url=database_url, telegram_url=fake.url, log=tmp_path / "second.log",
                          extra_env=FAST_RECOVERY):
            _wait(lambda: _sent_rows(engine) == recipients, 60, "the broadcast to finish after the restart")
    per_chat = [len(recorder.sent[str(7000 + n)]) for n in range(recipients)]
    assert min(per_chat) == 1, "a vecina never got the convocatoria"
    assert sum(per_chat) - recipients <= 1, f"{sum(per_chat) - recipients} duplicates after one crash"
    engine.dispose()


def test_messages_wait_while_the_bot_api_is_unreachable(database_url: str, tmp_path: Path) -> None:
    recipients = 12
    engine = make_engine(database_url)
    upgrade(engine)
    port = free_port()
    recorder = Recorder()
    with FakeTelegramServer(port, recorder) as fake:
        server = ServeProcess(database_url=database_url, telegram_url=fake.url, log=tmp_path / "serve.log",
                              extra_env=FAST_RECOVERY).start()
    try:
        _queue_broadcast(engine, recipients)  # Telegram is down now
        time.sleep(8)  # longer than the sender's backoff for five ordinary failures
        with Session(engine) as session:
            rows = session.exec(select(OutboxMessage)).all()
        assert {row.status for row in rows} <= {"pending", "sending"}, "messages given up during the outage"
        assert any("unreachable" in (row.error or "") for row in rows), "the sender never tried during the outage"
        with FakeTelegramServer(port, recorder):  # Telegram is back on the same address
            _wait(lambda: _sent_rows(engine) == recipients, 40, "the queued messages after the outage")
    finally:
        server.stop()
    assert sorted(len(recorder.sent[str(7000 + n)]) for n in range(recipients)) == [1] * recipients
    engine.dispose()


def _labelled(*names: str) -> list[dict[str, str]]:
    return [{"name": name, "label": name.capitalize()} for name in names]


CENSO: dict[str, Any] = {
    "title": "Censo del pasaje",
    "questions": [
        {"name": "anos", "type": "integer", "required": True, "label": "¿Cuántos años llevas en el barrio?",
         "constraint": ". <= 99", "constraint_message": "Máximo 99."},
        {"name": "vivienda", "type": "select_one", "required": True, "label": "¿Dónde vives?",
         "choices": _labelled("casa", "depto", "pieza", "mediagua")},
        {"name": "problemas", "type": "select_multiple", "required": True, "label": "¿Qué problemas ves?",
         "choices": _labelled("basura", "luz", "seguridad", "plazas", "micros")},
        {"name": "hogar", "type": "integer", "label": "¿Cuántas personas viven contigo?"},
        {"name": "idea", "type": "text", "label": "¿Qué mejorarías primero?"},
        {"name": "participa", "type": "select_one", "required": True, "label": "¿Participas en una organización?",
         "choices": _labelled("si", "no")},
        {"name": "cual", "type": "text", "label": "¿En cuál?", "relevant": "${participa} = 'si'"},
        {"name": "horarios", "type": "select_multiple", "label": "¿Cuándo puedes juntarte?",
         "choices": _labelled("manana", "tarde", "noche")},
        {"name": "nota", "type": "scale", "label": "¿Qué nota le pones a la plaza?"},
        {"name": "comentario", "type": "text", "label": "¿Algo más?"},
    ],
}
QUESTIONS = {q["name"]: q for q in CENSO["questions"]}


def _choices(question: str) -> list[str]:
    return [c["name"] for c in QUESTIONS[question]["choices"]]


@dataclass
class Vecina:
    """One vecina's updates, in order, and the answers they must leave stored."""

    chat: int
    updates: list[dict[str, Any]]
    answers: dict[str, Any]
    status: dict[int, int] = field(default_factory=dict)  # update id -> last HTTP status (0: no answer)


def _survey_vecina(chat: int, code: str, survey: int, first_id: int) -> Vecina:
    """Join, then answer the census: invalid numbers, toggles, skips, going back, skip logic."""
    rng = random.Random(chat)
    base, answers = f"sv:{survey}", {}
    steps: list[tuple[bool, str]] = []  # (typed?, text or button data)

    def say(text: str) -> None:
        steps.append((True, text))

    def tap(data: str) -> None:
        steps.append((False, data))

    say(f"/start {code}")
    tap(f"join:es:{code}")
    tap(f"consent:yes:es:{code}")
    tap(base)
    if chat % 3 == 0:
        say("muchos")  # not a number: asked again, nothing stored
    elif chat % 3 == 1:
        say("150")  # breaks the constraint: asked again
    answers["anos"] = rng.randint(0, 60)
    say(str(answers["anos"]))
    house = rng.randrange(4)
    tap(f"{base}:1:{house}")
    answers["vivienda"] = _choices("vivienda")[house]
    chosen = sorted(rng.sample(range(5), rng.randint(1, 3)))
    extra = rng.choice([k for k in range(5) if k not in chosen])
    toggles = [*chosen, extra]
    rng.shuffle(toggles)
    for k in [*toggles, extra]:  # the extra one ticked, then unticked again
        tap(f"{base}:2:{k}")
    tap(f"{base}:2:ok")
    answers["problemas"] = [_choices("problemas")[k] for k in chosen]
    if rng.random() < 0.3:
        tap(f"{base}:3:skip")
        answers["hogar"] = None
    else:
        answers["hogar"] = rng.randint(1, 9)
        say(f"{answers['hogar']}")
    answers["idea"] = f"Más luz en el pasaje {chat}"
    say(answers["idea"])
    if chat % 2:  # back to the idea, and a better one
        tap(f"{base}:5:back")
        answers["idea"] = f"Arreglar la plaza, con ñandúes {chat}"
        say(answers["idea"])
    joins = rng.random() < 0.5
    tap(f"{base}:5:{0 if joins else 1}")
    answers["participa"] = "si" if joins else "no"
    if joins:
        answers["cual"] = f"Junta de vecinos {chat % 7}"
        say(answers["cual"])
    when = sorted(rng.sample(range(3), rng.randint(0, 2)))
    for k in when:
        tap(f"{base}:7:{k}")
    tap(f"{base}:7:ok")
    answers["horarios"] = [_choices("horarios")[k] for k in when] or None
    answers["nota"] = rng.randint(1, 5)
    tap(f"{base}:8:{answers['nota'] - 1}")
    if rng.random() < 0.3:
        tap(f"{base}:9:skip")
        answers["comentario"] = None
    else:
        answers["comentario"] = f"Gracias por preguntar ({chat})"
        say(answers["comentario"])
    tap(base)  # looks at her answers once more
    updates = [message(0, chat, text) if typed else press(0, chat, text) for typed, text in steps]
    return Vecina(chat, numbered(updates, first_id), answers)


def _review(answers: dict[str, Any]) -> str:
    """The summary a vecina sees when she opens the finished survey again."""
    lines = [f"Tus respuestas a «{CENSO['title']}»:"]
    shown = [q for q in CENSO["questions"] if q["name"] in answers]
    for number, question in enumerate(shown, start=1):
        value = answers[question["name"]]
        labels = {c["name"]: c["label"] for c in question.get("choices", [])}
        if value is None:
            text = "(sin respuesta)"
        elif isinstance(value, list):
            text = ", ".join(labels[v] for v in value)
        else:
            text = labels.get(value, str(value)) if isinstance(value, str) else str(value)
        lines.append(f"{number}. {question['label']} — {text}")
    lines.append("Puedes cambiarlas hasta que la encuesta cierre.")
    return "\n".join(lines)


class Crash:
    """Telegram's side: posts each vecina's updates in order, SIGKILLs the server after
    `after` acknowledged updates (with others in flight), restarts it on the same port and
    redelivers every update that got no 200."""

    def __init__(self, first: ServeProcess, second: ServeProcess, after: int, engine: Engine) -> None:
        self.server, self.second, self.after, self.engine = first, second, after, engine
        self.acknowledged = self.in_flight = 0
        self.in_flight_at_kill = -1
        self.redelivered: list[int] = []
        self.failed: list[int] = []
        self.applied_unacknowledged: list[int] = []  # committed before the kill, but no 200
        self.back = asyncio.Event()
        self.restarting: asyncio.Task[Any] | None = None

    def _maybe_kill(self) -> None:
        if self.restarting is None and self.acknowledged >= self.after and self.in_flight > 0:
            self.in_flight_at_kill = self.in_flight
            self.server.kill()
            self.restarting = asyncio.create_task(self._restart())

    async def _restart(self) -> None:
        await asyncio.to_thread(self.second.start)
        with Session(self.engine) as session:  # nothing is redelivered before `back` is set
            self.applied_unacknowledged = sorted(session.exec(select(HandledUpdate.update_id).where(
                HandledUpdate.update_id.in_(self.failed))).all())  # type: ignore[attr-defined]
        self.server = self.second
        self.back.set()

    async def deliver(self, client: httpx.AsyncClient, vecina: Vecina) -> None:
        for update in vecina.updates:
            for attempt in range(4):  # the first delivery and Telegram's redeliveries
                if attempt:
                    await asyncio.wait_for(self.back.wait(), 60)
                    self.redelivered.append(update["update_id"])
                self.in_flight += 1
                try:
                    response: httpx.Response | None = await post(client, self.server, update)
                except httpx.TransportError:
                    response = None
                finally:
                    self.in_flight -= 1
                vecina.status[update["update_id"]] = response.status_code if response is not None else 0
                if response is None or response.status_code != 200:
                    self.failed.append(update["update_id"])
                if response is not None and response.status_code == 200:
                    self.acknowledged += 1
                    self._maybe_kill()
                    break


def test_a_survey_loses_no_answer_when_the_server_is_killed(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, token = make_ejecutor(session)
        barrio = make_barrio(session, ejecutor)
    rng = random.Random()
    seed = rng.randrange(10_000)
    with FakeTelegramServer(free_port()) as fake:
        first = ServeProcess(database_url=database_url, telegram_url=fake.url, log=tmp_path / "first.log").start()
        second = ServeProcess(database_url=database_url, telegram_url=fake.url, port=first.port,
                              log=tmp_path / "second.log")
        try:
            created = httpx.post(f"{first.url}/api/surveys", json={"barrio_id": barrio.id, **CENSO},
                                 headers=auth(token))
            assert created.status_code == 201, created.text
            survey = int(created.json()["id"])
            assert httpx.post(f"{first.url}/api/surveys/{survey}/open", headers=auth(token)).status_code == 200
            vecinas = [_survey_vecina(7100 + seed + n, barrio.join_code, survey, first_id=(n + 1) * 1000)
                       for n in range(6)]
            total = sum(len(v.updates) for v in vecinas)
            crash = Crash(first, second, random.Random(seed).randint(total // 5, total // 2), engine)

            async def everyone() -> None:
                async with httpx.AsyncClient(timeout=30) as client:
                    await asyncio.gather(*(crash.deliver(client, v) for v in vecinas))
                if crash.restarting is not None:
                    await crash.restarting

            asyncio.run(everyone())
        finally:
            first.kill()
            second.stop()
    context = f"seed {seed}, killed after {crash.after} of {total} updates"
    print(f"{context}: {crash.in_flight_at_kill} in flight, redelivered {crash.redelivered}, "
          f"of which applied before the kill {crash.applied_unacknowledged}")
    assert crash.in_flight_at_kill > 0, f"the server was never killed mid-request ({context})"
    assert crash.redelivered, f"no update needed redelivery ({context})"
    for vecina in vecinas:  # Telegram got a 200 for every update in the end
        assert set(vecina.status.values()) == {200}, f"chat {vecina.chat}: {vecina.status} ({context})"
        seen = fake.recorder.sent[str(vecina.chat)]
        assert seen and seen[-1] == _review(vecina.answers), f"chat {vecina.chat} ({context})"
        assert not [text for text in seen if "Algo falló" in text], context
    with Session(engine) as session:
        handled = set(session.exec(select(HandledUpdate.update_id)).all())
        assert {u["update_id"] for v in vecinas for u in v.updates} <= handled, f"an update was dropped ({context})"
        members = {m.chat_id: m.id for m in session.exec(select(Member)).all()}
        responses = session.exec(select(SurveyResponse).where(SurveyResponse.survey_id == survey)).all()
        assert sorted(r.member_id for r in responses) == sorted(members[str(v.chat)] for v in vecinas)
        for vecina in vecinas:
            member = members[str(vecina.chat)]
            response = next(r for r in responses if r.member_id == member)
            assert response.completed_at is not None, f"chat {vecina.chat}: incomplete ({context})"
            rows = session.exec(select(SurveyAnswer).where(SurveyAnswer.response_id == response.id)).all()
            stored = [(row.question, row.value) for row in rows]
            assert sorted(stored, key=str) == sorted(vecina.answers.items(), key=str), f"chat {vecina.chat} ({context})"
            assert all(row.member_id == member for row in rows)
            state = session.exec(select(Conversation).where(Conversation.chat_id == str(vecina.chat))).one()
            assert (state.member_id, state.step, state.last_update_id) == (
                member, "idle", vecina.updates[-1]["update_id"]), f"chat {vecina.chat} ({context})"
    engine.dispose()
