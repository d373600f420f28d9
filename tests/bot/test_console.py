"""The console channel talks to the very same conversations, without Telegram."""

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.barrios.models import Member
from bot.console import run
from tests.factories import chat_service, make_barrio, make_ejecutor


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
