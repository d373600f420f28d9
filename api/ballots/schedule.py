"""Ballots open and close by themselves, and unconfirmed voters get one reminder.

`ballot_job(engine, now)` runs in every server process (api.kernel.jobs). Each transition is a
conditional UPDATE on the status, so only the process whose UPDATE matched a row
enqueues the messages; the outbox's (kind, ref_id, member) uniqueness covers the rest.
Opening or closing early through the API uses the same functions.

A ballot's opening notice and its results go to every member of the barrio, possibly 20,000
of them: they are queued after the opening or the close has committed, in batches of their
own transactions (`queue_opening`, `queue_results`), so SQLite's one writer is never held for
seconds. The ballot records when that finished; the job completes a ballot opened or closed
without it (a crash midway). Reminders are queued in batches too.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import Session, select

from api.ballots.models import Ballot, BallotVote, BallotVoter
from api.ballots.store import barrio_members, choices, view
from api.barrios.models import Barrio, Member
from api.kernel.db import session_scope
from api.outbox.enqueue import enqueue, enqueue_in_batches, recipients, same_for_all
from conversations.ballots import notices as ballots_notices
from conversations.ballots.ports import BallotStatus
from conversations.ballots.rules import tally

log = logging.getLogger(__name__)

OPENED, REMINDER = "ballot_open", "ballot_reminder"  # their outbox kinds
REMINDER_BEFORE = timedelta(hours=24)  # or a quarter of the voting time, when that is shorter


def _transition(session: Session, ballot: Ballot, *, to: str, from_: tuple[str, ...], now: datetime) -> bool:
    stamp = {"opened_at": now} if to == BallotStatus.OPEN else {"closed_at": now}
    result = session.execute(
        update(Ballot).where(Ballot.id == ballot.id, Ballot.status.in_(from_))  # type: ignore[arg-type,attr-defined]
        .values(status=to, **stamp)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(ballot)
    return True


def open_ballot(session: Session, ballot: Ballot, now: datetime) -> bool:
    """Open a scheduled ballot; False when it was not scheduled. Once that is committed,
    `queue_opening` tells the barrio."""
    return _transition(session, ballot, to=BallotStatus.OPEN, from_=(BallotStatus.SCHEDULED,), now=now)


def queue_opening(engine: Engine, ballot_id: int, now: datetime) -> int:
    """Queue the opening notice of an open ballot to every member, in batches; how many were queued."""
    with Session(engine) as session:
        ballot = session.get(Ballot, ballot_id)
        if ballot is None or ballot.status != BallotStatus.OPEN or ballot.opening_queued_at is not None:
            return 0
        barrio = session.get(Barrio, ballot.barrio_id)
        assert barrio is not None
        shown, barrio_name, barrio_id = view(session, ballot), barrio.name, ballot.barrio_id
    queued = enqueue_in_batches(engine, barrio_id=barrio_id, kind=OPENED, ref_id=ballot_id,
                                render=same_for_all(lambda t: ballots_notices.opened(t, shown, barrio_name)))
    with session_scope(engine) as session:
        session.execute(update(Ballot).where(Ballot.id == ballot_id, Ballot.opening_queued_at.is_(None))  # type: ignore[arg-type,union-attr]
                        .values(opening_queued_at=now))
    return queued


def open_notice(session: Session, ballot: Ballot, barrio: Barrio) -> int:
    """"Nueva votación" to every member who has not had it yet; how many were queued."""
    assert ballot.id is not None
    shown = view(session, ballot)
    return enqueue(session, barrio=barrio, kind=OPENED, ref_id=ballot.id,
                   render=lambda t, _member: ballots_notices.opened(t, shown, barrio.name))


def close_ballot(session: Session, ballot: Ballot, now: datetime) -> bool:
    """Close the ballot; False when it was closed already. Once that is committed, `queue_results`
    sends everyone the results."""
    return _transition(session, ballot, to=BallotStatus.CLOSED,
                       from_=(BallotStatus.SCHEDULED, BallotStatus.OPEN), now=now)


def queue_results(engine: Engine, ballot_id: int, now: datetime) -> int:
    """Queue the results of a closed ballot to every member, in batches; how many were queued."""
    with Session(engine) as session:
        ballot = session.get(Ballot, ballot_id)
        if ballot is None or ballot.status != BallotStatus.CLOSED or ballot.results_queued_at is not None:
            return 0
        shown = view(session, ballot)
        counted = tally(shown.rules, shown.options, [c for _, c in choices(session, ballot_id)])
        members = barrio_members(session, ballot.barrio_id)
        barrio_id = ballot.barrio_id
    queued = enqueue_in_batches(engine, barrio_id=barrio_id, kind="ballot_results", ref_id=ballot_id,
                                render=same_for_all(lambda t: ballots_notices.results(t, shown, counted, members)))
    with session_scope(engine) as session:
        session.execute(update(Ballot).where(Ballot.id == ballot_id, Ballot.results_queued_at.is_(None))  # type: ignore[arg-type,union-attr]
                        .values(results_queued_at=now))
    return queued


def remind_unconfirmed(engine: Engine, ballot_id: int) -> int:
    """One reminder to each reachable member who started choosing and never confirmed, in batches."""
    with Session(engine) as session:
        ballot = session.get(Ballot, ballot_id)
        if ballot is None or ballot.status != BallotStatus.OPEN:
            return 0
        shown, barrio_id = view(session, ballot), ballot.barrio_id

    def started(session: Session) -> list[Member]:
        confirmed = select(BallotVote.voter_id).where(BallotVote.ballot_id == ballot_id)
        unconfirmed = select(BallotVoter.member_id).where(
            BallotVoter.ballot_id == ballot_id, BallotVoter.id.not_in(confirmed))  # type: ignore[union-attr]
        waiting = set(session.exec(unconfirmed).all())
        return [m for m in recipients(session, barrio_id) if m.id in waiting]

    return enqueue_in_batches(engine, barrio_id=barrio_id, kind=REMINDER, ref_id=ballot_id,
                              members=started, render=same_for_all(lambda t: ballots_notices.reminder(t, shown)))


def reminder_time(ballot: Ballot) -> datetime:
    return ballot.closes_at - min(REMINDER_BEFORE, (ballot.closes_at - ballot.opens_at) / 4)


def ballot_job(engine: Engine, now: datetime) -> None:
    """Open what is due, close what is over, then queue the opening notices, reminders before the close
    and results, each in batches of their own transactions."""
    with Session(engine) as session:
        due = session.exec(select(Ballot.id, Ballot.status, Ballot.opens_at, Ballot.closes_at)
                           .where(Ballot.status.in_((BallotStatus.SCHEDULED, BallotStatus.OPEN)))).all()  # type: ignore[arg-type,attr-defined]
        unsent = session.exec(select(Ballot.id).where(Ballot.status == BallotStatus.CLOSED,  # type: ignore[arg-type]
                                                      Ballot.results_queued_at.is_(None))).all()  # type: ignore[union-attr]
        unannounced = session.exec(select(Ballot.id).where(Ballot.status == BallotStatus.OPEN,  # type: ignore[arg-type]
                                                           Ballot.opening_queued_at.is_(None))).all()  # type: ignore[union-attr]
    reminding = []
    for ballot_id, status, opens_at, closes_at in due:
        try:
            with session_scope(engine) as session:
                ballot = session.get(Ballot, ballot_id)
                if ballot is None:
                    continue
                if closes_at <= now:
                    close_ballot(session, ballot, now)
                elif status == BallotStatus.SCHEDULED and opens_at <= now:
                    open_ballot(session, ballot, now)
                elif status == BallotStatus.OPEN and reminder_time(ballot) <= now:
                    reminding.append(ballot_id)
        except Exception:
            log.exception("ballot %s: scheduled transition failed; retried on the next run", ballot_id)
    opened_now = (b for b, status, opens_at, closes_at in due
                  if status == BallotStatus.SCHEDULED and opens_at <= now < closes_at)
    for ballot_id in dict.fromkeys([*unannounced, *opened_now]):
        _queue("opening notice", ballot_id, lambda b: queue_opening(engine, b, now))
    for ballot_id in reminding:
        _queue("reminders", ballot_id, lambda b: remind_unconfirmed(engine, b))
    for ballot_id in dict.fromkeys([*unsent, *(b for b, _, _, closes_at in due if closes_at <= now)]):
        _queue("results", ballot_id, lambda b: queue_results(engine, b, now))


def _queue(what: str, ballot_id: int, queue: Callable[[int], int]) -> None:
    """Run one of the batched sends; a failure is logged, and the next run completes it."""
    try:
        queue(ballot_id)
    except Exception:
        log.exception("ballot %s: queuing the %s failed; retried on the next run", ballot_id, what)
