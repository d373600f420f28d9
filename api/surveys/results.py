"""A survey's results for its ejecutor: counts and shares, mean and median, sample texts.

Counted in SQL, so a page of 10,000 responses reads a few hundred grouped rows instead of
every answer: started and completed, one row per distinct stored value of each question but
texts (decoded here, so a multiple choice counts each of its options and a ranking its
first), and of each text question how many answered and its first texts. The same
counts can be split by the answer to one single-choice question (`by`: sexo, sector), as
KoBo's reports do, and kept to the responses started in a `Window` of days.

A sensitive question also says how many declined it: responses whose vecino refused consent
and to whom it would have applied (its `relevant`, read on their other answers). Those few
responses are read whole, since `relevant` is evaluated by the form.
"""

import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Select, Text, cast, func, literal, null, or_, select, union_all

from api.barrios.models import Member
from api.kernel.errors import Invalid
from api.surveys.bins import histogram
from api.surveys.models import (
    Bounds,
    ChoiceCount,
    QuestionResult,
    Survey,
    SurveyAnswer,
    SurveyGroup,
    SurveyResponse,
    SurveyResults,
)
from api.surveys.retention import BLANK
from api.surveys.rows import Window
from api.surveys.split import Groups, group_of
from api.surveys.store import view
from conversations.surveys.form import Form
from conversations.surveys.questions import CHOICE_TYPES, split_key

TEXT_SAMPLE = 10
NUMERIC = ("integer", "decimal", "scale", "range", "calculate")  # a calculation's numbers get a mean too
COUNTED = (*CHOICE_TYPES, "scale", "rank")  # questions whose results are counts per option


@dataclass
class _Counts:
    """What one group of responses gave: the raw material of a `SurveyResults`."""

    started: int = 0
    completed: int = 0
    answered: Counter[str] = field(default_factory=Counter)
    options: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    numbers: dict[str, Counter[float]] = field(default_factory=lambda: defaultdict(Counter))  # value: how many
    texts: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))  # (response id, text)
    declined: Counter[str] = field(default_factory=Counter)


def results(engine: Engine, survey: Survey, language: str | None = None, window: Window = Window(),
            by: str | None = None) -> SurveyResults:
    """The results of the responses started in `window`; with `by`, also one set per answer to that question."""
    assert survey.id is not None
    form = view(survey).form
    locale = language or form.default_language
    if by is not None:
        grouping = form.question(by)
        if grouping is None or grouping.type != "select_one" or grouping.repeat:
            raise Invalid(f"by: {by!r} is not a single-choice question of this survey (outside its repeats)")
    with engine.connect() as connection:
        counted = _count(connection, survey.id, form, window, by)
    everyone = _Counts()
    for counts in counted.values():
        _add(everyone, counts)
    found = SurveyResults(survey_id=survey.id, title=form.text(form.title, locale), status=survey.status,
                          **_shown(form, everyone, locale))
    if by is not None:
        found.by = by
        found.groups = [
            SurveyGroup(name=option.name, label=form.text(option.label, locale) or option.name,
                        **_shown(form, counted.get(option.name, _Counts()), locale))
            for option in grouping.options  # type: ignore[union-attr]
        ]
        if None in counted:
            found.groups.append(SurveyGroup(name=None, label="", **_shown(form, counted[None], locale)))
    return found


def _count(connection: Connection, survey_id: int, form: Form, window: Window,
           by: str | None) -> dict[str | None, _Counts]:
    """Per group (the answer to `by`, None without one), what its responses gave."""
    if by is not None:
        return _split(connection, survey_id, form, window, by)
    where = window.conditions(survey_id)
    into = _Counts()
    heads = select(func.count(), func.count(SurveyResponse.completed_at)).select_from(_responses()).where(*where)
    into.started, into.completed = connection.execute(heads).one()
    _values(connection, form, into, survey_id, window)
    _first_texts(connection, form, into, survey_id, window)
    if form.sensitive:
        _declined(connection, form, {None: into}, where, None)
    return {None: into}


