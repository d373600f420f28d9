"""Benchmark of the survey exports: rows per second and peak memory, CSV and XLSX.

Fills a SQLite database with N responses (default 100,000) to a 20-question survey, one
answer row per question as the chat stores them, then runs each export in a fresh
process and reports its time and peak resident memory. For comparison, the same rows
(one per response, one column per question) are dumped by the `sqlite3` command-line
tool's own CSV mode. A second, ten-times-smaller survey in the same database shows that
the exports' memory does not grow with the number of responses.

    python -m bench.export_bench [--responses 100000] [--db /tmp/export_bench.db]
"""

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CHOICES = ["a", "b", "c", "d", "e"]


def definition() -> dict:
    """20 questions: 8 select_one, 4 select_multiple, 3 integer, 3 scale, 2 text."""
    questions = []
    for n in range(1, 21):
        kind = ("select_one" if n <= 8 else "select_multiple" if n <= 12 else "integer" if n <= 15
                else "scale" if n <= 18 else "text")
        question = {"name": f"q{n:02d}", "type": kind, "label": f"Pregunta {n}"}
        if kind.startswith("select"):
            question["choices"] = [{"name": c, "label": f"Opción {c.upper()}"} for c in CHOICES]
        questions.append(question)
    return {"title": "Encuesta de prueba", "default_language": "es", "questions": questions}


def value(kind: str, rng: random.Random) -> object:
    if kind == "select_one":
        return rng.choice(CHOICES)
    if kind == "select_multiple":
        return sorted(rng.sample(CHOICES, rng.randint(1, 3)))
    if kind == "integer":
        return rng.randint(0, 90)
    if kind == "scale":
        return rng.randint(1, 5)
    return rng.choice(["Más áreas verdes", "Luminarias en el pasaje", "Un taller para jóvenes", "Sede vecinal"])


# Columns named, so that a column added with a default, or dropped (0006 dropped
# survey_response.updated_at), breaks nothing here; CI runs this at a tiny size (.ci/run).
MEMBER_COLUMNS = ("id", "barrio_id", "channel", "chat_id", "locale", "role", "subscribed", "reachable",
                  "share_name", "display_name", "joined_at")
RESPONSE_COLUMNS = ("id", "survey_id", "member_id", "started_at", "completed_at")
ANSWER_COLUMNS = ("response_id", "question", "survey_id", "member_id", "value", "answered_at")


def _insert(table: str, columns: tuple[str, ...], mark: str) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(mark for _ in columns)})"


def fill(db: Path | str, sizes: list[int]) -> list[int]:
    """Create the schema, an ejecutor, a barrio and one survey per size; returns the survey ids.

    `db` is a SQLite file or a database URL (PostgreSQL: an empty database)."""
    from sqlmodel import Session

    from api.kernel.db import make_engine
    from api.kernel.migrate import upgrade
    from api.surveys.store import create_survey
    from tests.factories import make_barrio, make_ejecutor

    engine = make_engine(db if isinstance(db, str) else f"sqlite:///{db}")
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        ejecutor, _ = make_ejecutor(session, "ONG Benchmark")
        barrio = make_barrio(session, ejecutor)
        surveys = [create_survey(session, barrio=barrio, kind="diagnostico", definition=definition()).id
                   for _ in sizes]
    kinds = [(q["name"], q["type"]) for q in definition()["questions"]]
    rng = random.Random(7)
    start = datetime(2026, 11, 1, 12, tzinfo=UTC).replace(tzinfo=None)
    stamp = "%Y-%m-%d %H:%M:%S.%f"
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    connection = engine.raw_connection()
    cursor = connection.cursor()
    response_id = 0
    for survey_id, size in zip(surveys, sizes, strict=True):
        for first in range(0, size, 5000):
            members, responses, answers = [], [], []
            for n in range(first, min(size, first + 5000)):
                response_id += 1
                member = f"b{survey_id}{n:010d}"[:16]
                moment = start + timedelta(seconds=37 * n)
                members.append((member, barrio.id, "bench", member, "es", "vecino", True, True, False, None,
                                moment.strftime(stamp)))
                responses.append((response_id, survey_id, member, moment.strftime(stamp),
                                  (moment + timedelta(minutes=6)).strftime(stamp)))
                answers.extend((response_id, name, survey_id, member, json.dumps(value(kind, rng), ensure_ascii=False),
                                moment.strftime(stamp)) for name, kind in kinds)
            cursor.executemany(_insert("member", MEMBER_COLUMNS, mark), members)
            cursor.executemany(_insert("survey_response", RESPONSE_COLUMNS, mark), responses)
            cursor.executemany(_insert("survey_answer", ANSWER_COLUMNS, mark), answers)
            connection.commit()
    if engine.dialect.name == "postgresql":  # ids given above: move the sequences past them
        cursor.execute("SELECT setval('survey_response_id_seq', (SELECT max(id) FROM survey_response))")
        cursor.execute("ANALYZE")
        connection.commit()
    connection.close()
    engine.dispose()
    return surveys


