"""The results counted in SQL equal a plain count in Python over the same responses.

The reference below walks every response (api/surveys/rows.py) and counts as the results did
before they moved to SQL; both run on the same random answers (choices, multiple choices, a
ranking, numbers, texts, a sensitive question some declined, a withheld member), for the
whole survey, a window of days, and split by a single-choice question.
"""

import random
import statistics
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session

from api.barrios.models import Member
from api.kernel.errors import Invalid
from api.surveys.models import Survey, SurveyResponse
from api.surveys.results import NUMERIC, TEXT_SAMPLE, results
from api.surveys.rows import Window, responses
from api.surveys.store import SqlSurveys, view
from conversations.surveys.questions import CHOICE_TYPES
from tests.factories import make_answers, make_barrio, make_ejecutor, make_member, make_survey

OPTIONS = [{"name": n, "label": n.title()} for n in ("uno", "dos", "tres")]
FORM: dict[str, Any] = {
    "title": "Mezcla",
    "questions": [
        {"name": "sexo", "type": "select_one", "label": "¿Sexo?",
         "choices": [{"name": "f", "label": "Mujer"}, {"name": "m", "label": "Hombre"}]},
        {"name": "usos", "type": "select_multiple", "label": "¿Usos?", "choices": OPTIONS},
        {"name": "orden", "type": "rank", "label": "¿Orden?", "choices": OPTIONS},
        {"name": "edad", "type": "integer", "label": "¿Edad?"},
        {"name": "metros", "type": "decimal", "label": "¿Metros?"},
        {"name": "nota", "type": "scale", "label": "¿Nota?"},
        {"name": "idea", "type": "text", "label": "¿Idea?"},
        {"name": "ingreso", "type": "integer", "label": "¿Ingreso?", "sensitive": True,
         "relevant": "${edad} > 30"},
    ],
}
DAY = datetime(2026, 3, 2, 15, tzinfo=UTC)


def _reference(engine: Engine, survey: Survey, window: Window, keep: Any = None) -> dict[str, Any]:
    """The plain count: every response read in Python (those `keep` accepts)."""
    form = view(survey).form
    started = completed = 0
    counts: dict[str, Counter[str]] = {q.name: Counter() for q in form.asked}
    answered: Counter[str] = Counter()
    numbers: dict[str, list[float]] = {q.name: [] for q in form.asked}
    texts: dict[str, list[str]] = {q.name: [] for q in form.asked}
    declined: Counter[str] = Counter()
    for row in responses(engine, survey.id or 0, survey.salt, window):
        if keep is not None and not keep(row.answers):
            continue
        started += 1
        completed += row.completed_at is not None
        if row.consent is False:
            applies = form.applies(row.answers)
            declined.update(q.name for i, q in enumerate(form.questions) if q.sensitive and applies[i])
        for name, value in row.answers.items():
            if value is None:
                continue
            answered[name] += 1
            question = form.question(name)
            assert question is not None
            items = value[:1] if question.type == "rank" else value
            counts[name].update(str(v) for v in items) if isinstance(value, list) else counts[name].update([str(value)])
            if question.type in NUMERIC and isinstance(value, int | float):
                numbers[name].append(float(value))
            if question.type == "text" and len(texts[name]) < TEXT_SAMPLE:
                texts[name].append(str(value))
    questions = []
    for q in form.asked:
        numbered = numbers[q.name]
        questions.append({
            "name": q.name, "answered": answered[q.name],
            "choices": [(o.name, counts[q.name][o.name]) for o in q.options]
            if q.type in (*CHOICE_TYPES, "scale", "rank") else None,
            "mean": round(statistics.fmean(numbered), 2) if numbered else None,
            "median": statistics.median(numbered) if numbered else None,
            "texts": texts[q.name] if q.type == "text" else None,
            "declined": declined[q.name] if q.sensitive else None,
        })
    return {"started": started, "completed": completed, "questions": questions}


