"""A survey's results for its ejecutor: counts and shares, mean and median, sample texts.

A question inside a repeat counts every instance: "answered" is the instances answered, and
shares are of those (four members, two of them studying: 50 %).

A sensitive question also says how many declined it: responses whose vecino refused consent
and to whom it would have applied (its `relevant`, read on their other answers)."""

import statistics
from collections import Counter
from typing import Any

from sqlalchemy import Engine

from api.surveys.models import ChoiceCount, QuestionResult, Survey, SurveyResults
from api.surveys.rows import responses
from api.surveys.store import view
from conversations.surveys.form import CHOICE_TYPES, split_key

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
    declined: Counter[str] = Counter()
    for row in responses(engine, survey.id, survey.salt):
        started += 1
        completed += row.completed_at is not None
        if row.consent is False and form.sensitive:
            declined.update(form.questions[place.index].name for place, holds in form.walk(row.answers)
                            if holds and form.questions[place.index].sensitive and form.questions[place.index].asked)
        for key, value in row.answers.items():
            name = split_key(key)[0]  # every instance of a repeated question counts
            if value is None or name not in counts:
                continue
            answered[name] += 1
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
        questions.append(result)
    return SurveyResults(survey_id=survey.id, title=form.text(form.title, locale), status=survey.status,
                         started=started, completed=completed, questions=questions)


def _count(value: Any, counter: Counter[str], numbers: list[float] | None, texts: list[str] | None) -> None:
    if isinstance(value, list):
        counter.update(str(v) for v in value)
        return
    counter[str(value)] += 1
    if numbers is not None and isinstance(value, int | float):
        numbers.append(float(value))
    if texts is not None and len(texts) < TEXT_SAMPLE:
        texts.append(str(value))
