"""Benchmark of the comparison: two rounds of N respondents × 30 questions, seconds and peak memory.

Fills a SQLite database with a línea base and a línea de salida built from the instrument
(27 items) plus a 4-option question, a 3-option one and an integer (30 questions), answered
by N respondents each, 80% of them at both rounds; then, in a fresh process, times the whole
comparison (reading both rounds' answers, every test, the indexes) three times and reports
the best, then runs it once more under tracemalloc for the Python peak, and the process's
peak resident memory.

    python -m bench.comparison_bench [--respondents 5000] [--db /tmp/comparison_bench.db]
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

PAIRED_SHARE = 0.8
EXTRA = [
    {"name": "medio", "type": "select_one", "label": "¿Por dónde te enteras?",
     "choices": [{"name": c, "label": c} for c in ("whatsapp", "radio", "mural", "vecinos")]},
    {"name": "ingresos", "type": "select_one", "label": "¿Alcanzan los ingresos?",
     "choices": [{"name": c, "label": c} for c in ("si", "a_veces", "no")]},
    {"name": "anos", "type": "integer", "label": "¿Años en el barrio?"},
]


def definition(title: str) -> dict[str, Any]:
    from api.comparison.instrument import definition as instrument

    found = instrument({"es": title})
    found["questions"] = found["questions"] + EXTRA
    return found


def value(question: dict[str, Any], level: float, rng: random.Random) -> Any:
    kind = question["type"]
    if kind == "scale":
        return min(5, max(1, round(2.8 + level + rng.gauss(0, 0.8))))
    if kind == "select_one":
        return rng.choice(question["choices"])["name"]
    if kind == "integer":
        return rng.randint(0, 60)
    return None


def fill(db: Path, respondents: int) -> tuple[int, int]:
    from sqlalchemy import insert
    from sqlmodel import Session

    from api.barrios.models import Member
    from api.kernel.db import make_engine
    from api.kernel.migrate import upgrade
    from api.kernel.types import utcnow
    from api.surveys.models import SurveyAnswer, SurveyResponse
    from api.surveys.store import create_survey
    from tests.factories import make_barrio, make_ejecutor

    db.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    rng = random.Random(5)
    with Session(engine, expire_on_commit=False) as session:
        barrio = make_barrio(session, make_ejecutor(session, "ONG Benchmark")[0])
        base = create_survey(session, barrio=barrio, kind="linea_base", definition=definition("Base"))
        salida = create_survey(session, barrio=barrio, kind="linea_salida", definition=definition("Salida"))
    paired = int(respondents * PAIRED_SHARE)
    total = 2 * respondents - paired
    members = [f"bench{n:08d}" for n in range(total)]
    levels = [rng.gauss(0, 0.6) for _ in members]
    rounds = [(base, range(0, respondents), 0.0), (salida, range(respondents - paired, total), 0.4)]
    now = utcnow()
    with engine.begin() as connection:
        connection.execute(insert(Member), [{"id": m, "barrio_id": barrio.id, "channel": "bench", "chat_id": m,
                                             "locale": "es", "joined_at": now} for m in members])
        response_id = 0
        for survey, who, growth in rounds:
            questions = [q for q in survey.definition["questions"] if q["type"] != "note"]
            responses, answers = [], []
            for n in who:
                response_id += 1
                responses.append({"id": response_id, "survey_id": survey.id, "member_id": members[n],
                                  "started_at": now, "completed_at": now})
                answers.extend({"response_id": response_id, "question": q["name"], "survey_id": survey.id,
                                "member_id": members[n],
                                "value": value(q, levels[n] + growth, rng), "answered_at": now} for q in questions)
            connection.execute(insert(SurveyResponse), responses)
            connection.execute(insert(SurveyAnswer), answers)
    engine.dispose()
    return base.id or 0, salida.id or 0


def measure(db: Path, base_id: int, salida_id: int) -> dict[str, Any]:
    """In this (fresh) process: the comparison three times; the best time and the memory peaks."""
    from sqlmodel import Session

    from api.comparison.report import survey_comparison
    from api.kernel.db import make_engine
    from api.surveys.models import Survey

    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        base, salida = session.get(Survey, base_id), session.get(Survey, salida_id)
        session.expunge_all()
    survey_comparison(engine, base, salida)  # type: ignore[arg-type]  # warm: imports, parsed forms
    times, cpu = [], []
    for _ in range(3):
        began, began_cpu = time.perf_counter(), time.process_time()
        found = survey_comparison(engine, base, salida)  # type: ignore[arg-type]
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    tracemalloc.start()  # a fourth run, traced: tracing slows every allocation, so it is not timed
    survey_comparison(engine, base, salida)  # type: ignore[arg-type]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": min(times), "cpu_seconds": min(cpu), "python_peak_mib": peak / 2**20,
            "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "pairs": found.pairs, "questions": len(found.questions),
            "tested": sum(q.paired.test is not None for q in found.questions)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=5000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/comparison_bench.db"))
    parser.add_argument("--measure", nargs=2, type=int, metavar=("BASE", "SALIDA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.db, *args.measure)))
        return
    began = time.perf_counter()
    base_id, salida_id = fill(args.db, args.respondents)
    print(f"filled {args.respondents} respondents per round × 30 questions in {time.perf_counter() - began:.1f} s")
    child = subprocess.run([sys.executable, "-m", "bench.comparison_bench", "--db", str(args.db), "--measure",
                            str(base_id), str(salida_id)], capture_output=True, text=True, check=True)
    found = json.loads(child.stdout)
    print(f"comparison: {found['seconds']:.2f} s wall, {found['cpu_seconds']:.2f} s CPU (best of 3), "
          f"load average {os.getloadavg()[0]:.1f}; {found['pairs']} pairs, "
          f"{found['questions']} questions compared, {found['tested']} with a paired test")
    print(f"memory: Python peak {found['python_peak_mib']:.1f} MiB, process peak RSS {found['max_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
