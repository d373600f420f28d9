"""A chat update reuses the answers its process kept, and only while the database still holds them.

Two "processes" are two engines on the same database, each with its own kept answers (as two
bot or API processes would have): whatever one writes, the other must read, never its own copy.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select
from sqlmodel import Session

from api.barrios.models import Member
from api.kernel.db import make_engine
from api.surveys.kept_answers import KeptAnswers
from api.surveys.models import SurveyAnswer, SurveyResponse
from api.surveys.retention import blank_free_answers
from api.surveys.store import KEPT, SqlSurveys
from conversations.kernel.events import Event
from conversations.surveys.answers import Answers
from tests.factories import VECINA, Vecina, chat_service, join, make_barrio, make_ejecutor, make_survey


class Process:
    """One process: its own engine on the shared database, its own kept answers."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.kept = engine, KeptAnswers()

    def version(self, survey_id: int, member: str) -> Answers:
        """The answers a chat update of `member` in this process gets."""
        with Session(self.engine) as session:
            port = SqlSurveys(session, member, kept=self.kept)
            assert port.get(survey_id) is not None
            return port.answers(survey_id, member)

    def answers(self, survey_id: int, member: str) -> dict[str, Any]:
        return dict(self.version(survey_id, member))

    def save(self, survey_id: int, member: str, **answers: Any) -> None:
        with Session(self.engine) as session:
            port = SqlSurveys(session, member, kept=self.kept)
            port.get(survey_id)  # as the chat does: the survey, with the member's answers
            for question, value in answers.items():
                port.save(survey_id, member, question, value)
            session.commit()

    def forget(self, survey_id: int, member: str, *questions: str) -> None:
        with Session(self.engine) as session:
            port = SqlSurveys(session, member, kept=self.kept)
            port.get(survey_id)
            port.forget(survey_id, member, list(questions))
            session.commit()


@pytest.fixture
def processes(engine: Engine) -> Iterator[tuple[Process, Process]]:
    other = make_engine(engine.url.render_as_string(hide_password=False))
    yield Process(engine), Process(other)
    other.dispose()


@pytest.fixture
def survey_and_member(session: Session) -> tuple[int, str]:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    survey = make_survey(session, barrio)
    session.add(Member(id="vana", barrio_id=barrio.id, channel="telegram", chat_id="vana", locale="es"))
    session.commit()
    return survey.id or 0, "vana"


def test_an_update_reuses_the_answers_it_kept_without_reading_them(
        processes: tuple[Process, Process], survey_and_member: tuple[int, str]) -> None:
    one, other = processes
    survey, member = survey_and_member
    one.save(survey, member, color="rojo", edad=40)
    kept = one.version(survey, member)
    assert kept == {"color": "rojo", "edad": 40}
    assert one.version(survey, member) is kept  # the same version: kept by the save, not read again
    assert other.version(survey, member) == kept and other.version(survey, member) is not kept


def test_what_another_process_writes_is_read_not_the_kept_copy(
        processes: tuple[Process, Process], survey_and_member: tuple[int, str]) -> None:
    one, other = processes
    survey, member = survey_and_member
    one.save(survey, member, color="rojo")
    assert other.answers(survey, member) == {"color": "rojo"}

    other.save(survey, member, edad=40, color="azul")
    assert one.answers(survey, member) == {"color": "azul", "edad": 40}
    other.forget(survey, member, "color")
    assert one.answers(survey, member) == {"edad": 40}
    one.save(survey, member, idea="una plaza")
    assert other.answers(survey, member) == {"edad": 40, "idea": "una plaza"}
    assert one.answers(survey, member) == {"edad": 40, "idea": "una plaza"}


def test_a_rolled_back_answer_is_not_served_from_memory(
        processes: tuple[Process, Process], survey_and_member: tuple[int, str]) -> None:
    one, _ = processes
    survey, member = survey_and_member
    one.save(survey, member, color="rojo")
    with Session(one.engine) as session:
        port = SqlSurveys(session, member, kept=one.kept)
        port.get(survey)
        port.save(survey, member, "edad", 40)
        session.rollback()  # the update failed after storing the answer (its version was kept)
    assert one.answers(survey, member) == {"color": "rojo"}


def test_retention_blanking_a_text_reaches_the_kept_answers(
        processes: tuple[Process, Process], survey_and_member: tuple[int, str], session: Session) -> None:
    one, other = processes
    survey, member = survey_and_member
    one.save(survey, member, color="rojo", idea="la casa de Zacarías")
    with Session(other.engine) as retention:
        barrio = retention.execute(select(Member.barrio_id).where(Member.id == member)).scalar_one()
        assert blank_free_answers(retention, barrio) == 1
        retention.commit()
    assert one.answers(survey, member) == {"color": "rojo", "idea": ""}


