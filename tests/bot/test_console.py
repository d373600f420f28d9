"""The console channel talks to the very same conversations, without Telegram."""

from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlmodel import Session, select

from api.barrios.models import Member
from api.surveys.models import SurveyAnswer
from api.surveys.store import create_survey, move
from bot.console import describe_database, run
from conversations.kernel.members import Role
from tests.factories import chat_service, make_barrio, make_convocatoria, make_ejecutor, make_member


def test_console_vecina_joins_and_reads_her_data(engine: Engine, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    typed = iter(["3", "1", "/misdatos", "/q"])  # English, I agree, my data
    shown: list[str] = []
    service = chat_service(engine, "TestBot")
    run(service, join=barrio.join_code, who="rosa", read=lambda _prompt: next(typed), write=shown.append)
    screen = "\n".join(shown)
    assert "[1] Español" in screen and "[3] English" in screen
    assert "Do you agree?" in screen and "This is what we keep about you" in screen
    member = session.exec(select(Member)).one()
    assert (member.channel, member.chat_id, member.locale) == ("console", "rosa", "en")


def test_messages_pushed_to_a_console_vecina_show_when_she_comes_back(engine: Engine, session: Session) -> None:
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    motor = make_member(session, barrio, "1", role=Role.MOTOR)
    service = chat_service(engine, "TestBot")
    typed = iter(["1", "1", "/q"])  # Español, acepto
    run(service, join=barrio.join_code, who="rosa", read=lambda _prompt: next(typed), write=lambda _line: None)
    make_convocatoria(session, motor, title="Asamblea de validación del diagnóstico")

    shown: list[str] = []
    typed = iter(["/q"])
    run(service, join=None, who="rosa", read=lambda _prompt: next(typed), write=shown.append)
    screen = "\n".join(shown)
    assert "Asamblea de validación del diagnóstico" in screen and "[1] Asistiré" in screen
    assert "Database: " in screen
    again: list[str] = []
    typed = iter(["/q"])
    run(service, join=None, who="rosa", read=lambda _prompt: next(typed), write=again.append)
    assert "Asamblea de validación" not in "\n".join(again)  # shown once
    assert "has no barrio yet" not in screen


def test_a_console_on_an_empty_database_says_so(engine: Engine) -> None:
    """Run from another folder, a relative SQLite path makes a new, empty database: the console says what to do."""
    shown: list[str] = []
    typed = iter(["/q"])
    run(chat_service(engine, "TestBot"), join=None, who="rosa", read=lambda _prompt: next(typed), write=shown.append)
    assert any(line.startswith("Database: ") for line in shown)
    assert "This database has no barrio yet: run `accion-local demo` with it, or set DATABASE_URL" in "\n".join(shown)


def test_the_console_says_which_database_it_uses() -> None:
    assert describe_database(make_url("sqlite:///./accion_local.db")) == str(Path("accion_local.db").resolve())
    assert describe_database(make_url("postgresql+psycopg://app:secret@db/accion")) == \
        "postgresql+psycopg://app:***@db/accion"


def test_a_console_vecina_types_a_place_as_latitude_and_longitude(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    definition = {"title": "Lugar", "questions": [{"name": "lugar", "type": "geopoint", "label": "¿Dónde?"}]}
    survey = move(session, create_survey(session, barrio=barrio, kind="diagnostico", definition=definition), "open")
    # Español, acepto, the surveys, this one; a place she cannot share from a terminal, typed
    typed = iter(["1", "1", "/encuestas", "1", "cerca de la sede", "-33.45,-70.66", "/q"])
    shown: list[str] = []
    run(chat_service(engine, "TestBot"), join=barrio.join_code, who="rosa", read=lambda _prompt: next(typed),
        write=shown.append)
    assert "No entendí la ubicación" in "\n".join(shown)
    answer = session.exec(select(SurveyAnswer).where(SurveyAnswer.question == "lugar")).one()
    assert answer.value == "-33.45 -70.66 0 0" and survey.id is not None
