"""A survey's results for its ejecutor: counts and shares, mean and median, sample texts.

A sensitive question also says how many declined it: responses whose vecino refused consent
and to whom it would have applied (its `relevant`, read on their other answers)."""

import statistics
from collections import Counter
from typing import Any

from sqlalchemy import Engine

from api.surveys.models import Bounds, ChoiceCount, QuestionResult, Survey, SurveyResults
from api.surveys.rows import responses
from api.surveys.store import view
from conversations.surveys.form import CHOICE_TYPES
from conversations.surveys.summary import Tally

TEXT_SAMPLE = 10
NUMERIC = ("integer", "decimal", "scale", "range", "calculate")  # a calculation's numbers get a mean too


def results(engine: Engine, survey: Survey, language: str | None = None) -> SurveyResults:
    assert survey.id is not None
    form = view(survey).form
    locale = language or form.default_language
    started = completed = 0
    counts: dict[str, Counter[str]] = {q.name: Counter() for q in form.asked}
    answered: Counter[str] = Counter()
    numbers: dict[str, list[float]] = {q.name: [] for q in form.asked if q.type in NUMERIC}
    texts: dict[str, list[str]] = {q.name: [] for q in form.asked if q.type == "text"}
    ranks = {q.name for q in form.asked if q.type == "rank"}  # counted by what came first
    places: dict[str, list[tuple[float, float]]] = {q.name: [] for q in form.asked if q.type == "geopoint"}
    declined: Counter[str] = Counter()
    for row in responses(engine, survey.id, survey.salt):
        started += 1
        completed += row.completed_at is not None
        if row.consent is False and form.sensitive:
            applies = form.applies(row.answers)
            declined.update(q.name for i, q in enumerate(form.questions) if q.sensitive and q.asked and applies[i])
        for name, value in row.answers.items():
            if value is None or name not in counts:
                continue
            answered[name] += 1
            if name in places:
                places[name].extend(_place(value))
                continue
            _count(value[:1] if name in ranks else value, counts[name], numbers.get(name), texts.get(name))
    questions = []
    for question in form.asked:
        result = QuestionResult(name=question.name, type=question.type, answered=answered[question.name],
                                label=form.text(question.label, locale) or question.name,
                                declined=declined[question.name] if question.sensitive else None)
        base = answered[question.name] or 1
        if question.type in (*CHOICE_TYPES, "scale", "rank"):
            result.choices = [
                ChoiceCount(name=o.name, label=form.text(o.label, locale) or o.name,
                            count=counts[question.name][o.name],
                            percent=round(100 * counts[question.name][o.name] / base, 1))
                for o in question.options
            ]
        if question.name in numbers and numbers[question.name]:
            result.mean = round(statistics.fmean(numbers[question.name]), 2)
            result.median = statistics.median(numbers[question.name])
        if question.name in texts:
            result.texts = texts[question.name]
        if places.get(question.name):
            latitudes, longitudes = zip(*places[question.name], strict=True)
            result.bounds = Bounds(south=min(latitudes), west=min(longitudes), north=max(latitudes),
                                   east=max(longitudes))
        questions.append(result)
    return SurveyResults(survey_id=survey.id, title=form.text(form.title, locale), status=survey.status,
                         started=started, completed=completed, questions=questions)


def _place(value: Any) -> list[tuple[float, float]]:
    """A stored geopoint ("lat lon altitude precision") as [(lat, lon)], [] when unreadable."""
    try:
        latitude, longitude = (float(part) for part in str(value).split()[:2])
    except ValueError:
        return []
    return [(latitude, longitude)]


def _count(value: Any, counter: Counter[str], numbers: list[float] | None, texts: list[str] | None) -> None:
    if isinstance(value, list):
        counter.update(str(v) for v in value)
        return
    counter[str(value)] += 1
    if numbers is not None and isinstance(value, int | float):
        numbers.append(float(value))
    if texts is not None and len(texts) < TEXT_SAMPLE:
        texts.append(str(value))


def tallies(found: SurveyResults) -> list[Tally]:
    """The main result of each choice or scale question, for the vecinos' summary."""
    main = []
    for question in found.questions:
        if question.type == "scale" and question.mean is not None:
            main.append(Tally(question.name, mean=question.mean))
        elif question.type in CHOICE_TYPES and question.choices and question.answered:
            top = max(question.choices, key=lambda c: c.count)
            main.append(Tally(question.name, top_choice=top.name, share=top.count / question.answered))
    return main
