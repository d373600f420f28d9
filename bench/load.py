"""Load benchmark: thousands of simulated vecinos through the real webhook endpoint.

Starts a local fake Bot API (its own process), then for each target — accion-local on
SQLite, accion-local on PostgreSQL, and a minimal python-telegram-bot echo bot (the
floor any bot on that library pays) — runs the same two phases:

1. throughput: N concurrent vecinos each play their script as fast as answers come
   back (every answer of accion-local is committed to the database before the 200);
2. latency: an open-loop stream at a fixed rate (default 200 updates/s) for some
   seconds, reporting p50/p95/p99 of webhook round-trips.

    python -m bench.load                       # all targets, defaults below
    python -m bench.load --targets sqlite --vecinos 500 --rate 200 --seconds 10
    python -m bench.load --targets postgresql --processes 2   # two servers on one database

Only loopback addresses are used; every loop is bounded in count and time.
"""

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, func, select

from bench.processes import ROOT, WEBHOOK_SECRET, ServeProcess, cpu_seconds, free_port, peak_memory_mib
from bench.raw_http import Connection

HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
WEBHOOK_PATH = "/telegram/webhook"
Script = Callable[[int, "Seeded"], list[dict[str, Any]]]


@dataclass(frozen=True)
class Seeded:
    """The demo barrio's code and its open survey and ballot, in the database under test."""

    code: str = ""
    survey: int = 0
    ballot: int = 0


def message(chat: int, text: str) -> dict[str, Any]:
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
    return {"message": {"message_id": 1, "date": 1_790_000_000, "text": text, "entities": entities,
                        "chat": {"id": chat, "type": "private"},
                        "from": {"id": chat, "is_bot": False, "first_name": "V", "language_code": "es"}}}


def press(chat: int, data: str) -> dict[str, Any]:
    return {"callback_query": {"id": "1", "chat_instance": "c", "data": data,
                               "from": {"id": chat, "is_bot": False, "first_name": "V"},
                               "message": {"message_id": 1, "date": 1_790_000_000,
                                           "chat": {"id": chat, "type": "private"}, "text": "…"}}}


def vecino_script(chat: int, seeded: "Seeded") -> list[dict[str, Any]]:
    """A vecina's whole visit: join, answer the demo diagnóstico, vote, read her data.

    Every update below writes or reads stored state: 30 updates, 12 stored answers, 1 vote.
    """
    code, s, b = seeded.code, seeded.survey, seeded.ballot
    return [
        message(chat, f"/start {code}"), press(chat, f"join:es:{code}"), press(chat, f"consent:yes:es:{code}"),
        press(chat, f"sv:{s}"), press(chat, f"sv:{s}:0:ok"),                          # intro note
        message(chat, str(chat % 40)),                                                   # years in the barrio
        press(chat, f"sv:{s}:2:{chat % 6}"), press(chat, f"sv:{s}:2:{(chat + 1) % 6}"),  # problems (multiple)
        press(chat, f"sv:{s}:2:ok"),
        press(chat, f"sv:{s}:3:consent:yes"),                                          # consent (sensitive)
        press(chat, f"sv:{s}:3:{chat % 3}"), press(chat, f"sv:{s}:4:{chat % 2}"),      # income, health
        press(chat, f"sv:{s}:5:1"),                                                      # no business
        press(chat, f"sv:{s}:7:{chat % 5}"), press(chat, f"sv:{s}:8:{(chat + 2) % 5}"),  # two 1-5 scales
        press(chat, f"sv:{s}:9:{chat % 4}"), press(chat, f"sv:{s}:9:ok"),               # organisations
        press(chat, f"sv:{s}:10:{chat % 5}"), press(chat, f"sv:{s}:11:{chat % 3}"),
        message(chat, "Más luminarias en el pasaje y una sede abierta los sábados"),      # idea (text)
        press(chat, f"bl:{b}"), press(chat, f"bl:{b}:t:0"), press(chat, f"bl:{b}:t:3"),  # budget ballot
        press(chat, f"bl:{b}:rv"), press(chat, f"bl:{b}:ok"),
        message(chat, "/misdatos"), press(chat, "lang:ht"), message(chat, "/menu"), press(chat, "lang:es"),
        message(chat, "/ayuda"),
    ]


def echo_script(chat: int, _seeded: "Seeded") -> list[dict[str, Any]]:
    return [message(chat, f"hola {n}") for n in range(30)]