def _counted(found: Any) -> dict[str, Any]:
    return {"started": found.started, "completed": found.completed, "questions": [
        {"name": q.name, "answered": q.answered,
         "choices": None if q.choices is None else [(c.name, c.count) for c in q.choices],
         "mean": q.mean, "median": q.median, "texts": q.texts, "declined": q.declined}
        for q in found.questions]}


@pytest.fixture
def answered(engine: Engine, session: Session) -> Survey:
    """Sixty vecinos' random answers over ten days; one withholds them, some decline the sensitive question."""
    barrio = make_barrio(session, make_ejecutor(session)[0])
    survey = make_survey(session, barrio, FORM)
    chosen = random.Random(13)
    for n in range(60):
        member = make_member(session, barrio, str(n))
        answers: dict[str, Any] = {
            "sexo": chosen.choice(["f", "m", None]),
            "usos": chosen.sample(["uno", "dos", "tres"], chosen.randint(0, 3)),
            "orden": chosen.sample(["uno", "dos", "tres"], 3), "edad": chosen.randint(18, 80),
            "metros": chosen.choice([12.5, 40.0, 3.25, None]), "nota": chosen.randint(1, 5),
            "idea": chosen.choice([f"idea {n}", None]),
        }
        answers = {k: v for k, v in answers.items() if not (v is None and chosen.random() < 0.5)}  # some never reached
        declines = n % 7 == 0
        if not declines and answers.get("edad", 0) > 30:
            answers["ingreso"] = chosen.randint(100, 900) * 1000
        make_answers(session, survey, member, answers, completed=n % 4 != 0)
        if declines:
            SqlSurveys(session, member).set_consent(survey.id or 0, member, False)
        session.execute(update(SurveyResponse).where(SurveyResponse.member_id == member)  # type: ignore[arg-type]
                        .values(started_at=DAY + timedelta(days=n % 10)))
        if n == 5:
            session.execute(update(Member).where(Member.id == member).values(withheld=True))  # type: ignore[arg-type]
        session.commit()
    return survey


def test_sql_counts_equal_a_python_count(engine: Engine, answered: Survey) -> None:
    everything = _reference(engine, answered, Window())
    assert everything["started"] == 59  # the withheld vecina is left out
    assert _counted(results(engine, answered)) == everything
    window = Window.days(date(2026, 3, 4), date(2026, 3, 7), "America/Santiago")
    within = _reference(engine, answered, window)
    assert 0 < within["started"] < 59
    assert _counted(results(engine, answered, window=window)) == within


def test_split_by_a_question_equals_a_python_count_per_answer(engine: Engine, answered: Survey) -> None:
    window = Window.days(date(2026, 3, 3), None, "America/Santiago")
    found = results(engine, answered, window=window, by="sexo")
    assert _counted(found) == _reference(engine, answered, window)
    assert [g.name for g in found.groups or []] == ["f", "m", None]
    for group in found.groups or []:
        assert _counted(group) == _reference(engine, answered, window, lambda a, g=group.name: a.get("sexo") == g)
    assert sum(g.started for g in found.groups or []) == found.started


def test_splitting_by_anything_but_a_single_choice_is_refused(engine: Engine, answered: Survey) -> None:
    for by in ("usos", "edad", "nada"):
        with pytest.raises(Invalid, match="single-choice"):
            results(engine, answered, by=by)


