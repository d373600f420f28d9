"""Broadcast benchmark: one convocatoria to N vecinos through the real outbox sender.

    python -m bench.broadcast_bench [--recipients 10000] [--database-url URL]

Starts the fake Bot API (bench/fake_telegram.py, enforcing 30 msg/s and 1 msg/s per
chat, 429 + retry_after beyond) in a subprocess on 127.0.0.1, fills a fresh database
with one barrio of N members, queues a convocatoria through the grupo motor's port,
then runs the outbox sender exactly as `serve` does, in the same event loop as the
Telegram Application, while one vecino keeps chatting (/misdatos every 2 s). Prints the
achieved rate as a share of the limit, 429s, messages lost or duplicated, and the
vecino's reply latency.
"""

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

import httpx
from sqlalchemy import insert
from telegram import Update

from api.barrios.models import Member
from api.convocatorias.store import SqlConvocatorias
from api.kernel.config import Settings
from api.kernel.db import make_engine, session_scope
from api.kernel.migrate import upgrade
from api.kernel.types import utcnow
from api.outbox.models import OutboxMessage
from api.outbox.sender import OutboxWorker, Sender
from bot.application import TelegramChannel, build_application
from bot.main import chat_service
from bot.sender import outbox_bot, telegram_deliver
from conversations.convocatorias.ports import Draft
from tests.factories import make_barrio, make_ejecutor

TOKEN = "42:BENCH"
LIMIT = 30.0
VECINA = 9_000_001


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(url: str, recipients: int) -> tuple[object, str, float]:
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ejecutor, _ = make_ejecutor(session, "ONG Bench")
        barrio = make_barrio(session, ejecutor, "Villa Benchmark")
        now = utcnow()
        rows = [{"id": f"b{i:011d}", "barrio_id": barrio.id, "channel": "telegram", "chat_id": str(100_000 + i),
                 "locale": ("es", "ht", "en")[i % 3], "role": "motor" if i == 0 else "vecino",
                 "subscribed": True, "reachable": True, "share_name": False,
                 "joined_at": now + timedelta(microseconds=i)} for i in range(recipients)]
        session.execute(insert(Member), rows)
    started = time.perf_counter()
    with session_scope(engine) as session:
        draft = Draft("Asamblea para validar el diagnóstico", utcnow() + timedelta(days=5), "Sede vecinal", "")
        _, queued = SqlConvocatorias(session).send(member_id="b00000000000", draft=draft)
    enqueue_seconds = time.perf_counter() - started
    assert queued == recipients, (queued, recipients)
    return engine, barrio.join_code, enqueue_seconds


async def _chatting(application, code: str, stop: asyncio.Event, latencies: list[float]) -> None:  # type: ignore[no-untyped-def]
    """A vecina joins, then asks /misdatos every 2 s; each reply's latency is recorded."""
    ids = iter(range(1, 10**9))

    def message(text: str) -> Update:
        return Update.de_json({"update_id": next(ids), "message": {
            "message_id": next(ids), "date": int(time.time()), "text": text,
            "chat": {"id": VECINA, "type": "private"},
            "from": {"id": VECINA, "is_bot": False, "first_name": "Rosa", "language_code": "es"},
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}}, application.bot)

    def press(data: str) -> Update:
        return Update.de_json({"update_id": next(ids), "callback_query": {
            "id": str(next(ids)), "chat_instance": "b", "data": data,
            "from": {"id": VECINA, "is_bot": False, "first_name": "Rosa", "language_code": "es"},
            "message": {"message_id": 1, "date": int(time.time()), "chat": {"id": VECINA, "type": "private"},
                        "text": "…"}}}, application.bot)

    for update in (message(f"/start {code}"), press(f"join:es:{code}"), press(f"consent:yes:es:{code}")):
        await application.process_update(update)
        await asyncio.sleep(1.5)  # a person reads before tapping
    while not stop.is_set():
        started = time.perf_counter()
        await application.process_update(message("/misdatos"))
        latencies.append(time.perf_counter() - started)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 2.0)


