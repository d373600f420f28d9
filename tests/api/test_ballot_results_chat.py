"""A closed ballot's results, asked for in the chat, come from the same count the ejecutor sees."""

from sqlalchemy import Engine, select
from sqlmodel import Session

from api.ballots.schedule import close_ballot
from api.barrios.models import Member
from api.kernel.types import utcnow
from conversations.kernel.events import Event
from tests.factories import VECINA, chat_service, join, make_ballot, make_barrio, make_ejecutor, make_member, make_vote


def test_a_vecina_reads_a_closed_ballots_results_in_the_chat(engine: Engine, session: Session) -> None:
    barrio = make_barrio(session, make_ejecutor(session)[0])
    service = chat_service(engine)
    join(service, barrio.join_code)
    vecina = session.execute(select(Member.id).where(Member.chat_id == VECINA.chat_id)).scalar_one()
    ballot = make_ballot(session, barrio)
    make_vote(session, ballot, vecina, (1,))
    make_vote(session, ballot, make_member(session, barrio, "2"), (1,))
    make_vote(session, ballot, make_member(session, barrio, "3"), (0,))
    assert close_ballot(session, ballot, utcnow())
    session.commit()

    listing = service.handle(VECINA, Event.parse("/votar"))[-1]
    assert f"bl:{ballot.id}:res" in [b.data for row in listing.buttons for b in row]
    text = service.handle(VECINA, Event.button(f"bl:{ballot.id}:res"))[-1].text
    assert "1. ✅ Luminarias" in text and "2 votos" in text and "Empate" not in text