def test_the_first_texts_of_a_repeat_are_those_of_the_first_responses(engine: Engine, session: Session) -> None:
    """Every instance counts; the sample holds the first responses' texts (by response, then text),
    whether or not the results are split, without the withheld vecina's."""
    barrio = make_barrio(session, make_ejecutor(session)[0])
    survey = make_survey(session, barrio, {"title": "Hogar", "questions": [
        {"name": "sexo", "type": "select_one", "label": "¿Sexo?", "choices": [{"name": "f", "label": "Mujer"}]},
        {"name": "persona", "type": "repeat", "label": "Persona", "questions": [
            {"name": "nombre", "type": "text", "label": "¿Nombre?"}]}]})
    given = []
    for n in range(14):
        member = make_member(session, barrio, str(n))
        names = [f"Zoe {n:02d}", f"Ana {n:02d}", f"Ñusta {n:02d}"][: 1 + n % 3]
        make_answers(session, survey, member,
                     {"sexo": "f", **{f"nombre#{i + 1}": name for i, name in enumerate(names)}})
        if n == 3:
            session.execute(update(Member).where(Member.id == member).values(withheld=True))  # type: ignore[arg-type]
            session.commit()
        else:
            given.extend((n, name) for name in names)
    expected = [name for _, name in sorted(given)[:TEXT_SAMPLE]]
    assert expected[-3:] == ["Zoe 04", "Ana 05", "Zoe 05"]  # the last response sampled only in part
    for found in (results(engine, survey), results(engine, survey, by="sexo").groups[0]):  # type: ignore[index]
        nombre = next(q for q in found.questions if q.name == "nombre")
        assert (nombre.answered, nombre.texts) == (len(given), expected)


@pytest.mark.parametrize(("seed", "strays"), [(1, 0), (2, 0), (3, 90)])
def test_split_of_random_answers_equals_a_python_count(engine: Engine, session: Session, seed: int,
                                                       strays: int) -> None:
    """The split as counted fast (each response's group sent as a code per response id, answers counted from
    the index) against the plain count: random answers, another survey's responses between this one's (so its
    ids have gaps), withheld vecinos, a window of days; with `strays`, that many answers to the splitting
    question outside its choices (stored before a form changed), so the groups need codes of two characters."""
    chosen = random.Random(seed)
    barrio = make_barrio(session, make_ejecutor(session)[0])
    survey, other = make_survey(session, barrio, FORM), make_survey(session, barrio, FORM)
    sexes = ["f", "m", None, *(f"otro{n}" for n in range(strays))]
    for n in range(40 + strays):
        member = make_member(session, barrio, str(n))
        answers: dict[str, Any] = {
            "sexo": sexes[n] if n < len(sexes) else chosen.choice(sexes[:3]),
            "usos": chosen.sample(["uno", "dos", "tres"], chosen.randint(0, 3)),
            "orden": chosen.sample(["uno", "dos", "tres"], 3), "edad": chosen.randint(18, 80),
            "metros": chosen.choice([12.5, 40.0, 3.25, None]), "nota": chosen.randint(1, 5),
            "idea": chosen.choice([f"idea {n}", None]),
        }
        answers = {k: v for k, v in answers.items() if not (v is None and chosen.random() < 0.5)}
        if chosen.random() < 0.3:
            make_answers(session, other, member, {"sexo": "m", "edad": 40})  # an id between two of this survey's
        if answers.get("edad", 0) > 30 and chosen.random() < 0.7:
            answers["ingreso"] = chosen.randint(100, 900) * 1000
        make_answers(session, survey, member, answers, completed=chosen.random() < 0.8)
        if "ingreso" not in answers and chosen.random() < 0.3:
            SqlSurveys(session, member).set_consent(survey.id or 0, member, False)
        session.execute(update(SurveyResponse).where(SurveyResponse.member_id == member)  # type: ignore[arg-type]
                        .values(started_at=DAY + timedelta(days=chosen.randint(0, 9))))
        if chosen.random() < 0.1:
            session.execute(update(Member).where(Member.id == member).values(withheld=True))  # type: ignore[arg-type]
        session.commit()
    for window in (Window(), Window.days(date(2026, 3, 4), date(2026, 3, 8), "America/Santiago")):
        found = results(engine, survey, window=window, by="sexo")
        assert _counted(found) == _reference(engine, survey, window)
        assert [g.name for g in found.groups or []] == ["f", "m", None]
        for group in found.groups or []:
            expected = _reference(engine, survey, window, lambda a, g=group.name: a.get("sexo") == g)
            assert expected["started"] > 0
            assert _counted(group) == expected