@dataclass
class Result:
    target: str
    updates: int
    seconds: float
    errors: int
    latencies_ms: list[float]
    open_loop_ms: list[float]
    open_loop_rate: float
    peak_mib: float
    cpu_ms: float  # the server's CPU time per update in the closed loop
    stored: str = ""

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def line(self) -> str:
        def pct(values: list[float], q: int) -> str:
            return f"{statistics.quantiles(values, n=100)[q - 1]:.1f}" if len(values) > 1 else "n/a"
        return (f"{self.target:<22} {self.rate:8.0f} upd/s  {self.cpu_ms:.2f} ms CPU/upd  errors {self.errors:<4} "
                f"closed-loop p50 {pct(self.latencies_ms, 50)} ms  |  at {self.open_loop_rate:.0f}/s: "
                f"p50 {pct(self.open_loop_ms, 50)} p95 {pct(self.open_loop_ms, 95)} "
                f"p99 {pct(self.open_loop_ms, 99)} ms  |  peak RSS {self.peak_mib:.0f} MiB"
                + (f"  |  stored: {self.stored}" if self.stored else ""))


class Telegram:
    """Telegram's side of one webhook connection: posts updates and, as Telegram does, runs
    the Bot API method a webhook answer may carry (on the fake Bot API)."""

    def __init__(self, webhook_url: str, bot_api_url: str) -> None:
        self.webhook, self.bot_api = _connection(webhook_url), _connection(bot_api_url)

    async def deliver(self, update: dict[str, Any]) -> tuple[float, bool]:
        """Post one update; the webhook round-trip in ms, and whether it was answered 200."""
        start = time.perf_counter()
        try:
            status, body = await self.webhook.post_json(WEBHOOK_PATH, update, HEADERS)
        except (OSError, ValueError):
            status, body = 0, b""
        elapsed = (time.perf_counter() - start) * 1000
        if status == 200 and body:
            call = json.loads(body)
            await self.bot_api.post_json(f"/bot1:BENCH/{call.pop('method')}", call, {})
        return elapsed, status == 200

    async def close(self) -> None:
        await self.webhook.close()
        await self.bot_api.close()


def _connection(url: str) -> Connection:
    host, port = url.removeprefix("http://").split(":")
    return Connection(host, int(port))


async def closed_loop(urls: list[str], telegram_url: str, scripts: list[list[dict[str, Any]]],
                      ids: "itertools.count[int]", concurrency: int) -> tuple[int, float, int, list[float]]:
    """`concurrency` vecinos at a time, each tapping as soon as the previous answer came
    (with several servers, each update goes to the next one, as behind a load balancer)."""
    latencies: list[float] = []
    errors = 0
    pending = iter(scripts)

    async def worker() -> None:
        nonlocal errors
        servers = [Telegram(url, telegram_url) for url in urls]
        turns = itertools.cycle(servers)
        for script in pending:
            for update in script:
                elapsed, ok = await next(turns).deliver({"update_id": next(ids), **update})
                latencies.append(elapsed)
                errors += not ok
        for telegram in servers:
            await telegram.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - start
    return sum(len(s) for s in scripts), seconds, errors, latencies


async def open_loop(urls: list[str], telegram_url: str, updates: list[dict[str, Any]], rate: float,
                    ids: "itertools.count[int]") -> tuple[list[float], float]:
    """Send at a fixed rate regardless of answers (as Telegram does), measure round-trips."""
    # like Telegram's parallel webhook connections, spread over the servers
    idle = [Telegram(urls[n % len(urls)], telegram_url) for n in range(400)]

    async def send(update: dict[str, Any]) -> tuple[float, bool]:
        telegram = idle.pop() if idle else Telegram(urls[0], telegram_url)
        try:
            return await telegram.deliver(update)
        finally:
            idle.append(telegram)

    tasks = []
    start = time.perf_counter()
    for n, update in enumerate(updates):
        delay = start + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send({"update_id": next(ids), **update})))
    results = await asyncio.gather(*tasks)
    achieved = len(updates) / (time.perf_counter() - start)
    for telegram in idle:
        await telegram.close()
    return [elapsed for elapsed, _ in results], achieved


def steady_updates(script: Script, chats: range, seeded: Seeded) -> list[dict[str, Any]]:
    """Updates of already-joined vecinos, interleaved across chats (the last ones of their scripts)."""
    per_chat = [script(chat, seeded)[-5:] for chat in chats]
    return [u for round_ in itertools.zip_longest(*per_chat) for u in round_ if u is not None]