async def _run(args: argparse.Namespace) -> None:
    folder = tempfile.mkdtemp(prefix="broadcast-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}"
    fake = subprocess.Popen([sys.executable, "-m", "bench.fake_telegram", "--port", str(port), "--rate", str(LIMIT)],
                            env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        engine, code, enqueue_seconds = _prepare(url, args.recipients)
        print(f"queued {args.recipients} outbox rows in {enqueue_seconds:.2f} s ({url.split(':')[0]})")
        async with httpx.AsyncClient() as client:
            for _ in range(100):
                try:
                    await client.get(f"{api_url}/stats")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        service = chat_service(Settings(_env_file=None), engine, lambda: "BenchBot")  # type: ignore[call-arg]
        application = build_application(token=TOKEN, api_url=api_url, channel=TelegramChannel(service), webhook=True)
        await application.initialize()
        bot = outbox_bot(TOKEN, api_url)
        await bot.initialize()
        worker = OutboxWorker(engine, rate=args.rate)  # type: ignore[arg-type]
        sender = Sender(worker, telegram_deliver(bot), idle_seconds=0.2)
        stop = asyncio.Event()
        latencies: list[float] = []
        chatting = asyncio.create_task(_chatting(application, code, stop, latencies))
        sending = asyncio.create_task(sender.run())
        started = time.perf_counter()
        while await asyncio.to_thread(_open, engine) > 0:
            await asyncio.sleep(1.0)
        elapsed = time.perf_counter() - started
        stop.set()
        sending.cancel()
        await asyncio.gather(sending, chatting, return_exceptions=True)
        await sender.drain()
        async with httpx.AsyncClient() as client:
            stats = (await client.get(f"{api_url}/stats")).json()
        await bot.shutdown()
        await application.shutdown()
        _report(args, stats, elapsed, latencies, engine)
    finally:
        fake.terminate()
        fake.wait()


def _open(engine) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    with engine.connect() as connection:
        return int(connection.execute(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(("pending", "sending")))
        ).scalar_one())


def _report(args, stats, elapsed, latencies, engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    delivered = {int(chat): n for chat, n in stats["delivered"].items() if int(chat) != VECINA}
    expected = {100_000 + i for i in range(args.recipients)}
    lost = len(expected - set(delivered))
    duplicated = sum(n - 1 for chat, n in delivered.items() if n > 1)
    span = (stats["last"] - stats["first"]) if stats["first"] else 0.0
    sent = sum(delivered.values()) + stats["delivered"].get(str(VECINA), 0)
    rate = sent / span if span else 0.0
    with engine.connect() as connection:
        statuses = dict(connection.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    latencies.sort()
    print(f"recipients: {args.recipients}   sender rate setting: {args.rate}/s   fake limit: {LIMIT:.0f}/s")
    print(f"broadcast took {elapsed:.1f} s; delivered {sent} messages in {span:.1f} s = {rate:.2f}/s "
          f"= {rate / LIMIT:.1%} of the limit")
    too_many = stats["too_many"]
    print(f"429 answers: {sum(too_many.values())} {too_many}   lost: {lost}   duplicated: {duplicated}   "
          f"outbox: {statuses}")
    if latencies:
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"vecina's reply latency during the broadcast ({len(latencies)} replies): "
              f"median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {latencies[-1] * 1000:.0f} ms")
    if lost or duplicated or set(statuses) != {"sent"}:  # CI runs this at a tiny size (.ci/run)
        sys.exit(f"the broadcast did not deliver each message once: lost {lost}, duplicated {duplicated}, "
                 f"outbox {statuses}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=Settings.model_fields["outbox_rate"].default,
                        help="the sender's rate (the service's OUTBOX_RATE)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    args = parser.parse_args()
    asyncio.run(_run(args))


if __name__ == "__main__":
    main()
