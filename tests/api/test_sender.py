"""The outbox sender against a fake Bot API: what vecinos receive, once, at Telegram's pace."""

from collections import Counter
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import pytest
import respx
from sqlalchemy import Engine
from sqlmodel import Session, select
from telegram import Bot

from api.barrios.models import Barrio, Member
from api.kernel.metrics import Metrics
from api.kernel.types import utcnow
from api.outbox.enqueue import enqueue
from api.outbox.models import OutboxMessage, SendPace
from api.outbox.sender import SENT_OK, OutboxWorker, Sender, delivery_counts
from bot.sender import outbox_bot, telegram_deliver
from conversations.kernel.replies import Button, Reply, rows
from tests.factories import make_barrio, make_ejecutor
from tests.fakes.telegram import BASE_URL, TOKEN, _params

Answer = Callable[[int], httpx.Response]


def ok(chat_id: int) -> httpx.Response:
    return httpx.Response(200, json={"ok": True, "result": {
        "message_id": 1, "date": 0, "chat": {"id": chat_id, "type": "private"}, "text": "x"}})


def too_many(seconds: int) -> Answer:
    return lambda _chat: httpx.Response(429, json={
        "ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {seconds}",
        "parameters": {"retry_after": seconds}})


def blocked(_chat: int) -> httpx.Response:
    return httpx.Response(403, json={"ok": False, "error_code": 403,
                                     "description": "Forbidden: bot was blocked by the user"})


def bad_gateway(_chat: int) -> httpx.Response:
    return httpx.Response(502, json={"ok": False, "error_code": 502, "description": "Bad Gateway"})