def _split(connection: Connection, survey_id: int, form: Form, window: Window, by: str) -> dict[str | None, _Counts]:
    """Split by the answer to `by`: each response's group read once, then every answer counted per group
    from the index in one pass (api/surveys/split.py); the first texts of each group."""
    counted: dict[str | None, _Counts] = defaultdict(_Counts)
    groups = Groups.read(connection, survey_id, window, by)
    if groups is None:
        return counted
    heads = groups.count(connection, [SurveyResponse.completed_at.is_not(None)],  # type: ignore[union-attr]
                         SurveyResponse.survey_id == survey_id, source=SurveyResponse, response_id=SurveyResponse.id)
    for (completed,), per_group in heads.items():
        for group, n in per_group.items():
            counted[group].started += n
            counted[group].completed += n if completed else 0
    stored = cast(SurveyAnswer.value, Text)
    given = (SurveyAnswer.survey_id == survey_id, stored.is_not(None))
    ranks = {q.name for q in form.asked if q.type == "rank"}
    numeric = {q.name for q in form.asked if q.type in NUMERIC}
    names = [q.name for q in form.asked if q.type != "text"]
    if names:
        for (key, encoded), per_group in groups.count(connection, [SurveyAnswer.question, stored],
                                                      *given, _questions(form, names)).items():
            question, value = split_key(key)[0], json.loads(encoded)
            if question in names:
                for group, n in per_group.items():
                    _tally(counted[group], question, value, n, question in ranks, question in numeric)
    texts = [q.name for q in form.asked if q.type == "text"]
    if texts:
        answered = groups.count(connection, [SurveyAnswer.question], *given, _questions(form, texts))
        for (key,), per_group in answered.items():
            if split_key(key)[0] in texts:
                for group, n in per_group.items():
                    counted[group].answered[split_key(key)[0]] += n
        present = list(counted)
        firsts = [part for place, group in enumerate(present)
                  for part in _firsts(form, texts, place, SurveyResponse.__table__,  # type: ignore[attr-defined]
                                      [SurveyResponse.survey_id == survey_id, groups.of(group, SurveyResponse.id)])]
        _read_texts(connection, texts, firsts, [counted[group] for group in present])
    if form.sensitive:
        _declined(connection, form, counted, window.conditions(survey_id), by)
    return counted


def _responses() -> Any:
    """The responses joined to their member (who may have withheld them)."""
    return SurveyResponse.__table__.join(Member, Member.id == SurveyResponse.member_id)  # type: ignore[attr-defined]


def _values(connection: Connection, form: Form, into: _Counts, survey_id: int, window: Window) -> None:
    """Answers to every question but texts, one row per distinct stored value, decoded as Python reads
    it: how many answered, the options chosen, the numbers given.

    Every answer of the survey is counted from ix_survey_answer_results alone (in index order, so
    grouped without a sort and without joining each answer to its response), less the answers of
    the responses that do not count (withheld, outside the window: usually few)."""
    ranks = {q.name for q in form.asked if q.type == "rank"}  # counted by what came first
    numeric = {q.name for q in form.asked if q.type in NUMERIC}
    names = [q.name for q in form.asked if q.type != "text"]
    if not names:
        return
    stored = cast(SurveyAnswer.value, Text)
    columns = (SurveyAnswer.question, stored, func.count())
    for read, sign in _counted_less_left_out(survey_id, window, columns):
        grouped = (read.where(_questions(form, names), stored.is_not(None))
                   .group_by(SurveyAnswer.question, stored))
        for _, key, encoded, n in connection.execute(grouped):
            question = split_key(key)[0]  # every instance of a repeated question counts
            if question in names:
                _tally(into, question, json.loads(encoded), sign * n, question in ranks, question in numeric)


