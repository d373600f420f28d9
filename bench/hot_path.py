"""The hot path alone: one update parsed, its conversation stepped and stored, in-process.

Replays the load benchmark's vecinas (bench/load.py: join, the diagnóstico, a budget
vote, /misdatos, language changes) straight into `ChatService`, with no HTTP and no
Bot API, and prints CPU per update and the SQL statements each kind of update runs.
It is the quick loop for profiling what bench/load.py measures end to end.

    python -m bench.hot_path [--vecinos 300] [--postgres URL] [--profile]

With --postgres, a new database is made on that server for the run and dropped after.
"""

import argparse
import collections
import cProfile
import os
import pstats
import tempfile
import time
from typing import Any

from sqlalchemy import event
from telegram import Bot, Update

from api.kernel.config import Settings
from api.kernel.db import make_engine
from bench.load import seed, vecino_script
from bot.main import chat_service
from bot.updates import to_incoming


def _updates(vecinos: int, database_url: str) -> list[tuple[str, Update]]:
    seeded = seed(database_url)
    bot = Bot("1:HOT")
    script = [vecino_script(chat, seeded) for chat in range(100_000, 100_000 + vecinos)]
    updates = []
    for n, step in enumerate(u for visit in zip(*script, strict=True) for u in visit):
        kind = _kind(step)
        updates.append((kind, Update.de_json({"update_id": n + 1, **step}, bot)))
    return updates


def _kind(update: dict[str, Any]) -> str:
    if "callback_query" in update:
        return "button " + ":".join(update["callback_query"]["data"].split(":")[:1] + ["…"])
    text = update["message"]["text"]
    return "command " + text.split()[0] if text.startswith("/") else "text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vecinos", type=int, default=300)
    parser.add_argument("--postgres", default=None, metavar="URL",
                        help="run on a new database on this PostgreSQL server (default: a new SQLite file)")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile run")
    args = parser.parse_args()
    if args.postgres is None:
        run(args, f"sqlite:///{tempfile.mkdtemp()}/hot.db")
        return
    from tests.conftest import fresh_postgres_database

    os.environ["TEST_DATABASE_URL"] = args.postgres
    with fresh_postgres_database() as database_url:
        run(args, database_url)


def run(args: argparse.Namespace, database_url: str) -> None:
    """Replay the vecinas into one database and print what each update cost."""
    updates = _updates(args.vecinos, database_url)
    engine = make_engine(database_url)
    service = chat_service(Settings(_env_file=None), engine, lambda: "HotBot")  # type: ignore[call-arg]
    statements: collections.Counter[str] = collections.Counter()
    current = [""]

    def count(*_args: Any) -> None:
        statements[current[0]] += 1

    event.listen(engine, "before_cursor_execute", count)
    kinds: collections.Counter[str] = collections.Counter()
    profile = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not waits
    cpu, start = time.process_time(), time.perf_counter()
    if profile:
        profile.enable()
    for kind, update in updates:
        incoming = to_incoming(update)
        assert incoming is not None
        current[0] = kind
        kinds[kind] += 1
        service.handle(incoming.address, incoming.event, update.update_id)
    if profile:
        profile.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - start
    total = len(updates)
    print(f"{total} updates of {args.vecinos} vecinas on {engine.dialect.name}: "
          f"{1e6 * cpu / total:.0f} µs CPU per update, {total / wall:.0f} updates/s, "
          f"{sum(statements.values()) / total:.1f} statements per update through SQLAlchemy")
    for kind, n in sorted(kinds.items(), key=lambda item: -statements[item[0]]):
        print(f"  {kind:<22} {n:6d} updates  {statements[kind] / n:5.1f} statements each")
    if profile:
        pstats.Stats(profile).sort_stats(os.environ.get("HOT_PATH_SORT", "cumulative")).print_stats(40)
    engine.dispose()


if __name__ == "__main__":
    main()
