"""A barrio's comparison: its two surveys read, compared, and described for the API."""

from sqlalchemy import Engine
from sqlmodel import Session

from api.barrios.models import Barrio
from api.comparison.compare import RoundData, compare, dimensions_of
from api.comparison.models import Comparison, SurveyRef
from api.comparison.rounds import answers_by_question, pick_surveys
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
    assert base.id is not None and salida.id is not None
    before, after = view(base).form, view(salida).form
    locale = language or after.default_language
    with engine.connect() as connection:
        first = RoundData(before, answers_by_question(connection, base.id))
        second = RoundData(after, answers_by_question(connection, salida.id))
    found = compare(first, second, dimensions_of(base.definition, salida.definition), locale=locale,
                    min_cell=min_cell)
    return Comparison(
        barrio_id=salida.barrio_id, base=_ref(base), salida=_ref(salida), min_cell=min_cell,
        respondents_base=len(first.respondents), respondents_salida=len(second.respondents), pairs=found.pairs,
        questions=found.questions, dimensions=found.dimensions, overall=found.overall, skipped=found.skipped)


def _ref(survey: Survey) -> SurveyRef:
    assert survey.id is not None
    return SurveyRef(id=survey.id, title=survey.title, kind=survey.kind, status=survey.status)
