"""Benchmark of the staff console's heaviest pages, rendered server-side: time and SQL statements per page.

The results page of a survey with 10,000 responses x 20 questions (filled as in
bench/export_bench.py) and the overview of an organisation with 200 barrios, each asked
20 times in-process through the ASGI app (log in, then GET) after one warm-up request.
Prints p50/p95 in ms, the median CPU time of this process per request (on SQLite all the
work, and less sensitive than wall time to other jobs on the machine; on PostgreSQL without
the server's) and the SQL statements one request runs (the same for every barrio count means
no N+1).

    python -m bench.console_pages [--responses 10000] [--barrios 200] [--db /tmp/console_bench.db]
    python -m bench.console_pages --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

With --postgres, the same runs in a database of its own created on that server (named
console_bench_<pid>) and dropped at the end; the URL's own database is only connected to.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.export_bench import fill  # noqa: E402

REQUESTS = 20


@contextmanager
def database(db: Path, server: str | None) -> Iterator[str]:
    """The URL of an empty database: the SQLite file `db`, or one created on the PostgreSQL `server`."""
    if server is None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        yield f"sqlite:///{db}"
        return
    from api.kernel.db import scratch_database

    with scratch_database(server, f"console_bench_{os.getpid()}") as url:
        yield url


def prepare(url: str, responses: int, barrios: int) -> int:
    """The database: the survey's responses, `barrios` barrios, a staff user; the survey id."""
    from sqlmodel import Session, select

    from api.barrios.models import Ejecutor
    from api.kernel.db import make_engine
    from tests.factories import make_barrio, make_staff

    survey_id = fill(url, [responses])[0]
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        ejecutor = session.exec(select(Ejecutor)).one()
        for n in range(barrios - 1):
            make_barrio(session, ejecutor, f"Barrio {n:03d}")
        make_staff(session, ejecutor)
    engine.dispose()
    return survey_id


async def measure(url: str, pages: dict[str, str]) -> None:
    import httpx
    from sqlalchemy import event

    from api.kernel.config import Settings
    from api.kernel.db import make_engine
    from bot.main import build_app
    from tests.factories import console_login

    engine = make_engine(url)
    statements = [0]
    event.listen(engine, "before_cursor_execute", lambda *_args: statements.__setitem__(0, statements[0] + 1))
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    transport = httpx.ASGITransport(app=build_app(settings, engine))
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        assert (await console_login(client)).status_code == 303
        for name, path in pages.items():
            assert (await client.get(path)).status_code == 200  # warm-up: templates compiled, caches filled
            times, cpu, counted = [], [], []
            for _ in range(REQUESTS):
                statements[0] = 0
                began, computed = time.perf_counter(), time.process_time()
                answer = await client.get(path)
                times.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - computed) * 1000)
                counted.append(statements[0])
                assert answer.status_code == 200
            times.sort()
            p95 = times[int(0.95 * len(times)) - 1]
            print(f"{name:<40} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
                  f"CPU p50 {statistics.median(cpu):6.1f} ms   SQL statements {max(counted)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--barrios", type=int, default=200)
    parser.add_argument("--db", type=Path, default=Path("/tmp/console_bench.db"), help="the SQLite file")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL server to run on instead of SQLite")
    args = parser.parse_args()
    with database(args.db, args.postgres) as url:
        survey_id = prepare(url, args.responses, args.barrios)
        print(f"on {'PostgreSQL' if args.postgres else 'SQLite'}, load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs")
        asyncio.run(measure(url, {
            f"overview ({args.barrios} barrios)": "/consola",
            f"survey results ({args.responses:,} x 20)": f"/consola/encuestas/{survey_id}",
            "  the same, split by a question": f"/consola/encuestas/{survey_id}?por=q01",
        }))


if __name__ == "__main__":
    main()
