"""A vecina votes through Telegram: buttons, running total, confirmation, receipt, close."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from api.ballots.models import BallotCreate, BallotVote, IniciativaIn
from api.ballots.schedule import open_ballot
from api.ballots.store import create_ballot
from api.kernel.jobs import run_due
from bot.main import jobs_of
from tests.factories import make_barrio, make_ejecutor
from tests.fakes.telegram import Harness

VECINA, VECINO = 7001, 7002


def _open_ballot(session: Session):  # type: ignore[no-untyped-def]
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    now = datetime.now(UTC)
    ballot = create_ballot(session, barrio=barrio, data=BallotCreate(
        title="Prioricemos 2027", method="budget", budget=3_000_000, opens_at=now,
        closes_at=now + timedelta(days=7),
        iniciativas=[IniciativaIn(title="Huerto comunitario", ambito="huertos", cost=1_200_000),
                     IniciativaIn(title="Luminarias", ambito="habitabilidad", cost=1_500_000),
                     IniciativaIn(title="Escuela de verano", ambito="bienestar", cost=900_000)],
    ))
    open_ballot(session, ballot, now)
    session.commit()
    return barrio, ballot


def _votes(session: Session) -> list[list[int]]:
    session.expire_all()
    return [vote.choice for vote in session.exec(select(BallotVote)).all()]


async def test_vote_from_the_menu_to_the_receipt(telegram: Harness, session: Session) -> None:
    barrio, ballot = _open_ballot(session)
    await telegram.join(VECINA, barrio.join_code)
    menu = telegram.fake.last(VECINA)
    assert ("Votaciones", "bl:list") in [b for row in menu.buttons for b in row]

    shown = await telegram.press(VECINA, "bl:list")
    assert "Prioricemos 2027" in shown[-1].text and f"bl:{ballot.id}" in shown[-1].button_data
    shown = await telegram.press(VECINA, f"bl:{ballot.id}")
    assert shown[-1].method == "editMessageText"
    assert "2. Luminarias — Habitabilidad comunitaria · $1.500.000" in shown[-1].text
    await telegram.press(VECINA, f"bl:{ballot.id}:t:0")
    shown = await telegram.press(VECINA, f"bl:{ballot.id}:t:1")
    assert "Usado $2.700.000 de $3.000.000" in shown[-1].text
    shown = await telegram.press(VECINA, f"bl:{ballot.id}:t:2")
    assert "te quedan $300.000" in shown[-1].text
    shown = await telegram.press(VECINA, f"bl:{ballot.id}:rv")
    assert shown[-1].button_data == [f"bl:{ballot.id}:ok", f"bl:{ballot.id}"]
    assert _votes(session) == []

    confirm = telegram.updates.press(VECINA, f"bl:{ballot.id}:ok", update_id=900)
    await telegram.feed(confirm)
    await telegram.feed(confirm)  # Telegram delivers the same update twice
    assert "quedó registrado" in telegram.fake.texts(VECINA)[-2]
    assert _votes(session) == [[0, 1]]
    shown = await telegram.say(VECINA, "/misdatos")
    assert "1 voto en votaciones" in shown[-1].text


async def test_vote_after_the_close_and_forged_buttons_change_nothing(telegram: Harness, session: Session,
                                                                     engine: Engine) -> None:
    barrio, ballot = _open_ballot(session)
    await telegram.join(VECINO, barrio.join_code, locale="en")
    await telegram.say(VECINO, "/vote")
    await telegram.press(VECINO, f"bl:{ballot.id}:t:2")
    await telegram.press(VECINO, f"bl:{ballot.id}:rv")
    shown = await telegram.press(VECINO, f"bl:{ballot.id + 1}:ok")
    assert "no longer valid" in shown[-1].text
    run_due(engine, jobs_of(), ballot.closes_at)
    shown = await telegram.press(VECINO, f"bl:{ballot.id}:ok")
    assert "has closed" in shown[-1].text
    assert _votes(session) == []
