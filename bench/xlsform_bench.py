"""A large real-shaped XLSForm: how long its import takes, and the CPU per chat update answering it.

Builds a 300-question form in KoBo's shape (10 groups with a relevant each, 50 choice
lists, a calculation every 15 questions, references in labels, and a household roster: a
repeat of 5 questions asked as many times as the household size answered, with position(..),
sibling references and a sum() over the members), imports it through `read_xlsform`
(seconds, peak memory), then vecinas answer it through `ChatService` on a new SQLite file,
and other vecinas answer the 12-question demo diagnóstico in the same process. In each of
--rounds rounds, --vecinos vecinas answer the large form and the demo's vecinas give as many
updates, the two surveys taking turns (each first every other round, so that a drift of the
machine's load falls on both). Each update's CPU is this thread's (`time.thread_time`), not
wall time: on a shared machine the figure that counts is what the update costs, not how long
it waited. Printed: CPU per update of each survey and their ratio, median (min–max) of the
rounds, and the ratio of all rounds together.

    python -m bench.xlsform_bench [--questions 300] [--vecinos 1] [--rounds 8]
"""

import argparse
import re
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

import api.tables  # noqa: F401 - every table, for create_all
from api.barrios.models import BarrioCreate
from api.barrios.store import create_barrio, create_ejecutor
from api.chat.service import Address, ChatService
from api.kernel.config import Settings
from api.kernel.db import make_engine
from api.surveys.demo import DIAGNOSTICO
from api.surveys.store import create_survey, move
from api.surveys.xlsform import read_xlsform
from bot.main import chat_service
from conversations.kernel.events import Event
from conversations.surveys.ports import SurveyStatus
from tests.factories import xlsform_workbook

LISTS = 50
GROUPS = 10
MEMBERS = 3  # what answer_all types for the household size
ROSTER: list[dict[str, Any]] = [  # the members' repeat, after the groups
    {"type": "integer", "name": "personas", "label::Español (es)": "¿Cuántas personas?", "required": "yes"},
    {"type": "begin_repeat", "name": "miembro", "label::Español (es)": "Persona", "repeat_count": "${personas}"},
    {"type": "text", "name": "m_nombre", "label::Español (es)": "Nombre de la persona ${m_numero}"},
    {"type": "calculate", "name": "m_numero", "calculation": "position(..)"},
    {"type": "integer", "name": "m_edad", "label::Español (es)": "¿Edad de ${m_nombre}?", "required": "yes",
     "constraint": ". < 120"},
    {"type": "select_one l0", "name": "m_trabaja", "label::Español (es)": "¿${m_nombre} trabaja?",
     "relevant": "${m_edad} >= 18"},
    {"type": "end_repeat"},
    {"type": "calculate", "name": "edades", "calculation": "sum(${m_edad})"},
]


def big_form(questions: int) -> bytes:
    """`questions` questions in GROUPS groups: selects over LISTS lists, integers, texts, calculations."""
    survey: list[dict[str, Any]] = [{"type": "start", "name": "start"}, {"type": "end", "name": "end"}]
    per_group = questions // GROUPS
    for g in range(GROUPS):
        survey.append({"type": "begin_group", "name": f"g{g}", "label::Español (es)": f"Sección {g}",
                       "label::English (en)": f"Section {g}", "relevant": "${q0} != 'x'" if g else ""})
        for n in range(g * per_group, (g + 1) * per_group):
            row: dict[str, Any] = {"name": f"q{n}", "label::Español (es)": f"Pregunta {n}",
                                   "label::English (en)": f"Question {n}"}
            if n % 15 == 14:
                row.update(type="calculate", calculation=f"${{q{n - 2}}} * 2")
                row.pop("label::Español (es)"), row.pop("label::English (en)")
            elif n % 3 == 0:
                row.update(type=f"select_one l{n % LISTS}", required="yes")
            elif n % 3 == 1:
                row.update(type="integer", constraint=". >= 0 and . < 1000", relevant=f"${{q{n - 1}}} != 'c9'")
            else:
                row.update(type="text")
                row["label::Español (es)"] += f" (antes: ${{q{n - 1}}})"
            survey.append(row)
        survey.append({"type": "end_group"})
    survey.extend(ROSTER)
    choices = [{"list_name": f"l{n}", "name": f"c{c}", "label::Español (es)": f"Opción {c}",
                "label::English (en)": f"Option {c}"} for n in range(LISTS) for c in range(5)]
    return xlsform_workbook({"survey": survey, "choices": choices,
                             "settings": [{"form_title": "Grande", "default_language": "Español (es)"}]})


def answering(service: ChatService, address: Address, survey_id: int) -> Iterator[tuple[float, bool]]:
    """Answer every question (first choice, or '3'): each update's CPU seconds (this thread's), and whether it
    ended the survey."""

    def send(event: Event) -> tuple[list[Any], float]:
        start = time.thread_time()
        replies = service.handle(address, event)
        return replies, time.thread_time() - start

    replies, cpu = send(Event.button(f"sv:{survey_id}"))
    for _ in range(2000):
        last = replies[-1]
        ended = "Tus respuestas a «" in last.text  # the review (the consent step says "Tus respuestas no van...")
        yield cpu, ended
        if ended:
            return
        data = [b.data for row in last.buttons for b in row]
        consent = next((d for d in data if d.endswith(":consent:yes")), None)
        first = next((d for d in data if re.fullmatch(rf"sv:{survey_id}:\d+:0", d)), None)
        if consent is not None:  # the diagnóstico's sensitive questions: accepted
            replies, cpu = send(Event.button(consent))
        elif first is not None:
            replies, cpu = send(Event.button(first))
            if "Listo" in " ".join(b.label for row in replies[-1].buttons for b in row):
                yield cpu, False
                replies, cpu = send(Event.button(next(d for row in replies[-1].buttons for b in row
                                                      if (d := b.data).endswith(":ok"))))
        elif any(d.endswith(":ok") for d in data):
            replies, cpu = send(Event.button(next(d for d in data if d.endswith(":ok"))))
        else:
            replies, cpu = send(Event.parse("3"))
    raise RuntimeError("the survey did not end")