def _counted_less_left_out(survey_id: int, window: Window, columns: tuple[Any, ...]) -> list[tuple[Select[Any], int]]:
    """Two reads of `columns` (to group by), signed: every answer of the survey, then those of the responses
    that do not count. The first reads one index, without joins; the second only the few left out."""
    every = select(null(), *columns).where(SurveyAnswer.survey_id == survey_id)  # type: ignore[arg-type]
    left_out = (select(null(), *columns)
                .select_from(_responses().join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id))  # type: ignore[arg-type]
                .where(*window.left_out(survey_id)))
    return [(every, 1), (left_out, -1)]


def _tally(into: _Counts, question: str, value: Any, n: int, rank: bool, numeric: bool) -> None:
    """`n` answers (fewer when negative) of `question` with this stored value."""
    into.answered[question] += n
    if isinstance(value, list):
        for item in value[:1] if rank else value:
            into.options[question][str(item)] += n
        return
    into.options[question][str(value)] += n
    if numeric and isinstance(value, int | float):
        into.numbers[question][float(value)] += n


def _first_texts(connection: Connection, form: Form, into: _Counts, survey_id: int, window: Window) -> None:
    """Unsplit: how many answered each text question (every answer less those left out, from the index),
    and its first texts."""
    names = [q.name for q in form.asked if q.type == "text"]
    if not names:
        return
    stored = cast(SurveyAnswer.value, Text)
    for read, sign in _counted_less_left_out(survey_id, window, (SurveyAnswer.question, func.count())):
        for _, key, n in connection.execute(read.where(_questions(form, names), stored.is_not(None))
                                            .group_by(SurveyAnswer.question)):
            if split_key(key)[0] in names:
                into.answered[split_key(key)[0]] += sign * n
    _read_texts(connection, names, _firsts(form, names, 0, _responses(), window.conditions(survey_id)), [into])


def _firsts(form: Form, names: list[str], tag: int, source: Any, where: list[Any]) -> list[Select[Any]]:
    """Per text question, every answer (every instance in a repeat) of the first responses of `source` that
    `where` selects and that answered it, found in response order; each row tagged `tag`."""
    stored = cast(SurveyAnswer.value, Text)
    given = SurveyAnswer.value.is_not(None)  # type: ignore[union-attr]
    joined = source.join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
    parts = []
    for name in names:
        asked = (_questions(form, [name]), given)
        first = (select(SurveyResponse.id).select_from(joined).where(*where, *asked)
                 .order_by(SurveyResponse.id).limit(TEXT_SAMPLE).subquery())  # (in the order of survey_id's index)
        parts.append(select(literal(tag), SurveyAnswer.question, SurveyAnswer.response_id, stored)
                     .where(*asked, SurveyAnswer.response_id.in_(select(first.c.id))))  # type: ignore[attr-defined]
    return parts


def _read_texts(connection: Connection, names: list[str], firsts: list[Select[Any]], into: list[_Counts]) -> None:
    """The texts `firsts` read, each into the counts its tag says; lists and texts blanked at retention left out."""
    for tag, key, response_id, encoded in connection.execute(union_all(*firsts)):
        question, value = split_key(key)[0], json.loads(encoded)
        if question in names and not isinstance(value, list) and value != BLANK:  # blanked: answered, says nothing
            into[tag].texts[question].append((response_id, str(value)))


def _declined(connection: Connection, form: Form, counted: dict[str | None, _Counts], where: list[Any],
              by: str | None) -> None:
    """Sensitive questions that applied to the responses whose vecino declined them."""
    read = (select(SurveyResponse.id, SurveyAnswer.question, cast(SurveyAnswer.value, Text))
            .select_from(_responses().outerjoin(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id))  # type: ignore[arg-type]
            .where(*where, SurveyResponse.sensitive_consent.is_(False))  # type: ignore[union-attr]
            .order_by(SurveyResponse.id))
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    for response_id, question, encoded in connection.execute(read):
        if question is not None:
            answers[response_id][question] = None if encoded is None else json.loads(encoded)
        else:
            answers[response_id] = {}
    for given in answers.values():
        group = group_of(None if by is None or given.get(by) is None else json.dumps(given[by]))
        asked = (form.questions[place.index] for place, holds in form.walk(given) if holds)
        counted[group].declined.update(q.name for q in asked if q.sensitive and q.asked)


