"""Ballots open and close at their times, remind unconfirmed voters once, and send results in each language."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, update
from sqlmodel import Session, select

from api.ballots.models import Ballot, BallotCreate, BallotVote, BallotVoter, IniciativaIn
from api.ballots.schedule import ballot_job
from api.ballots.store import SqlBallots, create_ballot
from api.barrios.directory import SqlDirectory
from api.barrios.models import Barrio, Member
from api.kernel.jobs import run_due
from api.outbox.enqueue import BATCH, enqueue
from api.outbox.models import OutboxMessage
from bot.main import jobs_of, records_of
from conversations.kernel.replies import Reply
from tests.factories import make_barrio, make_ejecutor

OPENS = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CLOSES = OPENS + timedelta(days=7)


@pytest.fixture
def setup(session: Session):  # type: ignore[no-untyped-def]
    ejecutor, _ = make_ejecutor(session)
    barrio = make_barrio(session, ejecutor)
    ballot = create_ballot(session, barrio=barrio, data=BallotCreate(
        title="Prioricemos 2027", method="budget", budget=3_000_000, opens_at=OPENS, closes_at=CLOSES,
        iniciativas=[IniciativaIn(title="Huerto comunitario", ambito="huertos", cost=1_200_000),
                     IniciativaIn(title="Luminarias", ambito="habitabilidad", cost=1_500_000),
                     IniciativaIn(title="Plaza", ambito="habitabilidad", cost=2_500_000)],
    ))
    members = {}
    for chat, locale in (("1", "es"), ("2", "en"), ("3", "ht")):
        members[locale] = SqlDirectory(session, channel="telegram", chat_id=chat).join(
            barrio_id=barrio.id, role="vecino", locale=locale)
    session.commit()
    return ballot, members


def outbox(session: Session, kind: str) -> dict[str, OutboxMessage]:
    session.expire_all()
    rows = session.exec(select(OutboxMessage, Member).join(Member).where(OutboxMessage.kind == kind)).all()
    return {member.locale: message for message, member in rows}


def status(session: Session, ballot_id: int) -> str:
    session.expire_all()
    ballot = session.get(Ballot, ballot_id)
    assert ballot is not None
    return ballot.status


def test_opens_at_its_time_and_tells_each_vecino_in_their_language(engine: Engine, session: Session, setup) -> None:  # type: ignore[no-untyped-def]
    ballot, _ = setup
    run_due(engine, jobs_of(), OPENS - timedelta(minutes=1))
    assert status(session, ballot.id) == "scheduled" and not outbox(session, "ballot_open")
    run_due(engine, jobs_of(), OPENS)
    run_due(engine, jobs_of(), OPENS + timedelta(seconds=15))  # a second process or the next tick: nothing new
    assert status(session, ballot.id) == "open"
    sent = outbox(session, "ballot_open")
    assert set(sent) == {"es", "en", "ht"} and all(m.ref_id == ballot.id for m in sent.values())
    assert "Nueva votación en Población La Esperanza: «Prioricemos 2027»" in sent["es"].text
    assert "martes, 8 de diciembre de 2026" in sent["es"].text  # closing time in the barrio's zone
    assert "New ballot" in sent["en"].text and "Nouvo vòt" in sent["ht"].text
    assert sent["en"].buttons == [[{"text": "Vote", "data": f"bl:{ballot.id}"}]]
    assert len(session.exec(select(OutboxMessage)).all()) == 3


def test_unconfirmed_voters_get_one_reminder_before_the_close(engine: Engine, session: Session, setup) -> None:  # type: ignore[no-untyped-def]
    ballot, members = setup
    run_due(engine, jobs_of(), OPENS)
    port = SqlBallots(session)
    port.start(ballot.id, members["en"], OPENS)  # started, never confirmed
    port.start(ballot.id, members["ht"], OPENS)
    port.cast(ballot.id, members["ht"], (0,), OPENS)  # confirmed
    session.commit()
    run_due(engine, jobs_of(), CLOSES - timedelta(hours=25))
    assert not outbox(session, "ballot_reminder")
    run_due(engine, jobs_of(), CLOSES - timedelta(hours=23))
    run_due(engine, jobs_of(), CLOSES - timedelta(hours=22))
    reminders = outbox(session, "ballot_reminder")
    assert list(reminders) == ["en"]
    assert "You started voting in «Prioricemos 2027»" in reminders["en"].text
    assert reminders["en"].buttons == [[{"text": "Finish my vote", "data": f"bl:{ballot.id}"}]]


def test_closes_at_its_time_and_sends_results_to_every_member(engine: Engine, session: Session, setup) -> None:  # type: ignore[no-untyped-def]
    ballot, members = setup
    run_due(engine, jobs_of(), OPENS)
    port = SqlBallots(session)
    port.cast(ballot.id, members["es"], (0, 1), OPENS)
    port.cast(ballot.id, members["en"], (2,), OPENS)
    session.commit()
    run_due(engine, jobs_of(), CLOSES)
    run_due(engine, jobs_of(), CLOSES + timedelta(minutes=1))
    assert status(session, ballot.id) == "closed"
    results = outbox(session, "ballot_results")
    assert set(results) == {"es", "en", "ht"}
    es = results["es"].text
    assert "Resultados de «Prioricemos 2027»" in es
    assert "✅ Huerto comunitario (Huertos) — 1 voto" in es and "✅ Luminarias" in es
    assert "3. Plaza (Habitabilidad comunitaria) — 1 voto" in es  # tied on votes but does not fit
    assert "$2.700.000 de un presupuesto de $3.000.000" in es
    assert "Participación: 2 de 3 vecinos (67%)" in es
    assert "2 of 3 neighbours voted (67%)" in results["en"].text
    assert "Jaden kominotè" in results["ht"].text


def test_borrar_deletes_the_vote_and_misdatos_counts_it(engine: Engine, session: Session, setup) -> None:  # type: ignore[no-untyped-def]
    ballot, members = setup
    directory = SqlDirectory(session, channel="telegram", chat_id="1", records=records_of())
    SqlBallots(session).cast(ballot.id, members["es"], (0,), OPENS)
    session.commit()
    assert directory.records(members["es"])["votes"] == 1
    directory.delete_member(members["es"])
    session.commit()
    assert session.exec(select(BallotVote)).all() == [] and session.exec(select(BallotVoter)).all() == []


def test_a_second_vote_row_for_the_same_voter_is_refused_by_the_database(session: Session, setup) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    ballot, members = setup
    SqlBallots(session).cast(ballot.id, members["es"], (0,), OPENS)
    session.commit()
    voter = session.exec(select(BallotVoter)).one()
    session.add(BallotVote(ballot_id=ballot.id, voter_id=voter.id, choice=[1]))
    with pytest.raises(IntegrityError):
        session.commit()


def test_several_processes_running_the_job_at_once_send_each_message_once(engine: Engine, session: Session,  # type: ignore[no-untyped-def]
                                                                          setup) -> None:
    from concurrent.futures import ThreadPoolExecutor

    ballot, _ = setup
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda _: ballot_job(engine, OPENS), range(3)))
    assert status(session, ballot.id) == "open"
    assert len(outbox(session, "ballot_open")) == 3
    session.expire_all()
    assert len(session.exec(select(OutboxMessage)).all()) == 3


@pytest.mark.parametrize(("moment", "kind", "marker"), [(OPENS, "ballot_open", "opening_queued_at"),
                                                      (CLOSES, "ballot_results", "results_queued_at")])
def test_the_opening_and_the_results_to_a_large_barrio_are_queued_in_short_transactions(  # type: ignore[no-untyped-def]
        engine: Engine, session: Session, setup, moment: datetime, kind: str, marker: str) -> None:
    ballot, _ = setup
    directory = SqlDirectory(session, channel="telegram", chat_id="")
    for n in range(1_200):
        directory.chat_id = str(10_000 + n)
        directory.join(barrio_id=ballot.barrio_id, role="vecino", locale="es")
    session.commit()
    inserts: list[int] = []

    def count_rows(_conn, _cursor, statement, parameters, _context, executemany) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):
            inserts.append(len(parameters) if executemany else 1)

    event.listen(engine, "before_cursor_execute", count_rows)
    try:
        run_due(engine, jobs_of(), moment)
    finally:
        event.remove(engine, "before_cursor_execute", count_rows)
    assert status(session, ballot.id) == ("open" if moment == OPENS else "closed")
    queued = session.exec(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()
    assert len(queued) == 1_203 and len({m.member_id for m in queued}) == 1_203
    assert sum(inserts) == 1_203 and max(inserts) <= BATCH  # one batch per transaction, none holding all
    session.expire_all()
    assert getattr(session.get(Ballot, ballot.id), marker) is not None


@pytest.mark.parametrize(("status_", "stamp", "kind", "moment", "real"), [
    ("open", "opened_at", "ballot_open", OPENS, "Prioricemos 2027"),
    ("closed", "closed_at", "ballot_results", CLOSES, "of 3 neighbours"),
])
def test_an_opening_or_results_cut_short_by_a_crash_are_completed_by_the_job(  # type: ignore[no-untyped-def]
        engine: Engine, session: Session, setup, status_: str, stamp: str, kind: str, moment: datetime,
        real: str) -> None:
    ballot, members = setup
    with Session(engine) as moving:  # the opening or close committed, then the process died before queuing
        moving.execute(update(Ballot).where(Ballot.id == ballot.id).values(status=status_, **{stamp: moment}))
        moving.commit()
    enqueue(session, barrio=session.get(Barrio, ballot.barrio_id), kind=kind, ref_id=ballot.id,  # type: ignore[arg-type]
            members=[session.get(Member, members["es"])], render=lambda t, _m: Reply("parcial"))
    session.commit()
    run_due(engine, jobs_of(), moment + timedelta(seconds=15))
    run_due(engine, jobs_of(), moment + timedelta(seconds=30))  # the next tick: nothing more
    queued = outbox(session, kind)
    assert set(queued) == {"es", "en", "ht"} and queued["es"].text == "parcial"  # each member once
    assert real in queued["en"].text  # the real message, to those not reached before