def test_a_deleted_response_is_not_served_even_when_its_id_comes_back(
        processes: tuple[Process, Process], survey_and_member: tuple[int, str], session: Session) -> None:
    """The member deleted in another process (/borrar), then a response of the same survey and member id:
    SQLite may give it the deleted one's id; its answers are its own."""
    one, other = processes
    survey, member = survey_and_member
    one.save(survey, member, color="rojo", idea="la casa de Zacarías")
    barrio = session.execute(select(Member.barrio_id).where(Member.id == member)).scalar_one()
    with Session(other.engine) as deleting:
        deleting.execute(delete(Member).where(Member.id == member))  # type: ignore[arg-type]
        deleting.commit()
    assert one.answers(survey, member) == {}
    assert len(one.kept) == 0  # nothing of the deleted response stays in memory

    session.add(Member(id=member, barrio_id=barrio, channel="telegram", chat_id=member, locale="es"))
    session.commit()
    one.save(survey, member, color="rojo", idea="la casa de Zacarías")  # kept again
    with Session(other.engine) as again:
        again.execute(delete(Member).where(Member.id == member))  # type: ignore[arg-type]
        again.add(Member(id=member, barrio_id=barrio, channel="telegram", chat_id=member, locale="es"))
        again.flush()
        SqlSurveys(again, member, kept=other.kept).save(survey, member, "edad", 7)
        again.commit()
    assert one.answers(survey, member) == {"edad": 7}
    with Session(one.engine) as check:
        assert check.execute(select(SurveyAnswer.question)).scalars().all() == ["edad"]
        assert check.execute(select(SurveyResponse.revision)).scalar_one() != 0


def test_borrar_lets_go_of_the_kept_answers_and_a_fresh_start_has_none(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    survey = make_survey(session, barrio).id or 0
    service = chat_service(engine)
    join(service, barrio.join_code, None)
    vecina = Vecina(service, VECINA)
    assert "¿Color?" in vecina.send(Event.button(f"sv:{survey}"))
    vecina.press("Rojo")
    member = session.execute(select(Member.id).where(Member.chat_id == VECINA.chat_id)).scalar_one()
    kept = KEPT.kept((survey, member))
    assert kept is not None and kept[2] == {"color": "rojo"}

    vecina.say("/borrar")
    vecina.send(Event.button("del:yes"))
    assert KEPT.kept((survey, member)) is None
    join(service, barrio.join_code, None)
    assert "¿Color?" in vecina.send(Event.button(f"sv:{survey}"))  # asked from the start again
    again = session.execute(select(Member.id).where(Member.chat_id == VECINA.chat_id)).scalar_one()
    assert again != member and Process(engine).answers(survey, again) == {}


def test_what_is_not_used_for_a_while_is_let_go() -> None:
    now = [0.0]
    kept = KeptAnswers(seconds=600, clock=lambda: now[0])
    kept.put((1, "vana"), 10, 5, Answers({"color": "rojo"}))
    now[0] = 590.0
    assert kept.kept((1, "vana")) is not None  # used: kept 600 s more
    kept.put((1, "vbeto"), 11, 6, Answers({"color": "azul"}))
    now[0] = 1180.0
    assert kept.kept((1, "vbeto")) is not None and len(kept) == 2
    now[0] = 1195.0  # vana last used 605 s ago
    assert kept.kept((1, "vana")) is None and kept.kept((1, "vbeto")) is not None and len(kept) == 1
    assert kept.used == 2


def test_the_kept_answers_stay_within_their_budget() -> None:
    kept = KeptAnswers(budget=10)
    kept.put((1, "vana"), 10, 5, Answers({f"q{n}": n for n in range(4)}))
    kept.put((1, "vbeto"), 11, 6, Answers({f"q{n}": n for n in range(4)}))
    assert len(kept) == 2 and kept.used == 10
    kept.put((1, "vcata"), 12, 7, Answers({"q": 1}))
    assert kept.kept((1, "vana")) is None and kept.kept((1, "vcata")) is not None and kept.used == 7
    kept.put((1, "vdani"), 13, 8, Answers({f"q{n}": n for n in range(20)}))  # larger than the budget: not kept
    kept.put((1, "velsa"), 14, 0, Answers({"q": 1}))  # a row from before revisions: not kept
    assert kept.kept((1, "vdani")) is None and kept.kept((1, "velsa")) is None and kept.used == 7