class Vecinas:
    """New vecinas of the barrio answering one survey, one after the other, an update at a time."""

    def __init__(self, service: ChatService, code: str, survey_id: int, prefix: str) -> None:
        self.service, self.code, self.survey_id, self.prefix = service, code, survey_id, prefix
        self.joined = 0
        self.updates: Iterator[tuple[float, bool]] = iter(())

    def next(self) -> tuple[float, bool]:
        """The next update's CPU seconds, and whether it ended a vecina's survey (the next one starts after)."""
        found = next(self.updates, None)
        if found is None:
            self.joined += 1
            chat = f"{self.prefix}{self.joined}"
            address = Address("telegram", chat, chat)
            for event in (Event.parse(f"/start {self.code}"), Event.button(f"join:es:{self.code}"),
                          Event.button(f"consent:yes:es:{self.code}")):
                self.service.handle(address, event)
            self.updates = answering(self.service, address, self.survey_id)
            found = next(self.updates)
        return found


def setup(engine: Engine, definitions: list[dict[str, Any]]) -> tuple[str, list[int]]:
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        ejecutor, _ = create_ejecutor(session, name="Bench")
        barrio = create_barrio(session, ejecutor=ejecutor, default_timezone="America/Santiago",
                               data=BarrioCreate(name="Bench", comuna="La Pintana", region="Metropolitana"))
        ids = []
        for definition in definitions:
            survey = create_survey(session, barrio=barrio, kind="diagnostico", definition=definition)
            move(session, survey, SurveyStatus.OPEN)
            ids.append(survey.id or 0)
        return barrio.join_code, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--vecinos", type=int, default=1, help="vecinas answering the large form in each round")
    parser.add_argument("--rounds", type=int, default=8, help="rounds, each giving a ratio")
    args = parser.parse_args()
    workbook = big_form(args.questions)
    tracemalloc.start()
    start = time.perf_counter()
    imported = read_xlsform(workbook)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"import of {args.questions} questions, {LISTS} lists, {GROUPS} groups, a repeat: {seconds:.2f} s, "
          f"peak {peak / 1e6:.1f} MB traced")
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/xlsform.db")
    code, (big, demo) = setup(engine, [imported.definition, DIAGNOSTICO])
    service = chat_service(Settings(_env_file=None), engine, lambda: "BenchBot")  # type: ignore[call-arg]
    large, small = Vecinas(service, code, big, "2"), Vecinas(service, code, demo, "1")
    for vecinas in (small, large):  # warm up: forms parsed, statements compiled
        while not vecinas.next()[1]:
            pass
    last = 0  # the large form's updates in the last round: as many of the demo's, whichever goes first
    totals, ratios = {"demo diagnóstico": [0, 0.0], "large form": [0, 0.0]}, []  # updates, CPU seconds
    per_update: dict[str, list[float]] = {"demo diagnóstico": [], "large form": []}
    for round_ in range(args.rounds):
        cpu = {"large form": [0, 0.0], "demo diagnóstico": [0, 0.0]}
        for name in list(cpu)[::-1 if round_ % 2 else 1]:  # the two surveys in turn, each first every other round
            vecinas, ended = (large, 0) if name == "large form" else (small, 0)
            enough = args.vecinos if vecinas is large else 1
            while ended < enough or (vecinas is small and cpu[name][0] < (cpu["large form"][0] or last)):
                seconds, done = vecinas.next()
                cpu[name][0] += 1
                cpu[name][1] += seconds
                ended += done
        last = cpu["large form"][0]
        for name, (updates, seconds) in cpu.items():
            totals[name][0] += updates
            totals[name][1] += seconds
            per_update[name].append(seconds / updates)
        ratios.append(per_update["large form"][-1] / per_update["demo diagnóstico"][-1])
    print(f"CPU per update (thread time), {args.rounds} rounds, each of {args.vecinos} vecina(s) answering the "
          "large form and as many updates of vecinas answering the demo, in turn; median (min–max) of the rounds:")
    for name, (updates, _) in totals.items():
        print(f"  {name}: {updates} updates, {_spread(per_update[name], 1e6)} µs")
    overall = (totals["large form"][1] / totals["large form"][0]) / (totals["demo diagnóstico"][1]
                                                                       / totals["demo diagnóstico"][0])
    print(f"ratio large / demo: {_spread(ratios)}×, all rounds together {overall:.2f}×")
    engine.dispose()


def _spread(values: list[float], scale: float = 1.0) -> str:
    """'median (min–max)' of the values."""
    digits = 0 if scale > 1 else 2
    low, middle, high = min(values) * scale, statistics.median(values) * scale, max(values) * scale
    return f"{middle:.{digits}f} ({low:.{digits}f}–{high:.{digits}f})"


if __name__ == "__main__":
    main()