def measure(db: Path, what: str, survey_id: int, out: Path) -> dict:
    """Run one export in this (fresh) process; its time and memory before exporting."""
    from sqlmodel import Session

    from api.barrios.models import Barrio
    from api.kernel.db import make_engine
    from api.kernel.exports import csv_lines, xlsx_file
    from api.surveys.export import layout, rows
    from api.surveys.models import Survey

    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        survey = session.get(Survey, survey_id)
        barrio = session.get(Barrio, survey.barrio_id)  # type: ignore[union-attr]
        session.expunge_all()
    shape = layout(survey, barrio.timezone, False, None)  # type: ignore[arg-type,union-attr]
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began, cpu = time.perf_counter(), time.process_time()
    if what == "csv":
        with out.open("w", encoding="utf-8") as handle:
            for chunk in csv_lines(shape.header, rows(engine, survey, shape)):  # type: ignore[arg-type]
                handle.write(chunk)
    else:
        shutil.move(xlsx_file("respuestas", shape.header, rows(engine, survey, shape)), out)  # type: ignore[arg-type]
    return {"seconds": time.perf_counter() - began, "cpu": time.process_time() - cpu, "baseline_kib": baseline}


def sqlite3_dump(db: Path, survey_id: int, out: Path) -> list[str]:
    """The sqlite3 CLI command that writes the same table (one row per response) as CSV."""
    columns = ", ".join(f"max(CASE WHEN a.question = 'q{n:02d}' THEN a.value END) AS q{n:02d}" for n in range(1, 21))
    query = (f"SELECT r.id, r.member_id, r.started_at, r.completed_at, {columns} FROM survey_response r "
             f"LEFT JOIN survey_answer a ON a.response_id = r.id WHERE r.survey_id = {survey_id} "
             "GROUP BY r.id ORDER BY r.id")
    return ["sqlite3", "-csv", "-header", str(db), query]


def run(command: list[str], out: Path | None = None) -> tuple[float, float, int, str]:
    """Run a child process; wall time, its CPU time, its own peak RSS (KiB; both from wait4) and its output."""
    began = time.perf_counter()
    with (out.open("w") if out else open(os.devnull, "w")) as sink:
        stdout = sink if out else subprocess.PIPE
        child = subprocess.Popen(command, stdout=stdout, text=True)
        output = child.stdout.read() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"{command[:3]} failed with {child.returncode}")
    return time.perf_counter() - began, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/export_bench.db"))
    parser.add_argument("--measure", nargs=3, metavar=("WHAT", "SURVEY", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--fill", nargs="+", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        print(json.dumps(fill(args.db, args.fill)))
        return
    if args.measure:
        what, survey_id, out = args.measure
        print(json.dumps(measure(args.db, what, int(survey_id), Path(out))))
        return
    compare = shutil.which("sqlite3") is not None
    if not compare:
        print("(the sqlite3 command-line tool is missing: no comparison with its CSV mode)")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    sizes = [args.responses, max(args.responses // 10, 1)]
    # Filling runs in a child too: Linux carries a parent's peak RSS into children it starts,
    # so this process stays small and each measured child reports only its own memory.
    seconds, _, _, output = run([sys.executable, __file__, "--db", str(args.db), "--fill", *map(str, sizes)])
    surveys = json.loads(output)
    print(f"filled {sum(sizes):,} responses x 20 questions ({sum(sizes) * 20:,} answer rows) "
          f"in {seconds:.1f} s; database {args.db.stat().st_size / 1e6:.0f} MB")
    print(f"{'export':<10}{'responses':>10}{'seconds':>9}{'CPU s':>7}{'rows/s':>10}{'peak RSS':>11}{'before':>10}"
          f"{'file':>9}")
    for survey_id, size in zip(surveys, sizes, strict=True):
        for what in ("csv", "xlsx", "sqlite3") if compare else ("csv", "xlsx"):
            out = Path(f"{args.db}.{survey_id}.{what}")
            if what == "sqlite3":
                seconds, cpu, peak, _ = run(sqlite3_dump(args.db, survey_id, out), out)
                baseline = "-"
            else:
                _, _, peak, output = run([sys.executable, __file__, "--db", str(args.db), "--measure", what,
                                          str(survey_id), str(out)])
                figures = json.loads(output)
                seconds, cpu = figures["seconds"], figures["cpu"]
                baseline = f"{figures['baseline_kib'] / 1024:.0f} MB"
            size_mb = out.stat().st_size / 1e6
            out.unlink()
            print(f"{what:<10}{size:>10,}{seconds:>9.1f}{cpu:>7.1f}{size / seconds:>10,.0f}{peak / 1024:>8.0f} MB"
                  f"{baseline:>10}{size_mb:>6.1f} MB")
    print("CPU s: the export's own CPU time (the wall time grows when other processes share the cores); "
          "peak RSS: the whole export process (Python, libraries, SQLite cache); before: the same process "
          "after imports and loading the survey, before exporting; sqlite3: the CLI process alone")
    print(f"(python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
