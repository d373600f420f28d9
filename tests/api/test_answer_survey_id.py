"""Every answer repeats its response's survey (survey_answer.survey_id, which the results count by):
set by each writer of answers and filled by migration 0022_perf for the answers stored before it."""

from alembic import command
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session

from api.comparison.demo import seed_rounds
from api.kernel.db import make_engine
from api.kernel.migrate import alembic_config, upgrade
from api.surveys.models import SurveyAnswer, SurveyResponse
from api.surveys.store import SqlSurveys
from tests.factories import make_answers, make_barrio, make_ejecutor, make_member, make_survey

REPEATED = {
    "title": "Hogar",
    "questions": [
        {"name": "nombre", "type": "text", "label": "¿Nombre?"},
        {"name": "persona", "type": "repeat", "label": "Persona", "questions": [
            {"name": "edad", "type": "integer", "label": "¿Edad?"}]},
    ],
}


def _answers_by_survey(engine: Engine) -> tuple[int, int]:
    """How many answers there are, and how many name a survey other than their response's."""
    joined = SurveyAnswer.__table__.join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)  # type: ignore[attr-defined]
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(SurveyAnswer)).scalar_one()
        wrong = connection.execute(select(func.count()).select_from(joined).where(
            SurveyAnswer.survey_id != SurveyResponse.survey_id)).scalar_one()  # type: ignore[arg-type]
    return total, wrong


def test_every_writer_of_answers_names_their_survey(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    first, second = make_survey(session, barrio), make_survey(session, barrio, REPEATED)
    vecina, vecino = make_member(session, barrio, "1"), make_member(session, barrio, "2")
    make_answers(session, first, vecina, {"barrio": "bien"})  # the chat's port, as vecinos answer
    make_answers(session, second, vecina, {"nombre": "Rosa", "edad#1": 40, "edad#2": 12})
    make_answers(session, second, vecino, {"nombre": "Juan"}, completed=False)
    make_answers(session, second, vecino, {"nombre": "Juan Pablo"})  # an answer changed in place
    SqlSurveys(session, vecino).forget(second.id or 0, vecino, ["nombre"])
    make_answers(session, second, vecino, {"edad#1": 33})
    seed_rounds(session, barrio)  # the comparison's demo rounds
    total, wrong = _answers_by_survey(engine)
    assert total > 40 and wrong == 0
    with engine.connect() as connection:
        per_survey = dict(connection.execute(select(SurveyAnswer.survey_id, func.count())
                                             .group_by(SurveyAnswer.survey_id)).all())  # type: ignore[arg-type]
    assert per_survey[first.id] == 1 and per_survey[second.id] == 4


def test_the_migration_fills_the_survey_of_answers_stored_before_it(blank_url: str) -> None:
    engine = make_engine(blank_url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0021_harden")
    # tables other than survey_answer and survey_response (revision, 0027) are as today
    with Session(engine, expire_on_commit=False) as session:
        barrio = make_barrio(session, make_ejecutor(session)[0])
        surveys = [make_survey(session, barrio).id, make_survey(session, barrio).id]
        members = [make_member(session, barrio, str(n)) for n in range(3)]
        for n, member in enumerate(members):
            session.execute(text("INSERT INTO survey_response (survey_id, member_id, started_at) "
                                 "VALUES (:survey, :member, CURRENT_TIMESTAMP)"),
                            {"survey": surveys[n % 2], "member": member})
        responses = session.execute(text("SELECT id, member_id FROM survey_response ORDER BY id")).all()
        for response in responses:
            for question in ("barrio", "edad#1"):
                session.execute(text("INSERT INTO survey_answer (response_id, question, member_id, value, answered_at) "
                                     "VALUES (:response, :question, :member, '\"si\"', CURRENT_TIMESTAMP)"),
                                {"response": response.id, "question": question, "member": response.member_id})
        session.commit()
    upgrade(engine)
    assert _answers_by_survey(engine) == (6, 0)
    with engine.connect() as connection:
        filled = connection.execute(select(SurveyAnswer.survey_id).order_by(SurveyAnswer.response_id)).scalars()
        assert list(filled) == [surveys[0]] * 2 + [surveys[1]] * 2 + [surveys[0]] * 2
    engine.dispose()
