"""A barrio's comparison, and an organisation's: its two surveys read, compared, described for the API.

Across an organisation, each barrio with both rounds gets its own table and the pooled one
puts every barrio's respondents together. Pooled questions are matched by name on the forms
of the first barrio with both rounds (its línea base and línea de salida); an answer another
barrio's adapted form gives outside those choices is left out.
"""

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Barrio, Ejecutor
from api.comparison.compare import Compared, RoundData, compare, dimensions_of
from api.comparison.models import Comparison, OrganisationComparison, Pooled, Skipped, SurveyRef
from api.comparison.rounds import NoRound, answers_by_question, pick_surveys
from api.surveys.models import Survey
from api.surveys.store import view

DEFAULT_MIN_CELL = 5  # no count of fewer respondents than this leaves the service


def barrio_comparison(session: Session, engine: Engine, barrio: Barrio, *, base_id: int | None = None,
                      salida_id: int | None = None, language: str | None = None,
                      min_cell: int = DEFAULT_MIN_CELL) -> Comparison:
    base, salida = pick_surveys(session, barrio, base_id, salida_id)
    return survey_comparison(engine, base, salida, language=language, min_cell=min_cell)


def survey_comparison(engine: Engine, base: Survey, salida: Survey, *, language: str | None = None,
                      min_cell: int = DEFAULT_MIN_CELL) -> Comparison:
    first, second = _rounds(engine, base, salida)
    locale = language or second.form.default_language
    found = compare(first, second, dimensions_of(base.definition, salida.definition), locale=locale,
                    min_cell=min_cell)
    return _described(base, salida, first, second, found, min_cell)


def organisation_comparison(session: Session, engine: Engine, ejecutor: Ejecutor, *, language: str | None = None,
                            min_cell: int = DEFAULT_MIN_CELL) -> OrganisationComparison:
    """Every barrio of the organisation with a línea base and a línea de salida, and all of them pooled."""
    barrios = session.exec(select(Barrio).where(Barrio.ejecutor_id == ejecutor.id).order_by(Barrio.id)).all()  # type: ignore[arg-type]
    tables, without, pooled_rounds = [], [], []
    for barrio in barrios:
        try:
            base, salida = pick_surveys(session, barrio, None, None)
        except NoRound as error:
            without.append(Skipped(name=barrio.name, code=error.code, reason=error.detail))
            continue
        first, second = _rounds(engine, base, salida)
        locale = language or second.form.default_language
        dimensions = dimensions_of(base.definition, salida.definition)
        tables.append(_described(base, salida, first, second,
                                 compare(first, second, dimensions, locale=locale, min_cell=min_cell), min_cell))
        pooled_rounds.append((first, second, dimensions, locale))
    pooled = None
    if pooled_rounds:
        first, second, dimensions, locale = pooled_rounds[0]
        before = RoundData(first.form, _merged([rounds[0].answers for rounds in pooled_rounds]))
        after = RoundData(second.form, _merged([rounds[1].answers for rounds in pooled_rounds]))
        found = compare(before, after, dimensions, locale=locale, min_cell=min_cell)
        pooled = Pooled(barrios=len(pooled_rounds), respondents_base=len(before.respondents),
                        respondents_salida=len(after.respondents), pairs=found.pairs, questions=found.questions,
                        dimensions=found.dimensions, overall=found.overall, skipped=found.skipped)
    return OrganisationComparison(min_cell=min_cell, barrios=tables, without_rounds=without, pooled=pooled)


def barrio_names(session: Session, ejecutor: Ejecutor) -> dict[int, str]:
    """Barrio id -> name, for the organisation's tables."""
    barrios = session.exec(select(Barrio).where(Barrio.ejecutor_id == ejecutor.id)).all()
    return {barrio.id or 0: barrio.name for barrio in barrios}


def _rounds(engine: Engine, base: Survey, salida: Survey) -> tuple[RoundData, RoundData]:
    assert base.id is not None and salida.id is not None
    with engine.connect() as connection:
        return (RoundData(view(base).form, answers_by_question(connection, base.id)),
                RoundData(view(salida).form, answers_by_question(connection, salida.id)))


def _merged(rounds: list[dict[str, dict[str, object]]]) -> dict[str, dict[str, object]]:
    """Question -> respondent -> value over several barrios (member ids are unique across barrios)."""
    merged: dict[str, dict[str, object]] = {}
    for answers in rounds:
        for question, given in answers.items():
            merged.setdefault(question, {}).update(given)
    return merged


def _described(base: Survey, salida: Survey, first: RoundData, second: RoundData, found: Compared,
               min_cell: int) -> Comparison:
    return Comparison(
        barrio_id=salida.barrio_id, base=_ref(base), salida=_ref(salida), min_cell=min_cell,
        respondents_base=len(first.respondents), respondents_salida=len(second.respondents), pairs=found.pairs,
        questions=found.questions, dimensions=found.dimensions, overall=found.overall, skipped=found.skipped)


def _ref(survey: Survey) -> SurveyRef:
    assert survey.id is not None
    return SurveyRef(id=survey.id, title=survey.title, kind=survey.kind, status=survey.status)
