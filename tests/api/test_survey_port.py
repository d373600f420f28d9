"""The chat's survey port in SQL: a survey is read with the talking member's answers, once."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event
from sqlmodel import Session

from api.barrios.models import Member
from api.surveys.store import SqlSurveys, create_survey, move
from conversations.surveys.ports import SurveyStatus
from tests.factories import SMALL, make_barrio, make_ejecutor


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_survey_comes_with_the_members_own_answers_in_one_statement(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    survey = create_survey(session, barrio=barrio, kind="diagnostico", definition=SMALL)
    assert survey.id is not None
    first_question, second_question = (q["name"] for q in SMALL["questions"][:2])
    for member_id in ("vana", "vbeto"):
        session.add(Member(id=member_id, barrio_id=barrio.id, channel="telegram", chat_id=member_id, locale="es"))
    session.flush()
    SqlSurveys(session).save(survey.id, "vana", first_question, "sí")
    SqlSurveys(session).set_completed(survey.id, "vana", True)
    SqlSurveys(session).save(survey.id, "vbeto", second_question, 3)
    session.commit()

    SqlSurveys(session).get(survey.id)  # its form parsed and cached, as in a running server
    with _statements(engine) as statements:
        port = SqlSurveys(session, member_id="vana")
        view = port.get(survey.id)
        answers: dict[str, Any] = port.answers(survey.id, "vana")
        assert view is not None and view.status == "draft" and view.form.questions
        assert answers == {first_question: "sí"} and port.completed(survey.id, "vana")
    assert len(statements) == 1

    beto = SqlSurveys(session, member_id="vbeto")
    assert beto.get(survey.id) is not None
    assert beto.answers(survey.id, "vbeto") == {second_question: 3} and not beto.completed(survey.id, "vbeto")
    nobody = SqlSurveys(session, member_id="vnadie")
    assert nobody.get(survey.id) is not None and nobody.answers(survey.id, "vnadie") == {}
    assert nobody.get(survey.id + 1000) is None


def test_the_chat_reads_today_in_the_barrios_time_zone(session: Session) -> None:
    """A barrio on Kiritimati (UTC+14) gets its own date from today(), the API's view keeps Santiago's."""
    barrio = make_barrio(session, make_ejecutor(session)[0])
    barrio.timezone = "Pacific/Kiritimati"
    session.add(barrio)
    session.commit()
    definition = {"title": "Reloj", "questions": [{"name": "hoy", "type": "calculate", "calculation": "today()"},
                                                  {"name": "nota", "type": "text", "label": "Nota"}]}
    survey = create_survey(session, barrio=barrio, kind="diagnostico", definition=definition)
    assert survey.id is not None
    session.add(Member(id="vana", barrio_id=barrio.id, channel="telegram", chat_id="vana", locale="es"))
    session.commit()
    for port in (SqlSurveys(session), SqlSurveys(session, "vana")):  # without and with the member's answers
        found = port.get(survey.id)
        assert found is not None and str(found.form.zone) == "Pacific/Kiritimati"
        assert found.form.recalculate({}, set()) == {"hoy": datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
                                                     .isoformat()}
    move(session, survey, SurveyStatus.OPEN)
    assert [str(s.form.zone) for s in SqlSurveys(session).open_for(barrio.id)] == ["Pacific/Kiritimati"]
