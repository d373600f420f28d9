"""The demo barrio comes with an open budget ballot over iniciativas in the three ámbitos."""

from sqlmodel import Session, select

from api.ballots.models import Ballot, Iniciativa
from api.kernel.config import Settings
from bot.main import demo


def test_demo_ballot_is_open_once(session: Session) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    demo(session, settings)
    demo(session, settings)
    ballot = session.exec(select(Ballot)).one()
    assert (ballot.status, ballot.method, ballot.budget) == ("open", "budget", 3_000_000)
    ambitos = {i.ambito for i in session.exec(select(Iniciativa).where(Iniciativa.ballot_id == ballot.id)).all()}
    assert ambitos == {"bienestar", "habitabilidad", "huertos"}