def _questions(form: Form, names: list[str]) -> Any:
    """The stored answers to these questions: by name, and "name#instance" for those asked in a repeat
    (a LIKE prefix; the caller keeps only the names it asked for)."""
    repeated = [name for name in names if form.question(name).repeat]  # type: ignore[union-attr]
    return or_(SurveyAnswer.question.in_(names),  # type: ignore[attr-defined]
               *(SurveyAnswer.question.like(f"{name}#%") for name in repeated))  # type: ignore[attr-defined]


def _median(numbers: Counter[float]) -> float:
    """statistics.median of every number given, from how many gave each."""
    ordered = sorted(numbers.items())

    def at(place: int) -> float:  # the number at this place once all are sorted
        seen = 0
        for value, n in ordered:
            seen += n
            if seen > place:
                return value
        raise IndexError(place)

    half = sum(numbers.values()) // 2
    return at(half) if sum(numbers.values()) % 2 else (at(half - 1) + at(half)) / 2


def _add(total: _Counts, part: _Counts) -> None:
    total.started += part.started
    total.completed += part.completed
    total.answered.update(part.answered)
    total.declined.update(part.declined)
    for name, options in part.options.items():
        total.options[name].update(options)
    for name, numbers in part.numbers.items():
        total.numbers[name].update(numbers)
    for name, texts in part.texts.items():
        total.texts[name] = sorted(total.texts[name] + texts)[:TEXT_SAMPLE]  # the first ones of all groups


def _shown(form: Form, counts: _Counts, locale: str) -> dict[str, Any]:
    """Started, completed and one result per question, as the API and the console show them."""
    questions = []
    for question in form.asked:
        result = QuestionResult(name=question.name, type=question.type, answered=counts.answered[question.name],
                                label=form.text(question.label, locale) or question.name,
                                declined=counts.declined[question.name] if question.sensitive else None)
        base = counts.answered[question.name] or 1
        if question.type in COUNTED:
            chosen = counts.options.get(question.name, Counter())
            result.choices = [
                ChoiceCount(name=o.name, label=form.text(o.label, locale) or o.name, count=chosen[o.name],
                            percent=round(100 * chosen[o.name] / base, 1))
                for o in question.options
            ]
        numbers = +counts.numbers.get(question.name, Counter())  # (+: without the values none gave)
        if question.type in NUMERIC and numbers:
            result.mean = round(statistics.fmean(list(numbers), list(numbers.values())), 2)
            result.median = _median(numbers)
            if question.type not in COUNTED:  # a scale's options are already its bars
                result.bins = histogram(numbers)
        if question.type == "text":
            result.texts = [text for _, text in sorted(counts.texts.get(question.name, []))[:TEXT_SAMPLE]]
        if question.type == "geopoint":
            result.bounds = _bounds(counts.options.get(question.name, Counter()))
        questions.append(result)
    return {"started": counts.started, "completed": counts.completed, "questions": questions}


def _bounds(stored: Counter[str]) -> Bounds | None:
    """The smallest box holding the answered places ("lat lon altitude precision" each), None without one."""
    places = []
    for value in stored:
        try:
            latitude, longitude = (float(part) for part in value.split()[:2])
        except ValueError:
            continue
        places.append((latitude, longitude))
    if not places:
        return None
    latitudes, longitudes = zip(*places, strict=True)
    return Bounds(south=min(latitudes), west=min(longitudes), north=max(latitudes), east=max(longitudes))