def seed(database_url: str) -> Seeded:
    """Migrate a fresh database and create the demo barrio (open diagnóstico and ballot)."""
    from api.ballots.models import Ballot
    from api.kernel.config import Settings
    from api.kernel.db import make_engine
    from api.kernel.migrate import upgrade
    from api.surveys.models import Survey
    from bot.main import demo

    engine = make_engine(database_url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:  # the demo as `accion-local demo` makes it
        barrio = demo(session, Settings(_env_file=None, timezone="America/Santiago")).barrio  # type: ignore[call-arg]
        survey = session.exec(select(Survey).where(Survey.barrio_id == barrio.id,  # the demo has other rounds too
                                                   Survey.kind == "diagnostico")).one()
        ballot = session.exec(select(Ballot).where(Ballot.barrio_id == barrio.id)).one()
    engine.dispose()
    return Seeded(barrio.join_code, survey.id or 0, ballot.id or 0)


def run_target(name: str, urls: list[str], pids: list[int], script: Script, seeded: Seeded,
               args: argparse.Namespace, telegram_url: str) -> Result:
    """Both phases against one running server."""
    ids = itertools.count(1)
    chats = range(100_000, 100_000 + args.vecinos)
    scripts = [script(chat, seeded) for chat in chats]
    cpu = sum(cpu_seconds(pid) for pid in pids)
    updates, seconds, errors, latencies = asyncio.run(
        closed_loop(urls, telegram_url, scripts, ids, args.concurrency))
    cpu_ms = 1000 * (sum(cpu_seconds(pid) for pid in pids) - cpu) / updates
    stream = steady_updates(script, chats, seeded)[: int(args.rate * args.seconds)]
    open_latencies, achieved = asyncio.run(open_loop(urls, telegram_url, stream, args.rate, ids))
    peak = sum(peak_memory_mib(pid) for pid in pids)
    return Result(name, updates, seconds, errors, latencies, open_latencies, achieved, peak, cpu_ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", default="echo,sqlite,postgresql")
    parser.add_argument("--vecinos", type=int, default=2000, help="simulated vecinos, each playing a whole visit")
    parser.add_argument("--concurrency", type=int, default=64, help="vecinos in flight at once")
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop updates per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="open-loop duration")
    parser.add_argument("--processes", type=int, default=1,
                        help="accion-local serve processes sharing the database (updates spread over them)")
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    telegram_port = free_port()
    fake = subprocess.Popen([sys.executable, "-m", "bench.fake_telegram", "--port", str(telegram_port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    telegram_url = f"http://127.0.0.1:{telegram_port}"
    results = []
    try:
        time.sleep(1.5)
        for target in args.targets.split(","):
            results.append(_measure(target, telegram_url, args))
            print(results[-1].line(), flush=True)
    finally:
        fake.terminate()
    by_name = {r.target: r for r in results}
    if "echo-bot" in by_name:
        for r in results:
            if r.target != "echo-bot":
                print(f"{r.target}: {r.rate / by_name['echo-bot'].rate:.2f}x the echo bot's throughput")
    failed = [r.target for r in results if r.errors]
    if failed:  # figures of a run that lost updates mean nothing; CI runs this at a tiny size (.ci/run)
        sys.exit(f"updates failed on {', '.join(failed)}")


def _measure(target: str, telegram_url: str, args: argparse.Namespace) -> Result:
    if target == "echo":
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "bench.echo_bot", "--port", str(port),
                                    "--telegram-url", telegram_url], cwd=ROOT)
        try:
            _wait_healthy(f"http://127.0.0.1:{port}")
            return run_target("echo-bot", [f"http://127.0.0.1:{port}"], [process.pid], echo_script, Seeded(), args,
                              telegram_url)
        finally:
            process.terminate()
            process.wait()
    if target == "sqlite":
        database = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    else:
        from tests.conftest import fresh_postgres_database

        os.environ["TEST_DATABASE_URL"] = args.postgres
        with fresh_postgres_database() as database:
            return _serve_and_measure(f"accion-local/{target}", database, telegram_url, args)
    return _serve_and_measure(f"accion-local/{target}", database, telegram_url, args)


def _serve_and_measure(name: str, database: str, telegram_url: str, args: argparse.Namespace) -> Result:
    seeded = seed(database)
    logs = Path(tempfile.mkdtemp())
    servers = [ServeProcess(database_url=database, telegram_url=telegram_url, log=logs / f"serve{n}.log")
               for n in range(args.processes)]
    with contextlib.ExitStack() as running:
        for server in servers:
            running.enter_context(server)
        if args.processes > 1:
            name += f" x{args.processes}"
        result = run_target(name, [s.url for s in servers], [s.pid for s in servers], vecino_script, seeded,
                            args, telegram_url)
    result.stored = stored_counts(database)
    return result


def stored_counts(database_url: str) -> str:
    """What the run left in the database: proof that every update was durably handled."""
    from api.ballots.models import BallotVote
    from api.barrios.models import Member
    from api.kernel.db import make_engine
    from api.surveys.models import SurveyAnswer

    engine = make_engine(database_url)
    with Session(engine) as session:
        counts = {name: session.exec(select(func.count()).select_from(model)).one()
                  for name, model in (("members", Member), ("answers", SurveyAnswer), ("votes", BallotVote))}
    engine.dispose()
    return ", ".join(f"{n} {name}" for name, n in counts.items())


def _wait_healthy(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


if __name__ == "__main__":
    main()