class ScriptedBotApi:
    """Answers sendMessage per chat from a script (default: accepted); records what arrived."""

    def __init__(self) -> None:
        self.script: dict[int, list[Answer]] = {}
        self.received: list[tuple[int, str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.rsplit("/", 1)[-1]
        if method == "getMe":
            return httpx.Response(200, json={"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "B",
                                                                    "username": "TestAccionBot"}})
        params = _params(request)
        chat = int(params["chat_id"])
        queue = self.script.get(chat) or []
        response = (queue.pop(0) if queue else ok)(chat)
        if response.status_code == 200:
            self.received.append((chat, params["text"], params.get("reply_markup")))
        return response

    def delivered(self) -> Counter[int]:
        return Counter(chat for chat, _, _ in self.received)


@pytest.fixture
async def fake() -> AsyncIterator[ScriptedBotApi]:
    api = ScriptedBotApi()
    with respx.mock(assert_all_called=False, using="httpx") as router:
        router.route(host="bot-api.test").mock(side_effect=api)
        yield api


@pytest.fixture
async def bot(fake: ScriptedBotApi) -> AsyncIterator[Bot]:
    async with outbox_bot(TOKEN, BASE_URL) as bot:
        yield bot


def _barrio_with(session: Session, vecinos: int) -> tuple[Barrio, list[Member]]:
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    members = [Member(id=f"v{i:04d}", barrio_id=barrio.id or 0, channel="telegram", chat_id=str(7000 + i),
                      locale=("es", "en", "ht")[i % 3]) for i in range(vecinos)]
    session.add_all(members)
    session.commit()
    enqueue(session, barrio=barrio, kind="announcement", ref_id=1,
            render=lambda t, m: Reply(t._("Sí, salir") + f" {m.id}", rows(Button("ok", "menu"))))
    session.commit()
    return barrio, members


def _rows(session: Session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())  # type: ignore[arg-type]


async def _send_all(engine: Engine, bot: Bot, rounds: int = 10, **worker: Any) -> Sender:
    sender = Sender(OutboxWorker(engine, rate=1000.0, **worker), telegram_deliver(bot))
    for _ in range(rounds):
        if not await sender.run_once():
            break
    await sender.drain()
    return sender


async def test_every_vecino_gets_the_message_once_in_their_language(
        engine: Engine, session: Session, fake: ScriptedBotApi, bot: Bot) -> None:
    _, members = _barrio_with(session, 6)
    await _send_all(engine, bot)
    assert fake.delivered() == Counter({int(m.chat_id): 1 for m in members})
    texts = {chat: text for chat, text, _ in fake.received}
    assert texts[7000].startswith("Sí, salir") and texts[7001].startswith("Yes, leave")
    assert fake.received[0][2] == {"inline_keyboard": [[{"text": "ok", "callback_data": "menu"}]]}
    assert {r.status for r in _rows(session)} == {"sent"}
    assert delivery_counts(session, kind="announcement", ref_id=1)["sent"] == 6

    await _send_all(engine, bot)  # nothing left: nothing is sent again
    assert sum(fake.delivered().values()) == 6


async def test_retry_after_pauses_sending_and_retries_later(
        engine: Engine, session: Session, fake: ScriptedBotApi, bot: Bot) -> None:
    _barrio_with(session, 1)
    fake.script[7000] = [too_many(3)]
    before = utcnow()
    await _send_all(engine, bot, rounds=1)
    row = _rows(session)[0]
    assert (row.status, row.attempts) == ("pending", 0)  # a 429 does not count as a failed try
    assert row.not_before >= before + timedelta(seconds=3)
    pace = session.get(SendPace, 1)
    assert pace is not None and pace.next_slot >= before + timedelta(seconds=3)  # every process waits

    worker = OutboxWorker(engine)
    assert worker.claim(10) == []  # not before Telegram's delay
    later = utcnow() + timedelta(seconds=4)
    assert [m.chat_id for m in worker.claim(10, now=later)] == ["7000"]


async def test_sends_429s_and_pauses_are_counted(engine: Engine, session: Session, fake: ScriptedBotApi,
                                                 bot: Bot) -> None:
    _barrio_with(session, 2)
    fake.script[7001] = [too_many(3)]  # the second: the first is sent before the pause can hold it back
    metrics = Metrics()
    sender = Sender(OutboxWorker(engine, rate=1000.0), telegram_deliver(bot), metrics=metrics)
    await sender.run_once()
    await sender.drain()
    sample = metrics.registry.get_sample_value
    assert sample("accion_outbox_sends_total", {"outcome": "retry_after"}) == 1
    assert sample("accion_outbox_sends_total", {"outcome": "sent"}) == 1
    assert sample("accion_outbox_rate_limited_total") == 1
    assert sample("accion_outbox_pause_seconds_total") == 3


async def test_on_shutdown_claimed_rows_are_handed_back_at_once(engine: Engine, session: Session) -> None:
    _barrio_with(session, 3)
    stopping = OutboxWorker(engine, worker="stopping", lease_seconds=60)
    other = OutboxWorker(engine, worker="other", lease_seconds=60)
    held = stopping.claim(2)
    stopping.record(held[0], SENT_OK)
    assert [m.chat_id for m in other.claim(10)] == ["7002"]  # the held row waits for its lease
    assert stopping.release_held() == 1  # the unsent one; the other process's claim is not touched
    back = other.claim(10)
    assert [(m.chat_id, m.attempts) for m in back] == [(held[1].chat_id, 1)]  # not counted as a failed try
    assert {r.status for r in _rows(session)} == {"sent", "sending"}


async def test_blocked_bot_marks_the_vecino_unreachable(
        engine: Engine, session: Session, fake: ScriptedBotApi, bot: Bot) -> None:
    barrio, _ = _barrio_with(session, 2)
    enqueue(session, barrio=barrio, kind="announcement", ref_id=2, render=lambda t, m: Reply("segundo"))
    session.commit()
    fake.script[7001] = [blocked]
    await _send_all(engine, bot)
    by_member = {(r.member_id, r.ref_id): r.status for r in _rows(session)}
    assert by_member == {("v0000", 1): "sent", ("v0000", 2): "pending",  # 1 s after the first, to that chat
                         ("v0001", 1): "unreachable", ("v0001", 2): "unreachable"}
    assert fake.delivered()[7001] == 0
    session.expire_all()
    assert session.get(Member, "v0001").reachable is False  # type: ignore[union-attr]
    assert delivery_counts(session, kind="announcement", ref_id=1) == {
        "pending": 0, "sending": 0, "sent": 1, "failed": 0, "unreachable": 1}


async def test_server_errors_retry_with_backoff_then_fail(
        engine: Engine, session: Session, fake: ScriptedBotApi, bot: Bot) -> None:
    _barrio_with(session, 2)
    fake.script[7000] = [bad_gateway]  # one failure, then accepted
    fake.script[7001] = [bad_gateway] * 10
    worker = OutboxWorker(engine, rate=1000.0, max_attempts=3)
    sender = Sender(worker, telegram_deliver(bot))
    for round_ in range(4):
        await sender.run_once()
        await sender.drain()
        retry = {r.chat_id: r for r in _rows(session)}
        if round_ < 2:  # tries 1 and 2 of 3 failed: waiting out a backoff
            assert retry["7001"].status == "pending" and retry["7001"].not_before > utcnow()
        else:
            assert retry["7001"].status == "failed"
        with Session(engine) as s:  # let time pass: the backoff is over
            for r in s.exec(select(OutboxMessage).where(OutboxMessage.status == "pending")):
                r.not_before = utcnow() - timedelta(seconds=1)
                s.add(r)
            s.commit()
    final = {r.chat_id: (r.status, r.attempts) for r in _rows(session)}
    assert final == {"7000": ("sent", 2), "7001": ("failed", 3)}
    assert "Bad Gateway" in (_rows(session)[1].error or "")
    assert fake.delivered() == Counter({7000: 1})


async def test_after_a_crash_expired_leases_are_sent_and_sent_rows_never_again(
        engine: Engine, session: Session, fake: ScriptedBotApi, bot: Bot) -> None:
    _barrio_with(session, 5)
    crashed = OutboxWorker(engine, worker="crashed", lease_seconds=60)
    claimed = crashed.claim(3)  # claimed, then the process died before sending
    assert len(claimed) == 3
    crashed.record(claimed[0], outcome=SENT_OK)  # this one had gone out

    survivor = OutboxWorker(engine, worker="survivor", lease_seconds=60)
    fresh = survivor.claim(10)
    assert [m.chat_id for m in fresh] == ["7003", "7004"]  # the crashed leases are still running
    for message in fresh:
        survivor.record(message, SENT_OK)
    survivor_late = survivor.claim(10, now=utcnow() + timedelta(seconds=61))
    assert sorted(m.chat_id for m in survivor_late) == ["7001", "7002"]
    for message in survivor_late:
        assert message.attempts == 2


async def test_two_processes_never_claim_the_same_row(engine: Engine, session: Session) -> None:
    _barrio_with(session, 40)
    first, second = OutboxWorker(engine, worker="a"), OutboxWorker(engine, worker="b")
    taken = [m.id for m in first.claim(25)] + [m.id for m in second.claim(25)] + [m.id for m in first.claim(25)]
    assert sorted(taken) == sorted(r.id for r in _rows(session))  # every row, each once


async def test_one_message_per_chat_at_a_time(engine: Engine, session: Session) -> None:
    barrio, _ = _barrio_with(session, 1)
    enqueue(session, barrio=barrio, kind="announcement", ref_id=2, render=lambda t, m: Reply("segundo"))
    session.commit()
    worker = OutboxWorker(engine)
    first = worker.claim(10)
    assert len(first) == 1 and worker.claim(10) == []  # the chat has a message in flight
    worker.record(first[0], SENT_OK)
    assert worker.claim(10) == []  # ... and just got one
    assert len(worker.claim(10, now=utcnow() + timedelta(seconds=1.5))) == 1


def test_slots_are_shared_by_every_process(engine: Engine) -> None:
    now = utcnow()
    first, second = OutboxWorker(engine, rate=30.0), OutboxWorker(engine, rate=30.0)
    assert first.reserve(30, now=now) == now
    assert second.reserve(15, now=now) == now + timedelta(seconds=1)  # after the first's 30 slots
    assert first.reserve(1, now=now) == now + timedelta(seconds=1.5)


def test_concurrent_processes_claim_each_row_exactly_once(engine: Engine, session: Session) -> None:
    _barrio_with(session, 120)
    workers = [OutboxWorker(engine, worker=f"p{i}") for i in range(4)]

    def work(worker: OutboxWorker) -> list[int]:
        mine: list[int] = []
        while batch := worker.claim(7):
            for message in batch:
                worker.record(message, SENT_OK)
                mine.append(message.id)
        return mine

    with ThreadPoolExecutor(max_workers=4) as pool:
        taken = [row_id for ids in pool.map(work, workers) for row_id in ids]
    assert len(taken) == len(set(taken)) == 120
    assert {r.status for r in _rows(session)} == {"sent"}


def test_two_processes_enqueuing_at_once_queue_each_message_once(engine: Engine, session: Session) -> None:
    """A periodic job runs in every process: both may enqueue the same reminders at once."""
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite takes one writer at a time)")
    barrio, members = _barrio_with(session, 30)
    first, second = Session(engine), Session(engine)
    try:
        def queue(into: Session) -> int:
            queued = enqueue(into, barrio=barrio, kind="reminder", ref_id=5, render=lambda t, m: Reply("mañana"))
            into.commit()
            return queued

        with ThreadPoolExecutor(1) as pool:
            enqueue(first, barrio=barrio, kind="reminder", ref_id=5, render=lambda t, m: Reply("mañana"))
            later = pool.submit(queue, second)  # reads nothing queued, then waits on the first's rows
            first.commit()
            later.result(timeout=30)  # no IntegrityError: the conflict is skipped
    finally:
        first.close()
        second.close()
    reminders = [r for r in _rows(session) if r.kind == "reminder"]
    assert sorted(r.member_id for r in reminders) == sorted(m.id for m in members)
